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
import io.hazwatch.sync.model.Lane;
import io.hazwatch.sync.model.PointValue;
import io.hazwatch.sync.model.Reading;
import java.nio.file.Files;
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
 * Guarantee 1 and 2 of ARCHITECTURE.md section 3 under a real power-cut: the county relay is a
 * process of its own and is killed with SIGKILL while records flow through it, twice. The province must
 * end with every record the edge numbered, each exactly once.
 */
class RelayCrashTest {
    private static final String EDGE = "130102-E0001-01";

    @TempDir
    Path dir;

    @Test
    void countyKilledHardTwiceWhileDataFlowsLosesNothingAndDuplicatesNothingAtTheProvince() throws Exception {
        Clock clock = Clock.systemUTC();
        PortAllocator ports = new PortAllocator();
        int countyPort = ports.next();
        try (ProvinceNode province = ProvinceNode.start(new NodeConfig("130000", NodeRole.PROVINCE,
                dir.resolve("province"), Optional.of(new Endpoint("127.0.0.1", 0)), Optional.empty(), List.of(),
                List.of(ChildSpec.withDefaultPrefix("130100"))), clock);
             NodeRuntime city = NodeRuntime.start(new NodeConfig("130100", NodeRole.CITY, dir.resolve("city"),
                     Optional.of(new Endpoint("127.0.0.1", 0)), Optional.empty(),
                     List.of(new ParentLink("130000", new Endpoint("127.0.0.1",
                             province.runtime().listenAddress().orElseThrow().getPort()))),
                     List.of(ChildSpec.withDefaultPrefix("130102"))), clock);
             NodeRuntime edge = NodeRuntime.start(new NodeConfig(EDGE, NodeRole.EDGE, dir.resolve("edge"),
                     Optional.empty(), Optional.empty(),
                     List.of(new ParentLink("130102", new Endpoint("127.0.0.1", countyPort))), List.of()), clock)) {

            Path countyConfig = dir.resolve("county.yaml");
            Files.writeString(countyConfig, """
                    id: "130102"
                    role: county
                    dataDir: %s
                    listen: {host: 127.0.0.1, port: %d}
                    parents:
                      - {id: "130100", host: 127.0.0.1, port: %d}
                    children:
                      - id: "%s"
                    """.formatted(dir.resolve("county"), countyPort,
                    city.listenAddress().orElseThrow().getPort(), EDGE));
            NodeProcess county = new NodeProcess("county", "io.hazwatch.county.CountyMain",
                    List.of("--config", countyConfig.toString(), "--status-every", "0"), dir.resolve("county.log"),
                    "128m");
            county.start();

            long total = 0;
            total += produce(edge, total, 20_000);
            await().atMost(Duration.ofSeconds(60)).until(() -> province.store().storedRecords() >= 5_000);
            county.kill();                                     // power cut while records flow
            total += produce(edge, total, 10_000);             // the edge keeps custody meanwhile
            county.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> province.store().storedRecords() >= 25_000);
            county.kill();
            county.start();
            total += produce(edge, total, 10_000);

            long expected = total;
            await().atMost(Duration.ofSeconds(120)).until(() -> province.store().storedRecords() == expected);
            await().atMost(Duration.ofSeconds(30)).until(() -> edge.journal().orElseThrow().pendingCount() == 0
                    && edge.status().uplink().state() == LinkState.STREAMING);
            county.stop(10);

            try (Connection c = province.store().openReader(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT COUNT(*), COUNT(DISTINCT seq), MIN(seq), MAX(seq) FROM reading"
                         + " WHERE origin = '" + EDGE + "'")) {
                rs.next();
                assertThat(rs.getLong(1)).as("rows").isEqualTo(expected);
                assertThat(rs.getLong(2)).as("distinct sequences").isEqualTo(expected);
                assertThat(rs.getLong(3)).isZero();
                assertThat(rs.getLong(4)).isEqualTo(expected - 1);
            }
        }
    }

    /** Appends {@code n} readings at the edge, durably, numbered from {@code from}. */
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
