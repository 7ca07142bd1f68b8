package io.hazwatch.drivers.modbus;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * How a serial line is set: the port and its character format. Every device on one line must use the
 * same settings (they share the wire).
 *
 * @param port     the port's path, e.g. {@code /dev/ttyUSB0}
 * @param baudRate bits per second
 * @param dataBits 8 for RTU; 7 or 8 for ASCII
 * @param parity   parity bit
 * @param stopBits 1 or 2
 */
public record SerialSettings(String port, int baudRate, int dataBits, Parity parity, int stopBits) {

    /** The parity bit of each character. */
    public enum Parity {
        NONE, EVEN, ODD;

        /** Case-insensitive, also the one-letter forms N, E, O. */
        public static Optional<Parity> fromConfig(String text) {
            String t = text.trim().toUpperCase(Locale.ROOT);
            for (Parity p : values()) {
                if (p.name().equals(t) || p.name().substring(0, 1).equals(t)) {
                    return Optional.of(p);
                }
            }
            return Optional.empty();
        }
    }

    /**
     * Modbus over Serial Line v1.02, 2.5.1.1: above 19200 baud the inter-frame delay is a fixed
     * 1.75 ms (and the inter-character time-out 750 µs) instead of 3.5 (1.5) character times.
     */
    public static final int FIXED_TIMING_ABOVE_BAUD = 19_200;
    private static final long FIXED_INTER_FRAME_NANOS = 1_750_000L;

    public SerialSettings {
        Objects.requireNonNull(port, "port");
        Objects.requireNonNull(parity, "parity");
        if (baudRate < 1) {
            throw new IllegalArgumentException("baud rate must be positive, got " + baudRate);
        }
        if (dataBits != 7 && dataBits != 8) {
            throw new IllegalArgumentException("data bits must be 7 or 8, got " + dataBits);
        }
        if (stopBits != 1 && stopBits != 2) {
            throw new IllegalArgumentException("stop bits must be 1 or 2, got " + stopBits);
        }
    }

    /** Bits per character on the wire: start bit, data bits, parity bit if any, stop bits. */
    public int bitsPerCharacter() {
        return 1 + dataBits + (parity == Parity.NONE ? 0 : 1) + stopBits;
    }

    /** Time one character takes on the wire, in nanoseconds. */
    public double characterNanos() {
        return bitsPerCharacter() * 1e9 / baudRate;
    }

    /**
     * The silent interval that separates two RTU frames: 3.5 character times, or 1.75 ms above
     * 19200 baud (Modbus over Serial Line v1.02, 2.5.1.1).
     */
    public long interFrameNanos() {
        if (baudRate > FIXED_TIMING_ABOVE_BAUD) {
            return FIXED_INTER_FRAME_NANOS;
        }
        return Math.round(3.5 * characterNanos());
    }

    /** Time {@code bytes} characters take on the wire, in nanoseconds. */
    public long wireNanos(int bytes) {
        return Math.round(bytes * characterNanos());
    }

    /** "9600 8N1". */
    public String describe() {
        return baudRate + " " + dataBits + parity.name().charAt(0) + stopBits;
    }
}
