package io.hazwatch.drivers.opcua;

import java.util.Locale;
import java.util.Optional;

/** The OPC UA security policies the driver speaks (OPC UA Part 7, security policy profiles). */
public enum OpcUaSecurityPolicy {
    /** No signing, no encryption. Only behind a one-way gateway on a closed network. */
    NONE("none", "http://opcfoundation.org/UA/SecurityPolicy#None"),
    /** RSA 2048 with SHA-256; the usual policy of DCS servers today. */
    BASIC256SHA256("basic256sha256", "http://opcfoundation.org/UA/SecurityPolicy#Basic256Sha256");

    private final String configName;
    private final String uri;

    OpcUaSecurityPolicy(String configName, String uri) {
        this.configName = configName;
        this.uri = uri;
    }

    /** The {@code securityPolicy:} value in a device configuration. */
    public String configName() {
        return configName;
    }

    /** The policy URI servers advertise in their endpoint descriptions. */
    public String uri() {
        return uri;
    }

    /** Case-insensitive lookup by configuration name; dashes and underscores are ignored. */
    public static Optional<OpcUaSecurityPolicy> fromConfig(String name) {
        String wanted = name.trim().toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
        for (OpcUaSecurityPolicy p : values()) {
            if (p.configName.equals(wanted)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** The policy with this URI, if the driver speaks it. */
    public static Optional<OpcUaSecurityPolicy> fromUri(String uri) {
        for (OpcUaSecurityPolicy p : values()) {
            if (p.uri.equals(uri)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
