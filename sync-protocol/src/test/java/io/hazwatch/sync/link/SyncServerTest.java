package io.hazwatch.sync.link;

import static io.hazwatch.sync.link.LinkFixtures.COUNTY;
import static io.hazwatch.sync.link.LinkFixtures.EDGE;
import static io.hazwatch.sync.link.LinkFixtures.FAST;
import static io.hazwatch.sync.link.LinkFixtures.FOREIGN;
import static io.hazwatch.sync.link.LinkFixtures.PARENT;
import static io.hazwatch.sync.link.LinkFixtures.appendCurrent;
import static io.hazwatch.sync.link.LinkFixtures.held;
import static io.hazwatch.sync.link.LinkFixtures.rec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hazwatch.sync.journal.CustodyStore;
import io.hazwatch.sync.journal.JournalException;
import io.hazwatch.sync.link.LinkFixtures.ChildNode;
import io.hazwatch.sync.link.LinkFixtures.ParentNode;
import io.hazwatch.sync.link.LinkFixtures.RawPeer;
import io.hazwatch.sync.model.Lane;
import io.hazwatch.sync.model.StreamKey;
import io.hazwatch.sync.model.SyncRecord;
import io.hazwatch.sync.ranges.RangeSet;
import io.hazwatch.sync.wire.ErrorCode;
import io.hazwatch.sync.wire.Frame;
import io.hazwatch.sync.wire.FrameCodec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The parent end against hand-written peers on raw sockets (ARCHITECTURE.md 3.7 and 3.8): who may speak,
 * what they may carry, and that every refusal is one ERROR frame with a permanent code, then a closed
 * connection, with the store untouched and the server still serving everyone else.
 */
class SyncServerTest {
    @TempDir
    Path dir;

    private ParentNode parent;
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private long nextGoodSeq;

    @BeforeEach
    void startParent() throws Exception {
        parent = ParentNode.start(dir.resolve("parent.mv.db"));
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        parent.close();
    }

    private RawPeer connect() {
        RawPeer p = RawPeer.connect(parent.address);
        toClose.add(p);
        return p;
    }

    private RawPeer handshake(String id) {
        RawPeer p = connect().send(new Frame.Hello(1, 1, id, 0));
        assertThat(p.read()).isInstanceOf(Frame.Welcome.class);
        return p;
    }

    /** A well-behaved child can still connect, send and be acknowledged; its record is stored. */
    private void assertStillServes() {
        long before = parent.journal.pendingCount();
        long seq = nextGoodSeq++;
        try (RawPeer p = RawPeer.connect(parent.address)) {
            p.send(new Frame.Hello(1, 1, COUNTY, 0));
            assertThat(p.read()).isInstanceOf(Frame.Welcome.class);
            p.send(new Frame.Batch(1_000 + seq, List.of(rec(EDGE, Lane.CURRENT, seq))));
            Frame.Ack ack = p.read(Frame.Ack.class);
            assertThat(ack.batchId()).isEqualTo(1_000 + seq);
            assertThat(ack.held().get(new StreamKey(EDGE, Lane.CURRENT)).contains(seq)).isTrue();
        }
        assertThat(parent.journal.pendingCount()).isEqualTo(before + 1);
    }

    private static void assertRefused(RawPeer p, ErrorCode code, String... messageParts) {
        Frame.Error e = p.read(Frame.Error.class);
        assertThat(e.code()).isEqualTo(code);
        for (String part : messageParts) {
            assertThat(e.message()).contains(part);
        }
        assertThat(p.closedByPeer()).as("connection closed after the error").isTrue();
    }

    // ---- framing and decoding

