package io.hazwatch.sync.link;

import static io.hazwatch.sync.link.LinkFixtures.COUNTY;
import static io.hazwatch.sync.link.LinkFixtures.EDGE;
import static io.hazwatch.sync.link.LinkFixtures.FAST;
import static io.hazwatch.sync.link.LinkFixtures.all;
import static io.hazwatch.sync.link.LinkFixtures.alarm;
import static io.hazwatch.sync.link.LinkFixtures.appendCurrent;
import static io.hazwatch.sync.link.LinkFixtures.held;
import static io.hazwatch.sync.link.LinkFixtures.readings;
import static io.hazwatch.sync.link.LinkFixtures.rec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hazwatch.sync.journal.Pending;
import io.hazwatch.sync.link.LinkFixtures.ChildNode;
import io.hazwatch.sync.link.LinkFixtures.GatedStore;
import io.hazwatch.sync.link.LinkFixtures.ParentNode;
import io.hazwatch.sync.model.Lane;
import io.hazwatch.sync.model.StreamKey;
import io.hazwatch.sync.model.SyncRecord;
import io.hazwatch.sync.ranges.RangeSet;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Uplink and a real SyncServer on loopback, each over a real journal file: the custody guarantees
 * of ARCHITECTURE.md section 3 end to end over one hop.
 */
class UplinkToServerTest {
    private static final Duration BULK = Duration.ofSeconds(60);

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

    private ChildNode edge(ParentAddress... parents) {
        return closeLater(new ChildNode(dir.resolve("edge.mv.db"), EDGE, EDGE, List.of(parents), FAST));
    }

    // ---- (a) custody transfer

    @Test
    void recordsFlowToTheParentAndAreDeletedAtTheChildOnlyOnceAcknowledged() throws Exception {
        ParentNode parent = closeLater(ParentNode.start(dir.resolve("parent.mv.db")));
        ChildNode child = edge(parent.parentAddress());
        List<SyncRecord> sent = new ArrayList<>(appendCurrent(child.journal, 5_000));
        sent.addAll(child.journal.localSink().append(Lane.ALARM, List.of(alarm(0), alarm(1))));
        sent.addAll(child.journal.localSink().append(Lane.META, readings(3, 0)));

        child.uplink.start();

        await().atMost(BULK).until(() -> parent.journal.pendingCount() == sent.size());
        await().atMost(BULK).until(() -> child.journal.pendingCount() == 0);
        List<SyncRecord> received = new ArrayList<>();
        for (Lane lane : Lane.values()) {
            all(parent.journal, lane).forEach(p -> received.add(p.record()));
        }
        assertThat(received).containsExactlyInAnyOrderElementsOf(sent);
        assertThat(held(parent.journal)).containsEntry(new StreamKey(EDGE, Lane.CURRENT), RangeSet.of(0, 4_999))
                .containsEntry(new StreamKey(EDGE, Lane.ALARM), RangeSet.of(0, 1))
                .containsEntry(new StreamKey(EDGE, Lane.META), RangeSet.of(0, 2));
        UplinkStatus status = child.uplink.status();
        assertThat(status.state()).isEqualTo(LinkState.STREAMING);
        assertThat(status.recordsAcked()).isEqualTo(sent.size());
        assertThat(status.backlog()).isZero();
        assertThat(status.lastError()).isEmpty();
        ChildLinkStatus atParent = parent.server.childStatus().get(EDGE);
        assertThat(atParent.connected()).isTrue();
        assertThat(atParent.records()).isEqualTo(sent.size());
        assertThat(atParent.refusals()).isZero();
    }

    @Test
    void recordsAppendedWhileStreamingFollowWithoutAnyPolling() throws Exception {
        ParentNode parent = closeLater(ParentNode.start(dir.resolve("parent.mv.db")));
        ChildNode child = edge(parent.parentAddress());
        child.uplink.start();
        await().until(() -> child.uplink.status().state() == LinkState.STREAMING);

        for (int i = 0; i < 20; i++) {
            child.journal.localSink().append(Lane.CURRENT, readings(10, i * 10));
        }

        await().until(() -> parent.journal.pendingCount() == 200);
        await().until(() -> child.journal.pendingCount() == 0);
        assertThat(held(parent.journal)).containsEntry(new StreamKey(EDGE, Lane.CURRENT), RangeSet.of(0, 199));
    }

