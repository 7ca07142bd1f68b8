package io.hazwatch.drivers.modbus.internal;

import io.hazwatch.drivers.modbus.ModbusTable;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Groups channels into as few read requests as the limits allow. Stateless: what a device refused is
 * passed in as {@link Refusals}.
 *
 * <p>Per table, channels are sorted by address and merged greedily into one request while the merged
 * range stays within the per-read limit, the unrequested gap to the next channel is at most the
 * allowed gap, and the range holds no address the device refused. Register tables: limit
 * {@code maxRegistersPerRead} (at most 125, Modbus Application Protocol v1.1b, 6.3), gap
 * {@code maxGap} registers. Coil and discrete tables: limit {@code maxBitsPerRead} (at most 2000, 6.1,
 * 6.2), gap {@code 16 * maxGap} bits. Both limits drop to what the device taught with exception 3.
 * Channels may overlap (two bits of one register).
 *
 * <p>When a device refuses a merged request with exception 2 (illegal data address) or 3 (illegal
 * data value), {@link #split} halves it along channel boundaries so the caller can retry the parts and
 * find the channels that truly fail.
 */
public final class ReadPlanner {

    private static final Comparator<ChannelSpan> BY_ADDRESS = Comparator.comparingInt(ChannelSpan::start)
            .thenComparingInt(ChannelSpan::end).thenComparingInt(ChannelSpan::channel);

    private static final Refusals NOTHING_REFUSED = new Refusals();

    private final int maxRegistersPerRead;
    private final int maxBitsPerRead;
    private final int maxGap;

    public ReadPlanner(int maxRegistersPerRead, int maxGap) {
        this(maxRegistersPerRead, ModbusTable.MAX_BITS_PER_READ, maxGap);
    }

    public ReadPlanner(int maxRegistersPerRead, int maxBitsPerRead, int maxGap) {
        if (maxRegistersPerRead < 1 || maxRegistersPerRead > ModbusTable.MAX_REGISTERS_PER_READ) {
            throw new IllegalArgumentException("maxRegistersPerRead must be 1..125, got " + maxRegistersPerRead);
        }
        if (maxBitsPerRead < 1 || maxBitsPerRead > ModbusTable.MAX_BITS_PER_READ) {
            throw new IllegalArgumentException("maxBitsPerRead must be 1..2000, got " + maxBitsPerRead);
        }
        if (maxGap < 0) {
            throw new IllegalArgumentException("maxGap must be >= 0, got " + maxGap);
        }
        this.maxRegistersPerRead = maxRegistersPerRead;
        this.maxBitsPerRead = maxBitsPerRead;
        this.maxGap = maxGap;
    }

    /** Largest request for {@code table}, in registers or bits, as configured. */
    public int limit(ModbusTable table) {
        return table.isRegisterTable() ? maxRegistersPerRead : maxBitsPerRead;
    }

    /** Largest unrequested gap a request may span in {@code table}, in registers or bits. */
    public int gap(ModbusTable table) {
        return table.isRegisterTable() ? maxGap : 16 * maxGap;
    }

    /**
     * The requests that read every span, in table order (holding, input, coil, discrete) then address
     * order. A span larger than the limit gets a request of its own (configuration validation refuses
     * such channels).
     */
    public List<ReadRequest> plan(List<ChannelSpan> spans) {
        return plan(spans, NOTHING_REFUSED);
    }

    /**
     * As {@link #plan(List)}, but no merged request includes an address in {@code refusals}, and the
     * limits are those the device taught. A channel whose own addresses were refused keeps a request of
     * its own.
     */
    public List<ReadRequest> plan(List<ChannelSpan> spans, Refusals refusals) {
        List<ReadRequest> out = new ArrayList<>();
        for (ModbusTable table : ModbusTable.values()) {
            List<ChannelSpan> sorted = spans.stream().filter(s -> s.table() == table).sorted(BY_ADDRESS).toList();
            int limit = refusals.limit(table, limit(table));
            List<ChannelSpan> current = new ArrayList<>();
            int start = 0;
            int end = 0;
            for (ChannelSpan span : sorted) {
                if (!current.isEmpty()) {
                    long unrequested = (long) span.start() - end - 1;
                    int mergedEnd = Math.max(end, span.end());
                    if (unrequested <= gap(table) && mergedEnd - start + 1 <= limit
                            && !refusals.anyRefused(table, start, mergedEnd)) {
                        current.add(span);
                        end = mergedEnd;
                        continue;
                    }
                    out.add(new ReadRequest(table, start, end - start + 1, current));
                    current = new ArrayList<>();
                }
                current.add(span);
                start = span.start();
                end = span.end();
            }
            if (!current.isEmpty()) {
                out.add(new ReadRequest(table, start, end - start + 1, current));
            }
        }
        return out;
    }

    /**
     * Two smaller requests that together serve the members of {@code request}, each covering only its
     * own members (so a gap between the halves is no longer read); empty when the request cannot be
     * split because all its members need the same addresses.
     *
     * <p>Members are first grouped into clusters of overlapping spans, which are halved by count; a
     * single cluster is halved by member count.
     */
    public static Optional<List<ReadRequest>> split(ReadRequest request) {
        List<ChannelSpan> sorted = request.members().stream().sorted(BY_ADDRESS).toList();
        boolean allSame = sorted.stream().allMatch(s -> s.start() == sorted.get(0).start()
                && s.end() == sorted.get(0).end());
        if (allSame) {
            return Optional.empty();
        }
        List<List<ChannelSpan>> clusters = new ArrayList<>();
        int clusterEnd = -1;
        for (ChannelSpan span : sorted) {
            if (clusters.isEmpty() || span.start() > clusterEnd) {
                clusters.add(new ArrayList<>());
                clusterEnd = span.end();
            } else {
                clusterEnd = Math.max(clusterEnd, span.end());
            }
            clusters.get(clusters.size() - 1).add(span);
        }
        int cut;
        if (clusters.size() > 1) {
            cut = 0;
            for (int c = 0; c < clusters.size() / 2; c++) {
                cut += clusters.get(c).size();
            }
        } else {
            cut = sorted.size() / 2;
        }
        return Optional.of(List.of(ReadRequest.covering(sorted.subList(0, cut)),
                ReadRequest.covering(sorted.subList(cut, sorted.size()))));
    }
}
