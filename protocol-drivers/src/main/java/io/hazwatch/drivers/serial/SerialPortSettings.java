package io.hazwatch.drivers.serial;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A serial port and its line settings, e.g. {@code /dev/ttyUSB0} at 9600 8N1.
 *
 * @param device   the port's path ({@code /dev/ttyUSB0}, {@code /dev/ttyS1}, a pty such as {@code /dev/pts/3},
 *                 or a symbolic link to one)
 * @param baud     bits per second
 * @param dataBits 5..8
 * @param parity   parity bit
 * @param stopBits stop bits
 */
public record SerialPortSettings(String device, int baud, int dataBits, Parity parity, StopBits stopBits) {

    public static final int DEFAULT_BAUD = 9600;
    public static final int DEFAULT_DATA_BITS = 8;

    public SerialPortSettings {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(parity, "parity");
        Objects.requireNonNull(stopBits, "stopBits");
        if (device.isBlank()) {
            throw new IllegalArgumentException("device must not be blank");
        }
        if (baud < 50 || baud > 4_000_000) {
            throw new IllegalArgumentException("baud must be 50..4000000, got " + baud);
        }
        if (dataBits < 5 || dataBits > 8) {
            throw new IllegalArgumentException("dataBits must be 5..8, got " + dataBits);
        }
    }

    /** {@code device} at {@code baud}, 8N1. */
    public static SerialPortSettings of(String device, int baud) {
        return new SerialPortSettings(device, baud, DEFAULT_DATA_BITS, Parity.NONE, StopBits.ONE);
    }

    /** "/dev/ttyUSB0 9600 8N1". */
    public String describe() {
        return device + " " + baud + " " + dataBits + parity.letter() + stopBits.configName();
    }

    /** Parity as configured: {@code none}, {@code even}, {@code odd}, {@code mark}, {@code space}. */
    public enum Parity {
        NONE('N'), EVEN('E'), ODD('O'), MARK('M'), SPACE('S');

        private final char letter;

        Parity(char letter) {
            this.letter = letter;
        }

        public char letter() {
            return letter;
        }

        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<Parity> fromConfig(String name) {
            String wanted = name.trim().toUpperCase(Locale.ROOT);
            for (Parity p : values()) {
                if (p.name().equals(wanted) || (wanted.length() == 1 && p.letter == wanted.charAt(0))) {
                    return Optional.of(p);
                }
            }
            return Optional.empty();
        }
    }

    /** Stop bits as configured: {@code 1}, {@code 1.5}, {@code 2}. */
    public enum StopBits {
        ONE("1"), ONE_POINT_FIVE("1.5"), TWO("2");

        private final String configName;

        StopBits(String configName) {
            this.configName = configName;
        }

        public String configName() {
            return configName;
        }

        public static Optional<StopBits> fromConfig(String name) {
            String wanted = name.trim();
            for (StopBits s : values()) {
                if (s.configName.equals(wanted) || (s.configName + ".0").equals(wanted)) {
                    return Optional.of(s);
                }
            }
            return Optional.empty();
        }
    }
}
