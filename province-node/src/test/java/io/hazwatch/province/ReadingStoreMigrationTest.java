package io.hazwatch.province;

import static org.assertj.core.api.Assertions.assertThat;

import io.hazwatch.sync.model.Lane;
import io.hazwatch.sync.model.PointValue;
import io.hazwatch.sync.model.Reading;
import io.hazwatch.sync.model.StreamKey;
import io.hazwatch.sync.model.SyncRecord;
import io.hazwatch.sync.ranges.RangeSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A province directory written before reading blocks (one row per reading in table {@code reading})
 * opens: its rows stay where they are, renamed {@code reading_v1}, and are read alongside the blocks
 * by the range query, the scan and the SQL view; its range sets still drop what it holds.
 */
class ReadingStoreMigrationTest {
    static final String EDGE = "130102-E0001-01";
    static final String LEVEL = EDGE + "/tank-farm/tank1.level";
    static final long T0 = 1_780_000_000_000L;

    @TempDir
    Path dir;

    /** The schema and rows exactly as the row-per-reading store wrote them: sequences 0..9, ts T0 + seq s. */
    private void writeOldStore(Path storeDir) throws Exception {
        Files.createDirectories(storeDir);
        String url = "jdbc:h2:file:" + storeDir.resolve("province").toAbsolutePath();
        try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE reading (origin VARCHAR(128) NOT NULL, lane TINYINT NOT NULL, seq BIGINT NOT NULL,"
                    + "point VARCHAR(512) NOT NULL, ts BIGINT NOT NULL, vtype TINYINT NOT NULL,"
                    + "v_double DOUBLE, v_long BIGINT, v_text VARCHAR(1024), quality SMALLINT NOT NULL,"
                    + "received BIGINT NOT NULL)");
            s.execute("CREATE INDEX reading_point_ts ON reading(point, ts)");
            s.execute("CREATE TABLE alarm (origin VARCHAR(128) NOT NULL, lane TINYINT NOT NULL, seq BIGINT NOT NULL,"
                    + "point VARCHAR(512) NOT NULL, ts BIGINT NOT NULL, lim VARCHAR(8) NOT NULL,"
                    + "level TINYINT NOT NULL, raised BOOLEAN NOT NULL, val DOUBLE, threshold DOUBLE,"
                    + "received BIGINT NOT NULL)");
            s.execute("CREATE TABLE held_range (origin VARCHAR(128) NOT NULL, lane TINYINT NOT NULL,"
                    + " ranges VARBINARY NOT NULL, PRIMARY KEY (origin, lane))");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO reading VALUES (?,?,?,?,?,?,?,?,?,?,?)")) {
                for (int i = 0; i < 10; i++) {
                    ps.setString(1, EDGE);
                    ps.setInt(2, Lane.CURRENT.code());
                    ps.setLong(3, i);
                    ps.setString(4, LEVEL);
                    ps.setLong(5, T0 + i * 1000L);
                    ps.setInt(6, i == 9 ? 4 : 1);
                    ps.setObject(7, i == 9 ? null : i + 0.5);
                    ps.setObject(8, null);
                    ps.setString(9, i == 9 ? "sensor replaced" : null);
                    ps.setInt(10, 0);
                    ps.setLong(11, T0 + 60_000);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO held_range VALUES (?, ?, ?)")) {
                ps.setString(1, EDGE);
                ps.setInt(2, Lane.CURRENT.code());
                ps.setBytes(3, ProvinceStore.pack(new long[] {0, 9}));
                ps.execute();
            }
        }
    }

    @Test
    void anOldStoreOpensWithItsRowsReadableNextToNewBlocks() throws Exception {
        Path storeDir = dir.resolve("store");
        writeOldStore(storeDir);
        try (ProvinceStore store = ProvinceStore.open(storeDir, Clock.systemUTC(), true)) {
            List<SyncRecord> more = new ArrayList<>();
            for (int i = 5; i < 15; i++) { // 5..9 are held by the old rows: dropped
                more.add(new SyncRecord(EDGE, Lane.CURRENT, i, new Reading(LEVEL, T0 + i * 1000L, PointValue.of(i + 0.5), 0)));
            }
            Map<StreamKey, RangeSet> ack = store.accept(more).toCompletableFuture().get(30, TimeUnit.SECONDS);
            assertThat(ack.get(new StreamKey(EDGE, Lane.CURRENT)).toFlatArray()).containsExactly(0, 14);
            assertThat(store.duplicatesDropped()).isEqualTo(5);

            List<StoredReading> all = store.readings(LEVEL, T0 + 8000, T0 + 11_000, 100);
            assertThat(all).extracting(StoredReading::seq).containsExactly(8L, 9L, 10L, 11L);
            assertThat(all.get(1).value()).isEqualTo(PointValue.of("sensor replaced"));
            assertThat(all.get(0).value()).isEqualTo(PointValue.of(8.5));
            assertThat(all.get(0).received()).isEqualTo(T0 + 60_000);
            assertThat(store.readings(LEVEL, Long.MIN_VALUE, Long.MAX_VALUE, 3)).extracting(StoredReading::seq)
                    .containsExactly(0L, 1L, 2L);

            try (Connection c = store.openReader(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT COUNT(*), COUNT(DISTINCT seq), MIN(seq), MAX(seq) FROM reading")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(15);
                assertThat(rs.getLong(2)).isEqualTo(15);
                assertThat(rs.getLong(3)).isEqualTo(0);
                assertThat(rs.getLong(4)).isEqualTo(14);
            }
        }
        // and again: the rename happened once, the second open finds the view and the old table
        try (ProvinceStore store = ProvinceStore.open(storeDir, Clock.systemUTC(), true)) {
            List<StoredReading> all = new ArrayList<>();
            store.forEachReading(all::add);
            assertThat(all).extracting(StoredReading::seq).containsExactlyInAnyOrder(
                    0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L, 13L, 14L);
        }
    }
}
