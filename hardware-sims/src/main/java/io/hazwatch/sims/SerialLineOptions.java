package io.hazwatch.sims;

import java.util.Locale;
import java.util.Objects;

/**
 * The serial port a serial-line simulator answers on and how its line is set.
 *
 * @param device   the port: {@code /dev/ttyUSB0}, or one end of a socat pty pair
 * @param baudRate bits per second, e.g. 9600
 * @param dataBits 8 for RTU (Modbus over Serial Line v1.02, 2.5.1); 7 or 8 for ASCII (2.5.2)
 * @param parity   none, even (the standard's default) or odd
 * @param stopBits 1 or 2 (the standard asks for 2 when there is no parity; most instruments use 1)
 * @param encoding RTU (binary frames, CRC-16) or ASCII ({@code :} hex frames, LRC)
 */
public record SerialLineOptions(String device, int baudRate, int dataBits, Parity parity, int stopBits,
                                Encoding encoding) {

    /** Parity bit. */
    public enum Parity {
        NONE, ODD, EVEN;

        /** Case-insensitive, also "N", "O", "E". */
        public static Parity parse(String text) {
            String t = text.trim().toUpperCase(Locale.ROOT);
            for (Parity p : values()) {
                if (p.name().equals(t) || p.name().substring(0, 1).equals(t)) {
                    return p;
                }
            }
            throw new IllegalArgumentException("parity must be none, even or odd, got '" + text + "'");
        }
    }

    /** Serial transmission mode (Modbus over Serial Line v1.02, 2.5). */
    public enum Encoding {
        RTU, ASCII
    }

    public static final int DEFAULT_BAUD_RATE = 9600;

    public SerialLineOptions {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(parity, "parity");
        Objects.requireNonNull(encoding, "encoding");
        if (device.isBlank()) {
            throw new IllegalArgumentException("device must not be blank");
        }
        if (baudRate < 300 || baudRate > 4_000_000) {
            throw new IllegalArgumentException("baud rate must be 300..4000000, got " + baudRate);
        }
        if (encoding == Encoding.RTU ? dataBits != 8 : dataBits != 7 && dataBits != 8) {
            throw new IllegalArgumentException(encoding + " needs " + (encoding == Encoding.RTU ? "8" : "7 or 8")
                    + " data bits, got " + dataBits);
        }
        if (stopBits != 1 && stopBits != 2) {
            throw new IllegalArgumentException("stop bits must be 1 or 2, got " + stopBits);
        }
    }

    /** RTU, 8 data bits, no parity, 1 stop bit: what most field instruments ship with (DOMAIN.md 6.1). */
    public static SerialLineOptions rtu(String device, int baudRate) {
        return new SerialLineOptions(device, baudRate, 8, Parity.NONE, 1, Encoding.RTU);
    }

    /** ASCII, 7 data bits, even parity, 1 stop bit: the standard's ASCII default (2.5.2). */
    public static SerialLineOptions ascii(String device, int baudRate) {
        return new SerialLineOptions(device, baudRate, 7, Parity.EVEN, 1, Encoding.ASCII);
    }

    /** Bits per character on the wire: start, data, parity, stop. */
    public int bitsPerCharacter() {
        return 1 + dataBits + (parity == Parity.NONE ? 0 : 1) + stopBits;
    }

    /** "9600 8N1 RTU". */
    public String describe() {
        return baudRate + " " + dataBits + parity.name().charAt(0) + stopBits + " " + encoding;
    }
}