    @Test
    void theChildReportsItsBacklogToTheParentInPings() throws Exception {
        ParentNode parent = closeLater(ParentNode.start(dir.resolve("parent.mv.db"), 0,
                j -> new GatedStore(j, 0, GatedStore.Mode.HOLD)));
        ChildNode child = edge(parent.parentAddress());
        appendCurrent(child.journal, 3_000);

        child.uplink.start();

        // nothing is ever acknowledged, so the child keeps reporting all 3,000
        await().until(() -> parent.server.childStatus().containsKey(EDGE)
                && parent.server.childStatus().get(EDGE).backlog() == 3_000);
        assertThat(child.uplink.status().inFlightRecords()).isEqualTo(FAST.windowBatches() * (long) FAST.batchRecords());
    }

    // ---- (b) alarms first

    @Test
    void anAlarmJournaledAfterFiftyThousandCurrentRecordsReachesTheParentBeforeAnyOfThem() throws Exception {
        ParentNode parent = closeLater(ParentNode.start(dir.resolve("parent.mv.db")));
        ChildNode child = edge(parent.parentAddress());
        appendCurrent(child.journal, 50_000);
        child.journal.localSink().append(Lane.ALARM, List.of(alarm(0)));
        long alarmAtChild = all(child.journal, Lane.ALARM).get(0).position();
        assertThat(all(child.journal, Lane.CURRENT)).allSatisfy(p -> assertThat(p.position()).isLessThan(alarmAtChild));

        child.uplink.start();

        await().atMost(BULK).until(() -> parent.journal.pendingCount() == 50_001);
        long alarmAtParent = all(parent.journal, Lane.ALARM).get(0).position();
        List<Pending> current = all(parent.journal, Lane.CURRENT);
        assertThat(current).hasSize(50_000);
        assertThat(alarmAtParent).isLessThan(current.get(0).position());
    }

    @Test
    void anAlarmRaisedWhileFiftyThousandCurrentRecordsArePendingOvertakesAllButTheWindow() throws Exception {
        int backlog = 50_000;
        GatedStore[] gate = new GatedStore[1];
        ParentNode parent = closeLater(ParentNode.start(dir.resolve("parent.mv.db"), 0,
                j -> gate[0] = new GatedStore(j, 1, GatedStore.Mode.HOLD)));
        ChildNode child = edge(parent.parentAddress());
        appendCurrent(child.journal, backlog);
        child.uplink.start();
        // one batch acknowledged, then the window is full and held at the parent
        await().until(() -> gate[0].gated() == FAST.windowBatches());
        assertThat(child.journal.pendingCount(Lane.CURRENT)).isGreaterThan(backlog - 2L * FAST.batchRecords());

        child.journal.localSink().append(Lane.ALARM, List.of(alarm(0)));
        // the alarm goes at once, beyond the full window, in a batch of its own: held at the gate too
        await().until(() -> gate[0].gated() == FAST.windowBatches() + 1);
        gate[0].release();

        await().atMost(BULK).until(() -> parent.journal.pendingCount() == backlog + 1);
        long alarmAtParent = all(parent.journal, Lane.ALARM).get(0).position();
        List<Pending> current = all(parent.journal, Lane.CURRENT);
        long currentAfterAlarm = current.stream().filter(p -> p.position() > alarmAtParent).count();
        assertThat(alarmAtParent).isLessThan(current.get(current.size() - 1).position());
        // ahead of the alarm: the batch already acknowledged and at most one window (UplinkOptions javadoc)
        long mostAhead = (1L + FAST.windowBatches()) * FAST.batchRecords();
        assertThat(currentAfterAlarm).isGreaterThanOrEqualTo(backlog - mostAhead);
    }

