package io.hazwatch.drivers.serial;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One validated channel of a serial-line device: which lines feed it, where its text is in them, and
 * how the text becomes a value ({@code number * scale + offset}).
 *
 * @param name       channel name, unique within the device
 * @param location   where it was configured, for messages
 * @param match      a line feeds this channel only if this expression is found in its payload; empty: every line
 * @param extraction where the text is
 * @param type       what the text holds
 * @param scale      multiplier for numeric types
 * @param offset     added after scaling
 * @param scaled     true when scale or offset were configured: a {@code long} then yields a Double
 */
public record LineChannel(String name, String location, Optional<Pattern> match, Extraction extraction,
                          LineValueType type, double scale, double offset, boolean scaled) {
    public LineChannel {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(match, "match");
        Objects.requireNonNull(extraction, "extraction");
        Objects.requireNonNull(type, "type");
    }
}
