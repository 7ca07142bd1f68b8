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
import io.hazwatch.sync.link.LinkState;
import io.hazwatch.sync.link.UplinkOptions;
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
 * A county with two parents, its city (primary) and the province itself (backup): the city goes
 * away mid-stream, the county fails over to the province, the city comes back and the county fails
 * back to it. The province ends with every record exactly once.
 */
class FailoverTest {
    private static final String EDGE = "130102-E0001-01";

    @TempDir
    Path dir;

    @Test
    void aCountyFailsOverToItsBackupParentAndBackToItsPrimaryWithoutLossOrDuplicates() throws Exception {
        Clock clock = Clock.systemUTC();
        int cityPort = new PortAllocator().next();
        try (ProvinceNode province = ProvinceNode.start(new NodeConfig("130000", NodeRole.PROVINCE,
                dir.resolve("province"), Optional.of(new Endpoint("127.0.0.1", 0)), Optional.empty(), List.of(),
                List.of(ChildSpec.withDefaultPrefix("130100"), ChildSpec.withDefaultPrefix("130102"))), clock, false)) {
            int provincePort = province.runtime().listenAddress().orElseThrow().getPort();
            NodeConfig cityConfig = new NodeConfig("130100", NodeRole.CITY, dir.resolve("city"),
                    Optional.of(new Endpoint("127.0.0.1", cityPort)), Optional.empty(),
                    List.of(new ParentLink("130000", new Endpoint("127.0.0.1", provincePort))),
                    List.of(ChildSpec.withDefaultPrefix("130102")));
            NodeRuntime city = NodeRuntime.start(cityConfig, clock);
            try (NodeRuntime county = NodeRuntime.builder(new NodeConfig("130102", NodeRole.COUNTY, dir.resolve("county"),
                         Optional.of(new Endpoint("127.0.0.1", 0)), Optional.empty(),
                         List.of(new ParentLink("130100", new Endpoint("127.0.0.1", cityPort)),
                                 new ParentLink("130000", new Endpoint("127.0.0.1", provincePort))),
                         List.of(ChildSpec.withDefaultPrefix(EDGE)))).clock(clock)
                         .uplinkOptions(UplinkOptions.defaults().withFailbackCheck(Duration.ofMillis(300))).start();
                 NodeRuntime edge = NodeRuntime.start(new NodeConfig(EDGE, NodeRole.EDGE, dir.resolve("edge"),
                         Optional.empty(), Optional.empty(), List.of(new ParentLink("130102",
                         new Endpoint("127.0.0.1", county.listenAddress().orElseThrow().getPort()))), List.of()),
                         clock)) {
                long total = produce(edge, 0, 10_000);
                await().atMost(Duration.ofSeconds(60)).until(() -> province.store().storedRecords() >= 2_000);

                city.close();                                       // the primary goes away mid-stream
                total += produce(edge, total, 10_000);
                await().atMost(Duration.ofSeconds(60)).until(() ->
                        county.status().uplink().parent().startsWith("130000")
                                && county.status().uplink().state() == LinkState.STREAMING);

                city = NodeRuntime.start(cityConfig, clock);        // and comes back
                NodeRuntime restarted = city;
                await().atMost(Duration.ofSeconds(60)).until(() ->
                        county.status().uplink().parent().startsWith("130100")
                                && county.status().uplink().state() == LinkState.STREAMING
                                && restarted.status().uplink().state() == LinkState.STREAMING);
                total += produce(edge, total, 10_000);

                long expected = total;
                await().atMost(Duration.ofSeconds(120)).until(() -> province.store().storedRecords() == expected);
                try (Connection c = province.store().openReader(); Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT COUNT(*), COUNT(DISTINCT seq), MAX(seq) FROM reading")) {
                    rs.next();
                    assertThat(rs.getLong(1)).as("rows").isEqualTo(expected);
                    assertThat(rs.getLong(2)).as("distinct sequences").isEqualTo(expected);
                    assertThat(rs.getLong(3)).isEqualTo(expected - 1);
                }
                assertThat(county.status().uplink().reconnects()).isGreaterThanOrEqualTo(2);
            } finally {
                city.close();
            }
        }
    }

    private static long produce(NodeRuntime edge, long from, int n) {
        for (int b = 0; b < n / 500; b++) {
            List<Reading> batch = new ArrayList<>(500);
            for (int i = 0; i < 500; i++) {
                long k = from + b * 500L + i;
                batch.add(new Reading(EDGE + "/farm/tank" + (k % 6) + ".level", 1_780_000_000_000L + k,
                        PointValue.of(k / 10.0), 0));
            }
            edge.localSink().append(Lane.CURRENT, batch);
        }
        return n;
    }
}
