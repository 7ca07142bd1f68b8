package io.hazwatch.province;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hazwatch.sync.model.AlarmEvent;
import io.hazwatch.sync.model.AlarmLimit;
import io.hazwatch.sync.model.Lane;
import io.hazwatch.sync.model.PointValue;
import io.hazwatch.sync.model.Reading;
import io.hazwatch.sync.model.StreamKey;
import io.hazwatch.sync.model.SyncRecord;
import io.hazwatch.sync.ranges.RangeSet;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The province's readings stored as blocks, on real H2 files: what goes in comes out exactly (through
 * the range query, the scan and the SQL view), range queries are exact across block boundaries and at
 * the edges of the time range, and a reopened store keeps its readings and range sets.
 */
class ReadingBlockStoreTest {
    static final String EDGE = "130102-E0001-01";
    static final String OTHER = "130102-E0002-01";
    static final String LEVEL = EDGE + "/tank-farm/tank1.level";
    static final String PUMP = EDGE + "/tank-farm/pump1.running";
    static final long T0 = 1_780_000_000_000L;
    static final long RECEIVED = T0 + 3_600_000;

    @TempDir
    Path dir;

    private final Clock clock = Clock.fixed(Instant.ofEpochMilli(RECEIVED), ZoneOffset.UTC);
    private ProvinceStore store;

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    private ProvinceStore open() {
        store = ProvinceStore.open(dir.resolve("store"), clock, true);
        return store;
    }

    private static Map<StreamKey, RangeSet> accept(ProvinceStore s, List<SyncRecord> records) throws Exception {
        return s.accept(records).toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static SyncRecord reading(String origin, long seq, String point, long ts, PointValue v, int quality) {
        return new SyncRecord(origin, Lane.CURRENT, seq, new Reading(point, ts, v, quality));
    }

    /** LEVEL at T0 + 10 s * i for i in [from, to), sequence i, value i / 4, one batch. */
    private static List<SyncRecord> levels(int from, int to) {
        List<SyncRecord> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(reading(EDGE, i, LEVEL, T0 + i * 10_000L, PointValue.of(i / 4.0), 0));
        }
        return out;
    }

    private static List<Long> seqs(List<StoredReading> rs) {
        return rs.stream().map(StoredReading::seq).toList();
    }

    private static List<Long> range(long from, long toInclusive) {
        List<Long> out = new ArrayList<>();
        for (long i = from; i <= toInclusive; i++) {
            out.add(i);
        }
        return out;
    }

    @Test
    void aRangeQueryIsExactAcrossBlockBoundariesAndAtBothEdgesOfTheTimeRange() throws Exception {
        ProvinceStore s = open();
        // three batches, three commit groups: blocks [0, 30), [30, 60), [60, 90)
        accept(s, levels(0, 30));
        accept(s, levels(30, 60));
        accept(s, levels(60, 90));

        assertThat(seqs(s.readings(LEVEL, T0 + 290_000, T0 + 310_000, 100))).containsExactly(29L, 30L, 31L);
        assertThat(seqs(s.readings(LEVEL, T0 + 290_001, T0 + 309_999, 100))).containsExactly(30L);
        assertThat(seqs(s.readings(LEVEL, T0 + 250_000, T0 + 650_000, 100))).isEqualTo(range(25, 65));
        assertThat(seqs(s.readings(LEVEL, T0 + 290_000, T0 + 890_000, 5))).containsExactly(29L, 30L, 31L, 32L, 33L);
        assertThat(seqs(s.readings(LEVEL, Long.MIN_VALUE, Long.MAX_VALUE, 1000))).isEqualTo(range(0, 89));
        assertThat(s.readings(LEVEL, T0 + 890_001, Long.MAX_VALUE, 10)).isEmpty();
        assertThat(s.readings(LEVEL, Long.MIN_VALUE, T0 - 1, 10)).isEmpty();
        assertThat(s.readings(PUMP, Long.MIN_VALUE, Long.MAX_VALUE, 10)).isEmpty();
        StoredReading r = s.readings(LEVEL, T0 + 440_000, T0 + 440_000, 1).get(0);
        assertThat(r).isEqualTo(new StoredReading(EDGE, Lane.CURRENT, 44, LEVEL, T0 + 440_000, PointValue.of(11.0), 0,
                RECEIVED));
        try (Connection c = s.openReader(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*), SUM(n) FROM reading_block")) {
            rs.next();
            assertThat(rs.getLong(1)).as("blocks").isEqualTo(3);
            assertThat(rs.getLong(2)).as("readings in blocks").isEqualTo(90);
        }
    }

