package io.hazwatch.sims.serial.internal;

import java.nio.charset.StandardCharsets;

/**
 * The checksums the serial simulators write, implemented here on purpose and not taken from the
 * drivers (STYLE.md: a simulator built on the driver's codec agrees with its bugs).
 */
public final class LineChecksums {

    private LineChecksums() {
    }

    /** NMEA 0183: XOR of the characters between {@code $} and {@code *}, as two upper-case hex digits. */
    public static String nmea(String sentenceBody) {
        int x = 0;
        for (byte b : sentenceBody.getBytes(StandardCharsets.US_ASCII)) {
            x ^= b;
        }
        return String.format("%02X", x & 0xFF);
    }

    /**
     * CRC-16/MODBUS (table-free, bit by bit: polynomial 0x8005 reflected = 0xA001, initial 0xFFFF) as four
     * upper-case hex digits, high byte first.
     */
    public static String crc16Modbus(String text) {
        int crc = 0xFFFF;
        for (byte b : text.getBytes(StandardCharsets.US_ASCII)) {
            crc ^= (b & 0xFF);
            for (int bit = 0; bit < 8; bit++) {
                boolean lsb = (crc & 0x0001) == 1;
                crc >>>= 1;
                if (lsb) {
                    crc ^= 0xA001;
                }
            }
        }
        return String.format("%04X", crc & 0xFFFF);
    }

    /** A checksum that is certainly wrong: the right one with its last hex digit changed. */
    public static String spoil(String hex) {
        char last = hex.charAt(hex.length() - 1);
        char other = last == '0' ? '1' : '0';
        return hex.substring(0, hex.length() - 1) + other;
    }
}
