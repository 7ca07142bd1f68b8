package io.hazwatch.drivers.modbus.internal;

import io.hazwatch.drivers.modbus.ModbusChannel;
import io.hazwatch.drivers.modbus.ModbusDataType;
import io.hazwatch.drivers.modbus.RegisterOrder;

import java.nio.ByteBuffer;

/**
 * Turns the registers of one channel into its engineering value. Pure and stateless.
 *
 * <p>A register carries two bytes, high byte first (Modbus Application Protocol v1.1b, 4.2). The
 * channel's {@link RegisterOrder} says how a value's bytes were laid across its registers; the decoder
 * puts them back in big-endian order and reads the type. Results: {@link Boolean} for {@code bool} and
 * {@code bit}; {@link Long} for integer types without scale or offset; {@link String} for strings;
 * {@link Double} otherwise ({@code raw * scale + offset}).
 *
 * <p>Strings: two characters per register, first character in the high byte ({@code ABCD}) or in the
 * low byte ({@code BADC}); the text ends at the first NUL, trailing spaces are dropped, and a byte
 * outside printable ASCII reads as {@code ?}.
 */
public final class ValueDecoder {

    private ValueDecoder() {
    }

    /**
     * Decodes {@code channel} from {@code registers} (unsigned 16-bit values), whose element {@code at}
     * is the channel's first register.
     *
     * @throws IllegalArgumentException if fewer registers than the type needs follow {@code at}
     */
    public static Object decode(ModbusChannel channel, int[] registers, int at) {
        ModbusDataType type = channel.type();
        if (at < 0 || at + channel.length() > registers.length) {
            throw new IllegalArgumentException("channel '" + channel.name() + "' needs " + channel.length()
                    + " registers at index " + at + ", response holds " + registers.length);
        }
        if (channel.isBoolean()) {
            int bit = channel.bit().orElse(0);
            return ((word16(registers[at], channel.order()) >>> bit) & 1) == 1;
        }
        if (type == ModbusDataType.STRING) {
            return text(registers, at, channel.length(), channel.order());
        }
        ByteBuffer bytes = ByteBuffer.wrap(orderedBytes(registers, at, type.registers(), channel.order()));
        if (type.isFloat()) {
            double raw = type == ModbusDataType.FLOAT32 ? bytes.getFloat() : bytes.getDouble();
            return channel.scaled() ? raw * channel.scale() + channel.offset() : raw;
        }
        long raw = switch (type) {
            case INT16 -> bytes.getShort();
            case UINT16 -> Short.toUnsignedLong(bytes.getShort());
            case INT32 -> bytes.getInt();
            case UINT32 -> Integer.toUnsignedLong(bytes.getInt());
            default -> throw new IllegalStateException("not an integer type: " + type);
        };
        return channel.scaled() ? (double) raw * channel.scale() + channel.offset() : (Object) raw;
    }

    static String text(int[] registers, int at, int count, RegisterOrder order) {
        StringBuilder out = new StringBuilder(2 * count);
        for (int i = 0; i < count; i++) {
            int word = word16(registers[at + i], order);
            for (int c : new int[]{word >>> 8, word & 0xFF}) {
                if (c == 0) {
                    return stripTrailingSpaces(out);
                }
                out.append(c >= 0x20 && c < 0x7F ? (char) c : '?');
            }
        }
        return stripTrailingSpaces(out);
    }

    private static String stripTrailingSpaces(StringBuilder text) {
        int end = text.length();
        while (end > 0 && text.charAt(end - 1) == ' ') {
            end--;
        }
        return text.substring(0, end);
    }

    /** A single register as 0..65535 after the byte swap that {@code order} asks for. */
    static int word16(int register, RegisterOrder order) {
        int value = register & 0xFFFF;
        return order.swapsBytes() ? ((value & 0xFF) << 8) | (value >>> 8) : value;
    }

    /**
     * The value's bytes, most significant first, taken from {@code count} registers at {@code at}:
     * undo the byte swap inside each register, then the word swap (reversal of the registers).
     */
    static byte[] orderedBytes(int[] registers, int at, int count, RegisterOrder order) {
        byte[] out = new byte[count * 2];
        for (int i = 0; i < count; i++) {
            int word = word16(registers[at + i], order);
            int slot = order.swapsWords() ? count - 1 - i : i;
            out[2 * slot] = (byte) (word >>> 8);
            out[2 * slot + 1] = (byte) word;
        }
        return out;
    }
}