    @Test
    void readingsArrivingOutOfOrderAndFromSeveralOriginsComeBackInTimeOrder() throws Exception {
        ProvinceStore s = open();
        List<SyncRecord> batch = new ArrayList<>();
        for (int i = 9; i >= 0; i--) {
            batch.add(reading(EDGE, 10 - i, LEVEL, T0 + i * 1000L, PointValue.of((double) i), 0));
            batch.add(reading(OTHER, 10 - i, LEVEL, T0 + i * 1000L, PointValue.of(-i), 1));
        }
        accept(s, batch);
        List<StoredReading> got = s.readings(LEVEL, T0 + 2000, T0 + 4000, 100);
        assertThat(got).extracting(StoredReading::ts).containsExactly(T0 + 2000, T0 + 2000, T0 + 3000, T0 + 3000,
                T0 + 4000, T0 + 4000);
        assertThat(got).extracting(StoredReading::origin).containsExactly(EDGE, OTHER, EDGE, OTHER, EDGE, OTHER);
        assertThat(got.get(1).value()).isEqualTo(PointValue.of(-2L));
        assertThat(got.get(1).quality()).isEqualTo(1);
    }

    @Test
    void readingsHoursApartInOneBatchGoToSeparateBlocksAndAreAllFound() throws Exception {
        ProvinceStore s = open();
        List<SyncRecord> batch = new ArrayList<>();
        long[] times = {T0, T0 + 10 * ReadingBlocks.MAX_SPAN_MILLIS, T0 + 1, Long.MIN_VALUE + 5, Long.MAX_VALUE - 5};
        for (int i = 0; i < times.length; i++) {
            batch.add(reading(EDGE, i, LEVEL, times[i], PointValue.of((long) i), 0));
        }
        accept(s, batch);
        assertThat(seqs(s.readings(LEVEL, Long.MIN_VALUE, Long.MAX_VALUE, 10))).containsExactly(3L, 0L, 2L, 1L, 4L);
        assertThat(seqs(s.readings(LEVEL, T0 + 10 * ReadingBlocks.MAX_SPAN_MILLIS, Long.MAX_VALUE, 10)))
                .containsExactly(1L, 4L);
        assertThat(seqs(s.readings(LEVEL, Long.MAX_VALUE - 5, Long.MAX_VALUE, 10))).containsExactly(4L);
        try (Connection c = s.openReader(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT MAX(ts_last - ts_first) FROM reading_block"
                     + " WHERE ts_first > 0 AND ts_last < " + (Long.MAX_VALUE / 2))) {
            rs.next();
            assertThat(rs.getLong(1)).isLessThanOrEqualTo(ReadingBlocks.MAX_SPAN_MILLIS);
        }
    }

    @Test
    void aLimitedQueryNearTheSmallestTimeDoesNotStopEarly() throws Exception {
        ProvinceStore s = open();
        long min = Long.MIN_VALUE;
        // OTHER's block ends first (ts_last min + 10), EDGE's block holds the earliest reading (min + 5)
        accept(s, List.of(reading(OTHER, 0, LEVEL, min + 10, PointValue.of(1L), 0),
                reading(EDGE, 0, LEVEL, min + 5, PointValue.of(2L), 0),
                reading(EDGE, 1, LEVEL, min + 20, PointValue.of(3L), 0)));
        assertThat(s.readings(LEVEL, min, Long.MAX_VALUE, 1)).extracting(StoredReading::ts).containsExactly(min + 5);
        assertThat(s.readings(LEVEL, min, Long.MAX_VALUE, 2)).extracting(StoredReading::ts)
                .containsExactly(min + 5, min + 10);
    }

