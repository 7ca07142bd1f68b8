package io.hazwatch.sync.link;

import static org.assertj.core.api.Assertions.assertThat;

import io.hazwatch.sync.journal.CustodyStore;
import io.hazwatch.sync.journal.Journal;
import io.hazwatch.sync.journal.Pending;
import io.hazwatch.sync.model.AlarmEvent;
import io.hazwatch.sync.model.AlarmLimit;
import io.hazwatch.sync.model.Lane;
import io.hazwatch.sync.model.PointValue;
import io.hazwatch.sync.model.Reading;
import io.hazwatch.sync.model.StreamKey;
import io.hazwatch.sync.model.SyncRecord;
import io.hazwatch.sync.ranges.RangeSet;
import io.hazwatch.sync.wire.Frame;
import io.hazwatch.sync.wire.FrameCodec;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;

/** Nodes, peers and stores for the loopback tests of the link layer. */
final class LinkFixtures {
    static final String PARENT = "130100";
    static final String COUNTY = "130102";
    static final String EDGE = "130102-E0042-01";
    static final String FOREIGN = "130104-E0001-01";
    static final long T = 1_780_000_000_000L;

    /** The county may carry its whole subtree; the edge only itself. Nobody else is registered. */
    static final ChildRegistry REGISTRY = id -> {
        if (id.equals(COUNTY)) {
            return Optional.of((Predicate<String>) o -> o.startsWith(COUNTY));
        }
        if (id.equals(EDGE)) {
            return Optional.of((Predicate<String>) o -> o.equals(EDGE));
        }
        return Optional.empty();
    };

    /** Quick retries so reconnect tests take a second, not five. */
    static final UplinkOptions FAST = new UplinkOptions(4, 500, Duration.ofSeconds(2), Duration.ofMillis(50),
            Duration.ofMillis(400), Duration.ofMillis(500), Duration.ofSeconds(10));

    private LinkFixtures() {
    }

    /** A parent: journal, its own event loops (so it can be stopped alone), and the server. */
    static final class ParentNode implements AutoCloseable {
        final Journal journal;
        final LinkTransport group = LinkTransport.create(2);
        final SyncServer server;
        final InetSocketAddress address;

        private ParentNode(Path file, int port, Function<Journal, CustodyStore> store, Duration idle) throws IOException {
            journal = Journal.open(file, null);
            server = new SyncServer(PARENT, REGISTRY, store.apply(journal), group, Clock.systemUTC(), idle);
            address = server.bind("127.0.0.1", port);
        }

        static ParentNode start(Path file) throws IOException {
            return new ParentNode(file, 0, j -> j, Duration.ofSeconds(15));
        }

        static ParentNode start(Path file, int port, Function<Journal, CustodyStore> store) throws IOException {
            return new ParentNode(file, port, store, Duration.ofSeconds(15));
        }

        static ParentNode start(Path file, Duration idle) throws IOException {
            return new ParentNode(file, 0, j -> j, idle);
        }

        ParentAddress parentAddress() {
            return new ParentAddress(PARENT, "127.0.0.1", address.getPort());
        }

        /** Stops like a node does: server, then event loops (closing every child connection), then journal. */
        @Override
        public void close() {
            server.close();
            group.close();
            journal.close();
        }
    }

    /** A child: a journal with records of its own and the uplink that forwards them. */
    static final class ChildNode implements AutoCloseable {
        final Journal journal;
        final LinkTransport group = LinkTransport.create(1);
        final Uplink uplink;

        ChildNode(Path file, String nodeId, String origin, List<ParentAddress> parents, UplinkOptions options) {
            journal = Journal.open(file, origin);
            uplink = new Uplink(nodeId, parents, journal, options, group, Clock.systemUTC());
        }

        @Override
        public void close() {
            uplink.close();
            group.close();
            journal.close();
        }
    }

    /**
     * A store in front of a parent's journal that lets the first {@code passFirst} batches through and then
     * either holds the next ones until {@link #release()} (nothing stored, nothing acknowledged), or stores
     * them but never completes (durable at the parent, acknowledgement lost). Makes "mid-stream" exact.
     */
    static final class GatedStore implements CustodyStore {
        enum Mode { HOLD, STORE_WITHOUT_ACK }

        private final CustodyStore delegate;
        private final int passFirst;
        private final Mode mode;
        private final List<Runnable> held = new ArrayList<>();
        private final List<CompletableFuture<?>> storedWithoutAck = new ArrayList<>();
        private int seen;
        private boolean released;

        GatedStore(CustodyStore delegate, int passFirst, Mode mode) {
            this.delegate = delegate;
            this.passFirst = passFirst;
            this.mode = mode;
        }

        @Override
        public synchronized CompletionStage<Map<StreamKey, RangeSet>> accept(List<SyncRecord> records) {
            seen++;
            if (seen <= passFirst || released) {
                return delegate.accept(records);
            }
            if (mode == Mode.STORE_WITHOUT_ACK) {
                storedWithoutAck.add(delegate.accept(records).toCompletableFuture());
                return new CompletableFuture<>();
            }
            CompletableFuture<Map<StreamKey, RangeSet>> f = new CompletableFuture<>();
            held.add(() -> delegate.accept(records).whenComplete((v, e) -> {
                if (e != null) {
                    f.completeExceptionally(e);
                } else {
                    f.complete(v);
                }
            }));
            return f;
        }