    @Test
    void afterAnOutageLiveValuesOvertakeTheHistoryThatPiledUpDuringIt() throws Exception {
        int history = 30_000;
        GatedStore[] gate = new GatedStore[1];
        ParentNode parent = closeLater(ParentNode.start(dir.resolve("parent.mv.db"), 0,
                j -> gate[0] = new GatedStore(j, 1, GatedStore.Mode.HOLD)));
        ChildNode child = edge(parent.parentAddress());
        appendCurrent(child.journal, history);           // journaled while the parent was out of reach
        child.uplink.start();
        await().until(() -> gate[0].gated() == FAST.windowBatches());

        // a reading taken now, after the link came back: the present
        List<SyncRecord> live = child.journal.localSink().append(Lane.CURRENT, readings(3, history));
        gate[0].release();

        await().atMost(BULK).until(() -> parent.journal.pendingCount() == history + 3);
        List<Pending> atParent = all(parent.journal, Lane.CURRENT);
        long lastLive = atParent.stream().filter(p -> p.record().seq() >= history).mapToLong(Pending::position)
                .max().orElseThrow();
        long historyAfterLive = atParent.stream().filter(p -> p.position() > lastLive).count();
        // ahead of them: the batches already on the wire when the live values were taken (the acknowledged
        // first one, the window, and one the acknowledgement race may let out before the live records are
        // durable), and history filling the batch that carries them (stored group by group, point by point)
        long mostAhead = (3L + FAST.windowBatches()) * FAST.batchRecords();
        assertThat(historyAfterLive).isGreaterThanOrEqualTo(history - mostAhead);
        assertThat(live).extracting(SyncRecord::seq).containsExactly((long) history, history + 1L, history + 2L);
        assertThat(held(parent.journal).get(new io.hazwatch.sync.model.StreamKey(EDGE, Lane.CURRENT)))
                .isEqualTo(io.hazwatch.sync.ranges.RangeSet.of(0, history + 2L));
    }

    // ---- (c) resume after the parent stops mid-stream

