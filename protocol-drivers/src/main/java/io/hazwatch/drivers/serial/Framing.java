package io.hazwatch.drivers.serial;

import java.util.Objects;

/**
 * How a byte stream splits into frames (lines).
 *
 * <ul>
 *   <li>Without {@code start}: a frame is everything up to {@code end}; with {@code end} = {@code "\n"} a
 *       trailing {@code "\r"} is dropped too, so CR LF and LF lines both work.</li>
 *   <li>With {@code start}: bytes before {@code start} are thrown away; a frame is what lies between
 *       {@code start} and {@code end}, both removed (STX ... ETX, or {@code #} ... CR LF). A second
 *       {@code start} before {@code end} restarts the frame (the instrument restarted its line).</li>
 * </ul>
 * A frame longer than {@code maxLength} characters is discarded up to the next {@code end} and counted.
 *
 * @param start     start delimiter; empty for none
 * @param end       end delimiter (line terminator); never empty
 * @param maxLength longest frame kept, in bytes, without the delimiters
 */
public record Framing(String start, String end, int maxLength) {

    public static final String DEFAULT_END = "\n";
    public static final int DEFAULT_MAX_LENGTH = 256;
    public static final int MAX_MAX_LENGTH = 65_536;

    public Framing {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (end.isEmpty()) {
            throw new IllegalArgumentException("the end delimiter must not be empty");
        }
        if (!start.isEmpty() && start.equals(end)) {
            throw new IllegalArgumentException("start and end delimiters must differ");
        }
        if (maxLength < 1 || maxLength > MAX_MAX_LENGTH) {
            throw new IllegalArgumentException("maxLength must be 1.." + MAX_MAX_LENGTH + ", got " + maxLength);
        }
    }

    /** Lines ending in LF (or CR LF), at most 256 bytes. */
    public static Framing lines() {
        return new Framing("", DEFAULT_END, DEFAULT_MAX_LENGTH);
    }

    public boolean hasStart() {
        return !start.isEmpty();
    }
}
