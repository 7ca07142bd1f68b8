package io.hazwatch.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hazwatch.node.NodeRuntime;
import io.hazwatch.node.config.Endpoint;
import io.hazwatch.node.config.NodeConfig;
import io.hazwatch.sync.link.LinkState;
import io.hazwatch.sync.model.Lane;
import io.hazwatch.sync.model.PointValue;
import io.hazwatch.sync.model.Reading;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Guarantee 3 of ARCHITECTURE.md section 3: an alarm raised at the edge overtakes a telemetry backlog.
 * The county's uplink is cut off from its parent while the edge builds a large backlog; then a real
 * gas leak at the simulator raises a real alarm at the edge; when the link is back, the alarm reaches
 * the province before the backlog has drained.
 */
class AlarmFirstTest {
    @TempDir
    Path dir;

    @Test
    void aGasLeakAlarmReachesTheProvinceAheadOfATelemetryBacklog() throws Exception {
        try (DemoHierarchy h = new DemoHierarchy(dir, 200, 2)) {
            String edge = DemoHierarchy.EDGE_A;
            // the edge's county is stopped: everything stays in the edge's journal
            h.countyA.close();
            int backlog = 0;
            for (int b = 0; b < 100; b++) {
                List<Reading> batch = new ArrayList<>();
                for (int i = 0; i < 500; i++) {
                    batch.add(new Reading(edge + "/tank-farm/tank1.level", 1_780_000_000_000L + backlog,
                            PointValue.of(backlog * 0.001), 0));
                    backlog++;
                }
                h.edgeNodes.get(edge).localSink().append(Lane.CURRENT, batch);
            }
            h.startPolling();
            h.sims.get(edge).triggerLeak(0);
            await().atMost(Duration.ofSeconds(60)).until(() -> h.journaled.get(edge).stream()
                    .anyMatch(r -> r.lane() == Lane.ALARM));

            // the county comes back on the same port and journal
            NodeConfig was = h.countyA.config();
            int port = h.countyA.listenAddress().orElseThrow().getPort();
            long total = backlog;
            try (NodeRuntime county = NodeRuntime.start(new NodeConfig(was.id(), was.role(), was.dataDir(),
                    Optional.of(new Endpoint("127.0.0.1", port)), Optional.empty(), was.parents(), was.children()),
                    Clock.systemUTC())) {
                await().atMost(Duration.ofSeconds(60)).until(() -> alarmsAtProvince(h, edge) > 0);
                long readingsWhenAlarmArrived = readingsAtProvince(h, edge);
                assertThat(readingsWhenAlarmArrived).as("backlog readings at the province when the alarm arrived")
                        .isLessThan(total);
                h.stopPolling();
                await().atMost(Duration.ofSeconds(120)).until(() -> readingsAtProvince(h, edge) >= total);
                await().atMost(Duration.ofSeconds(60)).until(() ->
                        h.edgeNodes.get(edge).journal().orElseThrow().pendingCount() == 0
                                && h.edgeNodes.get(edge).status().uplink().state() == LinkState.STREAMING
                                && county.journal().orElseThrow().pendingCount() == 0);
            }
        }
    }

    private static long alarmsAtProvince(DemoHierarchy h, String origin) throws Exception {
        return count(h, "SELECT COUNT(*) FROM alarm WHERE origin = '" + origin + "'");
    }

    private static long readingsAtProvince(DemoHierarchy h, String origin) throws Exception {
        return count(h, "SELECT COUNT(*) FROM reading WHERE origin = '" + origin + "'");
    }

    private static long count(DemoHierarchy h, String sql) throws Exception {
        try (Connection c = h.province.store().openReader(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
