package io.hazwatch.drivers.serial;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A validated serial-line device: the port, how lines are framed and checked, whether the instrument
 * talks by itself or answers a request, and its channels in configuration order. Defaults and ranges
 * are in docs/drivers-serial.md.
 *
 * @param request           the query written before each read in {@link Mode#REQUEST} mode
 * @param responseTimeoutMs how long a read in request mode waits for every channel to be answered
 * @param maxAgeMs          in unsolicited mode, a channel whose last line is older than this is stale
 */
public record SerialLineDeviceConfig(String name, SerialPortSettings port, Framing framing, Checksum checksum,
                                     String checksumSeparator, Mode mode, Optional<String> request,
                                     long responseTimeoutMs, long maxAgeMs, long backoffMinMs, long backoffMaxMs,
                                     List<LineChannel> channels) {

    public static final String DEFAULT_CHECKSUM_SEPARATOR = "*";
    public static final String DEFAULT_DELIMITER = ",";
    public static final long DEFAULT_RESPONSE_TIMEOUT_MS = 1000;
    public static final long DEFAULT_MAX_AGE_MS = 10_000;
    public static final long DEFAULT_BACKOFF_MIN_MS = 500;
    public static final long DEFAULT_BACKOFF_MAX_MS = 30_000;

    public SerialLineDeviceConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(port, "port");
        Objects.requireNonNull(framing, "framing");
        Objects.requireNonNull(checksum, "checksum");
        Objects.requireNonNull(checksumSeparator, "checksumSeparator");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(request, "request");
        channels = List.copyOf(channels);
        if (mode == Mode.REQUEST && request.isEmpty()) {
            throw new IllegalArgumentException("request mode needs a request");
        }
    }

    /** Whether the instrument talks by itself or answers a query. */
    public enum Mode {
        /** The instrument writes lines by itself; a read returns the latest value per channel. */
        UNSOLICITED,
        /** Each read writes {@code request} and waits for the answer lines. */
        REQUEST;

        public String configName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
