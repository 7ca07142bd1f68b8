package io.hazwatch.drivers.serial;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * How an ASCII instrument protects a line: a checksum written in hex after a separator at the end of
 * the line ({@code $PHZDSP,GN01,1.2,-0.4,3.1,4*5C}). Pure and stateless.
 *
 * <p>What each type covers, with the separator (default {@code *}) and the hex digits removed:
 * <ul>
 *   <li>{@link #NMEA}: XOR of every character after a leading {@code $} or {@code !} up to the
 *       separator, 2 hex digits (NMEA 0183 v4.11, 5.3.4 "checksum field");</li>
 *   <li>{@link #CRC16_MODBUS}: CRC-16/MODBUS (poly 0xA001 reflected, init 0xFFFF, as in Modbus over
 *       serial line v1.02, 6.2.2) over every character of the frame before the separator, 4 hex
 *       digits, most significant first (as HJ 212 prints it);</li>
 *   <li>{@link #SUM8}: sum of those characters modulo 256, 2 hex digits.</li>
 * </ul>
 * Hex digits are accepted in either case. Characters are taken as bytes (ISO-8859-1).
 */
public enum Checksum {
    NONE("none", 0),
    NMEA("nmea", 2),
    CRC16_MODBUS("crc16-modbus", 4),
    SUM8("sum8", 2);

    private final String configName;
    private final int hexDigits;

    Checksum(String configName, int hexDigits) {
        this.configName = configName;
        this.hexDigits = hexDigits;
    }

    /** The {@code checksum:} value in a device configuration. */
    public String configName() {
        return configName;
    }

    /** Hex digits after the separator; 0 for {@link #NONE}. */
    public int hexDigits() {
        return hexDigits;
    }

    /** Case-insensitive lookup by configuration name ({@code crc16_modbus} is accepted too). */
    public static Optional<Checksum> fromConfig(String name) {
        String wanted = name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (Checksum c : values()) {
            if (c.configName.equals(wanted)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /** The checksum of {@code covered} (the characters this type covers), as the hex a line carries. */
    public String compute(String covered) {
        byte[] bytes = covered.getBytes(StandardCharsets.ISO_8859_1);
        switch (this) {
            case NMEA: {
                int x = 0;
                for (byte b : bytes) {
                    x ^= b & 0xFF;
                }
                return hex(x, 2);
            }
            case CRC16_MODBUS:
                return hex(crc16Modbus(bytes), 4);
            case SUM8: {
                int sum = 0;
                for (byte b : bytes) {
                    sum += b & 0xFF;
                }
                return hex(sum & 0xFF, 2);
            }
            default:
                return "";
        }
    }

    /**
     * Checks one frame. {@code separator} is the text between the payload and the hex digits
     * (usually {@code *}); it is searched from the end of the frame.
     */
    public ChecksumVerdict check(String frame, String separator) {
        if (this == NONE) {
            return new ChecksumVerdict.Unchecked(frame);
        }
        int at = frame.lastIndexOf(separator);
        if (at < 0 || frame.length() - at - separator.length() != hexDigits) {
            return new ChecksumVerdict.Missing(frame, "no " + separator + " followed by " + hexDigits
                    + " hex digits at the end of the line");
        }
        String stated = frame.substring(at + separator.length());
        if (!isHex(stated)) {
            return new ChecksumVerdict.Missing(frame, "'" + stated + "' after " + separator + " is not hex");
        }
        String payload = frame.substring(0, at);
        String computed = compute(covered(payload));
        if (computed.equalsIgnoreCase(stated)) {
            return new ChecksumVerdict.Valid(payload, computed);
        }
        return new ChecksumVerdict.Mismatch(payload, stated.toUpperCase(Locale.ROOT), computed);
    }

    /** The part of the payload this type covers: NMEA skips a leading {@code $} or {@code !}. */
    public String covered(String payload) {
        if (this == NMEA && !payload.isEmpty() && (payload.charAt(0) == '$' || payload.charAt(0) == '!')) {
            return payload.substring(1);
        }
        return payload;
    }

    /** {@code payload} with its checksum appended after {@code separator}, as an instrument writes it. */
    public String append(String payload, String separator) {
        return this == NONE ? payload : payload + separator + compute(covered(payload));
    }

    /** CRC-16/MODBUS: reflected polynomial 0xA001, initial value 0xFFFF, no final XOR. */
    static int crc16Modbus(byte[] bytes) {
        int crc = 0xFFFF;
        for (byte b : bytes) {
            crc ^= b & 0xFF;
            for (int i = 0; i < 8; i++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0xA001 : crc >>> 1;
            }
        }
        return crc;
    }

    private static String hex(int value, int digits) {
        String h = Integer.toHexString(value).toUpperCase(Locale.ROOT);
        return "0".repeat(Math.max(0, digits - h.length())) + h;
    }

    private static boolean isHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                return false;
            }
        }
        return !s.isEmpty();
    }

    @Override
    public String toString() {
        return configName;
    }
}
