package io.hazwatch.edge.alarm;

import io.hazwatch.edge.config.AlarmSpec;
import io.hazwatch.sync.model.AlarmEvent;
import io.hazwatch.sync.model.AlarmLimit;
import io.hazwatch.sync.model.PointValue;
import io.hazwatch.sync.model.Reading;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * The alarm state of one point, advanced one reading at a time. Pure: no clock, no I/O; every event
 * carries the reading's own timestamp.
 *
 * <p>Rules, per configured limit:
 * <ul>
 *   <li>A high limit (HH, H) is raised when the value is at or above it and cleared only when the value
 *       falls below {@code limit - deadband}; a low limit (L, LL) is raised at or below it and cleared
 *       above {@code limit + deadband}. Each limit is tracked on its own, so crossing HH while H is
 *       raised raises HH and leaves H raised (escalation), and falling back below HH clears only HH.</li>
 *   <li>Within one reading, clears come first (most severe first), then raises (least severe first),
 *       so a jump from normal to above HH yields H then HH, and the way back yields HH then H.</li>
 *   <li>A reading is evaluable when its quality is not bad (code below 16: good or uncertain) and its
 *       value is a finite number or a boolean (true is 1). A reading that is not evaluable raises and
 *       clears no limit alarm: raised alarms stay raised (DOMAIN 5.2, "not evaluable").</li>
 *   <li>With {@code faultAfter = N > 0}, the N-th consecutive bad-quality reading raises FAULT (value
 *       NaN, threshold N); the next evaluable reading clears it.</li>
 * </ul>
 *
 * <p>Not thread-safe: one thread feeds a point's readings, in time order.
 */
public final class AlarmEvaluator {
    private static final int FIRST_BAD_QUALITY = 16;
    private static final List<AlarmLimit> CLEAR_ORDER = List.of(AlarmLimit.HH, AlarmLimit.H, AlarmLimit.LL,
            AlarmLimit.L);
    private static final List<AlarmLimit> RAISE_ORDER = List.of(AlarmLimit.H, AlarmLimit.HH, AlarmLimit.L,
            AlarmLimit.LL);

    private final String point;
    private final AlarmSpec spec;
    private final Map<AlarmLimit, AlarmEvent> active = new EnumMap<>(AlarmLimit.class);
    private int consecutiveBad;

    public AlarmEvaluator(String point, AlarmSpec spec) {
        this.point = Objects.requireNonNull(point, "point");
        this.spec = Objects.requireNonNull(spec, "spec");
    }

    public String point() {
        return point;
    }

    /**
     * Advances the state by one reading of this point.
     *
     * @return the alarms raised and cleared by it, in the order described above; usually empty
     */
    public List<AlarmEvent> evaluate(Reading reading) {
        if (!reading.point().equals(point)) {
            throw new IllegalArgumentException("reading of " + reading.point() + " fed to the evaluator of " + point);
        }
        return evaluate(reading.timestampMillis(), reading.value(), reading.quality());
    }

    /** As {@link #evaluate(Reading)}, from the reading's parts. */
    public List<AlarmEvent> evaluate(long timestampMillis, PointValue value, int quality) {
        List<AlarmEvent> events = new ArrayList<>(2);
        if (quality >= FIRST_BAD_QUALITY) {
            consecutiveBad++;
            if (spec.faultAfter() > 0 && consecutiveBad >= spec.faultAfter() && !active.containsKey(AlarmLimit.FAULT)) {
                raise(events, AlarmLimit.FAULT, timestampMillis, Double.NaN, spec.faultAfter());
            }
            return events;
        }
        double v = value.asDouble();
        boolean numeric = value instanceof PointValue.DoubleValue || value instanceof PointValue.LongValue
                || value instanceof PointValue.BoolValue;
        if (!numeric || !Double.isFinite(v)) {
            return events;
        }
        consecutiveBad = 0;
        if (active.containsKey(AlarmLimit.FAULT)) {
            clear(events, AlarmLimit.FAULT, timestampMillis, v, spec.faultAfter());
        }
        for (AlarmLimit limit : CLEAR_ORDER) {
            OptionalDouble threshold = spec.limit(limit);
            if (threshold.isPresent() && active.containsKey(limit) && returned(limit, v, threshold.getAsDouble())) {
                clear(events, limit, timestampMillis, v, threshold.getAsDouble());
            }
        }
        for (AlarmLimit limit : RAISE_ORDER) {
            OptionalDouble threshold = spec.limit(limit);
            if (threshold.isPresent() && !active.containsKey(limit) && crossed(limit, v, threshold.getAsDouble())) {
                raise(events, limit, timestampMillis, v, threshold.getAsDouble());
            }
        }
        return events;
    }

    private static boolean crossed(AlarmLimit limit, double v, double threshold) {
        return limit.isHigh() ? v >= threshold : v <= threshold;
    }

    private boolean returned(AlarmLimit limit, double v, double threshold) {
        return limit.isHigh() ? v < threshold - spec.deadband() : v > threshold + spec.deadband();
    }

    private void raise(List<AlarmEvent> events, AlarmLimit limit, long ts, double v, double threshold) {
        AlarmEvent e = new AlarmEvent(point, ts, limit, spec.level(limit), true, v, threshold);
        active.put(limit, e);
        events.add(e);
    }

    private void clear(List<AlarmEvent> events, AlarmLimit limit, long ts, double v, double threshold) {
        active.remove(limit);
        events.add(new AlarmEvent(point, ts, limit, spec.level(limit), false, v, threshold));
    }

    /** The limits raised now. */
    public Set<AlarmLimit> active() {
        return active.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(active.keySet()));
    }

    /** The raise event of each limit raised now. */
    public Map<AlarmLimit, AlarmEvent> activeEvents() {
        return Map.copyOf(active);
    }

    /** Consecutive bad-quality readings up to now. */
    public int consecutiveBad() {
        return consecutiveBad;
    }
}
