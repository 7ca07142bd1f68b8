package io.hazwatch.drivers.modbus.internal;

import io.hazwatch.drivers.modbus.ModbusTable;

import java.util.Objects;

/**
 * The addresses one channel needs: {@code quantity} registers or bits from {@code start}.
 *
 * @param channel index of the channel in the device configuration
 */
public record ChannelSpan(int channel, ModbusTable table, int start, int quantity) {

    public ChannelSpan {
        Objects.requireNonNull(table, "table");
        if (start < 0 || quantity < 1 || start + quantity - 1 > 0xFFFF) {
            throw new IllegalArgumentException("span " + start + "+" + quantity + " outside 0..65535");
        }
    }

    /** Last address needed. */
    public int end() {
        return start + quantity - 1;
    }
}
