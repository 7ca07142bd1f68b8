package io.hazwatch.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hazwatch.node.NodeRuntime;
import io.hazwatch.node.config.ChildSpec;
import io.hazwatch.node.config.Endpoint;
import io.hazwatch.node.config.NodeConfig;
import io.hazwatch.node.config.NodeRole;
import io.hazwatch.node.config.ParentLink;
import io.hazwatch.province.ProvinceNode;
import io.hazwatch.sims.link.LinkSimulator;
import io.hazwatch.sync.link.LinkProfile;
import io.hazwatch.sync.model.AlarmEvent;
import io.hazwatch.sync.model.AlarmLimit;
import io.hazwatch.sync.model.Lane;
import io.hazwatch.sync.model.PointValue;
import io.hazwatch.sync.model.Reading;
import java.net.InetSocketAddress;
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
 * Guarantee 3 over a satellite hop: the county reaches the province through the VSAT link simulator
 * (256 kbit/s, 600 ms round trip). While a large telemetry backlog drains over it, an alarm raised at
 * the edge reaches the province before the backlog does.
 */
class VsatAlarmTest {
    private static final String EDGE = "130682-E0001-01";

    @TempDir
    Path dir;

    @Test
    void anAlarmRaisedWhileABacklogDrainsOverVsatReachesTheProvinceBeforeTheBacklog() throws Exception {
        Clock clock = Clock.systemUTC();
        try (ProvinceNode province = ProvinceNode.start(new NodeConfig("130000", NodeRole.PROVINCE,
                dir.resolve("province"), Optional.of(new Endpoint("127.0.0.1", 0)), Optional.empty(), List.of(),
                List.of(ChildSpec.withDefaultPrefix("130682"))), clock, false);
             LinkSimulator vsat = LinkSimulator.start(io.hazwatch.sims.link.LinkProfile.VSAT_256K,
                     new InetSocketAddress("127.0.0.1", province.runtime().listenAddress().orElseThrow().getPort()));
             NodeRuntime county = NodeRuntime.start(new NodeConfig("130682", NodeRole.COUNTY, dir.resolve("county"),
                     Optional.of(new Endpoint("127.0.0.1", 0)), Optional.empty(),
                     List.of(new ParentLink("130000", new Endpoint("127.0.0.1", vsat.port()),
                             Optional.of(LinkProfile.VSAT_256K))),
                     List.of(ChildSpec.withDefaultPrefix(EDGE))), clock);
             NodeRuntime edge = NodeRuntime.start(new NodeConfig(EDGE, NodeRole.EDGE, dir.resolve("edge"),
                     Optional.empty(), Optional.empty(), List.of(new ParentLink("130682", new Endpoint("127.0.0.1",
                     county.listenAddress().orElseThrow().getPort()))), List.of()), clock)) {
            int backlog = 80_000;
            for (int b = 0; b < backlog / 1000; b++) {
                List<Reading> batch = new ArrayList<>(1000);
                for (int i = 0; i < 1000; i++) {
                    int k = b * 1000 + i;
                    batch.add(new Reading(EDGE + "/tank-farm/tank" + (k % 8) + ".level", 1_780_000_000_000L + k,
                            PointValue.of((double) (float) (10 + Math.sin(k / 50.0))), 0));
                }
                edge.localSink().append(Lane.CURRENT, batch);
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> readings(province) > 0);

            long raisedAt = clock.millis();
            edge.localSink().append(Lane.ALARM, List.of(new AlarmEvent(EDGE + "/tank-farm/tank3.gas", raisedAt,
                    AlarmLimit.HH, 2, true, 57.0, 50.0)));
            await().atMost(Duration.ofSeconds(60)).until(() -> alarms(province) == 1);
            long readingsWhenAlarmArrived = readings(province);

            assertThat(readingsWhenAlarmArrived).as("backlog readings at the province when the alarm arrived")
                    .isLessThan(backlog);
            await().atMost(Duration.ofSeconds(120)).until(() -> readings(province) == backlog);
            // compact, zstd-compressed batches: a few bytes a reading cross the satellite, pings and headers included
            assertThat((double) vsat.stats().upstream().bytesDelivered() / backlog).isLessThan(8.0);
        }
    }

    private static long readings(ProvinceNode p) throws Exception {
        return count(p, "SELECT COUNT(*) FROM reading");
    }

    private static long alarms(ProvinceNode p) throws Exception {
        return count(p, "SELECT COUNT(*) FROM alarm");
    }

    private static long count(ProvinceNode p, String sql) throws Exception {
        try (Connection c = p.store().openReader(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
