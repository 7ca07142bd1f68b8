package io.hazwatch.drivers.modbus.internal;

import io.hazwatch.drivers.modbus.ModbusTable;

import java.util.BitSet;
import java.util.EnumMap;
import java.util.Map;

/**
 * What a device has refused so far, learnt from its exceptions so that later plans avoid it:
 * addresses it answered exception 2 (illegal data address) for, which no merged request may include
 * again, and a per-read limit below the configured one, learnt from exception 3 (illegal data value)
 * to a long read. Mutable; confined to the driver's lane.
 */
public final class Refusals {

    private final Map<ModbusTable, BitSet> refused = new EnumMap<>(ModbusTable.class);
    private int registerLimit = ModbusTable.MAX_REGISTERS_PER_READ;
    private int bitLimit = ModbusTable.MAX_BITS_PER_READ;

    /** Marks {@code from .. to} of {@code table} as refused; nothing when {@code to < from}. */
    public void refuse(ModbusTable table, int from, int to) {
        if (to < from) {
            return;
        }
        refused.computeIfAbsent(table, t -> new BitSet()).set(from, to + 1);
    }

    /** True when any address in {@code from .. to} of {@code table} was refused. */
    public boolean anyRefused(ModbusTable table, int from, int to) {
        BitSet bits = refused.get(table);
        if (bits == null) {
            return false;
        }
        int next = bits.nextSetBit(from);
        return next >= 0 && next <= to;
    }

    /** Lowers the largest read of {@code table}'s kind (registers or bits) to {@code quantity}. */
    public void lowerLimit(ModbusTable table, int quantity) {
        int q = Math.max(1, quantity);
        if (table.isRegisterTable()) {
            registerLimit = Math.min(registerLimit, q);
        } else {
            bitLimit = Math.min(bitLimit, q);
        }
    }

    /** The learnt limit for {@code table}'s kind, never above {@code configured}. */
    public int limit(ModbusTable table, int configured) {
        return Math.min(configured, table.isRegisterTable() ? registerLimit : bitLimit);
    }

    /** True when nothing has been learnt. */
    public boolean isEmpty() {
        return refused.values().stream().allMatch(BitSet::isEmpty) && registerLimit == ModbusTable.MAX_REGISTERS_PER_READ
                && bitLimit == ModbusTable.MAX_BITS_PER_READ;
    }

    @Override
    public String toString() {
        return "Refusals[" + refused + ", registers <= " + registerLimit + ", bits <= " + bitLimit + "]";
    }
}
