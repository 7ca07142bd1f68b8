package io.hazwatch.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hazwatch.node.NodeRuntime;
import io.hazwatch.node.config.ChildSpec;
import io.hazwatch.node.config.Endpoint;
import io.hazwatch.node.config.NodeConfig;
import io.hazwatch.node.config.NodeRole;
import io.hazwatch.node.config.ParentLink;
import io.hazwatch.sync.link.ReceiveBuffer;
import io.hazwatch.sync.model.Lane;
import io.hazwatch.sync.model.PointValue;
import io.hazwatch.sync.model.Reading;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node's receive buffer is the credit its children get (docs/sync-protocol.md section 8.3): an edge
 * below a county whose buffer is smaller than the edge's window keeps no more than that
 * unacknowledged, the county reports the credit it gave, and the whole backlog arrives.
 */
class ReceiveBufferTest {
    private static final String EDGE = "130682-E0001-01";

    @TempDir
    Path dir;

    @Test
    void anEdgeKeepsNoMoreUnacknowledgedThanItsCountysReceiveBuffer() throws Exception {
        ReceiveBuffer buffer = new ReceiveBuffer(1_000, 2);
        int total = 20_000;
        try (NodeRuntime county = NodeRuntime.builder(new NodeConfig("130682", NodeRole.COUNTY, dir.resolve("county"),
                        Optional.of(new Endpoint("127.0.0.1", 0)), Optional.empty(), List.of(),
                        List.of(ChildSpec.withDefaultPrefix(EDGE)))).receiveBuffer(buffer).start();
             NodeRuntime edge = NodeRuntime.builder(new NodeConfig(EDGE, NodeRole.EDGE, dir.resolve("edge"),
                     Optional.empty(), Optional.empty(), List.of(new ParentLink("130682", new Endpoint("127.0.0.1",
                     county.listenAddress().orElseThrow().getPort()))), List.of())).start()) {
            for (int from = 0; from < total; from += 1_000) {
                List<Reading> poll = new ArrayList<>(1_000);
                for (int i = from; i < from + 1_000; i++) {
                    poll.add(new Reading(EDGE + "/farm/p" + (i % 50), 1_780_000_000_000L + i, PointValue.of(i), 0));
                }
                edge.localSink().append(Lane.CURRENT, poll);
            }

            await().atMost(Duration.ofSeconds(60))
                    .until(() -> county.journal().orElseThrow().pendingCount(Lane.CURRENT) == total);
            // the uplink's own high-water mark: no sampling race, however fast the transfer went
            assertThat(edge.status().uplink().maxInFlightRecords()).as("records the edge had unacknowledged")
                    .isPositive().isLessThanOrEqualTo(buffer.records());
            assertThat(county.status().children().get(EDGE).creditRecords()).isEqualTo(buffer.records());
            await().atMost(Duration.ofSeconds(30)).until(() -> edge.journal().orElseThrow().pendingCount(Lane.CURRENT) == 0);
        }
    }
}
