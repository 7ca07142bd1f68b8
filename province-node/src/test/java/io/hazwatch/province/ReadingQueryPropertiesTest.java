package io.hazwatch.province;

import static org.assertj.core.api.Assertions.assertThat;

import io.hazwatch.sync.model.Lane;
import io.hazwatch.sync.model.PointValue;
import io.hazwatch.sync.model.Reading;
import io.hazwatch.sync.model.SyncRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The range query against a plain model: whatever readings arrive in whatever batches, the store's
 * answer for (point, from, to, limit) is the model's readings of that point in [from, to], sorted by
 * (ts, origin, seq, lane), the first {@code limit} of them. Times jump by hours now and then, so blocks
 * are split by span as well as by commit group.
 */
class ReadingQueryPropertiesTest {
    static final long T0 = 1_780_000_000_000L;
    static final long RECEIVED = T0 + 86_400_000L;
    static final List<String> ORIGINS = List.of("130102-E0001-01", "130102-E0002-01");
    static final List<String> POINTS = List.of("a/tank1.level", "a/tank2.level");

    record In(int origin, int point, long dt) { }

    record Query(int point, int fromIndex, long fromShift, int toIndex, long toShift, int limit) { }

    @Property(tries = 100)
    void theRangeQueryIsTheModelsFilterSortAndLimit(@ForAll("readings") @Size(min = 1, max = 400) List<In> in,
                                                    @ForAll @IntRange(min = 1, max = 9) int batches,
                                                    @ForAll("queries") @Size(min = 1, max = 20) List<Query> queries)
            throws Exception {
        Path dir = Files.createTempDirectory("province-query-property");
        List<StoredReading> model = new ArrayList<>();
        List<SyncRecord> records = new ArrayList<>();
        long[] nextSeq = new long[ORIGINS.size()];
        long ts = T0;
        for (In r : in) {
            ts += r.dt();
            String origin = ORIGINS.get(r.origin());
            long seq = nextSeq[r.origin()]++;
            PointValue v = PointValue.of(seq * 31 + r.point());
            records.add(new SyncRecord(origin, Lane.CURRENT, seq, new Reading(POINTS.get(r.point()), ts, v, 0)));
            model.add(new StoredReading(origin, Lane.CURRENT, seq, POINTS.get(r.point()), ts, v, 0, RECEIVED));
        }
        try (ProvinceStore store = ProvinceStore.open(dir, Clock.fixed(Instant.ofEpochMilli(RECEIVED), ZoneOffset.UTC),
                false)) {
            int per = (records.size() + batches - 1) / batches;
            for (int i = 0; i < records.size(); i += per) {
                store.accept(records.subList(i, Math.min(records.size(), i + per))).toCompletableFuture()
                        .get(30, TimeUnit.SECONDS);
            }
            List<Long> times = model.stream().map(StoredReading::ts).sorted().toList();
            for (Query q : queries) {
                long from = times.get(q.fromIndex() % times.size()) + q.fromShift();
                long to = times.get(q.toIndex() % times.size()) + q.toShift();
                String point = POINTS.get(q.point());
                List<StoredReading> expected = model.stream()
                        .filter(r -> r.point().equals(point) && r.ts() >= from && r.ts() <= to)
                        .sorted(StoredReading.BY_TIME).limit(q.limit()).toList();
                assertThat(store.readings(point, from, to, q.limit())).as("%s from %d to %d limit %d", point, from, to,
                        q.limit()).isEqualTo(expected);
            }
        } finally {
            deleteTree(dir);
        }
    }

    @Provide
    Arbitrary<List<In>> readings() {
        Arbitrary<Long> dt = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(20, Arbitraries.longs().between(0, 2_000)),
                net.jqwik.api.Tuple.of(2, Arbitraries.longs().between(-5_000, 0)),
                net.jqwik.api.Tuple.of(1, Arbitraries.longs().between(3_000_000, 9_000_000)));
        return Combinators.combine(Arbitraries.integers().between(0, ORIGINS.size() - 1),
                Arbitraries.integers().between(0, POINTS.size() - 1), dt).as(In::new).list();
    }

    @Provide
    Arbitrary<List<Query>> queries() {
        Arbitrary<Long> shift = Arbitraries.of(-1L, 0L, 1L, -4_000_000L, 4_000_000L);
        return Combinators.combine(Arbitraries.integers().between(0, POINTS.size() - 1),
                Arbitraries.integers().between(0, 1000), shift, Arbitraries.integers().between(0, 1000), shift,
                Arbitraries.integers().between(1, 50)).as(Query::new).list();
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
