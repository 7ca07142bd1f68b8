package io.hazwatch.sync.rollup;

import io.hazwatch.sync.model.PointValue;
import io.hazwatch.sync.model.Reading;
import io.hazwatch.sync.model.Rollup;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Per-minute aggregates of the readings an edge journals, one open minute per point (docs/journal.md,
 * "Rollups"). A point's minute closes when a reading of a later minute of that point arrives, or when
 * the wall clock has passed its end ({@link #closeBefore}); a closed minute with at least one finite
 * numeric value becomes a {@link Rollup}. Not thread-safe: {@link RollupProducer} serialises it.
 *
 * <p>A reading older than its point's open minute, or of a minute already closed, arrives too late to
 * change a rollup that may already be on its way: it is counted in {@link #lateReadings()} and left
 * out, so no point ever has two rollups for one minute.
 */
public final class RollupAggregator {
    private final Map<String, Open> open = new HashMap<>();
    /** Per point, the start of the newest minute closed: a reading at or before it is late. */
    private final Map<String, Long> closedThrough = new HashMap<>();
    private long late;

    /** Whether a value enters rollups: a finite double, a long, or a boolean (as 0 or 1). */
    public static boolean aggregates(PointValue v) {
        if (v instanceof PointValue.DoubleValue d) {
            return Double.isFinite(d.value());
        }
        return v instanceof PointValue.LongValue || v instanceof PointValue.BoolValue;
    }

    /** Takes one reading; returns the rollup of the point's previous minute if this reading closed it. */
    public List<Rollup> add(Reading r) {
        long minute = Rollup.minuteOf(r.timestampMillis());
        Long closed = closedThrough.get(r.point());
        Open o = open.get(r.point());
        if ((closed != null && minute <= closed) || (o != null && minute < o.minute)) {
            late++;
            return List.of();
        }
        List<Rollup> out = List.of();
        if (o != null && minute > o.minute) {
            out = new ArrayList<>(1);
            close(r.point(), o, out);
            o = null;
        }
        if (o == null) {
            o = new Open(minute);
            open.put(r.point(), o);
        }
        o.add(r);
        return out;
    }

    /** Closes every open minute that starts before {@code minuteStart}; returns their rollups. */
    public List<Rollup> closeBefore(long minuteStart) {
        List<Rollup> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, Open>> it = open.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Open> e = it.next();
            if (e.getValue().minute < minuteStart) {
                it.remove();
                closeInto(e.getKey(), e.getValue(), out);
            }
        }
        out.sort((a, b) -> Long.compare(a.minuteStartMillis(), b.minuteStartMillis()));
        return out;
    }

    /** Points with a minute still open. */
    public int openPoints() {
        return open.size();
    }

    /** Readings left out because their minute had already closed. */
    public long lateReadings() {
        return late;
    }

    private void close(String point, Open o, List<Rollup> out) {
        open.remove(point);
        closeInto(point, o, out);
    }

    private void closeInto(String point, Open o, List<Rollup> out) {
        closedThrough.put(point, o.minute);
        if (o.count > 0) {
            out.add(new Rollup(point, o.minute, o.count, o.min, o.max, o.sum / o.count, o.last, o.lastTs,
                    o.worst, o.lastQuality));
        }
    }

    /** The running aggregate of one point's open minute. */
    private static final class Open {
        final long minute;
        long count;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double sum;
        double last;
        long lastTs = Long.MIN_VALUE;
        int lastQuality;
        int worst;

        Open(long minute) {
            this.minute = minute;
        }

        void add(Reading r) {
            worst = Rollup.worse(worst, r.quality());
            if (!aggregates(r.value())) {
                return;
            }
            double v = r.value().asDouble();
            count++;
            min = Math.min(min, v);
            max = Math.max(max, v);
            sum += v;
            if (r.timestampMillis() >= lastTs) {
                last = v;
                lastTs = r.timestampMillis();
                lastQuality = r.quality();
            }
        }
    }
}