    @Test
    void theSqlViewShowsEveryReadingWithTheOldColumnsAndTakesParameters() throws Exception {
        ProvinceStore s = open();
        accept(s, List.of(
                reading(EDGE, 0, PUMP, T0, PointValue.of(true), 0),
                reading(EDGE, 1, PUMP, T0 + 1, PointValue.NONE, 17),
                reading(EDGE, 2, PUMP, T0 + 2, PointValue.of(Long.MIN_VALUE), 1),
                reading(EDGE, 3, PUMP, T0 + 3, PointValue.of("überlauf 水位"), 0),
                reading(EDGE, 4, LEVEL, T0 + 4, PointValue.of(Double.NaN), 0x80),
                reading(EDGE, 5, LEVEL, T0 + 5, PointValue.of(-0.0), 0),
                new SyncRecord(EDGE, Lane.ALARM, 0, new AlarmEvent(LEVEL, T0, AlarmLimit.H, 2, true, 17.5, 17.0))));
        try (Connection c = s.openReader();
             PreparedStatement ps = c.prepareStatement("SELECT origin, lane, seq, point, ts, vtype, v_double, v_long,"
                     + " v_text, quality, received FROM reading WHERE seq >= ? AND origin = ? ORDER BY seq")) {
            ps.setLong(1, 1);
            ps.setString(2, EDGE);
            try (ResultSet rs = ps.executeQuery()) {
                List<String> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(rs.getString(1) + "|" + rs.getInt(2) + "|" + rs.getLong(3) + "|" + rs.getString(4) + "|"
                            + rs.getLong(5) + "|" + rs.getInt(6) + "|" + rs.getObject(7) + "|" + rs.getObject(8) + "|"
                            + rs.getString(9) + "|" + rs.getInt(10) + "|" + rs.getLong(11));
                }
                int cur = Lane.CURRENT.code();
                assertThat(rows).containsExactly(
                        EDGE + "|" + cur + "|1|" + PUMP + "|" + (T0 + 1) + "|0|null|null|null|17|" + RECEIVED,
                        EDGE + "|" + cur + "|2|" + PUMP + "|" + (T0 + 2) + "|2|null|" + Long.MIN_VALUE + "|null|1|"
                                + RECEIVED,
                        EDGE + "|" + cur + "|3|" + PUMP + "|" + (T0 + 3) + "|4|null|null|überlauf 水位|0|" + RECEIVED,
                        EDGE + "|" + cur + "|4|" + LEVEL + "|" + (T0 + 4) + "|1|NaN|null|null|128|" + RECEIVED,
                        // H2's DOUBLE has no negative zero: SQL shows 0.0, the block (and the API) keep -0.0
                        EDGE + "|" + cur + "|5|" + LEVEL + "|" + (T0 + 5) + "|1|0.0|null|null|0|" + RECEIVED);
            }
            ps.setLong(1, 4);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(3)).as("the same statement again, other parameters").isEqualTo(4);
            }
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT (SELECT COUNT(*) FROM reading) + (SELECT COUNT(*) FROM alarm),"
                         + " (SELECT v_long FROM reading WHERE vtype = 3)")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(7);
                assertThat(rs.getLong(2)).as("true as v_long").isEqualTo(1);
            }
            try (PreparedStatement of = c.prepareStatement("SELECT seq, v_double FROM READINGS_OF(?, ?, ?)")) {
                of.setString(1, LEVEL);
                of.setLong(2, T0 + 5);
                of.setNull(3, java.sql.Types.BIGINT);
                try (ResultSet rs = of.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getLong(1)).isEqualTo(5);
                    assertThat(rs.getDouble(2)).isEqualTo(0.0);
                    assertThat(rs.next()).isFalse();
                }
            }
        }
        PointValue negativeZero = s.readings(LEVEL, T0 + 5, T0 + 5, 1).get(0).value();
        assertThat(Double.doubleToRawLongBits(((PointValue.DoubleValue) negativeZero).value()))
                .isEqualTo(Double.doubleToRawLongBits(-0.0));
    }

    @Test
    void aReopenedStoreKeepsItsReadingsAndRangeSetsAndStillDropsWhatItHolds() throws Exception {
        ProvinceStore s = open();
        accept(s, levels(0, 40));
        accept(s, levels(50, 60));
        List<StoredReading> before = new ArrayList<>();
        s.forEachReading(before::add);
        s.close();

        ProvinceStore again = open();
        RangeSet held = again.held(o -> true).toCompletableFuture().get(30, TimeUnit.SECONDS)
                .get(new StreamKey(EDGE, Lane.CURRENT));
        assertThat(held.toFlatArray()).containsExactly(0, 39, 50, 59);
        List<StoredReading> after = new ArrayList<>();
        again.forEachReading(after::add);
        assertThat(after).containsExactlyInAnyOrderElementsOf(before).hasSize(50);

        Map<StreamKey, RangeSet> ack = accept(again, levels(30, 55)); // 30..39 and 50..54 held already
        assertThat(ack.get(new StreamKey(EDGE, Lane.CURRENT)).toFlatArray()).containsExactly(0, 59);
        assertThat(again.duplicatesDropped()).isEqualTo(15);
        assertThat(seqs(again.readings(LEVEL, Long.MIN_VALUE, Long.MAX_VALUE, 1000))).isEqualTo(range(0, 59));
        accept(again, levels(0, 60));
        assertThat(again.duplicatesDropped()).isEqualTo(75);
        assertThat(seqs(again.readings(LEVEL, Long.MIN_VALUE, Long.MAX_VALUE, 1000))).isEqualTo(range(0, 59));
    }

    @Test
    void duplicatesInsideOneBatchAndAcrossBatchesAreDroppedBeforeTheyReachABlock() throws Exception {
        ProvinceStore s = open();
        List<SyncRecord> twice = new ArrayList<>(levels(0, 10));
        twice.addAll(levels(5, 10));
        accept(s, twice);
        accept(s, levels(0, 12));
        assertThat(s.duplicatesDropped()).isEqualTo(15);
        assertThat(s.storedRecords()).isEqualTo(12);
        try (Connection c = s.openReader(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*), COUNT(DISTINCT seq) FROM reading")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(12);
            assertThat(rs.getLong(2)).isEqualTo(12);
        }
    }

    @Test
    void aDamagedBlockIsReportedWithItsPointOriginAndLaneNotMisread() throws Exception {
        ProvinceStore s = open();
        accept(s, levels(0, 10));
        try (Connection c = java.sql.DriverManager.getConnection("jdbc:h2:file:"
                + dir.resolve("store").resolve("province").toAbsolutePath(), "sa", "");
             Statement st = c.createStatement()) {
            st.execute("UPDATE reading_block SET payload = X'0105'"); // format 1, five readings, then nothing
        }
        assertThatThrownBy(() -> s.readings(LEVEL, Long.MIN_VALUE, Long.MAX_VALUE, 10))
                .isInstanceOf(BlockFormatException.class)
                .hasMessageContaining("point " + LEVEL).hasMessageContaining("from " + EDGE)
                .hasMessageContaining("lane CURRENT").hasMessageContaining("ends early");
        try (Connection c = s.openReader(); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.executeQuery("SELECT COUNT(*) FROM reading"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("point " + LEVEL);
        }
    }

    @Test
    void theViewScansAStoreOfTheTestsSizesQuickly() throws Exception {
        ProvinceStore s = open();
        for (int b = 0; b < 50; b++) {
            List<SyncRecord> batch = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                long seq = b * 2000L + i;
                batch.add(reading(EDGE, seq, EDGE + "/p" + (i % 40), T0 + seq, PointValue.of(seq * 0.5), 0));
            }
            accept(s, batch);
        }
        try (Connection c = s.openReader(); Statement st = c.createStatement()) {
            long t0 = System.nanoTime();
            try (ResultSet rs = st.executeQuery("SELECT COUNT(*), COUNT(DISTINCT seq), SUM(received - ts) FROM reading")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(100_000);
                assertThat(rs.getLong(2)).isEqualTo(100_000);
            }
            long millis = (System.nanoTime() - t0) / 1_000_000;
            assertThat(millis).as("a full scan of 100,000 readings through the view, ms").isLessThan(20_000);
        }
    }
}
