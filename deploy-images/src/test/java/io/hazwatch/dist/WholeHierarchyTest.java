package io.hazwatch.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hazwatch.sync.model.AlarmEvent;
import io.hazwatch.sync.model.Lane;
import io.hazwatch.sync.model.PointValue;
import io.hazwatch.sync.model.Reading;
import io.hazwatch.sync.model.SyncRecord;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The foundation's first promise, end to end with real parts: every reading polled at the edges is at
 * the province exactly once, with its value, timestamp and quality intact, through two relays on one
 * path and one relay on the other.
 */
class WholeHierarchyTest {
    @TempDir
    Path dir;

    @Test
    void everyReadingPolledAtTheEdgesIsAtTheProvinceExactlyOnceWithValuesAndTimestampsIntact() throws Exception {
        try (DemoHierarchy h = new DemoHierarchy(dir, 100, 3)) {
            h.startPolling();
            await().atMost(Duration.ofSeconds(60)).until(() ->
                    h.journaled.values().stream().allMatch(l -> l.size() >= 600));
            h.sims.get(DemoHierarchy.EDGE_A).triggerLeak(1);
            await().atMost(Duration.ofSeconds(60)).until(() -> h.journaled.get(DemoHierarchy.EDGE_A).stream()
                    .anyMatch(r -> r.lane() == Lane.ALARM));
            h.stopPolling();
            long total = h.journaledCount();
            await().atMost(Duration.ofSeconds(60)).until(() -> h.province.store().storedRecords() == total);

            List<SyncRecord> all = new ArrayList<>();
            h.journaled.values().forEach(all::addAll);
            assertThat(all).anyMatch(r -> r.payload() instanceof AlarmEvent);
            try (Connection c = h.province.store().openReader();
                 PreparedStatement reading = c.prepareStatement("SELECT point, ts, vtype, v_double, v_long, quality,"
                         + " COUNT(*) OVER () FROM reading WHERE origin = ? AND lane = ? AND seq = ?");
                 PreparedStatement alarm = c.prepareStatement("SELECT point, ts, lim, level, raised, val, threshold,"
                         + " COUNT(*) OVER () FROM alarm WHERE origin = ? AND lane = ? AND seq = ?")) {
                for (SyncRecord r : all) {
                    PreparedStatement ps = r.payload() instanceof Reading ? reading : alarm;
                    ps.setString(1, r.origin());
                    ps.setInt(2, r.lane().code());
                    ps.setLong(3, r.seq());
                    try (ResultSet rs = ps.executeQuery()) {
                        assertThat(rs.next()).as("record %s at the province", r).isTrue();
                        assertThat(rs.getLong(rs.getMetaData().getColumnCount())).as("copies of %s", r).isEqualTo(1);
                        assertThat(rs.getString(1)).isEqualTo(r.payload().point());
                        assertThat(rs.getLong(2)).isEqualTo(r.payload().timestampMillis());
                        if (r.payload() instanceof Reading rd) {
                            assertValue(rs, rd);
                            assertThat(rs.getInt(6)).isEqualTo(rd.quality());
                        } else {
                            AlarmEvent a = (AlarmEvent) r.payload();
                            assertThat(rs.getString(3)).isEqualTo(a.limit().name());
                            assertThat(rs.getInt(4)).isEqualTo(a.level());
                            assertThat(rs.getBoolean(5)).isEqualTo(a.raised());
                            assertThat(rs.getDouble(6)).isEqualTo(a.value());
                            assertThat(rs.getDouble(7)).isEqualTo(a.threshold());
                        }
                    }
                }
                try (ResultSet rs = c.createStatement().executeQuery(
                        "SELECT (SELECT COUNT(*) FROM reading) + (SELECT COUNT(*) FROM alarm)")) {
                    rs.next();
                    assertThat(rs.getLong(1)).as("rows at the province").isEqualTo(total);
                }
            }
        }
    }

    private static void assertValue(ResultSet rs, Reading rd) throws java.sql.SQLException {
        PointValue v = rd.value();
        if (v instanceof PointValue.DoubleValue d) {
            assertThat(rs.getInt(3)).isEqualTo(1);
            assertThat(rs.getDouble(4)).isEqualTo(d.value());
        } else if (v instanceof PointValue.LongValue l) {
            assertThat(rs.getInt(3)).isEqualTo(2);
            assertThat(rs.getLong(5)).isEqualTo(l.value());
        } else if (v instanceof PointValue.BoolValue b) {
            assertThat(rs.getInt(3)).isEqualTo(3);
            assertThat(rs.getLong(5)).isEqualTo(b.value() ? 1 : 0);
        } else {
            assertThat(rs.getInt(3)).isZero();
        }
    }
}
