package io.hazwatch.sync.link;

import static io.hazwatch.sync.link.LinkFixtures.EDGE;
import static io.hazwatch.sync.link.LinkFixtures.FAST;
import static io.hazwatch.sync.link.LinkFixtures.all;
import static io.hazwatch.sync.link.LinkFixtures.alarm;
import static io.hazwatch.sync.link.LinkFixtures.readings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.hazwatch.sync.link.LinkFixtures.ChildNode;
import io.hazwatch.sync.link.LinkFixtures.FakeParent;
import io.hazwatch.sync.link.LinkFixtures.RawPeer;
import io.hazwatch.sync.model.Lane;
import io.hazwatch.sync.model.StreamKey;
import io.hazwatch.sync.model.SyncRecord;
import io.hazwatch.sync.ranges.RangeSet;
import io.hazwatch.sync.wire.ErrorCode;
import io.hazwatch.sync.wire.Frame;
import io.hazwatch.sync.wire.FrameCodec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The child end against a parent played by hand on a plain socket, so each step of the conversation is
 * chosen by the test: what a child deletes, what it resends, how it treats a parent that breaks the rules.
 */
class UplinkTest {
    private static final StreamKey EDGE_CURRENT = new StreamKey(EDGE, Lane.CURRENT);

    @TempDir
    Path dir;

    private FakeParent parent;
    private ChildNode child;

    @BeforeEach
    void start() {
        parent = new FakeParent();
        child = new ChildNode(dir.resolve("edge.mv.db"), EDGE, EDGE, List.of(parent.address()), FAST);
    }

    @AfterEach
    void stop() {
        child.close();
        parent.close();
    }

    private RawPeer acceptHello() {
        RawPeer p = parent.accept();
        Frame.Hello h = p.read(Frame.Hello.class);
        assertThat(h.nodeId()).isEqualTo(EDGE);
        assertThat(h.minVersion()).isEqualTo(FrameCodec.MIN_VERSION);
        assertThat(h.maxVersion()).isEqualTo(FrameCodec.MAX_VERSION);
        return p;
    }

    @Test
    void theChildDeletesOnlyWhatTheAckCoversAndResendsTheRestAfterReconnecting() {
        child.journal.localSink().append(Lane.CURRENT, readings(10, 0));
        child.uplink.start();
        RawPeer first = acceptHello();
        first.send(new Frame.Welcome(1, "fake", 0, Map.of()));
        Frame.Batch batch = first.read(Frame.Batch.class);
        assertThat(batch.records()).extracting(SyncRecord::seq).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);

        first.send(new Frame.Ack(batch.batchId(), Map.of(EDGE_CURRENT, RangeSet.of(0, 4))));

        await().until(() -> child.journal.pendingCount() == 5);
        assertThat(all(child.journal, Lane.CURRENT)).extracting(p -> p.record().seq()).containsExactly(5L, 6L, 7L, 8L, 9L);
        assertThat(child.uplink.status().recordsAcked()).isEqualTo(5);

