package io.hazwatch.drivers.modbus.internal;

import io.hazwatch.drivers.modbus.ModbusChannel;
import io.hazwatch.drivers.modbus.ModbusDataType;
import io.hazwatch.drivers.modbus.ModbusTable;
import io.hazwatch.drivers.modbus.RegisterOrder;
import io.hazwatch.drivers.spi.Quality;

import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * Turns an engineering value into the write that puts it into a channel: the inverse of
 * {@link ValueDecoder}. Pure and stateless.
 *
 * <p>Numbers: {@code raw = (value - offset) / scale}, rounded to the nearest integer for integer types
 * and refused when it does not fit the type. One register (or coil) goes out with FC06 (FC05), more
 * with FC16, or always FC16 (FC15) when the channel asks for {@code writeMultiple}. Input registers and
 * discrete inputs cannot be written (Modbus has no function for it), nor can one bit of a register
 * (it would need a read-modify-write that races with the device).
 */
public final class ValueEncoder {

    private ValueEncoder() {
    }

    /** The write, or why there is none. */
    public sealed interface Encoded {
    }

    /** A write that puts the value into the channel. */
    public record Command(WriteCommand command) implements Encoded {
    }

    /** No write: the channel cannot be written ({@link Quality#BAD_CONFIG}) or the value does not fit it. */
    public record Refused(Quality quality, String reason) implements Encoded {
    }

    public static Encoded encode(ModbusChannel channel, Object value) {
        if (value == null) {
            return new Refused(Quality.BAD_OUT_OF_RANGE, "no value");
        }
        ModbusTable table = channel.table();
        if (table == ModbusTable.INPUT || table == ModbusTable.DISCRETE) {
            return new Refused(Quality.BAD_CONFIG, (table == ModbusTable.INPUT ? "input registers" : "discrete inputs")
                    + " are read-only: Modbus has no function to write them");
        }
        if (channel.bit().isPresent()) {
            return new Refused(Quality.BAD_CONFIG, "writing one bit of a register is not supported: it would need a "
                    + "read-modify-write that races with the device");
        }
        if (table == ModbusTable.COIL || channel.type() == ModbusDataType.BOOL) {
            Optional<Boolean> parsed = asBoolean(value);
            if (parsed.isEmpty()) {
                return new Refused(Quality.BAD_OUT_OF_RANGE, "a boolean channel takes true or false, got " + value);
            }
            boolean on = parsed.get();
            if (table == ModbusTable.COIL) {
                return new Command(channel.writeMultiple()
                        ? new WriteCommand.MultipleCoils(channel.address(), new boolean[]{on})
                        : new WriteCommand.SingleCoil(channel.address(), on));
            }
            return registers(channel, new int[]{unswap(on ? 1 : 0, channel.order())});
        }
        if (channel.type() == ModbusDataType.STRING) {
            if (!(value instanceof String text)) {
                return new Refused(Quality.BAD_OUT_OF_RANGE, "a string channel takes text, got " + value);
            }
            return string(channel, text);
        }
        if (!(value instanceof Number number)) {
            return new Refused(Quality.BAD_OUT_OF_RANGE, "a " + channel.type().configName() + " channel takes a number, got "
                    + value);
        }
        double raw = channel.scaled() ? (number.doubleValue() - channel.offset()) / channel.scale() : number.doubleValue();
        if (!Double.isFinite(raw)) {
            return new Refused(Quality.BAD_OUT_OF_RANGE, "value " + value + " gives raw " + raw);
        }
        ByteBuffer bytes = ByteBuffer.allocate(2 * channel.type().registers());
        switch (channel.type()) {
            case FLOAT32 -> {
                if (Math.abs(raw) > Float.MAX_VALUE) {
                    return new Refused(Quality.BAD_OUT_OF_RANGE, "value " + value + " does not fit a float32");
                }
                bytes.putFloat((float) raw);
            }
            case FLOAT64 -> bytes.putDouble(raw);
            default -> {
                long whole = exactOrRounded(number, raw, channel.scaled());
                long[] range = range(channel.type());
                if (whole < range[0] || whole > range[1]) {
                    return new Refused(Quality.BAD_OUT_OF_RANGE, "value " + value + " is raw " + whole + ", outside "
                            + range[0] + ".." + range[1] + " of a " + channel.type().configName());
                }
                if (channel.type().registers() == 1) {
                    bytes.putShort((short) whole);
                } else {
                    bytes.putInt((int) whole);
                }
            }
        }
        return registers(channel, fromBytes(bytes.array(), channel.order()));
    }

    private static long exactOrRounded(Number number, double raw, boolean scaled) {
        if (!scaled && (number instanceof Long || number instanceof Integer || number instanceof Short
                || number instanceof Byte)) {
            return number.longValue();
        }
        return Math.round(raw);
    }

    private static long[] range(ModbusDataType type) {
        return switch (type) {
            case INT16 -> new long[]{Short.MIN_VALUE, Short.MAX_VALUE};
            case UINT16 -> new long[]{0, 0xFFFF};
            case INT32 -> new long[]{Integer.MIN_VALUE, Integer.MAX_VALUE};
            case UINT32 -> new long[]{0, 0xFFFF_FFFFL};
            default -> throw new IllegalStateException("not an integer type: " + type);
        };
    }

    private static Encoded string(ModbusChannel channel, String text) {
        int capacity = 2 * channel.length();
        if (text.length() > capacity) {
            return new Refused(Quality.BAD_OUT_OF_RANGE, "text of " + text.length() + " characters does not fit "
                    + channel.length() + " registers (" + capacity + " characters)");
        }
        byte[] bytes = new byte[capacity]; // padded with NUL
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c >= 0x7F) {
                return new Refused(Quality.BAD_OUT_OF_RANGE, "character " + (int) c + " at " + i
                        + " is not printable ASCII");
            }
            bytes[i] = (byte) c;
        }
        int[] registers = new int[channel.length()];
        for (int i = 0; i < registers.length; i++) {
            registers[i] = unswap(((bytes[2 * i] & 0xFF) << 8) | (bytes[2 * i + 1] & 0xFF), channel.order());
        }
        return registers(channel, registers);
    }

    private static Encoded registers(ModbusChannel channel, int[] registers) {
        if (registers.length == 1 && !channel.writeMultiple()) {
            return new Command(new WriteCommand.SingleRegister(channel.address(), registers[0]));
        }
        return new Command(new WriteCommand.MultipleRegisters(channel.address(), registers));
    }

    /**
     * Registers that carry {@code bytes} (most significant first) in {@code order}: the inverse of
     * {@link ValueDecoder#orderedBytes}.
     */
    static int[] fromBytes(byte[] bytes, RegisterOrder order) {
        int count = bytes.length / 2;
        int[] registers = new int[count];
        for (int slot = 0; slot < count; slot++) {
            int word = ((bytes[2 * slot] & 0xFF) << 8) | (bytes[2 * slot + 1] & 0xFF);
            int i = order.swapsWords() ? count - 1 - slot : slot;
            registers[i] = unswap(word, order);
        }
        return registers;
    }

    /** The register that reads as {@code word} after {@code order}'s byte swap (a swap is its own inverse). */
    private static int unswap(int word, RegisterOrder order) {
        return ValueDecoder.word16(word, order);
    }

    private static Optional<Boolean> asBoolean(Object value) {
        if (value instanceof Boolean b) {
            return Optional.of(b);
        }
        if (value instanceof Number n && (n.doubleValue() == 0 || n.doubleValue() == 1)) {
            return Optional.of(n.doubleValue() == 1);
        }
        return Optional.empty();
    }
}
