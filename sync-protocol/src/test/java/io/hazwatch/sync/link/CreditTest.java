package io.hazwatch.sync.link;

import static io.hazwatch.sync.link.LinkFixtures.EDGE;
import static io.hazwatch.sync.link.LinkFixtures.FAST;
import static io.hazwatch.sync.link.LinkFixtures.PARENT;
import static io.hazwatch.sync.link.LinkFixtures.REGISTRY;
import static io.hazwatch.sync.link.LinkFixtures.alarm;
import static io.hazwatch.sync.link.LinkFixtures.appendCurrent;
import static io.hazwatch.sync.link.LinkFixtures.held;
import static io.hazwatch.sync.link.LinkFixtures.rec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hazwatch.sync.journal.CustodyStore;
import io.hazwatch.sync.journal.Journal;
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
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Credit (protocol version 3, docs/sync-protocol.md section 8.3): a parent that cannot keep up
 * throttles its child through the credit it advertises, its queue stays bounded, and everything still
 * arrives exactly once; peers of version 2 go on as before; credit out of bounds is refused.
 */
class CreditTest {
    private static final Duration BULK = Duration.ofSeconds(90);

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

    /**
     * A real journal whose commits are slowed by {@code delayMillis} each (a parent on a slow disk):
     * counts the records handed to it and not yet completed, the parent's commit queue.
     */
    static final class SlowStore implements CustodyStore, AutoCloseable {
        private final Journal journal;
        private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        private final AtomicLong queued = new AtomicLong();
        private final AtomicLong maxQueued = new AtomicLong();
        volatile long delayMillis;

        SlowStore(Journal journal, long delayMillis) {
            this.journal = journal;
            this.delayMillis = delayMillis;
        }

        @Override
        public CompletionStage<Map<StreamKey, RangeSet>> accept(List<SyncRecord> records) {
            long q = queued.addAndGet(records.size());
            maxQueued.accumulateAndGet(q, Math::max);
            CompletableFuture<Map<StreamKey, RangeSet>> f = new CompletableFuture<>();
            // one batch after the other, each delayed: a store that commits slowly, in order
            timer.schedule(() -> {
                try {
                    f.complete(journal.accept(records).toCompletableFuture().get());
                } catch (Exception e) {
                    f.completeExceptionally(e);
                }
            }, delayMillis, TimeUnit.MILLISECONDS);
            return f.whenComplete((v, e) -> queued.addAndGet(-records.size()));
        }

        @Override
        public CompletionStage<Map<StreamKey, RangeSet>> held(Predicate<String> originFilter) {
            return journal.held(originFilter);
        }

        @Override
        public long queuedRecords() {
            return queued.get();
        }

        @Override
        public void close() {
            timer.shutdownNow();
        }
    }

    private SyncServer server(CustodyStore store, ReceiveBuffer buffer) throws Exception {
        LinkTransport group = closeLater(LinkTransport.create(2));
        SyncServer s = closeLater(new SyncServer(PARENT, REGISTRY, store, group, Clock.systemUTC(),
                Duration.ofSeconds(15), buffer));
        return s;
    }

    @Test
    void aSlowParentThrottlesItsChildThroughCreditAndEverythingArrivesExactlyOnceWhenItSpeedsUp() throws Exception {
        int total = 20_000;
        ReceiveBuffer buffer = new ReceiveBuffer(2_000, 4);
        Journal parentJournal = closeLater(Journal.open(dir.resolve("parent.mv.db"), null));
        SlowStore slow = closeLater(new SlowStore(parentJournal, 150));
        SyncServer server = server(slow, buffer);
        InetSocketAddress at = server.bind("127.0.0.1", 0);
        // without credit this child would keep 16 x 500 = 8,000 records unacknowledged
        ChildNode child = closeLater(new ChildNode(dir.resolve("edge.mv.db"), EDGE, EDGE,
                List.of(new ParentAddress(PARENT, "127.0.0.1", at.getPort())), FAST.withWindow(16, 500)));
        appendCurrent(child.journal, total);
        child.uplink.start();

        await().atMost(BULK).until(() -> parentJournal.pendingCount() >= total / 4);
        assertThat(child.uplink.status().maxInFlightRecords()).as("records the child had unacknowledged")
                .isPositive().isLessThanOrEqualTo(buffer.records());
        assertThat(slow.maxQueued.get()).as("records queued for commit at the parent")
                .isLessThanOrEqualTo(buffer.records());
        assertThat(child.journal.pendingCount()).as("the rest waits at the child").isGreaterThan(total / 2);

        slow.delayMillis = 0; // the parent catches up
        await().atMost(BULK).until(() -> parentJournal.pendingCount() == total && child.journal.pendingCount() == 0);
        assertThat(held(parentJournal).get(new StreamKey(EDGE, Lane.CURRENT))).isEqualTo(RangeSet.of(0, total - 1));
        assertThat(parentJournal.duplicatesDropped()).isZero();
        assertThat(slow.maxQueued.get()).isLessThanOrEqualTo(buffer.records());
    }