    @Test
    void anHttpRequestIsRefusedAsFrameTooLargeAndClosed() {
        RawPeer p = connect().sendRaw("GET / HTTP/1.1\r\nHost: county\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

        assertRefused(p, ErrorCode.FRAME_TOO_LARGE, "1195725856");
        assertStillServes();
    }

    @Test
    void aFrameWhoseBodyDoesNotParseIsRefusedAsMalformedAndClosed() {
        // a HELLO cut short after its first version field
        RawPeer p = connect().sendRaw(new byte[] {0, 0, 0, 3, 0x01, 0x00, 0x01});

        assertRefused(p, ErrorCode.MALFORMED_FRAME, "truncated");
        assertStillServes();
    }

    @Test
    void aZeroLengthFrameIsRefusedAsMalformed() {
        assertRefused(connect().sendRaw(new byte[] {0, 0, 0, 0}), ErrorCode.MALFORMED_FRAME, "empty frame");
        assertStillServes();
    }

    @Test
    void anUnknownFrameTypeIsRefusedWithItsOwnCode() {
        assertRefused(connect().sendRaw(new byte[] {0, 0, 0, 2, 0x42, 0x00}), ErrorCode.UNKNOWN_FRAME_TYPE, "0x42");
        assertStillServes();
    }

    @Test
    void aMalformedBatchFromARegisteredChildStoresNothing() {
        RawPeer p = handshake(COUNTY);
        byte[] body = FrameCodec.encode(new Frame.Batch(1, List.of(rec(EDGE, Lane.CURRENT, 0), rec(EDGE, Lane.CURRENT, 1))));
        body[body.length - 2] = 0x09; // the last record's value type (its value, zig-zag 2, is the last byte)

        p.sendRaw(ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array());

        assertRefused(p, ErrorCode.MALFORMED_FRAME, "value type 9");
        assertThat(parent.journal.pendingCount()).isZero();
        assertThat(parent.server.childStatus().get(COUNTY).refusals()).isEqualTo(1);
        assertStillServes();
    }

    // ---- who may speak

    @Test
    void aValidHelloFromAnUnregisteredNodeIsRefusedWithNotRegistered() {
        RawPeer p = connect().send(new Frame.Hello(1, 1, "139999", 0));

        assertRefused(p, ErrorCode.NOT_REGISTERED, "139999", PARENT);
        assertThat(parent.server.childStatus()).doesNotContainKey("139999");
        assertStillServes();
    }

    @Test
    void aHelloWithNoVersionInCommonIsRefusedWithUnsupportedVersion() {
        assertRefused(connect().send(new Frame.Hello(FrameCodec.MAX_VERSION + 1, 9, COUNTY, 0)), ErrorCode.UNSUPPORTED_VERSION,
                (FrameCodec.MAX_VERSION + 1) + "..9");
        assertRefused(connect().send(new Frame.Hello(0, 0, COUNTY, 0)), ErrorCode.UNSUPPORTED_VERSION, "0..0");
        assertStillServes();
    }

    @Test
    void theWelcomeChoosesTheHighestVersionBothSidesSpeak() {
        RawPeer p = connect().send(new Frame.Hello(0, 7, COUNTY, 0));

        Frame.Welcome w = p.read(Frame.Welcome.class);

        assertThat(w.version()).isEqualTo(FrameCodec.MAX_VERSION);
        assertThat(w.nodeId()).isEqualTo(PARENT);
    }

    @Test
    void aBatchBeforeHelloIsRefusedAsUnexpected() {
        RawPeer p = connect().send(new Frame.Batch(1, List.of(rec(EDGE, Lane.CURRENT, 0))));

        assertRefused(p, ErrorCode.UNEXPECTED_FRAME, "before hello");
        assertThat(parent.journal.pendingCount()).isZero();
        assertStillServes();
    }

    @Test
    void aSecondHelloOnOneConnectionIsRefusedAsUnexpected() {
        RawPeer p = handshake(COUNTY).send(new Frame.Hello(1, 1, COUNTY, 0));

        assertRefused(p, ErrorCode.UNEXPECTED_FRAME, "second hello");
        assertStillServes();
    }

    @Test
    void framesOnlyAParentSendsAreRefusedAsUnexpected() {
        assertRefused(handshake(COUNTY).send(new Frame.Welcome(1, "x", 0, Map.of())), ErrorCode.UNEXPECTED_FRAME,
                "Welcome");
        assertRefused(handshake(COUNTY).send(new Frame.Ack(1, Map.of())), ErrorCode.UNEXPECTED_FRAME, "Ack");
        assertStillServes();
    }

    // ---- what they may carry

    @Test
    void aBatchWithAnOriginOutsideTheChildsSubtreeIsRefusedAndNothingOfItIsStored() {
        RawPeer p = handshake(COUNTY);
        List<SyncRecord> records = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            records.add(rec(EDGE, Lane.CURRENT, i));
        }
        records.add(rec(FOREIGN, Lane.ALARM, 0)); // last: everything before it would be storable

        p.send(new Frame.Batch(1, records));

        assertRefused(p, ErrorCode.ORIGIN_NOT_IN_SUBTREE, FOREIGN, "nothing of it was stored");
        assertThat(parent.journal.pendingCount()).isZero();
        assertThat(held(parent.journal)).isEmpty();
        ChildLinkStatus s = parent.server.childStatus().get(COUNTY);
        assertThat(s.refusals()).isEqualTo(1);
        assertThat(s.lastError()).contains("ORIGIN_NOT_IN_SUBTREE");
        assertStillServes();
    }

