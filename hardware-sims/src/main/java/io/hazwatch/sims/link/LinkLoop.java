package io.hazwatch.sims.link;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.LongFunction;

/**
 * The simulator's single event loop: one selector for the listening socket and every proxied connection, both
 * {@link Pipe}s, the outage state machine and its timers. Every field without {@code volatile} belongs to the loop
 * thread; other threads talk to it only through {@link #submit}. The loop never blocks except in
 * {@link Selector#select(long)}, whose timeout is the next chunk transmission, release or outage change.
 */
final class LinkLoop implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(LinkLoop.class);
    private static final int READ_BUFFER_BYTES = 64 * 1024;
    private static final int ACCEPTS_PER_WAKEUP = 64;
    private static final long NONE = Long.MAX_VALUE;

    /** One proxied TCP connection: the client side accepted here and the side we opened to the upstream. */
    private static final class Connection {
        final SocketChannel client;
        final SelectionKey clientKey;
        final Flow toUpstream;
        final Flow toClient;
        SocketChannel upstream;
        SelectionKey upstreamKey;
        boolean upstreamConnected;
        boolean closed;

        Connection(SocketChannel client, SelectionKey clientKey, Flow toUpstream, Flow toClient) {
            this.client = client;
            this.clientKey = clientKey;
            this.toUpstream = toUpstream;
            this.toClient = toClient;
        }
    }

    /** An action for the loop thread and the future it completes. */
    private static final class Command<T> {
        private final LongFunction<T> action;
        private final CompletableFuture<T> result = new CompletableFuture<>();

        Command(LongFunction<T> action) {
            this.action = action;
        }

        void run(long now) {
            try {
                result.complete(action.apply(now));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        }

        void fail() {
            result.completeExceptionally(new IllegalStateException("link simulator is closed"));
        }
    }

    private final Selector selector;
    private final ServerSocketChannel server;
    private final InetSocketAddress upstreamAddress;
    private final Pipe toUpstream;
    private final Pipe toClient;
    private final ConcurrentLinkedQueue<Command<?>> commands = new ConcurrentLinkedQueue<>();
    private final List<Connection> connections = new ArrayList<>();
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_BUFFER_BYTES);
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();

    private Optional<OutageSchedule> schedule = Optional.empty();
    private long scheduleStart;
    private boolean scheduleDown;
    private long manualUpAt = NONE;
    private boolean closing;

    private volatile LinkState state = LinkState.UP;
    private volatile LinkProfile profile;
    private volatile long downSince = NONE;
    private volatile long downNanos;
    private volatile long outages;
    private volatile int openConnections;
    private volatile long acceptedConnections;
    private volatile long resetConnections;

    LinkLoop(Selector selector, ServerSocketChannel server, InetSocketAddress upstreamAddress, LinkProfile profile,
             long seed, Optional<OutageSchedule> schedule) throws IOException {
        this.selector = selector;
        this.server = server;
        this.upstreamAddress = upstreamAddress;
        this.profile = profile;
        this.toUpstream = new Pipe(profile, seed);
        this.toClient = new Pipe(profile, seed ^ 0x5DEECE66DL);
        this.schedule = schedule;
        this.scheduleStart = System.nanoTime();
        server.register(selector, SelectionKey.OP_ACCEPT);
    }

    /**
     * Runs {@code action} on the loop thread with the loop's current time; the future completes with its result,
     * or exceptionally with {@link IllegalStateException} if the loop has stopped.
     */
    <T> CompletableFuture<T> submit(LongFunction<T> action) {
        Command<T> command = new Command<>(action);
        commands.add(command);
        if (terminated.isDone()) {
            // the loop has gone: fail this command and any other that raced with the shutdown
            failPendingCommands();
        } else {
            selector.wakeup();
        }
        return command.result;
    }

    /** Completes when the loop has released every socket. */
    CompletableFuture<Void> terminated() {
        return terminated;
    }

    LinkState state() {
        return state;
    }

    LinkProfile profile() {
        return profile;
    }

    LinkStats stats() {
        long since = downSince;
        long down = downNanos + (since == NONE ? 0 : Math.max(0, System.nanoTime() - since));
        return new LinkStats(state, toUpstream.stats(), toClient.stats(), Duration.ofNanos(down),
                outages, openConnections, acceptedConnections, resetConnections);
    }

    // ---- commands (loop thread) ----

    void applyProfile(LinkProfile newProfile) {
        profile = newProfile;
        toUpstream.setProfile(newProfile);
        toClient.setProfile(newProfile);
    }

    /** Takes the link down until {@link #goUpManually}, or until {@code now + nanos} if {@code nanos} is not NONE. */
    void goDownManually(OutageKind kind, long now, long nanos) {
        goDown(kind, now);
        manualUpAt = nanos == NONE ? NONE : now + nanos;
    }

    void goUpManually(long now) {
        manualUpAt = NONE;
        goUp(now);
    }

    void applySchedule(Optional<OutageSchedule> newSchedule, long now) {
        schedule = newSchedule;
        scheduleStart = now;
        scheduleDown = false;
    }

    void beginClose() {
        closing = true;
    }

    // ---- the loop ----

    @Override
    public void run() {
        try {
            while (!closing) {
                long now = System.nanoTime();
                runCommands(now);
                if (closing) {
                    break;
                }
                runTimers(now);
                toUpstream.advance(now);
                toClient.advance(now);
                long deadline = Math.min(toUpstream.nextTransmitAt(), toClient.nextTransmitAt());
                deadline = Math.min(deadline, nextTimer(now));
                for (Connection c : List.copyOf(connections)) {
                    deadline = Math.min(deadline, service(c, now));
                }
                select(deadline);
                handleSelectedKeys();
            }
        } catch (IOException | RuntimeException e) {
            LOG.error("link simulator loop failed; closing", e);
        } finally {
            shutdown();
        }
    }

    private void runCommands(long now) {
        Command<?> command;
        while ((command = commands.poll()) != null) {
            command.run(now);
        }
    }

    private void select(long deadline) throws IOException {
        if (!commands.isEmpty()) {
            selector.selectNow();
            return;
        }
        if (deadline == NONE) {
            selector.select();
            return;
        }
        long wait = deadline - System.nanoTime();
        if (wait <= 0) {
            selector.selectNow();
        } else {
            selector.select(Math.max(1, (wait + 999_999) / 1_000_000));
        }
    }

    private void handleSelectedKeys() {
        Iterator<SelectionKey> it = selector.selectedKeys().iterator();
        while (it.hasNext()) {
            SelectionKey key = it.next();
            it.remove();
            try {
                if (key.channel() == server) {
                    if (key.isValid() && key.isAcceptable()) {
                        acceptAll();
                    }
                    continue;
                }
                Connection c = (Connection) key.attachment();
                if (!c.closed) {
                    handleConnectionKey(c, key);
                }
            } catch (CancelledKeyException e) {
                LOG.trace("key cancelled while handling it; its connection is already closed", e);
            }
        }
    }

    private void handleConnectionKey(Connection c, SelectionKey key) {
        boolean isClient = key == c.clientKey;
        try {
            if (!isClient && key.isValid() && key.isConnectable()) {
                c.upstreamConnected = c.upstream.finishConnect();
                LOG.debug("connected to upstream {}: {}", upstreamAddress, c.upstreamConnected);
            }
            if (key.isValid() && key.isReadable()) {
                read(isClient ? c.toUpstream : c.toClient, (SocketChannel) key.channel());
            }
            if (!c.closed && key.isValid() && key.isWritable()) {
                (isClient ? c.toClient : c.toUpstream).receiverBlocked = false;
            }
        } catch (IOException e) {
            LOG.debug("connection failed ({}); resetting both sides", e.toString());
            abort(c);
        }
    }

    private void read(Flow flow, SocketChannel source) throws IOException {
        Pipe pipe = flow.pipe;
        if (state != LinkState.UP || !pipe.accepts(flow)) {
            return;
        }
        readBuffer.clear();
        readBuffer.limit(Math.min(READ_BUFFER_BYTES, pipe.room()));
        int n = source.read(readBuffer);
        long now = System.nanoTime();
        if (n < 0) {
            pipe.offerEnd(flow, now);
        } else if (n > 0) {
            readBuffer.flip();
            pipe.offer(flow, readBuffer, now);
        }
    }

    /**
     * Writes what is due to both receivers, closes the connection once both EOFs have crossed, updates the
     * selector interest, and returns the connection's next release time.
     */
    private long service(Connection c, long now) {
        if (c.closed) {
            return NONE;
        }
        try {
            if (state == LinkState.UP) {
                if (c.upstreamConnected) {
                    deliver(c.toUpstream, c.upstream, now);
                }
                deliver(c.toClient, c.client, now);
            }
        } catch (IOException e) {
            LOG.debug("write failed ({}); resetting both sides", e.toString());
            abort(c);
            return NONE;
        }
        if (c.toUpstream.endDelivered && c.toClient.endDelivered) {
            LOG.debug("both directions ended; closing connection");
            close(c, false);
            return NONE;
        }
        updateInterest(c);
        if (state != LinkState.UP) {
            return NONE;
        }
        long next = NONE;
        if (c.upstreamConnected && !c.toUpstream.receiverBlocked) {
            next = c.toUpstream.nextDeliverAt();
        }
        if (!c.toClient.receiverBlocked) {
            next = Math.min(next, c.toClient.nextDeliverAt());
        }
        return next;
    }

    private static void deliver(Flow flow, SocketChannel receiver, long now) throws IOException {
        while (!flow.receiverBlocked) {
            Flow.Delivery head = flow.inFlight.peekFirst();
            if (head == null || head.deliverAt > now) {
                return;
            }
            if (head.end) {
                receiver.shutdownOutput();
                flow.endDelivered = true;
                flow.inFlight.removeFirst();
                continue;
            }
            int n = receiver.write(head.data);
            flow.pipe.delivered(flow, n);
            if (head.data.hasRemaining()) {
                flow.receiverBlocked = true;
                return;
            }
            flow.inFlight.removeFirst();
        }
    }

    private void updateInterest(Connection c) {
        boolean up = state == LinkState.UP;
        int clientOps = 0;
        if (up && c.toUpstream.pipe.accepts(c.toUpstream)) {
            clientOps |= SelectionKey.OP_READ;
        }
        if (c.toClient.receiverBlocked) {
            clientOps |= SelectionKey.OP_WRITE;
        }
        setInterest(c.clientKey, clientOps);
        if (c.upstreamKey == null) {
            return;
        }
        int upstreamOps;
        if (!c.upstreamConnected) {
            upstreamOps = SelectionKey.OP_CONNECT;
        } else {
            upstreamOps = 0;
            if (up && c.toClient.pipe.accepts(c.toClient)) {
                upstreamOps |= SelectionKey.OP_READ;
            }
            if (c.toUpstream.receiverBlocked) {
                upstreamOps |= SelectionKey.OP_WRITE;
            }
        }
        setInterest(c.upstreamKey, upstreamOps);
    }

    private static void setInterest(SelectionKey key, int ops) {
        if (key.isValid() && key.interestOps() != ops) {
            key.interestOps(ops);
        }
    }

    // ---- connections ----

    private void acceptAll() {
        for (int i = 0; i < ACCEPTS_PER_WAKEUP; i++) {
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (IOException e) {
                LOG.warn("accept failed", e);
                return;
            }
            if (ch == null) {
                return;
            }
            acceptedConnections++;
            if (state == LinkState.HARD_DOWN) {
                resetConnections++;
                reset(ch);
                continue;
            }
            try {
                ch.configureBlocking(false);
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                SelectionKey key = ch.register(selector, 0);
                Connection c = new Connection(ch, key, toUpstream.openFlow(), toClient.openFlow());
                key.attach(c);
                connections.add(c);
                openConnections = connections.size();
                if (state == LinkState.UP) {
                    connectUpstream(c);
                }
            } catch (IOException e) {
                LOG.warn("cannot set up accepted connection", e);
                resetConnections++;
                reset(ch);
            }
        }
    }

    /** Opens the upstream side; while the link is faded this waits, as a SYN would not cross a faded link. */
    private void connectUpstream(Connection c) {
        try {
            SocketChannel up = SocketChannel.open();
            c.upstream = up;
            up.configureBlocking(false);
            up.setOption(StandardSocketOptions.TCP_NODELAY, true);
            boolean connected = up.connect(upstreamAddress);
            c.upstreamKey = up.register(selector, connected ? 0 : SelectionKey.OP_CONNECT, c);
            c.upstreamConnected = connected;
        } catch (IOException e) {
            LOG.debug("cannot connect to upstream {}: {}", upstreamAddress, e.toString());
            abort(c);
        }
    }

    /** Resets both sides (RST) and discards what the connection had queued; counted. */
    private void abort(Connection c) {
        if (c.closed) {
            return;
        }
        resetConnections++;
        close(c, true);
    }

    private void close(Connection c, boolean reset) {
        c.closed = true;
        toUpstream.closeFlow(c.toUpstream);
        toClient.closeFlow(c.toClient);
        if (reset) {
            reset(c.client);
            if (c.upstream != null) {
                reset(c.upstream);
            }
        } else {
            closeQuietly(c.client);
            closeQuietly(c.upstream);
        }
        connections.remove(c);
        openConnections = connections.size();
    }

    private static void reset(SocketChannel ch) {
        try {
            if (ch.isOpen() && (ch.isConnected() || ch.isConnectionPending())) {
                ch.setOption(StandardSocketOptions.SO_LINGER, 0);
            }
        } catch (IOException e) {
            LOG.trace("cannot set SO_LINGER 0; closing normally", e);
        }
        closeQuietly(ch);
    }

    private static void closeQuietly(java.nio.channels.Channel ch) {
        if (ch == null) {
            return;
        }
        try {
            ch.close();
        } catch (IOException e) {
            LOG.debug("close failed", e);
        }
    }

    // ---- outages ----

    private void runTimers(long now) {
        if (manualUpAt != NONE && now >= manualUpAt) {
            manualUpAt = NONE;
            goUp(now);
        }
        if (schedule.isPresent()) {
            OutageSchedule s = schedule.get();
            boolean down = s.isDownAtNanos(now - scheduleStart);
            if (down != scheduleDown) {
                scheduleDown = down;
                if (down) {
                    goDown(s.kind(), now);
                } else {
                    goUp(now);
                }
            }
        }
    }

    private long nextTimer(long now) {
        long next = manualUpAt;
        if (schedule.isPresent()) {
            next = Math.min(next, now + schedule.get().nanosToNextChange(now - scheduleStart));
        }
        return next;
    }

    private void goDown(OutageKind kind, long now) {
        LinkState target = kind == OutageKind.HARD ? LinkState.HARD_DOWN : LinkState.FADED;
        if (state == LinkState.CLOSED || state == target) {
            return;
        }
        if (state == LinkState.UP) {
            downSince = now;
            outages++;
            toUpstream.freeze(now);
            toClient.freeze(now);
        }
        LOG.info("link {} -> {}", state, target);
        state = target;
        if (target == LinkState.HARD_DOWN) {
            for (Connection c : List.copyOf(connections)) {
                abort(c);
            }
        }
        for (Connection c : connections) {
            updateInterest(c);
        }
    }

    private void goUp(long now) {
        if (state == LinkState.UP || state == LinkState.CLOSED) {
            return;
        }
        LOG.info("link {} -> UP", state);
        downNanos += Math.max(0, now - downSince);
        downSince = NONE;
        toUpstream.thaw(now);
        toClient.thaw(now);
        state = LinkState.UP;
        for (Connection c : List.copyOf(connections)) {
            if (c.upstream == null) {
                connectUpstream(c);
            }
        }
    }

    // ---- shutdown ----

    private void shutdown() {
        long now = System.nanoTime();
        if (downSince != NONE) {
            downNanos += Math.max(0, now - downSince);
            downSince = NONE;
        }
        state = LinkState.CLOSED;
        for (Connection c : List.copyOf(connections)) {
            close(c, false);
        }
        closeQuietly(server);
        try {
            selector.close();
        } catch (IOException | ClosedSelectorException e) {
            LOG.debug("selector close failed", e);
        }
        terminated.complete(null);
        failPendingCommands();
    }

    private void failPendingCommands() {
        Command<?> command;
        while ((command = commands.poll()) != null) {
            command.fail();
        }
    }
}