        @Override
        public CompletionStage<Map<StreamKey, RangeSet>> held(Predicate<String> originFilter) {
            return delegate.held(originFilter);
        }

        /** Batches stopped at the gate (held, or stored without acknowledgement and now durable). */
        synchronized int gated() {
            if (mode == Mode.HOLD) {
                return held.size();
            }
            return (int) storedWithoutAck.stream().filter(f -> f.isDone() && !f.isCompletedExceptionally()).count();
        }

        /** Lets the held batches through in arrival order, and everything after them. */
        synchronized void release() {
            released = true;
            held.forEach(Runnable::run);
            held.clear();
        }
    }

    /**
     * A protocol peer on a plain blocking socket: the tests' hostile or hand-driven child, or a fake parent.
     * Reads time out after ten seconds so a broken server fails the test instead of hanging it.
     */
    static final class RawPeer implements AutoCloseable {
        private final Socket socket;
        private final DataInputStream in;
        private final OutputStream out;

        RawPeer(Socket socket) {
            try {
                this.socket = socket;
                socket.setSoTimeout(10_000);
                socket.setTcpNoDelay(true);
                in = new DataInputStream(socket.getInputStream());
                out = socket.getOutputStream();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        static RawPeer connect(InetSocketAddress address) {
            try {
                Socket s = new Socket();
                s.connect(address, 5_000);
                return new RawPeer(s);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        static byte[] framed(Frame... frames) {
            java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
            for (Frame f : frames) {
                byte[] body = FrameCodec.encode(f);
                b.writeBytes(ByteBuffer.allocate(4).putInt(body.length).array());
                b.writeBytes(body);
            }
            return b.toByteArray();
        }

        RawPeer send(Frame... frames) {
            return sendRaw(framed(frames));
        }

        RawPeer sendRaw(byte[] bytes) {
            try {
                out.write(bytes);
                out.flush();
                return this;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The next frame, skipping pings and pongs (liveness traffic). */
        Frame read() {
            while (true) {
                Frame f = readAny();
                if (!(f instanceof Frame.Ping) && !(f instanceof Frame.Pong)) {
                    return f;
                }
            }
        }

        Frame readAny() {
            return FrameCodec.decode(readBody());
        }

        /** The body of the next frame, undecoded: for tests that decode as another version would. */
        byte[] readBody() {
            try {
                int len = in.readInt();
                assertThat(len).as("frame length").isBetween(1, FrameCodec.MAX_FRAME_BYTES);
                byte[] body = new byte[len];
                in.readFully(body);
                return body;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        <F extends Frame> F read(Class<F> type) {
            Frame f = read();
            assertThat(f).isInstanceOf(type);
            return type.cast(f);
        }

        /** True once the other end has closed: reads whatever is left and then sees end of stream. */
        boolean closedByPeer() {
            try {
                while (in.read() >= 0) {
                    // drain
                }
                return true;
            } catch (EOFException | SocketException e) {
                return true; // reset by the peer: closed too
            } catch (IOException e) {
                return false; // timed out: still open
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

    /** A listening socket that plays a parent by hand. */
    static final class FakeParent implements AutoCloseable {
        private final ServerSocket server;

        FakeParent() {
            try {
                server = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
                server.setSoTimeout(10_000);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        ParentAddress address() {
            return new ParentAddress("fake", "127.0.0.1", server.getLocalPort());
        }

        RawPeer accept() {
            try {
                return new RawPeer(server.accept());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            try {
                server.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    // ---- records

    static List<Reading> readings(int n, int from) {
        List<Reading> out = new ArrayList<>(n);
        for (int i = from; i < from + n; i++) {
            out.add(new Reading("T101/LT-0" + (i % 5) + "/level", T + i, PointValue.of(i * 0.5), 0));
        }
        return out;
    }

    static AlarmEvent alarm(int i) {
        return new AlarmEvent("T101/LT-01/level", T + i, AlarmLimit.HH, 1, true, 9.5, 9.0);
    }

    /** Appends {@code n} CURRENT readings in appends of 1,000 (one durable group each). */
    static List<SyncRecord> appendCurrent(Journal j, int n) {
        List<SyncRecord> out = new ArrayList<>(n);
        for (int from = 0; from < n; from += 1_000) {
            out.addAll(j.localSink().append(Lane.CURRENT, readings(Math.min(1_000, n - from), from)));
        }
        return out;
    }

    static SyncRecord rec(String origin, Lane lane, long seq) {
        return new SyncRecord(origin, lane, seq, new Reading("p/" + seq, T + seq, PointValue.of(seq), 0));
    }

    static List<Pending> all(Journal j, Lane lane) {
        return j.next(lane, -1, Integer.MAX_VALUE);
    }

    static Map<StreamKey, RangeSet> held(Journal j) {
        try {
            return j.held(o -> true).toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
