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
import io.hazwatch.sync.link.PointSelection;
import io.hazwatch.sync.model.AlarmEvent;
import io.hazwatch.sync.model.AlarmLimit;
import io.hazwatch.sync.model.Lane;
import io.hazwatch.sync.model.PointValue;
import io.hazwatch.sync.model.Reading;
import io.hazwatch.sync.model.Rollup;
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
 * A narrow link with chosen points, end to end: edge -> county -> Tiantong link simulator (9.6 kbit/s,
 * 700 ms round trip) -> province. After an outage, the county's uplink sends the alarm, the chosen
 * points' readings (history and live) and the rollups the edge made of every point before the raw
 * history of the other points; in the end the province holds every record exactly once.
 */
class NarrowLinkChosenPointsTest {
    private static final String EDGE = "130682-E0001-01";
    private static final int CHOSEN = 5;
    private static final int OTHERS = 25;
    private static final int MINUTES = 4;

    @TempDir
    Path dir;

    @Test
    void chosenPointsAndRollupsOvertakeTheOtherPointsRawHistoryAndEverythingArrivesOnce() throws Exception {
        Clock clock = Clock.systemUTC();
        PointSelection chosen = PointSelection.of(List.of("*/chosen*"));
        try (ProvinceNode province = ProvinceNode.start(new NodeConfig("130000", NodeRole.PROVINCE,
                dir.resolve("province"), Optional.of(new Endpoint("127.0.0.1", 0)), Optional.empty(), List.of(),
                List.of(ChildSpec.withDefaultPrefix("130682"))), clock, false);
             LinkSimulator tiantong = LinkSimulator.start(io.hazwatch.sims.link.LinkProfile.TIANTONG,
                     new InetSocketAddress("127.0.0.1", province.runtime().listenAddress().orElseThrow().getPort()))) {
            tiantong.down();
            try (NodeRuntime county = NodeRuntime.start(new NodeConfig("130682", NodeRole.COUNTY, dir.resolve("county"),
                    Optional.of(new Endpoint("127.0.0.1", 0)), Optional.empty(),
                    List.of(new ParentLink("130000", new Endpoint("127.0.0.1", tiantong.port()),
                            Optional.of(LinkProfile.TIANTONG), chosen)),
                    List.of(ChildSpec.withDefaultPrefix(EDGE))), clock);
                 NodeRuntime edge = NodeRuntime.start(new NodeConfig(EDGE, NodeRole.EDGE, dir.resolve("edge"),
                         Optional.empty(), Optional.empty(), List.of(new ParentLink("130682", new Endpoint("127.0.0.1",
                         county.listenAddress().orElseThrow().getPort()))), List.of()), clock)) {
                // the outage's history: every point at 1 Hz for four minutes, ten minutes ago
                long t0 = Rollup.minuteOf(clock.millis()) - 10 * 60_000L;
                for (int s = 0; s < MINUTES * 60; s++) {
                    edge.localSink().append(Lane.CURRENT, poll(t0 + s * 1000L, s));
                }
                edge.localSink().append(Lane.ALARM, List.of(new AlarmEvent(EDGE + "/farm/gas", t0, AlarmLimit.HH, 1,
                        true, 9.5, 9.0)));
                int history = (CHOSEN + OTHERS) * MINUTES * 60;
                int rollups = (CHOSEN + OTHERS) * MINUTES; // the last minute closes at the edge's wall-clock flush
                // the backlog's minutes; a slow run may also see the live polls' minute close, which is not one
                long historyEnd = t0 + MINUTES * 60_000L;
                await().atMost(Duration.ofSeconds(60)).until(() ->
                        county.journal().orElseThrow().pendingCount() == history + rollups + 1);

                tiantong.up();
                long liveFrom = clock.millis();
                int live = 0;
                for (int s = 0; s < 3; s++) {
                    edge.localSink().append(Lane.CURRENT, poll(liveFrom + s * 1000L, s));
                    live += CHOSEN + OTHERS;
                }
                int raw = history + live;
                await().atMost(Duration.ofSeconds(240)).until(() -> count(province, "SELECT COUNT(*) FROM reading") == raw);
                await().atMost(Duration.ofSeconds(60)).until(() ->
                        count(province, "SELECT COUNT(*) FROM rollup WHERE minute_ts < " + historyEnd) == rollups);

                String chosenRaw = "point LIKE '%/chosen%'";
                String otherRaw = "point NOT LIKE '%/chosen%'";
                long otherHistoryFirst = count(province, "SELECT MIN(received) FROM reading WHERE " + otherRaw
                        + " AND ts < " + liveFrom);
                long otherHistoryLast = count(province, "SELECT MAX(received) FROM reading WHERE " + otherRaw
                        + " AND ts < " + liveFrom);
                assertThat(count(province, "SELECT MAX(received) FROM alarm"))
                        .as("the alarm before the other points' history").isLessThanOrEqualTo(otherHistoryFirst);
                assertThat(count(province, "SELECT MAX(received) FROM reading WHERE " + chosenRaw + " AND ts < " + liveFrom))
                        .as("chosen points' history before the other points' history").isLessThanOrEqualTo(otherHistoryFirst);
                assertThat(count(province, "SELECT MAX(received) FROM rollup WHERE minute_ts < " + historyEnd))
                        .as("rollups before the other points' history").isLessThanOrEqualTo(otherHistoryFirst);
                assertThat(count(province, "SELECT MAX(received) FROM reading WHERE " + chosenRaw + " AND ts >= " + liveFrom))
                        .as("chosen points' live readings overtake the other points' history")
                        .isLessThan(otherHistoryLast);

                // exactly once: every record held by the province once, none missing
                assertThat(count(province, "SELECT COUNT(*) FROM (SELECT DISTINCT origin, lane, seq FROM reading)"))
                        .isEqualTo(raw);
                assertThat(count(province, "SELECT COUNT(*) FROM (SELECT DISTINCT origin, lane, seq FROM rollup)"))
                        .isEqualTo(count(province, "SELECT COUNT(*) FROM rollup"));
                assertThat(count(province, "SELECT COUNT(*) FROM (SELECT DISTINCT point, minute_ts FROM rollup)"))
                        .as("one rollup per point and minute").isEqualTo(count(province, "SELECT COUNT(*) FROM rollup"));
                assertThat(count(province, "SELECT COUNT(*) FROM alarm")).isEqualTo(1);
                assertThat(count(province, "SELECT MIN(cnt) FROM rollup WHERE minute_ts < " + historyEnd))
                        .as("a backlog minute's rollup aggregates its 60 readings").isEqualTo(60);
            }
        }
    }

    /** One poll of every point: chosen0..4 and p0..24, two-decimal values that move slowly. */
    private static List<Reading> poll(long ts, int s) {
        List<Reading> out = new ArrayList<>(CHOSEN + OTHERS);
        for (int p = 0; p < CHOSEN; p++) {
            out.add(new Reading(EDGE + "/farm/chosen" + p, ts, PointValue.of(10 + p + (s % 7) / 100.0), 0));
        }
        for (int p = 0; p < OTHERS; p++) {
            out.add(new Reading(EDGE + "/farm/p" + p, ts, PointValue.of(20 + p + (s % 5) / 100.0), 0));
        }
        return out;
    }

    private static long count(ProvinceNode p, String sql) throws Exception {
        try (Connection c = p.store().openReader(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