    @Test
    void aRelayWhoseJournalNearsItsQuotaClosesItsCreditAndReopensItOnceItDrains() throws Exception {
        int total = 30_000;
        // the quota: less than half of what the backlog takes in the journal form, whatever its size per record
        long backlogBytes;
        try (Journal scratch = Journal.open(dir.resolve("scratch.mv.db"), EDGE)) {
            appendCurrent(scratch, total);
            backlogBytes = scratch.pendingBytes();
        }
        Journal relay = closeLater(Journal.open(dir.resolve("relay.mv.db"), null, backlogBytes * 45 / 100));
        SyncServer server = server(relay, new ReceiveBuffer(2_000, 4));
        InetSocketAddress at = server.bind("127.0.0.1", 0);
        ChildNode child = closeLater(new ChildNode(dir.resolve("edge.mv.db"), EDGE, EDGE,
                List.of(new ParentAddress(PARENT, "127.0.0.1", at.getPort())), FAST));
        appendCurrent(child.journal, total);
        child.uplink.start();

        // the relay's own uplink is stalled (it has none here): its journal fills towards the quota and
        // its credit closes, so the child keeps the rest of its backlog instead of the relay evicting it
        await().atMost(BULK).until(() -> child.uplink.credit() != null && child.uplink.credit().records() == 0
                && child.uplink.status().inFlightRecords() == 0
                && child.journal.pendingCount() + relay.pendingCount() == total);
        long atRelay = relay.pendingCount();
        assertThat(atRelay).isPositive().isLessThan(total);
        assertThat(relay.intakeShare()).isZero();
        assertThat(relay.evicted()).isZero();

        // the relay's own parent takes its records: it drains, its credit reopens, the child goes on
        long[] positions = relay.next(Lane.CURRENT, -1, Integer.MAX_VALUE).stream()
                .mapToLong(p -> p.position()).toArray();
        relay.remove(Lane.CURRENT, positions);
        await().atMost(BULK).until(() -> child.journal.pendingCount() < total - atRelay && relay.pendingCount() > 0);
        assertThat(relay.evicted()).isZero();
    }

    @Test
    void aVersion2ChildGetsNoCreditAndStreamsAsBefore() throws Exception {
        Journal parentJournal = closeLater(Journal.open(dir.resolve("parent.mv.db"), null));
        SyncServer server = server(parentJournal, new ReceiveBuffer(1_000, 2));
        InetSocketAddress at = server.bind("127.0.0.1", 0);

        try (RawPeer peer = RawPeer.connect(at)) {
            // a version-2 reader decodes every frame the parent sends: no credit anywhere
            peer.send(new Frame.Hello(1, 2, EDGE, 0));
            Frame.Welcome w = peer.read(Frame.Welcome.class);
            assertThat(w.version()).isEqualTo(2);
            assertThat(w.credit()).isNull();
            peer.send(new Frame.Batch(0, List.of(rec(EDGE, Lane.CURRENT, 0), rec(EDGE, Lane.CURRENT, 1))));
            Frame.Ack a = peer.read(Frame.Ack.class);
            assertThat(a.batchId()).isZero();
            assertThat(a.credit()).isNull();
        }

        ChildNode child = closeLater(new ChildNode(dir.resolve("edge.mv.db"), EDGE, EDGE,
                List.of(new ParentAddress(PARENT, "127.0.0.1", at.getPort())), FAST.withMaxVersion(2)));
        appendCurrent(child.journal, 5_000);
        child.uplink.start();
        await().atMost(BULK).until(() -> child.journal.pendingCount() == 0);
        assertThat(child.uplink.credit()).isNull();
        assertThat(held(parentJournal).get(new StreamKey(EDGE, Lane.CURRENT))).isEqualTo(RangeSet.of(0, 4_999));
    }

