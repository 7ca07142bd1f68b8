package io.hazwatch.sims.internal;

import java.nio.ByteBuffer;

/**
 * Writes engineering values into 16-bit registers for the simulators. Written independently of the
 * drivers' decoder on purpose: a simulator that shared the driver's codec would agree with its bugs.
 * A register holds its two bytes big-endian (Modbus Application Protocol v1.1b, 4.2).
 */
public final class RegisterEncoding {

    private RegisterEncoding() {
    }

    /** IEEE 754 single, high word first: 20.0 -> {@code 0x41A0 0x0000}. */
    public static void putFloat32Abcd(short[] registers, int at, double value) {
        ByteBuffer bytes = ByteBuffer.allocate(Float.BYTES).putFloat((float) value).flip();
        registers[at] = bytes.getShort();
        registers[at + 1] = bytes.getShort();
    }

    /** IEEE 754 single, low word first ("word-swapped"): 20.0 -> {@code 0x0000 0x41A0}. */
    public static void putFloat32Cdab(short[] registers, int at, double value) {
        ByteBuffer bytes = ByteBuffer.allocate(Float.BYTES).putFloat((float) value).flip();
        registers[at + 1] = bytes.getShort();
        registers[at] = bytes.getShort();
    }

    /** Signed 16-bit; values outside -32768..32767 saturate. */
    public static void putInt16(short[] registers, int at, long value) {
        registers[at] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, value));
    }

    /** Unsigned 16-bit; values outside 0..65535 saturate. */
    public static void putUint16(short[] registers, int at, long value) {
        registers[at] = (short) Math.max(0, Math.min(0xFFFF, value));
    }

    /** {@code value / resolution} rounded half away from zero, as a signed 16-bit register. */
    public static void putInt16Scaled(short[] registers, int at, double value, double resolution) {
        putInt16(registers, at, Math.round(value / resolution));
    }

    /** {@code value / resolution} rounded, as an unsigned 16-bit register. */
    public static void putUint16Scaled(short[] registers, int at, double value, double resolution) {
        putUint16(registers, at, Math.round(value / resolution));
    }
}
