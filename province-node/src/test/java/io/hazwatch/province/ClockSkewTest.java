package io.hazwatch.province;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hazwatch.node.NodeRuntime;
import io.hazwatch.node.config.ChildSpec;
import io.hazwatch.node.config.Endpoint;
import io.hazwatch.node.config.NodeConfig;
import io.hazwatch.node.config.NodeRole;
import io.hazwatch.node.config.ParentLink;
import io.hazwatch.sync.model.Lane;
import io.hazwatch.sync.model.PointValue;
import io.hazwatch.sync.model.QualityCode;
import io.hazwatch.sync.model.Reading;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each link measures its clock offset; an edge whose clock is off by more than the bound flags the
 * readings it journals, and the province sees the flag on the readings and in the origin's status.
 */
class ClockSkewTest {
    @TempDir
    Path dir;

    @Test
    void readingsOfAnEdgeWhoseClockIsTwoMinutesAheadAreFlaggedAndTheProvinceSeesIt() throws Exception {
        Clock provinceClock = Clock.systemUTC();
        Clock skewed = Clock.offset(provinceClock, Duration.ofMinutes(2));
        try (ProvinceNode province = ProvinceNode.start(new NodeConfig("130000", NodeRole.PROVINCE, dir.resolve("p"),
                Optional.of(new Endpoint("127.0.0.1", 0)), Optional.empty(), List.of(),
                List.of(ChildSpec.withDefaultPrefix("130682-E0001-01"), ChildSpec.withDefaultPrefix("130682-E0002-01"))),
                provinceClock, false);
             NodeRuntime skewedEdge = edge("130682-E0001-01", province, skewed);
             NodeRuntime goodEdge = edge("130682-E0002-01", province, provinceClock)) {
            await().atMost(Duration.ofSeconds(30)).until(skewedEdge::clockSuspect);
            assertThat(skewedEdge.status().uplink().clockOffsetMillis()).isBetween(110_000L, 130_000L);
            assertThat(goodEdge.clockSuspect()).isFalse();

            skewedEdge.localSink().append(Lane.CURRENT, List.of(new Reading("130682-E0001-01/farm/t1.level",
                    skewed.millis(), PointValue.of(1.0), QualityCode.GOOD)));
            goodEdge.localSink().append(Lane.CURRENT, List.of(new Reading("130682-E0002-01/farm/t1.level",
                    provinceClock.millis(), PointValue.of(2.0), QualityCode.GOOD)));
            await().atMost(Duration.ofSeconds(30)).until(() -> province.store().storedRecords() == 2);

            try (Connection c = province.store().openReader(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT origin, quality FROM reading ORDER BY origin")) {
                rs.next();
                assertThat(QualityCode.clockSuspect(rs.getInt(2))).as("skewed edge's reading").isTrue();
                assertThat(rs.getInt(2) & ~QualityCode.CLOCK_SUSPECT).isEqualTo(QualityCode.GOOD);
                rs.next();
                assertThat(rs.getInt(2)).as("good edge's reading").isEqualTo(QualityCode.GOOD);
            }
            assertThat(province.store().originStats().get("130682-E0001-01").clockSuspectReadings()).isEqualTo(1);
            assertThat(province.store().originStats().get("130682-E0002-01").clockSuspectReadings()).isZero();
            assertThat(province.runtime().status().children().get("130682-E0001-01").clockOffsetMillis())
                    .isGreaterThan(60_000L);
        }
    }

    private NodeRuntime edge(String id, ProvinceNode province, Clock clock) throws Exception {
        return NodeRuntime.builder(new NodeConfig(id, NodeRole.EDGE, dir.resolve(id), Optional.empty(),
                        Optional.empty(), List.of(new ParentLink("130000", new Endpoint("127.0.0.1",
                        province.runtime().listenAddress().orElseThrow().getPort()))), List.of()))
                .clock(clock).maxClockSkew(Duration.ofSeconds(30)).start();
    }
}
