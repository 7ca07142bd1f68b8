package io.hazwatch.sync.rollup;

import static org.assertj.core.api.Assertions.assertThat;

import io.hazwatch.sync.model.PointValue;
import io.hazwatch.sync.model.QualityCode;
import io.hazwatch.sync.model.Reading;
import io.hazwatch.sync.model.Rollup;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The rollups an edge makes are exactly what a naive computation over the same readings gives: one
 * per point and minute with a numeric value, count, min, max, mean, last, worst and last quality.
 */
class RollupAggregatorTest {
    private static final long T0 = 1_780_000_000_000L;

    /** One step of the generated stream: which point, how far time moves on, what was read. */
    record Step(int point, long advanceMillis, PointValue value, int quality) {
    }

    @Provide
    Arbitrary<List<Step>> streams() {
        Arbitrary<PointValue> values = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.integers().between(-500, 500).map(i -> PointValue.of(i / 4.0))),
                net.jqwik.api.Tuple.of(2, Arbitraries.doubles().map(PointValue::of)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY, -0.0).map(PointValue::of)),
                net.jqwik.api.Tuple.of(2, Arbitraries.longs().between(-1_000_000, 1_000_000).map(PointValue::of)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(true, false).map(PointValue::of)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("AUTO", "MAN").map(PointValue::of)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(PointValue.NONE)));
        Arbitrary<Integer> qualities = Arbitraries.of(QualityCode.GOOD, QualityCode.GOOD, QualityCode.UNCERTAIN,
                QualityCode.BAD_COMM_FAIL, QualityCode.BAD_OUT_OF_RANGE, QualityCode.GOOD | QualityCode.CLOCK_SUSPECT);
        return Combinators.combine(Arbitraries.integers().between(0, 4),
                        Arbitraries.longs().between(0, 45_000), values, qualities)
                .as(Step::new).list().ofMaxSize(300);
    }

    @Property(tries = 500)
    void rollupsEqualANaiveComputationOverTheSameReadings(@ForAll("streams") List<Step> steps) {
        List<Reading> readings = new ArrayList<>();
        long t = T0;
        for (Step s : steps) {
            t += s.advanceMillis();
            readings.add(new Reading("site/dev/p" + s.point(), t, s.value(), s.quality()));
        }
        RollupAggregator agg = new RollupAggregator();
        List<Rollup> made = new ArrayList<>();
        for (Reading r : readings) {
            made.addAll(agg.add(r));
        }
        made.addAll(agg.closeBefore(Long.MAX_VALUE));

        assertThat(made).containsExactlyInAnyOrderElementsOf(naive(readings));
        assertThat(agg.lateReadings()).isZero();
        assertThat(agg.openPoints()).isZero();
    }

    @Property(tries = 200)
    void aPointNeverGetsTwoRollupsForOneMinuteWhateverOrderItsReadingsCome(
            @ForAll("streams") List<Step> steps, @ForAll long seed) {
        List<Reading> readings = new ArrayList<>();
        java.util.Random rnd = new java.util.Random(seed);
        long t = T0;
        for (Step s : steps) {
            t += s.advanceMillis();
            // some readings come with a clock stepped back by up to three minutes
            long ts = rnd.nextInt(8) == 0 ? t - rnd.nextInt(180_000) : t;
            readings.add(new Reading("site/dev/p" + s.point(), ts, s.value(), s.quality()));
        }
        RollupAggregator agg = new RollupAggregator();
        List<Rollup> made = new ArrayList<>();
        readings.forEach(r -> made.addAll(agg.add(r)));
        made.addAll(agg.closeBefore(Long.MAX_VALUE));
        Set<String> keys = new HashSet<>();
        long counted = 0;
        for (Rollup r : made) {
            assertThat(keys.add(r.point() + "@" + r.minuteStartMillis())).as("one rollup per point and minute").isTrue();
            assertThat(r.min()).isLessThanOrEqualTo(r.max());
            counted += r.count();
        }
        long numeric = readings.stream().filter(r -> RollupAggregator.aggregates(r.value())).count();
        assertThat(counted).as("numeric readings in rollups").isLessThanOrEqualTo(numeric);
        // every reading is either in a rollup, a late one, or carries no number
        assertThat(counted + agg.lateReadings()).isGreaterThanOrEqualTo(numeric);
    }

    @Test
    void theWallClockClosesTheMinuteOfAPointThatWentSilent() {
        RollupAggregator agg = new RollupAggregator();
        long m = Rollup.minuteOf(T0);
        agg.add(new Reading("a", m + 1_000, PointValue.of(2.0), 0));
        agg.add(new Reading("a", m + 2_000, PointValue.of(4.0), 1));
        assertThat(agg.closeBefore(m)).isEmpty();
        List<Rollup> closed = agg.closeBefore(m + 60_000);
        assertThat(closed).containsExactly(new Rollup("a", m, 2, 2.0, 4.0, 3.0, 4.0, m + 2_000, 1, 1));
        // a straggler of the closed minute is left out rather than make a second rollup of it
        assertThat(agg.add(new Reading("a", m + 3_000, PointValue.of(9.0), 0))).isEmpty();
        assertThat(agg.lateReadings()).isEqualTo(1);
        assertThat(agg.closeBefore(Long.MAX_VALUE)).isEmpty();
    }

    @Test
    void aMinuteOfOnlyTextOrValuelessReadingsHasNoRollup() {
        RollupAggregator agg = new RollupAggregator();
        agg.add(new Reading("mode", T0, PointValue.of("AUTO"), 0));
        agg.add(new Reading("mode", T0 + 1, PointValue.NONE, QualityCode.BAD_COMM_FAIL));
        assertThat(agg.closeBefore(Long.MAX_VALUE)).isEmpty();
    }

    /** One rollup per (point, minute) with a numeric value, straight from the definition. */
    private static List<Rollup> naive(List<Reading> readings) {
        Map<String, List<Reading>> byKey = new LinkedHashMap<>();
        for (Reading r : readings) {
            byKey.computeIfAbsent(r.point() + "|" + Rollup.minuteOf(r.timestampMillis()), k -> new ArrayList<>()).add(r);
        }
        List<Rollup> out = new ArrayList<>();
        for (List<Reading> rs : byKey.values()) {
            int worstCode = 0;
            boolean suspect = false;
            for (Reading r : rs) {
                worstCode = Math.max(worstCode, r.quality() & ~QualityCode.CLOCK_SUSPECT);
                suspect |= QualityCode.clockSuspect(r.quality());
            }
            List<Reading> numeric = rs.stream().filter(r -> {
                PointValue v = r.value();
                return v instanceof PointValue.LongValue || v instanceof PointValue.BoolValue
                        || (v instanceof PointValue.DoubleValue d && Double.isFinite(d.value()));
            }).toList();
            if (numeric.isEmpty()) {
                continue;
            }
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            double sum = 0;
            for (Reading r : numeric) {
                double v = r.value().asDouble();
                min = Math.min(min, v);
                max = Math.max(max, v);
                sum += v;
            }
            Reading last = numeric.get(numeric.size() - 1);
            out.add(new Rollup(last.point(), Rollup.minuteOf(last.timestampMillis()), numeric.size(), min, max,
                    sum / numeric.size(), last.value().asDouble(), last.timestampMillis(),
                    worstCode | (suspect ? QualityCode.CLOCK_SUSPECT : 0), last.quality()));
        }
        return out;
    }
}
