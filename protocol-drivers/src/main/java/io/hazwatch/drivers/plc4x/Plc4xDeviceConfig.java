package io.hazwatch.drivers.plc4x;

import java.util.List;
import java.util.Objects;

/**
 * A validated PLC4X device: the PLC4X connection string, timeouts, reconnect backoff and its channels in
 * configuration order. Defaults and ranges are in docs/drivers-plc4x.md.
 *
 * @param connection PLC4X connection string, e.g. {@code modbus-tcp://10.0.0.5:502?default-unit-identifier=1}
 * @param timeoutMs  how long one read of all channels may take
 */
public record Plc4xDeviceConfig(String name, String connection, long timeoutMs, long backoffMinMs, long backoffMaxMs,
                                List<Plc4xChannel> channels) {

    public static final long DEFAULT_TIMEOUT_MS = 2_000;
    public static final long DEFAULT_BACKOFF_MIN_MS = 500;
    public static final long DEFAULT_BACKOFF_MAX_MS = 30_000;

    public Plc4xDeviceConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(connection, "connection");
        channels = List.copyOf(channels);
    }

    /** The protocol code, the connection string up to its first {@code :} ({@code modbus-tcp}, {@code s7}). */
    public String protocol() {
        int colon = connection.indexOf(':');
        return colon < 0 ? connection : connection.substring(0, colon);
    }

    /** The connection string without its query, which may carry credentials; for logs and messages. */
    public String safeConnection() {
        int q = connection.indexOf('?');
        String base = q < 0 ? connection : connection.substring(0, q);
        int at = base.indexOf('@');
        int scheme = base.indexOf("://");
        if (at > 0 && scheme > 0 && at > scheme) {
            base = base.substring(0, scheme + 3) + "***" + base.substring(at);
        }
        return base;
    }
}
