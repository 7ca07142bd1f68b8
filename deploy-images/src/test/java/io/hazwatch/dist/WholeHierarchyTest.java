package io.hazwatch.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.hazwatch.node.http.HttpApi;
import io.hazwatch.sync.model.AlarmEvent;
import io.hazwatch.sync.model.AlarmLimit;
import io.hazwatch.sync.model.Lane;
import io.hazwatch.sync.model.PointInfo;
import io.hazwatch.sync.model.PointValue;
import io.hazwatch.sync.model.Reading;
import io.hazwatch.sync.model.SyncRecord;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
 * path and one relay on the other. So is each edge's point catalogue, which the province then serves
 * on {@code /api/points}.
 */
class WholeHierarchyTest {
    private static final int TANKS = 3;

    @TempDir
    Path dir;

    @Test
    void everyReadingPolledAtTheEdgesIsAtTheProvinceExactlyOnceWithValuesAndTimestampsIntact() throws Exception {
        try (DemoHierarchy h = new DemoHierarchy(dir, 100, TANKS)) {
            h.startPolling();
            await().atMost(Duration.ofSeconds(60)).until(() ->
                    h.journaled.values().stream().allMatch(l -> l.size() >= 600));
            h.sims.get(DemoHierarchy.EDGE_A).triggerLeak(1);
            await().atMost(Duration.ofSeconds(60)).until(() -> h.journaled.get(DemoHierarchy.EDGE_A).stream()
                    .anyMatch(r -> r.lane() == Lane.ALARM));
            h.stopPolling();
            long total = h.journaledCount();
            await().atMost(Duration.ofSeconds(60)).until(() -> h.province.store().storedRecords()
                    + h.province.store().storedPointInfo() == total);

            List<SyncRecord> all = new ArrayList<>();
            h.journaled.values().forEach(all::addAll);
            assertThat(all).anyMatch(r -> r.payload() instanceof AlarmEvent);
            assertThat(all).filteredOn(r -> r.payload() instanceof PointInfo).as("one entry per configured point")
                    .hasSize(2 * TANKS * 5);
            try (Connection c = h.province.store().openReader();
                 PreparedStatement reading = c.prepareStatement("SELECT point, ts, vtype, v_double, v_long, quality,"
                         + " COUNT(*) OVER () FROM reading WHERE origin = ? AND lane = ? AND seq = ?");
                 PreparedStatement alarm = c.prepareStatement("SELECT point, ts, lim, level, raised, val, threshold,"
                         + " COUNT(*) OVER () FROM alarm WHERE origin = ? AND lane = ? AND seq = ?");
                 PreparedStatement info = c.prepareStatement("SELECT point, published, unit, data_type, scale, hh, h,"
                         + " COUNT(*) OVER () FROM point_info WHERE origin = ? AND lane = ? AND seq = ?")) {
                for (SyncRecord r : all) {
                    PreparedStatement ps = r.payload() instanceof Reading ? reading
                            : r.payload() instanceof PointInfo ? info : alarm;
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
                        } else if (r.payload() instanceof PointInfo pi) {
                            assertThat(rs.getString(3)).isEqualTo(pi.unit());
                            assertThat(rs.getString(4)).isEqualTo(pi.dataType());
                            assertThat(rs.getObject(5)).isEqualTo(pi.scale().isPresent() ? pi.scale().getAsDouble() : null);
                            assertThat(rs.getObject(6)).isEqualTo(pi.limits().get(AlarmLimit.HH));
                            assertThat(rs.getObject(7)).isEqualTo(pi.limits().get(AlarmLimit.H));
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
                        "SELECT (SELECT COUNT(*) FROM reading) + (SELECT COUNT(*) FROM alarm)"
                                + " + (SELECT COUNT(*) FROM point_info)")) {
                    rs.next();
                    assertThat(rs.getLong(1)).as("rows at the province").isEqualTo(total);
                }
            }
            assertCatalogueServed(h);
        }
    }

    /** {@code /api/points} of the province: every configured point of both edges, with its unit and limits. */
    private static void assertCatalogueServed(DemoHierarchy h) throws Exception {
        int port = h.province.runtime().httpPort().orElseThrow();
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/api/points?origin=" + DemoHierarchy.EDGE_A))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode body = HttpApi.JSON.readTree(r.body());
        assertThat(body.path("count").asInt()).isEqualTo(TANKS * 5);
        JsonNode gas = null;
        JsonNode temperature = null;
        for (JsonNode p : body.path("points")) {
            assertThat(p.path("origin").asText()).isEqualTo(DemoHierarchy.EDGE_A);
            if (p.path("point").asText().equals("E0001/tank-farm/tank1.gas")) {
                gas = p;
            } else if (p.path("point").asText().equals("E0001/tank-farm/tank1.temperature")) {
                temperature = p;
            }
        }
        assertThat(gas).as("tank1's gas point in %s", body).isNotNull();
        assertThat(gas.path("unit").asText()).isEqualTo("%LEL");
        assertThat(gas.path("dataType").asText()).isEqualTo("float32");
        assertThat(gas.path("limits").path("HH").asDouble()).isEqualTo(50.0);
        assertThat(gas.path("limits").path("H").asDouble()).isEqualTo(25.0);
        assertThat(temperature).as("tank1's temperature point in %s", body).isNotNull();
        assertThat(temperature.path("unit").asText()).isEqualTo("°C");
        assertThat(temperature.path("scale").asDouble()).isEqualTo(0.1);
        assertThat(temperature.path("limits").size()).isZero();
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