    @Test
    void anEdgeMayCarryOnlyItsOwnRecordsNotASiblings() {
        RawPeer p = handshake(EDGE).send(new Frame.Batch(1, List.of(rec("130102-E0007-01", Lane.CURRENT, 0))));

        assertRefused(p, ErrorCode.ORIGIN_NOT_IN_SUBTREE, "130102-E0007-01");
        assertThat(parent.journal.pendingCount()).isZero();
        assertStillServes();
    }

    @Test
    void framesQueuedBehindARefusedBatchOnTheSameConnectionAreIgnored() {
        RawPeer p = handshake(COUNTY);

        // one write: a batch to refuse, then a perfectly good one; the refusal ends the conversation
        p.send(new Frame.Batch(1, List.of(rec(FOREIGN, Lane.CURRENT, 0))),
                new Frame.Batch(2, List.of(rec(EDGE, Lane.CURRENT, 77))));

        assertRefused(p, ErrorCode.ORIGIN_NOT_IN_SUBTREE);
        assertThat(held(parent.journal)).as("the batch after the refusal was not stored").isEmpty();
        assertThat(parent.journal.pendingCount()).isZero();
        assertStillServes();
    }

    // ---- custody

    @Test
    void aBatchSentTwiceIsStoredOnceAndAcknowledgedBothTimes() {
        RawPeer p = handshake(COUNTY);
        Frame.Batch b = new Frame.Batch(1, List.of(rec(EDGE, Lane.CURRENT, 0), rec(EDGE, Lane.CURRENT, 1)));

        Frame.Ack first = p.send(b).read(Frame.Ack.class);
        Frame.Ack second = p.send(b).read(Frame.Ack.class);

        assertThat(first.held()).isEqualTo(second.held())
                .containsExactly(Map.entry(new StreamKey(EDGE, Lane.CURRENT), RangeSet.of(0, 1)));
        assertThat(parent.journal.pendingCount()).isEqualTo(2);
        assertThat(parent.journal.duplicatesDropped()).isEqualTo(2);
    }

    @Test
    void anAckListsTheHeldRangesOfExactlyTheStreamsInTheBatchWithinTheBatchsSpan() {
        RawPeer p = handshake(COUNTY);
        p.send(new Frame.Batch(1, List.of(rec(EDGE, Lane.CURRENT, 0), rec(EDGE, Lane.CURRENT, 1),
                rec("130102-E0007-01", Lane.ALARM, 0))));
        p.read(Frame.Ack.class);

        p.send(new Frame.Batch(2, List.of(rec(EDGE, Lane.CURRENT, 9)))).read(Frame.Ack.class);
        Frame.Ack ack = p.send(new Frame.Batch(3, List.of(rec(EDGE, Lane.CURRENT, 7), rec(EDGE, Lane.CURRENT, 1),
                        rec(EDGE, Lane.BACKFILL, 0))))
                .read(Frame.Ack.class);

        assertThat(ack.batchId()).isEqualTo(3);
        assertThat(ack.held()).containsOnlyKeys(new StreamKey(EDGE, Lane.CURRENT), new StreamKey(EDGE, Lane.BACKFILL));
        // held: [0..1, 7, 9]; the batch spans 1..7 of the stream, so 0 and 9 are left out
        assertThat(ack.held().get(new StreamKey(EDGE, Lane.CURRENT)).toString()).isEqualTo("[1, 7]");
        assertThat(ack.held().get(new StreamKey(EDGE, Lane.BACKFILL)).toString()).isEqualTo("[0]");
    }

    @Test
    void anEmptyBatchIsAcknowledgedWithNoStreams() {
        Frame.Ack ack = handshake(COUNTY).send(new Frame.Batch(9, List.of())).read(Frame.Ack.class);

        assertThat(ack.batchId()).isEqualTo(9);
        assertThat(ack.held()).isEmpty();
    }

    @Test
    void theWelcomeCarriesResumePointsForTheChildsSubtreeOnly() throws Exception {
        parent.journal.accept(List.of(rec(EDGE, Lane.CURRENT, 0), rec(EDGE, Lane.CURRENT, 1), rec(EDGE, Lane.CURRENT, 7),
                rec(FOREIGN, Lane.CURRENT, 0))).toCompletableFuture().get();

        Frame.Welcome w = connect().send(new Frame.Hello(1, 1, COUNTY, 0)).read(Frame.Welcome.class);

        assertThat(w.held()).containsOnlyKeys(new StreamKey(EDGE, Lane.CURRENT));
        assertThat(w.held().get(new StreamKey(EDGE, Lane.CURRENT)).toString()).isEqualTo("[0..1, 7]");
    }

