package io.hazwatch.sync.link;

import static io.hazwatch.sync.link.LinkFixtures.EDGE;
import static io.hazwatch.sync.link.LinkFixtures.FAST;
import static io.hazwatch.sync.link.LinkFixtures.all;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hazwatch.sync.journal.Pending;
import io.hazwatch.sync.link.LinkFixtures.ChildNode;
import io.hazwatch.sync.link.LinkFixtures.ParentNode;
import io.hazwatch.sync.model.AlarmLimit;
import io.hazwatch.sync.model.Lane;
import io.hazwatch.sync.model.PointInfo;
import io.hazwatch.sync.model.PointValue;
import io.hazwatch.sync.model.Reading;
import io.hazwatch.sync.model.SyncRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The META lane carries point catalogues, only to parents that negotiated protocol version 3 or later:
 * an older parent would refuse a whole batch on the unknown record kind, so there the catalogue waits
 * in the journal, pending, while everything else flows.
 */
class UplinkCatalogueTest {
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
    void aParentSpeakingVersionThreeReceivesTheCatalogueAsPublished() throws Exception {
        ParentNode parent = closeLater(ParentNode.start(dir.resolve("parent.mv.db")));
        ChildNode child = closeLater(new ChildNode(dir.resolve("edge.mv.db"), EDGE, EDGE,
                List.of(parent.parentAddress()), FAST));
        List<SyncRecord> catalogue = child.journal.localSink().append(Lane.META, catalogue(5));

        child.uplink.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> child.journal.pendingCount(Lane.META) == 0);

        assertThat(all(parent.journal, Lane.META)).extracting(Pending::record)
                .containsExactlyInAnyOrderElementsOf(catalogue);
    }

    @Test
    void aParentSpeakingVersionTwoIsNeverSentTheCatalogueWhichStaysPending() throws Exception {
        ParentNode parent = closeLater(ParentNode.start(dir.resolve("parent.mv.db")));
        ChildNode child = closeLater(new ChildNode(dir.resolve("edge.mv.db"), EDGE, EDGE,
                List.of(parent.parentAddress()), FAST.withMaxVersion(2)));
        child.journal.localSink().append(Lane.META, catalogue(5));
        List<Reading> readings = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            readings.add(new Reading("site/dev/p" + (i % 5), LinkFixtures.T + i, PointValue.of(i), 0));
        }
        child.journal.localSink().append(Lane.CURRENT, readings);

        child.uplink.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> child.journal.pendingCount(Lane.CURRENT) == 0);

        assertThat(all(parent.journal, Lane.CURRENT)).hasSize(100);
        assertThat(all(parent.journal, Lane.META)).isEmpty();
        assertThat(child.journal.pendingCount(Lane.META)).as("the catalogue waits for a parent that takes it")
                .isEqualTo(5);
        assertThat(child.uplink.status().lastError()).isEmpty();
    }

    private static List<PointInfo> catalogue(int points) {
        List<PointInfo> out = new ArrayList<>();
        for (int p = 0; p < points; p++) {
            out.add(new PointInfo("site/dev/p" + p, LinkFixtures.T, "m", "float32", Optional.empty(),
                    OptionalDouble.empty(), OptionalDouble.empty(), Optional.empty(),
                    Map.of(AlarmLimit.H, 10.0 + p, AlarmLimit.HH, 20.0 + p)));
        }
        return out;
    }
}
