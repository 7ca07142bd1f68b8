package io.hazwatch.drivers.modbus.internal;

import io.hazwatch.drivers.modbus.ModbusTable;

import java.util.List;
import java.util.Objects;

/**
 * One read transaction: {@code quantity} registers or bits of {@code table} from {@code start}, which
 * serves every member channel (members lie inside the range; gaps between them are read and ignored).
 */
public record ReadRequest(ModbusTable table, int start, int quantity, List<ChannelSpan> members) {

    public ReadRequest {
        Objects.requireNonNull(table, "table");
        members = List.copyOf(members);
        if (members.isEmpty()) {
            throw new IllegalArgumentException("a read request serves at least one channel");
        }
        for (ChannelSpan m : members) {
            if (m.table() != table || m.start() < start || m.end() > start + quantity - 1) {
                throw new IllegalArgumentException("channel span " + m + " outside request " + table + " "
                        + start + "+" + quantity);
            }
        }
    }

    /** The smallest request that serves {@code members} (all of one table). */
    static ReadRequest covering(List<ChannelSpan> members) {
        int start = members.stream().mapToInt(ChannelSpan::start).min().orElseThrow();
        int end = members.stream().mapToInt(ChannelSpan::end).max().orElseThrow();
        return new ReadRequest(members.get(0).table(), start, end - start + 1, members);
    }

    public int end() {
        return start + quantity - 1;
    }

    @Override
    public String toString() {
        return table.configName() + " " + start + ".." + end() + " (" + members.size() + " channels)";
    }
}