    @Test
    void aBatchTheStoreCannotMakeDurableIsRefusedWithStoreFailureAndNotAcknowledged() throws Exception {
        CustodyStore broken = new CustodyStore() {
            @Override
            public CompletionStage<Map<StreamKey, RangeSet>> accept(List<SyncRecord> records) {
                return CompletableFuture.failedFuture(new JournalException("disk full"));
            }

            @Override
            public CompletionStage<Map<StreamKey, RangeSet>> held(Predicate<String> originFilter) {
                return CompletableFuture.completedFuture(Map.of());
            }
        };
        try (ParentNode brokenParent = ParentNode.start(dir.resolve("broken.mv.db"), 0, j -> broken);
             RawPeer p = RawPeer.connect(brokenParent.address)) {
            p.send(new Frame.Hello(1, 1, COUNTY, 0));
            p.read(Frame.Welcome.class);

            p.send(new Frame.Batch(4, List.of(rec(EDGE, Lane.CURRENT, 0))));

            assertRefused(p, ErrorCode.STORE_FAILURE, "batch 4");
        }
    }

    // ---- liveness

    @Test
    void aPingIsAnsweredWithAPongEchoingItsNonceAndTheBacklogIsRecorded() {
        RawPeer p = handshake(COUNTY);

        p.send(new Frame.Ping(424242, 0, 1_234));
        Frame f = p.readAny();

        assertThat(f).isInstanceOf(Frame.Pong.class);
        assertThat(((Frame.Pong) f).nonce()).isEqualTo(424242);
        assertThat(parent.server.childStatus().get(COUNTY).backlog()).isEqualTo(1_234);
    }

    @Test
    void aSilentConnectionIsClosedAfterTheIdleTimeout() throws Exception {
        try (ParentNode impatient = ParentNode.start(dir.resolve("impatient.mv.db"), Duration.ofMillis(300));
             RawPeer p = RawPeer.connect(impatient.address)) {
            p.send(new Frame.Hello(1, 1, COUNTY, 0));
            p.read(Frame.Welcome.class);

            assertThat(p.closedByPeer()).isTrue();
            await().until(() -> !impatient.server.childStatus().get(COUNTY).connected());
        }
    }

    @Test
    void closingTheServerTellsConnectedChildrenItIsShuttingDownAndClosesThem() throws Exception {
        try (ParentNode other = ParentNode.start(dir.resolve("other.mv.db"));
             RawPeer p = RawPeer.connect(other.address)) {
            p.send(new Frame.Hello(1, 1, COUNTY, 0));
            p.read(Frame.Welcome.class);

            other.server.close();

            assertRefused(p, ErrorCode.SHUTTING_DOWN);
        }
    }

    // ---- the server survives all of it

    @Test
    void afterAStormOfBadPeersARealChildStillStreamsEverything() throws Exception {
        for (int i = 0; i < 20; i++) {
            try (RawPeer p = RawPeer.connect(parent.address)) {
                switch (i % 5) {
                    case 0 -> p.sendRaw(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF});
                    case 1 -> p.send(new Frame.Hello(1, 1, "nobody", 0));
                    case 2 -> p.sendRaw(new byte[] {0, 0, 0, 5, 0x03, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80});
                    case 3 -> p.send(new Frame.Hello(1, 1, EDGE, 0), new Frame.Batch(1, List.of(rec(FOREIGN, Lane.ALARM, 0))));
                    default -> p.sendRaw(new byte[] {0, 0, 0});
                }
                if (i % 5 == 3) {
                    // the batch was pipelined behind the hello: its refusal may come before or after WELCOME
                    Frame f = p.read();
                    if (f instanceof Frame.Welcome) {
                        f = p.read();
                    }
                    assertThat(f).isInstanceOf(Frame.Error.class);
                    assertThat(((Frame.Error) f).code()).isEqualTo(ErrorCode.ORIGIN_NOT_IN_SUBTREE);
                } else if (i % 5 != 4) {
                    assertThat(p.read()).isInstanceOf(Frame.Error.class);
                }
            }
        }
        try (ChildNode child = new ChildNode(dir.resolve("edge.mv.db"), EDGE, EDGE, List.of(parent.parentAddress()), FAST)) {
            appendCurrent(child.journal, 3_000);

            child.uplink.start();

            await().until(() -> parent.journal.pendingCount() == 3_000);
            await().until(() -> child.journal.pendingCount() == 0);
        }
        assertThat(held(parent.journal)).containsExactly(Map.entry(new StreamKey(EDGE, Lane.CURRENT), RangeSet.of(0, 2_999)));
    }
}
