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

class HierarchyCustodyTest {
    @TempDir
    Path dir;

    static NodeConfig node(String id, NodeRole role, Path dir, boolean listen, List<ParentLink> parents,
                           List<ChildSpec> children) {
        return new NodeConfig(id, role, dir.resolve(id),
                listen ? Optional.of(new Endpoint("127.0.0.1", 0)) : Optional.empty(), Optional.empty(),
                parents, children);
    }

    static ParentLink parent(String id, NodeRuntime rt) {
        return new ParentLink(id, new Endpoint("127.0.0.1", rt.listenAddress().orElseThrow().getPort()));
    }

    @Test
    void readingsAppendedAtAnEdgeArriveAtTheProvinceThroughTwoRelaysExactlyOnceWithValuesIntact() throws Exception {
        Clock clock = Clock.systemUTC();
        try (ProvinceNode province = ProvinceNode.start(node("130000", NodeRole.PROVINCE, dir, true, List.of(),
                List.of(ChildSpec.withDefaultPrefix("130100"))), clock, false);
             NodeRuntime city = NodeRuntime.start(node("130100", NodeRole.CITY, dir, true,
                     List.of(parent("130000", province.runtime())), List.of(ChildSpec.withDefaultPrefix("130102"))), clock);
             NodeRuntime county = NodeRuntime.start(node("130102", NodeRole.COUNTY, dir, true,
                     List.of(parent("130100", city)), List.of(ChildSpec.withDefaultPrefix("130102-E0001-01"))), clock);
             NodeRuntime edge = NodeRuntime.start(node("130102-E0001-01", NodeRole.EDGE, dir, false,
                     List.of(parent("130102", county)), List.of()), clock)) {

            int n = 20_000;
            long t0 = 1_780_000_000_000L;
            for (int b = 0; b < n / 500; b++) {
                List<Reading> batch = new ArrayList<>();
                for (int i = 0; i < 500; i++) {
                    int k = b * 500 + i;
                    batch.add(new Reading("130102-E0001-01/farm/tank" + (k % 7) + ".level", t0 + k,
                            PointValue.of(k * 0.5), 0));
                }
                edge.localSink().append(Lane.CURRENT, batch);
            }

            await().atMost(Duration.ofSeconds(60)).until(() -> province.store().storedRecords() == n);
            await().atMost(Duration.ofSeconds(10)).until(() -> edge.journal().orElseThrow().pendingCount() == 0);

            try (Connection c = province.store().openReader(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT seq, ts, v_double, point, COUNT(*) OVER (PARTITION BY seq)"
                         + " FROM reading WHERE origin = '130102-E0001-01' ORDER BY seq")) {
                int k = 0;
                while (rs.next()) {
                    assertThat(rs.getLong(1)).isEqualTo(k);
                    assertThat(rs.getLong(2)).isEqualTo(t0 + k);
                    assertThat(rs.getDouble(3)).isEqualTo(k * 0.5);
                    assertThat(rs.getString(4)).isEqualTo("130102-E0001-01/farm/tank" + (k % 7) + ".level");
                    assertThat(rs.getLong(5)).as("copies of seq %d", k).isEqualTo(1);
                    k++;
                }
                assertThat(k).isEqualTo(n);
            }
        }
    }
}
