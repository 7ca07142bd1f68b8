package io.hazwatch.sync.wire;

import io.hazwatch.sync.model.AlarmEvent;
import io.hazwatch.sync.model.AlarmLimit;
import io.hazwatch.sync.model.Lane;
import io.hazwatch.sync.model.Payload;
import io.hazwatch.sync.model.PointInfo;
import io.hazwatch.sync.model.PointValue;
import io.hazwatch.sync.model.Reading;
import io.hazwatch.sync.model.Rollup;
import io.hazwatch.sync.model.StreamKey;
import io.hazwatch.sync.model.SyncRecord;
import io.hazwatch.sync.ranges.RangeSet;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Generators of every frame of the protocol (rollup records of version 3 included), for the codec properties. */
final class FrameArbitraries {
    private FrameArbitraries() {
    }

    /** Ids and point names: mostly a small shared pool (so batch string tables are reused), some random. */
    static Arbitrary<String> names() {
        Arbitrary<String> pool = Arbitraries.of("130102-E0042-01", "130102", "T101/LT-01/level", "P7/pump/run",
                "沧州/罐区/液位", "", "G3/GT-07/h₂s");
        Arbitrary<String> bmp = Arbitraries.strings().withCharRange('\u0000', '\uD7FF').ofMaxLength(30);
        Arbitrary<String> ascii = Arbitraries.strings().ascii().ofMaxLength(60);
        Arbitrary<String> astral = Arbitraries.integers().between(0x10000, 0x10FFFF).list().ofMaxSize(8)
                .map(cps -> {
                    StringBuilder sb = new StringBuilder();
                    cps.forEach(sb::appendCodePoint);
                    return sb.toString();
                });
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, pool),
                net.jqwik.api.Tuple.of(2, ascii),
                net.jqwik.api.Tuple.of(1, bmp),
                net.jqwik.api.Tuple.of(1, astral));
    }

    static Arbitrary<Double> doubles() {
        return Arbitraries.oneOf(
                Arbitraries.doubles(),
                Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 0.0,
                        Double.MIN_VALUE, Double.MAX_VALUE, Double.longBitsToDouble(0x7ff0000000000badL)));
    }

    static Arbitrary<PointValue> values() {
        return Arbitraries.oneOf(
                doubles().map(PointValue::of),
                Arbitraries.longs().map(PointValue::of),
                Arbitraries.of(true, false).map(PointValue::of),
                names().map(PointValue::of),
                Arbitraries.just(PointValue.NONE));
    }

    static Arbitrary<Reading> readings() {
        return Combinators.combine(names(), Arbitraries.longs(), values(), Arbitraries.integers().between(0, 255))
                .as(Reading::new);
    }

    static Arbitrary<AlarmEvent> alarms() {
        return Combinators.combine(names(), Arbitraries.longs(), Arbitraries.of(AlarmLimit.class),
                        Arbitraries.integers().between(1, 4), Arbitraries.of(true, false), doubles(), doubles())
                .as(AlarmEvent::new);
    }

    /** Rollups: any minute (negative ones too), any doubles, any qualities; the last reading within the minute. */
    static Arbitrary<Rollup> rollups() {
        Arbitrary<Long> minutes = Arbitraries.oneOf(Arbitraries.longs().between(29_666_000L, 29_667_000L),
                Arbitraries.longs().between(Long.MIN_VALUE / Rollup.MINUTE_MILLIS, Long.MAX_VALUE / Rollup.MINUTE_MILLIS - 1))
                .map(m -> m * Rollup.MINUTE_MILLIS);
        Arbitrary<double[]> values = doubles().array(double[].class).ofSize(4);
        Arbitrary<int[]> qualities = Arbitraries.integers().between(0, 255).array(int[].class).ofSize(2);
        return Combinators.combine(names(), minutes, Arbitraries.longs().between(1, Long.MAX_VALUE), values,
                        Arbitraries.longs().between(0, Rollup.MINUTE_MILLIS - 1), qualities)
                .as((point, minute, count, v, offset, q) -> new Rollup(point, minute, count, v[0], v[1], v[2], v[3],
                        minute + offset, q[0], q[1]));
    }

    /** Catalogue entries: any texts and timestamps, each optional field present or not, any doubles. */
    static Arbitrary<PointInfo> pointInfos() {
        Arbitrary<OptionalDouble> optDoubles = Arbitraries.oneOf(Arbitraries.just(OptionalDouble.empty()),
                doubles().map(OptionalDouble::of));
        Arbitrary<Optional<PointInfo.EngineeringRange>> ranges = Arbitraries.oneOf(Arbitraries.just(Optional.empty()),
                Combinators.combine(doubles().filter(d -> !Double.isNaN(d)), doubles().filter(d -> !Double.isNaN(d)))
                        .as((a, b) -> Optional.of(new PointInfo.EngineeringRange(Math.min(a, b), Math.max(a, b)))));
        Arbitrary<Map<AlarmLimit, Double>> limits = optDoubles.array(OptionalDouble[].class).ofSize(4).map(v -> {
            Map<AlarmLimit, Double> m = new EnumMap<>(AlarmLimit.class);
            AlarmLimit[] order = {AlarmLimit.HH, AlarmLimit.H, AlarmLimit.L, AlarmLimit.LL};
            for (int i = 0; i < 4; i++) {
                if (v[i].isPresent()) {
                    m.put(order[i], v[i].getAsDouble());
                }
            }
            return m;
        });
        Arbitrary<Optional<String>> descriptions = Arbitraries.oneOf(Arbitraries.just(Optional.empty()),
                names().map(Optional::of));
        return Combinators.combine(names(), Arbitraries.longs(), names(), names(), descriptions, optDoubles, optDoubles,
                        ranges)
                .flatAs((point, ts, unit, type, description, scale, offset, range) -> limits.map(l ->
                        new PointInfo(point, ts, unit, type, description, scale, offset, range, l)));
    }

    static Arbitrary<Payload> payloads() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, readings().map(r -> (Payload) r)),
                net.jqwik.api.Tuple.of(1, alarms().map(a -> (Payload) a)),
                net.jqwik.api.Tuple.of(1, rollups().map(a -> (Payload) a)),
                net.jqwik.api.Tuple.of(1, pointInfos().map(a -> (Payload) a)));
    }

    static Arbitrary<Long> seqs() {
        return Arbitraries.oneOf(Arbitraries.longs().between(0, 1_000), Arbitraries.longs().between(0, Long.MAX_VALUE));
    }

    static Arbitrary<SyncRecord> records() {
        return Combinators.combine(names(), Arbitraries.of(Lane.class), seqs(), payloads()).as(SyncRecord::new);
    }

    static Arbitrary<RangeSet> rangeSets() {
        return Combinators.combine(seqs(), Arbitraries.longs().between(0, 50)).as((lo, len) -> new long[] {lo, len})
                .list().ofMaxSize(6)
                .map(pairs -> {
                    RangeSet s = new RangeSet();
                    for (long[] p : pairs) {
                        s.add(p[0], p[0] > Long.MAX_VALUE - p[1] ? Long.MAX_VALUE : p[0] + p[1]);
                    }
                    return s;
                });
    }

    static Arbitrary<Map<StreamKey, RangeSet>> streams() {
        return Arbitraries.maps(
                Combinators.combine(names(), Arbitraries.of(Lane.class)).as(StreamKey::new),
                rangeSets()).ofMaxSize(6);
    }

    static Arbitrary<Frame.Hello> hellos() {
        return Combinators.combine(u16(), u16(), names(), Arbitraries.longs()).as(Frame.Hello::new);
    }

    static Arbitrary<Frame.Welcome> welcomes() {
        return Combinators.combine(u16(), names(), Arbitraries.longs(), streams()).as(Frame.Welcome::new);
    }

    static Arbitrary<Frame.Batch> batches() {
        return Combinators.combine(Arbitraries.longs(), records().list().ofMaxSize(40)).as(Frame.Batch::new);
    }

    /** Batches as a real sender makes them: one origin, a few points, sequences counting up. */
    static Arbitrary<Frame.Batch> realisticBatches() {
        return Combinators.combine(Arbitraries.longs().between(0, 1 << 20), names(), Arbitraries.of(Lane.class),
                        Arbitraries.longs().between(0, 1L << 40), payloads().list().ofMaxSize(60))
                .as((id, origin, lane, seq0, payloads) -> {
                    List<SyncRecord> records = new java.util.ArrayList<>();
                    for (int i = 0; i < payloads.size(); i++) {
                        records.add(new SyncRecord(origin, lane, seq0 + i, payloads.get(i)));
                    }
                    return new Frame.Batch(id, records);
                });
    }

    static Arbitrary<Frame.Ack> acks() {
        return Combinators.combine(Arbitraries.longs(), streams()).as(Frame.Ack::new);
    }

    /** Credit within the bounds a parent may advertise (version 3). */
    static Arbitrary<Frame.Credit> credits() {
        return Combinators.combine(Arbitraries.longs().between(0, Frame.Credit.MAX_RECORDS),
                Arbitraries.integers().between(0, Frame.Credit.MAX_BATCHES)).as(Frame.Credit::new);
    }

    /** Acknowledgements as a version-3 parent writes them, credit included. */
    static Arbitrary<Frame.Ack> creditedAcks() {
        return Combinators.combine(Arbitraries.longs(), streams(), credits()).as(Frame.Ack::new);
    }

    /** Welcomes of version 3 and up, each with its credit. */
    static Arbitrary<Frame.Welcome> creditedWelcomes() {
        return Combinators.combine(Arbitraries.integers().between(Frame.Credit.SINCE_VERSION, 0xFFFF), names(),
                Arbitraries.longs(), streams(), credits()).as(Frame.Welcome::new);
    }

    /** Every frame a version-3 connection carries. */
    static Arbitrary<Frame> framesV3() {
        return Arbitraries.oneOf(hellos(), welcomes(), creditedWelcomes(), batches(), realisticBatches(),
                creditedAcks(), errors(), pings(), pongs(), credits());
    }

    static Arbitrary<Frame.Error> errors() {
        return Combinators.combine(Arbitraries.of(ErrorCode.class), names()).as(Frame.Error::new);
    }

    static Arbitrary<Frame.Ping> pings() {
        return Combinators.combine(Arbitraries.longs(), Arbitraries.longs(), Arbitraries.longs()).as(Frame.Ping::new);
    }

    static Arbitrary<Frame.Pong> pongs() {
        return Combinators.combine(Arbitraries.longs(), Arbitraries.longs()).as(Frame.Pong::new);
    }

    static Arbitrary<Frame> frames() {
        return Arbitraries.oneOf(hellos(), welcomes(), batches(), realisticBatches(), acks(), errors(), pings(),
                pongs());
    }

    private static Arbitrary<Integer> u16() {
        return Arbitraries.integers().between(0, 0xFFFF);
    }
}
