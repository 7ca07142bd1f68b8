package io.hazwatch.drivers.modbus.internal;

/**
 * CRC-16/MODBUS (Modbus over Serial Line v1.02, 2.5.1.2 and 6.2.2): polynomial 0xA001 (0x8005
 * reflected), initial value 0xFFFF, no final XOR. It travels low byte first. Table-driven; pure.
 */
public final class Crc16 {

    private static final int[] TABLE = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int crc = i;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0xA001 : crc >>> 1;
            }
            TABLE[i] = crc;
        }
    }

    private Crc16() {
    }

    /** The CRC of {@code length} bytes of {@code data} from {@code offset}, 0..0xFFFF. */
    public static int of(byte[] data, int offset, int length) {
        int crc = 0xFFFF;
        for (int i = offset; i < offset + length; i++) {
            crc = (crc >>> 8) ^ TABLE[(crc ^ data[i]) & 0xFF];
        }
        return crc;
    }

    /** True when the last two of {@code length} bytes are the CRC of the ones before, low byte first. */
    public static boolean matches(byte[] frame, int length) {
        if (length < 3) {
            return false;
        }
        int crc = of(frame, 0, length - 2);
        return (frame[length - 2] & 0xFF) == (crc & 0xFF) && (frame[length - 1] & 0xFF) == (crc >>> 8);
    }
}
