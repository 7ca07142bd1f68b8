package io.hazwatch.sync.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hazwatch.sync.link.LinkFixtures.ChildNode;
import io.hazwatch.sync.link.LinkFixtures.ParentNode;
import io.hazwatch.sync.model.Lane;
import io.hazwatch.sync.model.PointValue;
import io.hazwatch.sync.model.Reading;
import io.hazwatch.sync.model.Rollup;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On a link with a known capacity a bulk batch carries about a quarter second of it, whatever its
 * records cost on the wire: a compact reading a fraction of a byte, a rollup tens of bytes. Without the
 * cap a batch of 5,000 rollups was 40 KB, more than a second of a 256 kbit/s satellite link, and an
 * alarm written behind it waited that long in the modem's queue.
 */
class BulkBatchBytesTest {
    private static final String EDGE = "130102-E0042-01";
    private static final LinkProfile VSAT = LinkProfile.VSAT_256K;

    @TempDir
    Path dir;

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private <T extends AutoCloseable> T closeLater(T c) {
        toClose.add(c);
        return c;
    }

    @Test
    void bulkBatchesOfRollupsAndOfReadingsStayWithinAQuarterSecondOfTheLink() throws Exception {
        ParentNode parent = closeLater(ParentNode.start(dir.resolve("parent.mv.db")));
        ChildNode child = closeLater(new ChildNode(dir.resolve("edge.mv.db"), EDGE, EDGE, List.of(new ParentAddress(
                LinkFixtures.PARENT, "127.0.0.1", parent.address.getPort(), Optional.of(VSAT))), LinkFixtures.FAST));
        long minute = Rollup.minuteOf(LinkFixtures.T);
        List<Rollup> rollups = new ArrayList<>();
        List<Reading> readings = new ArrayList<>();
        for (int p = 0; p < 5_000; p++) {
            double v = 10 + (p * 7919 % 1000) / 37.0;
            rollups.add(new Rollup(EDGE + "/farm/p" + p, minute, 60, v - 1.3, v + 2.9, v + 0.47, v + 0.11,
                    minute + 59_000, 0, 0));
            readings.add(new Reading(EDGE + "/farm/p" + (p % 40), LinkFixtures.T + p * 1000L / 40, PointValue.of(v), 0));
        }
        child.journal.localSink().append(Lane.ROLLUP, rollups);
        child.journal.localSink().append(Lane.CURRENT, readings);

        child.uplink.start();
        await().atMost(Duration.ofSeconds(120)).until(() -> child.journal.pendingCount() == 0);

        double quarterSecond = VSAT.bitsPerSecond() / 8.0 * 0.25;
        // the first rollup batch is sized from a prior guess of their cost, later ones from what they cost
        assertThat(child.uplink.status().maxBulkBatchBytes()).as("largest bulk batch, bytes on the wire")
                .isPositive().isLessThanOrEqualTo((long) (2 * quarterSecond));
        assertThat(parent.journal.pendingCount(Lane.ROLLUP)).isEqualTo(5_000);
        assertThat(parent.journal.pendingCount(Lane.CURRENT)).isEqualTo(5_000);
    }
}
