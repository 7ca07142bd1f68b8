package io.hazwatch.edge.probe;

import java.nio.ByteBuffer;

/**
 * Every reading of a run of registers that an engineer might need: each register as uint16, int16,
 * bits and characters, and the 32- and 64-bit values starting at each register in the four byte
 * orders. Pure and stateless.
 *
 * <p>Order names are those of the Modbus driver's {@code order:} property: the letters name the value's
 * bytes from most (A) to least significant in the order they arrive. {@code CDAB} swaps words,
 * {@code BADC} swaps the bytes inside each register, {@code DCBA} does both; for 64-bit values the word
 * swap reverses all four registers.
 */
public final class RegisterDecoding {

    /** The four orders, in the order the tables show them. */
    public enum Order {
        ABCD(false, false), CDAB(true, false), BADC(false, true), DCBA(true, true);

        private final boolean swapsWords;
        private final boolean swapsBytes;

        Order(boolean swapsWords, boolean swapsBytes) {
            this.swapsWords = swapsWords;
            this.swapsBytes = swapsBytes;
        }
    }

    private RegisterDecoding() {
    }

    public static int uint16(int register) {
        return register & 0xFFFF;
    }

    public static int int16(int register) {
        return (short) register;
    }

    /** The value's bytes, most significant first, from {@code count} registers at {@code at}. */
    static byte[] bytes(int[] registers, int at, int count, Order order) {
        byte[] out = new byte[count * 2];
        for (int i = 0; i < count; i++) {
            int word = registers[at + i] & 0xFFFF;
            if (order.swapsBytes) {
                word = ((word & 0xFF) << 8) | (word >>> 8);
            }
            int slot = order.swapsWords ? count - 1 - i : i;
            out[2 * slot] = (byte) (word >>> 8);
            out[2 * slot + 1] = (byte) word;
        }
        return out;
    }

    public static float float32(int[] registers, int at, Order order) {
        return ByteBuffer.wrap(bytes(registers, at, 2, order)).getFloat();
    }

    public static int int32(int[] registers, int at, Order order) {
        return ByteBuffer.wrap(bytes(registers, at, 2, order)).getInt();
    }

    public static long uint32(int[] registers, int at, Order order) {
        return Integer.toUnsignedLong(int32(registers, at, order));
    }

    public static double float64(int[] registers, int at, Order order) {
        return ByteBuffer.wrap(bytes(registers, at, 4, order)).getDouble();
    }

    /** "0100 0001 0001 1000": the register's 16 bits, bit 15 first, in nibbles. */
    public static String bits(int register) {
        String b = String.format("%16s", Integer.toBinaryString(register & 0xFFFF)).replace(' ', '0');
        return b.substring(0, 4) + " " + b.substring(4, 8) + " " + b.substring(8, 12) + " " + b.substring(12);
    }

    /** The register's two bytes as characters, high byte first; '.' for what is not printable ASCII. */
    public static String ascii(int register) {
        return printable((register >>> 8) & 0xFF) + "" + printable(register & 0xFF);
    }

    private static char printable(int b) {
        return b >= 0x20 && b < 0x7F ? (char) b : '.';
    }

    /** The shortest text that reads back to the same float (Java's {@link Float#toString}). */
    public static String format(float value) {
        return Float.toString(value);
    }

    public static String format(double value) {
        return Double.toString(value);
    }
}