    @Test
    void aVersion3ChildOfferedCreditGetsItInTheWelcomeAndInEveryAck() throws Exception {
        Journal parentJournal = closeLater(Journal.open(dir.resolve("parent.mv.db"), null));
        SyncServer server = server(parentJournal, new ReceiveBuffer(1_000, 2));
        InetSocketAddress at = server.bind("127.0.0.1", 0);

        try (RawPeer peer = RawPeer.connect(at)) {
            peer.send(new Frame.Hello(1, 3, EDGE, 0));
            Frame.Welcome w = (Frame.Welcome) readV3(peer);
            assertThat(w.version()).isEqualTo(3);
            assertThat(w.credit()).isEqualTo(new Frame.Credit(1_000, 2));
            peer.send(new Frame.Batch(0, List.of(rec(EDGE, Lane.CURRENT, 0))));
            Frame f = readV3(peer);
            while (f instanceof Frame.Credit) {
                f = readV3(peer);
            }
            assertThat(f).isInstanceOf(Frame.Ack.class);
            assertThat(((Frame.Ack) f).credit()).isEqualTo(new Frame.Credit(1_000, 2));
        }
    }

    @Test
    void aVersion3ChildStreamsToAParentThatAnswersVersion2() throws Exception {
        try (FakeParent fake = new FakeParent()) {
            ChildNode child = closeLater(new ChildNode(dir.resolve("edge.mv.db"), EDGE, EDGE,
                    List.of(fake.address()), FAST));
            child.journal.localSink().append(Lane.ALARM, List.of(alarm(0)));
            child.uplink.start();
            try (RawPeer parent = fake.accept()) {
                Frame.Hello h = parent.read(Frame.Hello.class);
                assertThat(h.maxVersion()).isEqualTo(3);
                parent.send(new Frame.Welcome(2, "fake", 0, Map.of()));
                Frame.Batch b = readBatchV2(parent);
                parent.send(new Frame.Ack(b.batchId(), Map.of(new StreamKey(EDGE, Lane.ALARM), RangeSet.of(0, 0))));
                await().until(() -> child.journal.pendingCount() == 0);
                assertThat(child.uplink.credit()).isNull();
            }
        }
    }

    @Test
    void creditOutOfBoundsFromAParentIsRefusedAsMalformedAndTheChildKeepsItsRecords() throws Exception {
        try (FakeParent fake = new FakeParent()) {
            ChildNode child = closeLater(new ChildNode(dir.resolve("edge.mv.db"), EDGE, EDGE,
                    List.of(fake.address()), FAST));
            child.journal.localSink().append(Lane.ALARM, List.of(alarm(0)));
            child.uplink.start();
            try (RawPeer parent = fake.accept()) {
                parent.read(Frame.Hello.class);
                // a version-3 welcome with no streams and 2^31 records of credit: one past the maximum
                io.hazwatch.sync.wire.WireWriter w = new io.hazwatch.sync.wire.WireWriter(64);
                w.u8(Frame.FrameType.WELCOME).u16(3).string("fake").varlong(0).varlong(0)
                        .varlong(Frame.Credit.MAX_RECORDS + 1).varlong(4);
                byte[] body = w.toByteArray();
                parent.sendRaw(ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array());

                Frame.Error e = parent.read(Frame.Error.class);
                assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_FRAME);
                assertThat(e.message()).contains("credit");
                assertThat(parent.closedByPeer()).isTrue();
            }
            await().until(() -> child.uplink.status().lastError().contains("credit"));
            assertThat(child.journal.pendingCount()).isEqualTo(1);
        }
    }

    /** The next frame other than ping or pong, decoded as a version-3 connection reads it. */
    private static Frame readV3(RawPeer peer) {
        while (true) {
            byte[] body = peer.readBody();
            Frame f = FrameCodec.decode(body, 0, body.length, 3);
            if (!(f instanceof Frame.Ping) && !(f instanceof Frame.Pong)) {
                return f;
            }
        }
    }

    /** A compact batch from the child (version 2 and up), through a fresh connection codec. */
    private static Frame.Batch readBatchV2(RawPeer peer) {
        io.hazwatch.sync.wire.LinkCodec codec = new io.hazwatch.sync.wire.LinkCodec();
        codec.negotiated(2, io.hazwatch.sync.wire.Compression.NONE);
        while (true) {
            Frame f = codec.decode(peer.readBody());
            if (f instanceof Frame.Batch b) {
                return b;
            }
        }
    }
}
