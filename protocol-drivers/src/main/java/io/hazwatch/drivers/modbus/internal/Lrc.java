package io.hazwatch.drivers.modbus.internal;

/**
 * Longitudinal redundancy check of Modbus ASCII (Modbus over Serial Line v1.02, 2.5.2.2 and 6.2.1):
 * the two's complement of the 8-bit sum of the frame's bytes (address and PDU, before hex encoding).
 */
public final class Lrc {

    private Lrc() {
    }

    /** The LRC of {@code length} bytes of {@code data} from {@code offset}, 0..255. */
    public static int of(byte[] data, int offset, int length) {
        int sum = 0;
        for (int i = offset; i < offset + length; i++) {
            sum += data[i] & 0xFF;
        }
        return (-sum) & 0xFF;
    }
}
