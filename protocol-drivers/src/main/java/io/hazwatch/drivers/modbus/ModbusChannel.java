package io.hazwatch.drivers.modbus;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * One validated channel: where it lives on the device and how to turn its registers or bit into an
 * engineering value ({@code raw * scale + offset}).
 *
 * @param name          channel name, unique within the device
 * @param location      where it was configured, for messages
 * @param table         data table
 * @param address       0-based wire address of the first register or bit
 * @param type          value encoding; {@link ModbusDataType#BOOL} on coil and discrete tables
 * @param order         byte order of multi-byte values
 * @param bit           bit 0..15 to extract from a 16-bit register; the value is then a Boolean
 * @param scale         multiplier applied to the raw number
 * @param offset        added after scaling
 * @param scaled        true when scale or offset were configured: integer types then yield a Double
 * @param length        registers the value spans: the type's size, or the configured length of a string
 * @param deadband      0 for none; else a good value that moved less than this (in engineering units)
 *                      from the last one reported is reported as that last value again
 * @param writeMultiple write with FC16 (FC15 for a coil) even when one register (coil) would do
 */
public record ModbusChannel(String name, String location, ModbusTable table, int address, ModbusDataType type,
                            RegisterOrder order, OptionalInt bit, double scale, double offset, boolean scaled,
                            int length, double deadband, boolean writeMultiple) {

    public ModbusChannel {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(order, "order");
        Objects.requireNonNull(bit, "bit");
        if (address < 0 || address > 0xFFFF) {
            throw new IllegalArgumentException("address " + address + " outside 0..65535");
        }
        if (length < 1 || (!type.hasVariableLength() && length != Math.max(1, type.registers()))) {
            throw new IllegalArgumentException("length " + length + " does not fit type " + type.configName());
        }
        if (!(deadband >= 0) || Double.isInfinite(deadband)) {
            throw new IllegalArgumentException("deadband must be a finite number >= 0, got " + deadband);
        }
    }

    /** A fixed-size channel without deadband, written with the single-item functions where possible. */
    public ModbusChannel(String name, String location, ModbusTable table, int address, ModbusDataType type,
                         RegisterOrder order, OptionalInt bit, double scale, double offset, boolean scaled) {
        this(name, location, table, address, type, order, bit, scale, offset, scaled, Math.max(1, type.registers()),
                0.0, false);
    }

    /** Registers (register tables) or bits (coil and discrete tables) the channel occupies. */
    public int quantity() {
        return table.isRegisterTable() ? length : 1;
    }

    /** Last address the channel occupies. */
    public int lastAddress() {
        return address + quantity() - 1;
    }

    /** True when the sample value is a Boolean. */
    public boolean isBoolean() {
        return type == ModbusDataType.BOOL || bit.isPresent();
    }
}