        first.close(); // the connection drops; 5..9 were never acknowledged
        RawPeer second = acceptHello();
        second.send(new Frame.Welcome(1, "fake", 0, Map.of(EDGE_CURRENT, RangeSet.of(0, 4))));
        Frame.Batch resent = second.read(Frame.Batch.class);
        assertThat(resent.records()).extracting(SyncRecord::seq).containsExactly(5L, 6L, 7L, 8L, 9L);
        second.close();
    }

    @Test
    void recordsTheWelcomeSaysTheParentHoldsAreDeletedWithoutBeingSent() {
        child.journal.localSink().append(Lane.CURRENT, readings(10, 0));
        child.journal.localSink().append(Lane.ALARM, List.of(alarm(0)));
        child.uplink.start();
        RawPeer p = acceptHello();

        p.send(new Frame.Welcome(1, "fake", 0, Map.of(EDGE_CURRENT, RangeSet.of(0, 9))));

        Frame.Batch batch = p.read(Frame.Batch.class);
        assertThat(batch.records()).extracting(r -> r.lane() + "#" + r.seq()).containsExactly("ALARM#0");
        await().until(() -> child.journal.pendingCount(Lane.CURRENT) == 0);
        assertThat(child.uplink.status().recordsSent()).isEqualTo(1);
        p.close();
    }

    @Test
    void anAckForABatchTheChildNeverSentChangesNothing() {
        child.uplink.start();
        RawPeer p = acceptHello();
        p.send(new Frame.Welcome(1, "fake", 0, Map.of()));
        await().until(() -> child.uplink.status().state() == LinkState.STREAMING);

        p.send(new Frame.Ack(12_345, Map.of(EDGE_CURRENT, RangeSet.of(0, 100))));
        child.journal.localSink().append(Lane.CURRENT, readings(3, 0));

        // the stray ack's ranges were not believed: the new records are sent, not deleted
        Frame.Batch batch = p.read(Frame.Batch.class);
        assertThat(batch.records()).extracting(SyncRecord::seq).containsExactly(0L, 1L, 2L);
        assertThat(child.journal.pendingCount()).isEqualTo(3);
        p.close();
    }

    @Test
    void theChildAnswersTheParentsPingAndPingsWithItsBacklog() {
        child.journal.localSink().append(Lane.BACKFILL, readings(7, 0));
        child.uplink.start();
        RawPeer p = acceptHello();
        p.send(new Frame.Welcome(1, "fake", 0, Map.of()));

        p.send(new Frame.Ping(99, 0, 0));

        boolean pong = false;
        boolean ping = false;
        while (!pong || !ping) {
            Frame f = p.readAny();
            if (f instanceof Frame.Pong o) {
                assertThat(o.nonce()).isEqualTo(99);
                pong = true;
            } else if (f instanceof Frame.Ping g) {
                assertThat(g.backlog()).isEqualTo(7);
                ping = true;
            }
        }
        p.close();
    }

    @Test
    void aParentSendingAnUndecodableFrameGetsAnErrorAndTheChildRetries() {
        child.uplink.start();
        RawPeer p = acceptHello();

        p.sendRaw(new byte[] {0, 0, 0, 1, 0x7F});

        Frame.Error e = p.read(Frame.Error.class);
        assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_FRAME_TYPE);
        assertThat(p.closedByPeer()).isTrue();
        assertThat(child.uplink.status().lastError()).contains("protocol error from parent");
        acceptHello().close(); // and it comes back
        assertThat(child.uplink.status().reconnects()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aParentRefusalIsKeptAsTheLastErrorAndNothingIsDeleted() {
        child.journal.localSink().append(Lane.CURRENT, readings(4, 0));
        child.uplink.start();
        RawPeer p = acceptHello();

        p.send(new Frame.Error(ErrorCode.STORE_FAILURE, "disk full at the county"));
        p.close();

        await().until(() -> child.uplink.status().lastError().contains("STORE_FAILURE disk full at the county"));
        assertThat(child.journal.pendingCount()).isEqualTo(4);
        acceptHello().close();
    }

    @Test
    void aParentThatNeverWelcomesIsLeftAfterTheIdleTimeout() {
        ChildNode impatient = new ChildNode(dir.resolve("impatient.mv.db"), EDGE, EDGE, List.of(parent.address()),
                new UplinkOptions(4, 500, Duration.ofSeconds(2), Duration.ofMillis(50), Duration.ofMillis(400),
                        Duration.ofMillis(500), Duration.ofMillis(300)));
        try {
            impatient.uplink.start();
            RawPeer p = acceptHello(); // and then silence

            assertThat(p.closedByPeer()).isTrue();
            await().until(() -> impatient.uplink.status().lastError().contains("silent"));
            acceptHello().close();
        } finally {
            impatient.close();
        }
    }

    @Test
    void optionsThatCouldNeverDeliverAreRefused() {
        assertThatThrownBy(() -> FAST.withWindow(0, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FAST.withWindow(1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FAST.withWindow(1, FrameCodec.MAX_BATCH_RECORDS + 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(String.valueOf(FrameCodec.MAX_BATCH_RECORDS));
        assertThat(FAST.withWindow(1, FrameCodec.MAX_BATCH_RECORDS).batchRecords()).isEqualTo(FrameCodec.MAX_BATCH_RECORDS);
    }

    @Test
    void anUplinkNeedsAParent() {
        assertThatThrownBy(() -> new Uplink(EDGE, List.of(), child.journal, FAST, child.group, java.time.Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
