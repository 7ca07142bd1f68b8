package io.hazwatch.province;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hazwatch.node.NodeRuntime;
import io.hazwatch.node.config.ChildSpec;
import io.hazwatch.node.config.Endpoint;
import io.hazwatch.node.config.NodeConfig;
import io.hazwatch.node.config.NodeRole;
import io.hazwatch.node.config.ParentLink;
import io.hazwatch.sync.model.AlarmEvent;
import io.hazwatch.sync.model.AlarmLimit;
import io.hazwatch.sync.model.Lane;
import io.hazwatch.sync.model.PointInfo;
import io.hazwatch.sync.model.PointValue;
import io.hazwatch.sync.model.Reading;
import io.hazwatch.sync.model.StreamKey;
import io.hazwatch.sync.model.SyncRecord;
import io.hazwatch.sync.ranges.RangeSet;
import io.hazwatch.sync.wire.ErrorCode;
import io.hazwatch.sync.wire.Frame;
import io.hazwatch.sync.wire.FrameCodec;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ARCHITECTURE.md 3.7 and 3.8 at the province: bad input is refused clearly (one ERROR frame with a
 * permanent code, then a closed connection) and nothing already stored is harmed. The province holds
 * {@link #HELD} records from a registered edge before each test; raw sockets then misbehave.
 */
class ProvinceBadInputTest {
    static final String PROVINCE = "130000";
    static final String EDGE = "130102-E0001-01";
    static final String FOREIGN = "130103-E0009-01";
    static final String POINT = EDGE + "/tank-farm/tank1.level";
    static final long T0 = 1_780_000_000_000L;
    static final int READINGS = 50;
    static final int ALARMS = 2;
    static final int HELD = READINGS + ALARMS;

    @TempDir
    Path dir;

    private final Clock clock = Clock.systemUTC();
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private ProvinceNode province;
    private NodeRuntime edge;

    @BeforeEach
    void provinceHoldsRecordsOfARegisteredChild() throws IOException {
        province = ProvinceNode.start(new NodeConfig(PROVINCE, NodeRole.PROVINCE, dir.resolve(PROVINCE),
                Optional.of(new Endpoint("127.0.0.1", 0)), Optional.empty(), List.of(),
                List.of(ChildSpec.withDefaultPrefix(EDGE))), clock, false);
        // no rollups: what this class counts is exactly the readings and alarms it sends
        edge = NodeRuntime.builder(new NodeConfig(EDGE, NodeRole.EDGE, dir.resolve(EDGE), Optional.empty(),
                Optional.empty(), List.of(new ParentLink(PROVINCE, new Endpoint("127.0.0.1", address().getPort()))),
                List.of())).clock(clock).rollups(false).start();
        appendReadings(0, READINGS);
        edge.localSink().append(Lane.ALARM, List.of(
                new AlarmEvent(POINT, T0, AlarmLimit.HH, 1, true, 19.5, 19.0),
                new AlarmEvent(POINT, T0 + 1000, AlarmLimit.HH, 1, false, 18.0, 19.0)));

        await().atMost(Duration.ofSeconds(30)).until(() -> province.store().storedRecords() == HELD);
        await().atMost(Duration.ofSeconds(10)).until(() -> edge.journal().orElseThrow().pendingCount() == 0);
        assertThat(sqlCount()).isEqualTo(HELD);
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        if (edge != null) {
            edge.close();
        }
        if (province != null) {
            province.close();
        }
    }

    // ---- raw bytes that are not the protocol

    @Test
    void anHttpRequestOnTheSyncPortIsRefusedAsFrameTooLargeAndClosed() {
        RawPeer p = connect().sendRaw("GET /status HTTP/1.1\r\nHost: province\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));

        assertRefused(p, ErrorCode.FRAME_TOO_LARGE, "1195725856"); // "GET " read as a length
        assertNothingHarmed();
    }

    @Test
    void anAbsurdLengthPrefixIsRefusedAtOnceWithoutWaitingForTheBody() {
        RawPeer p = connect().sendRaw(new byte[] {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01});

        assertRefused(p, ErrorCode.FRAME_TOO_LARGE, String.valueOf(Integer.MAX_VALUE),
                String.valueOf(FrameCodec.MAX_FRAME_BYTES));
        assertNothingHarmed();
    }

    @Test
    void garbageInsideAWellFramedBodyIsRefusedWithTheCodeThatSaysWhy() {
        assertRefused(connect().sendRaw(new byte[] {0, 0, 0, 4, 0x42, 0x13, 0x37, 0x00}),
                ErrorCode.UNKNOWN_FRAME_TYPE, "0x42");
        // a HELLO whose node id claims more bytes than the frame has
        assertRefused(connect().sendRaw(new byte[] {0, 0, 0, 7, 0x01, 0, 1, 0, 1, 0x7f, 'x'}),
                ErrorCode.MALFORMED_FRAME);
        assertRefused(connect().sendRaw(new byte[] {0, 0, 0, 0}), ErrorCode.MALFORMED_FRAME, "empty frame");
        assertNothingHarmed();
    }

    // ---- a registered child that sends what it must not

    @Test
    void aMalformedBatchAfterAValidHelloIsRefusedAndNoneOfItsRecordsIsStored() {
        RawPeer p = handshake(EDGE);
        byte[] body = FrameCodec.encode(new Frame.Batch(7, List.of(rec(EDGE, 1_000), rec(EDGE, 1_001))));
        body[body.length - 2] = 0x09; // the last record's value type (its long value, zig-zag 2, is the last byte)

        p.sendRaw(framed(body));

        assertRefused(p, ErrorCode.MALFORMED_FRAME, "value type 9");
        assertNothingHarmed();
        assertThat(rowsWithSeqAtLeast(1_000)).isZero();
    }

    @Test
    void aMalformedCatalogueRecordIsRefusedNamingItsFieldAndNoneOfTheBatchIsStored() throws SQLException {
        RawPeer p = handshake(EDGE);
        PointInfo info = new PointInfo(EDGE + "/tanks/level", 0, "m", "float32", Optional.empty(),
                OptionalDouble.empty(), OptionalDouble.empty(), Optional.of(new PointInfo.EngineeringRange(0.0, 20.0)),
                Map.of());
        byte[] body = FrameCodec.encode(new Frame.Batch(10, List.of(rec(EDGE, 4_000),
                new SyncRecord(EDGE, Lane.META, 0, info))));
        // the range's high is the last f64 of the batch: 20.0 (0x4034...) becomes -20.0, below its low
        body[body.length - 8] = (byte) 0xc0;

        p.sendRaw(framed(body));

        assertRefused(p, ErrorCode.MALFORMED_FRAME, "point info range");
        assertNothingHarmed();
        assertThat(rowsWithSeqAtLeast(4_000)).isZero();
        try (Connection c = province.store().openReader(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM point_info")) {
            rs.next();
            assertThat(rs.getLong(1)).isZero();
        }
    }

    @Test
    void aBatchCutShortIsRefusedAsMalformedAndNoneOfItsRecordsIsStored() {
        RawPeer p = handshake(EDGE);
        byte[] body = FrameCodec.encode(new Frame.Batch(8, List.of(rec(EDGE, 2_000), rec(EDGE, 2_001))));

        p.sendRaw(framed(Arrays.copyOf(body, body.length - 3)));

        assertRefused(p, ErrorCode.MALFORMED_FRAME);
        assertNothingHarmed();
        assertThat(rowsWithSeqAtLeast(2_000)).isZero();
    }

    @Test
    void aBatchWithAnOriginOutsideTheChildsSubtreeIsRefusedAndNothingOfItIsStored() {
        RawPeer p = handshake(EDGE);

        p.send(new Frame.Batch(9, List.of(rec(EDGE, 3_000), rec(FOREIGN, 0))));

        assertRefused(p, ErrorCode.ORIGIN_NOT_IN_SUBTREE, FOREIGN, EDGE);
        assertNothingHarmed();
        assertThat(rowsWithSeqAtLeast(3_000)).as("the in-subtree record of the refused batch").isZero();
        assertThat(province.store().originStats()).containsOnlyKeys(EDGE);
        assertThat(province.runtime().status().children().get(EDGE).refusals()).isEqualTo(1);
    }

    @Test
    void aNodeThatIsNotRegisteredIsRefusedBeforeItCanSendAnything() {
        RawPeer p = connect().send(new Frame.Hello(1, 1, FOREIGN, 0));

        assertRefused(p, ErrorCode.NOT_REGISTERED, FOREIGN, PROVINCE);
        assertNothingHarmed();
        assertThat(province.runtime().status().children()).doesNotContainKey(FOREIGN);
    }

    // ---- and afterwards

    @Test
    void afterEveryKindOfBadInputTheGoodChildStillDeliversAndEachRecordIsStoredExactlyOnce() throws Exception {
        connect().sendRaw(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff}).read();
        connect().sendRaw(new byte[] {0, 0, 0, 3, 0x05, 0x00, 0x01}).read();
        handshake(EDGE).send(new Frame.Batch(1, List.of(rec(FOREIGN, 0)))).read();
        byte[] bad = FrameCodec.encode(new Frame.Batch(2, List.of(rec(EDGE, READINGS))));
        bad[bad.length - 2] = 0x09;
        handshake(EDGE).sendRaw(framed(bad)).read();
        long refusalsBefore = province.runtime().status().children().get(EDGE).refusals();

        appendReadings(READINGS, 30);

        await().atMost(Duration.ofSeconds(30)).until(() -> province.store().storedRecords() == HELD + 30);
        await().atMost(Duration.ofSeconds(10)).until(() -> edge.journal().orElseThrow().pendingCount() == 0);
        assertThat(sqlCount()).isEqualTo(HELD + 30);
        try (Connection c = province.store().openReader(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM (SELECT origin, lane, seq FROM reading"
                    + " GROUP BY origin, lane, seq HAVING COUNT(*) > 1)")) {
                rs.next();
                assertThat(rs.getLong(1)).as("readings stored more than once").isZero();
            }
            try (ResultSet rs = s.executeQuery("SELECT MIN(seq), MAX(seq), COUNT(DISTINCT seq) FROM reading"
                    + " WHERE origin = '" + EDGE + "' AND lane = " + Lane.CURRENT.code())) {
                rs.next();
                assertThat(rs.getLong(1)).isZero();
                assertThat(rs.getLong(2)).isEqualTo(READINGS + 30 - 1);
                assertThat(rs.getLong(3)).isEqualTo(READINGS + 30);
            }
        }
        assertThat(province.runtime().status().children().get(EDGE).refusals()).isEqualTo(refusalsBefore);
    }

    @Test
    void theStoreReopensOnItsDirectoryWithTheSameRecordsAndStillDropsWhatItHolds() throws Exception {
        edge.close();
        edge = null;
        province.close();
        province = null;

        try (ProvinceStore store = ProvinceStore.open(dir.resolve(PROVINCE).resolve("store"), clock, false)) {
            assertThat(count(store)).isEqualTo(HELD);
            assertThat(store.storedRecords()).as("counts only this opening").isZero();
            Map<StreamKey, RangeSet> held = store.held(o -> true).toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertThat(held).containsOnlyKeys(new StreamKey(EDGE, Lane.CURRENT), new StreamKey(EDGE, Lane.ALARM));
            assertThat(held.get(new StreamKey(EDGE, Lane.CURRENT))).isEqualTo(RangeSet.of(0, READINGS - 1));
            assertThat(held.get(new StreamKey(EDGE, Lane.ALARM))).isEqualTo(RangeSet.of(0, ALARMS - 1));

            // seq 3 again, with another value, as a replay after a failover would bring it
            SyncRecord again = new SyncRecord(EDGE, Lane.CURRENT, 3,
                    new Reading(POINT, T0 + 3_000, PointValue.of(999L), 0));
            Map<StreamKey, RangeSet> ack = store.accept(List.of(again)).toCompletableFuture().get(10, TimeUnit.SECONDS);

            assertThat(ack.get(new StreamKey(EDGE, Lane.CURRENT)).contains(3)).isTrue();
            assertThat(count(store)).isEqualTo(HELD);
            assertThat(store.duplicatesDropped()).isEqualTo(1);
            assertThat(store.storedRecords()).isZero();
            try (Connection c = store.openReader(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT v_long, COUNT(*) FROM reading WHERE origin = '" + EDGE
                         + "' AND lane = " + Lane.CURRENT.code() + " AND seq = 3 GROUP BY v_long")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).as("the value first stored").isEqualTo(3);
                assertThat(rs.getLong(2)).isEqualTo(1);
                assertThat(rs.next()).as("one value only").isFalse();
            }

            // the reopened store still takes what it does not hold: the check above is not vacuous
            SyncRecord next = rec(EDGE, READINGS);
            Map<StreamKey, RangeSet> ack2 = store.accept(List.of(next)).toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertThat(ack2.get(new StreamKey(EDGE, Lane.CURRENT))).isEqualTo(RangeSet.of(0, READINGS));
            assertThat(count(store)).isEqualTo(HELD + 1);
        }
    }

    // ---- helpers

    private void appendReadings(int from, int n) {
        List<Reading> batch = new ArrayList<>();
        for (int i = from; i < from + n; i++) {
            batch.add(new Reading(POINT, T0 + i * 1000L, PointValue.of((long) i), 0));
        }
        edge.localSink().append(Lane.CURRENT, batch);
    }

    private static SyncRecord rec(String origin, long seq) {
        return new SyncRecord(origin, Lane.CURRENT, seq, new Reading(origin + "/tank-farm/tank1.level",
                T0 + seq, PointValue.of(1L), 0));
    }

    private static byte[] framed(byte[] body) {
        return ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array();
    }

    private InetSocketAddress address() {
        return province.runtime().listenAddress().orElseThrow();
    }

    private RawPeer connect() {
        RawPeer p = new RawPeer(address());
        toClose.add(p);
        return p;
    }

    private RawPeer handshake(String id) {
        RawPeer p = connect().send(new Frame.Hello(FrameCodec.MIN_VERSION, FrameCodec.MAX_VERSION, id, clock.millis()));
        assertThat(p.read()).isInstanceOf(Frame.Welcome.class);
        return p;
    }

    private static void assertRefused(RawPeer p, ErrorCode code, String... messageParts) {
        Frame f = p.read();
        assertThat(f).isInstanceOf(Frame.Error.class);
        Frame.Error e = (Frame.Error) f;
        assertThat(e.code()).as("error code of %s", e).isEqualTo(code);
        assertThat(e.message()).isNotBlank();
        for (String part : messageParts) {
            assertThat(e.message()).contains(part);
        }
        assertThat(p.closedByPeer()).as("connection closed after the error").isTrue();
    }

    /**
     * The province still serves (a fresh hello is welcomed with exactly the ranges held before) and the
     * store holds exactly the records it held, by SQL and by its counters. The welcome goes through the
     * store's single writer queue, so any commit a refused batch could have caused would be visible.
     */
    private void assertNothingHarmed() {
        try (RawPeer p = new RawPeer(address())) {
            p.send(new Frame.Hello(1, 1, EDGE, clock.millis()));
            Frame f = p.read();
            assertThat(f).isInstanceOf(Frame.Welcome.class);
            Map<StreamKey, RangeSet> held = ((Frame.Welcome) f).held();
            assertThat(held.get(new StreamKey(EDGE, Lane.CURRENT))).isEqualTo(RangeSet.of(0, READINGS - 1));
            assertThat(held.get(new StreamKey(EDGE, Lane.ALARM))).isEqualTo(RangeSet.of(0, ALARMS - 1));
            assertThat(held).hasSize(2);
        }
        assertThat(sqlCount()).isEqualTo(HELD);
        assertThat(province.store().storedRecords()).isEqualTo(HELD);
    }

    private long sqlCount() {
        return count(province.store());
    }

    private static long count(ProvinceStore store) {
        try (Connection c = store.openReader(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT (SELECT COUNT(*) FROM reading) + (SELECT COUNT(*) FROM alarm)")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private long rowsWithSeqAtLeast(long seq) {
        try (Connection c = province.store().openReader();
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM reading WHERE seq >= ?")) {
            ps.setLong(1, seq);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A peer on a plain socket that writes what it is told and reads length-prefixed frames. */
    static final class RawPeer implements AutoCloseable {
        private final Socket socket;
        private final DataInputStream in;

        RawPeer(InetSocketAddress address) {
            try {
                socket = new Socket();
                socket.connect(address, 5_000);
                socket.setSoTimeout(10_000); // a missing answer fails the test instead of hanging it
                in = new DataInputStream(socket.getInputStream());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        RawPeer send(Frame f) {
            return sendRaw(framed(FrameCodec.encode(f)));
        }

        RawPeer sendRaw(byte[] bytes) {
            try {
                socket.getOutputStream().write(bytes);
                socket.getOutputStream().flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        /** The next frame: a 4-byte big-endian length, then the body, decoded. */
        Frame read() {
            try {
                int len = in.readInt();
                assertThat(len).as("frame length").isBetween(1, FrameCodec.MAX_FRAME_BYTES);
                byte[] body = new byte[len];
                in.readFully(body);
                return FrameCodec.decode(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** True once the peer closed: end of stream (or a reset, which is a close too). */
        boolean closedByPeer() {
            try {
                return in.read() == -1;
            } catch (SocketException e) {
                return true;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
