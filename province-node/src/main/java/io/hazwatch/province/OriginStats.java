package io.hazwatch.province;

import io.hazwatch.sync.model.Lane;
import io.hazwatch.sync.ranges.RangeSet;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the province knows of one origin; updated by the store's writer, read by status. */
public final class OriginStats {
    private final Map<Lane, long[]> perLane = new EnumMap<>(Lane.class); // held count, last seq, gaps
    private long lastReceived;
    private long clockSuspect;

    synchronized void clockSuspect(long n) {
        clockSuspect += n;
    }

    synchronized void setHeld(Lane lane, RangeSet held) {
        perLane.put(lane, new long[] {held.cardinality(), held.max(), held.rangeCount() - 1});
    }

    synchronized void received(Lane lane, RangeSet held, long added, long now) {
        setHeld(lane, held);
        lastReceived = now;
    }

    synchronized Snapshot snapshot() {
        Map<String, Long> count = new LinkedHashMap<>();
        Map<String, Long> last = new LinkedHashMap<>();
        long gaps = 0;
        long total = 0;
        for (Map.Entry<Lane, long[]> e : perLane.entrySet()) {
            count.put(e.getKey().name(), e.getValue()[0]);
            last.put(e.getKey().name(), e.getValue()[1]);
            gaps += e.getValue()[2];
            total += e.getValue()[0];
        }
        return new Snapshot(total, count, last, gaps, lastReceived, clockSuspect);
    }

    /**
     * {@code gaps}: holes in the held sequence ranges, i.e. records still on their way (history sent
     * after newer data) or lost upstream. {@code clockSuspectReadings}: readings this store took since
     * it started that the edge flagged because its clock was off (QualityCode.CLOCK_SUSPECT).
     */
    public record Snapshot(long records, Map<String, Long> recordsByLane, Map<String, Long> lastSeqByLane, long gaps,
                    long lastReceivedMillis, long clockSuspectReadings) {
    }
}
