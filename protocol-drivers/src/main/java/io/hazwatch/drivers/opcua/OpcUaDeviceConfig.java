package io.hazwatch.drivers.opcua;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A validated OPC UA device: where the server is, how to secure and authenticate the session, how to
 * subscribe, and its channels in configuration order. Defaults and ranges are in docs/drivers-opcua.md.
 *
 * @param name                  device name
 * @param endpointUrl           {@code opc.tcp://host:port/path} as configured; the driver connects to
 *                              this host and port even when the server advertises another host name
 * @param securityPolicy        security policy of the endpoint to use
 * @param securityMode          message security mode of the endpoint to use
 * @param identity              user identity for the session
 * @param pkiDir                the driver's certificate directory (own certificate, trusted, rejected)
 * @param trustServerOnFirstUse trust a server certificate the first time one is seen for its
 *                              application URI (off by default: the engineer moves the file instead)
 * @param requestTimeoutMs      timeout of each service call and of connecting
 * @param sessionTimeoutMs      session timeout asked of the server
 * @param publishingIntervalMs  publishing interval of the device's subscription
 * @param backoffMinMs          first wait after a failed connect
 * @param backoffMaxMs          longest wait between connect attempts
 */
public record OpcUaDeviceConfig(String name, String endpointUrl, OpcUaSecurityPolicy securityPolicy,
                                OpcUaSecurityMode securityMode, OpcUaIdentity identity, Path pkiDir,
                                boolean trustServerOnFirstUse, int requestTimeoutMs, int sessionTimeoutMs,
                                double publishingIntervalMs, long backoffMinMs, long backoffMaxMs,
                                List<OpcUaChannel> channels) {

    public static final int DEFAULT_REQUEST_TIMEOUT_MS = 5_000;
    public static final int DEFAULT_SESSION_TIMEOUT_MS = 120_000;
    public static final double DEFAULT_PUBLISHING_INTERVAL_MS = 1_000;
    public static final long DEFAULT_BACKOFF_MIN_MS = 1_000;
    public static final long DEFAULT_BACKOFF_MAX_MS = 60_000;

    public OpcUaDeviceConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(endpointUrl, "endpointUrl");
        Objects.requireNonNull(securityPolicy, "securityPolicy");
        Objects.requireNonNull(securityMode, "securityMode");
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(pkiDir, "pkiDir");
        channels = List.copyOf(channels);
    }

    /** True when the session is signed or encrypted, so the driver needs its own certificate. */
    public boolean isSecure() {
        return securityPolicy != OpcUaSecurityPolicy.NONE;
    }
}