    @Test
    void aParentRestartedMidStreamOnTheSameJournalEndsWithEveryRecordExactlyOnce() throws Exception {
        int n = 20_000;
        Path parentFile = dir.resolve("parent.mv.db");
        GatedStore[] gate = new GatedStore[1];
        ParentNode first = closeLater(ParentNode.start(parentFile, 0,
                j -> gate[0] = new GatedStore(j, 5, GatedStore.Mode.STORE_WITHOUT_ACK)));
        int port = first.address.getPort();
        ChildNode child = edge(first.parentAddress());
        appendCurrent(child.journal, n);
        child.uplink.start();

        // five batches acknowledged; a full window stored at the parent whose acknowledgements never left
        await().atMost(BULK).until(() -> gate[0].gated() == FAST.windowBatches());
        long storedBeforeStop = first.journal.pendingCount();
        assertThat(storedBeforeStop).isEqualTo((5L + FAST.windowBatches()) * FAST.batchRecords()).isLessThan(n);
        await().until(() -> child.journal.pendingCount() == n - 5L * FAST.batchRecords());
        first.close();
        await().until(() -> child.uplink.status().state() == LinkState.BACKING_OFF
                || child.uplink.status().state() == LinkState.CONNECTING);
        assertThat(child.journal.pendingCount()).as("nothing deleted without an acknowledgement")
                .isEqualTo(n - 5L * FAST.batchRecords());

        ParentNode second = closeLater(ParentNode.start(parentFile, port, j -> j));

        await().atMost(BULK).until(() -> second.journal.pendingCount() == n);
        await().atMost(BULK).until(() -> child.journal.pendingCount() == 0);
        assertThat(held(second.journal)).containsExactly(Map.entry(new StreamKey(EDGE, Lane.CURRENT), RangeSet.of(0, n - 1)));
        List<Pending> atParent = all(second.journal, Lane.CURRENT);
        Set<Long> seqs = new TreeSet<>();
        atParent.forEach(p -> seqs.add(p.record().seq()));
        assertThat(atParent).hasSize(n);
        assertThat(seqs).hasSize(n);
        // the resume points in WELCOME told the child what the first parent had stored but not acknowledged:
        // it did not even resend those
        assertThat(second.journal.duplicatesDropped()).isZero();
        assertThat(child.uplink.status().reconnects()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void recordsTheParentAlreadyHoldsAreNotResentAndAreDeletedAtTheChild() throws Exception {
        ParentNode parent = closeLater(ParentNode.start(dir.resolve("parent.mv.db")));
        ChildNode child = edge(parent.parentAddress());
        List<SyncRecord> mine = appendCurrent(child.journal, 200);
        parent.journal.accept(mine.subList(0, 100)).toCompletableFuture().get();

        child.uplink.start();

        await().until(() -> parent.journal.pendingCount() == 200);
        await().until(() -> child.journal.pendingCount() == 0);
        assertThat(parent.journal.duplicatesDropped()).isZero();
        assertThat(child.uplink.status().recordsSent()).isEqualTo(100);
    }

    // ---- failover and refusal

    @Test
    void anUplinkWhosePrimaryParentIsDownStreamsToItsBackup() throws Exception {
        ParentNode backup = closeLater(ParentNode.start(dir.resolve("backup.mv.db")));
        int deadPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            deadPort = s.getLocalPort();
        }
        ChildNode child = edge(new ParentAddress("primary", "127.0.0.1", deadPort), backup.parentAddress());
        appendCurrent(child.journal, 1_000);

        child.uplink.start();

        await().until(() -> backup.journal.pendingCount() == 1_000);
        await().until(() -> child.journal.pendingCount() == 0);
        assertThat(child.uplink.status().parent()).contains(String.valueOf(backup.address.getPort()));
        assertThat(child.uplink.status().reconnects()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void anUnregisteredChildIsRefusedBacksOffAndKeepsEverythingItHolds() throws Exception {
        ParentNode parent = closeLater(ParentNode.start(dir.resolve("parent.mv.db")));
        ChildNode stranger = closeLater(new ChildNode(dir.resolve("stranger.mv.db"), "139999", "139999",
                List.of(parent.parentAddress()), FAST));
        appendCurrent(stranger.journal, 100);
        AtomicReference<String> lastError = new AtomicReference<>("");

        stranger.uplink.start();

        await().until(() -> {
            lastError.set(stranger.uplink.status().lastError());
            return lastError.get().contains("NOT_REGISTERED");
        });
        assertThat(lastError.get()).contains("139999");
        assertThat(stranger.uplink.status().reconnects()).isGreaterThanOrEqualTo(1);
        assertThat(stranger.journal.pendingCount()).isEqualTo(100);
        assertThat(parent.journal.pendingCount()).isZero();
    }

    @Test
    void aCountyRelayForwardsRecordsOfEveryOriginInItsSubtreeUnrenumbered() throws Exception {
        ParentNode parent = closeLater(ParentNode.start(dir.resolve("parent.mv.db")));
        ChildNode county = closeLater(new ChildNode(dir.resolve("county.mv.db"), COUNTY, null,
                List.of(parent.parentAddress()), FAST));
        List<SyncRecord> fromEdges = new ArrayList<>();
        for (int s = 0; s < 50; s++) {
            fromEdges.add(rec(EDGE, Lane.CURRENT, 1_000 + s));
            fromEdges.add(rec("130102-E0007-01", Lane.BACKFILL, s * 2L));
        }
        county.journal.accept(fromEdges).toCompletableFuture().get();

        county.uplink.start();

        await().until(() -> parent.journal.pendingCount() == 100);
        Set<SyncRecord> received = new HashSet<>();
        for (Lane lane : Lane.values()) {
            all(parent.journal, lane).forEach(p -> received.add(p.record()));
        }
        assertThat(received).containsExactlyInAnyOrderElementsOf(fromEdges);
    }

    @Test
    void closingTheUplinkEndsInClosedAndStopsSending() throws Exception {
        ParentNode parent = closeLater(ParentNode.start(dir.resolve("parent.mv.db")));
        ChildNode child = edge(parent.parentAddress());
        child.uplink.start();
        await().until(() -> child.uplink.status().state() == LinkState.STREAMING);

        child.uplink.close();
        child.journal.localSink().append(Lane.ALARM, List.of(alarm(0)));

        assertThat(child.uplink.status().state()).isEqualTo(LinkState.CLOSED);
        await().until(() -> !parent.server.childStatus().get(EDGE).connected());
        assertThat(parent.journal.pendingCount()).isZero();
        assertThat(child.journal.pendingCount()).isEqualTo(1);
    }
}
