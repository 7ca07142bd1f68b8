package io.hazwatch.sync.link;

import io.hazwatch.sync.journal.CustodyStore;
import io.hazwatch.sync.link.internal.FrameDecoder;
import io.hazwatch.sync.link.internal.FrameEncoder;
import io.hazwatch.sync.link.internal.Protocol;
import io.hazwatch.sync.model.StreamKey;
import io.hazwatch.sync.model.SyncRecord;
import io.hazwatch.sync.ranges.RangeSet;
import io.hazwatch.sync.wire.ErrorCode;
import io.hazwatch.sync.wire.Frame;
import io.hazwatch.sync.wire.Compression;
import io.hazwatch.sync.wire.FrameCodec;
import io.hazwatch.sync.wire.LinkCodec;
import io.hazwatch.sync.wire.ProtocolException;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The parent end of the sync protocol: accepts registered children, answers hello with resume points,
 * and acknowledges each batch once the {@link CustodyStore} has made it durable.
 *
 * <p>Connection state machine: {@code AWAIT_HELLO -> OPEN -> CLOSED}. Any protocol violation is
 * answered with one ERROR frame carrying a permanent code, then the connection is closed; the node
 * and its store are untouched. Every accepted and refused connection is written to the audit log
 * ({@code hazwatch.audit}).
 */
public final class SyncServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SyncServer.class);
    private static final Logger audit = LoggerFactory.getLogger("hazwatch.audit");

    private final String nodeId;
    private final ChildRegistry registry;
    private final CustodyStore store;
    private final EventLoopGroup group;
    private final Clock clock;
    private final Duration idleTimeout;
    private final Map<String, ChildStats> stats = new ConcurrentHashMap<>();
    private final Set<Channel> connections = ConcurrentHashMap.newKeySet();
    private final AtomicReference<Channel> serverChannel = new AtomicReference<>();
    private final ReceiveBuffer receiveBuffer;

    public SyncServer(String nodeId, ChildRegistry registry, CustodyStore store, LinkTransport transport, Clock clock,
                      Duration idleTimeout) {
        this(nodeId, registry, store, transport, clock, idleTimeout, ReceiveBuffer.DEFAULT);
    }

    /**
     * A server whose credit to each version-3 child comes from {@code receiveBuffer} and the store's
     * state (docs/sync-protocol.md section 8.3).
     */
    public SyncServer(String nodeId, ChildRegistry registry, CustodyStore store, LinkTransport transport, Clock clock,
                      Duration idleTimeout, ReceiveBuffer receiveBuffer) {
        this.receiveBuffer = java.util.Objects.requireNonNull(receiveBuffer, "receiveBuffer");
        this.nodeId = nodeId;
        this.registry = registry;
        this.store = store;
        this.group = transport.group();
        this.clock = clock;
        this.idleTimeout = idleTimeout;
    }

    /** Binds and starts accepting; returns the bound address (port 0 picks a free port). */
    public InetSocketAddress bind(String host, int port) throws IOException {
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        connections.add(ch);
                        ch.closeFuture().addListener(f -> connections.remove(ch));
                        ByteCounter counter = new ByteCounter();
                        LinkCodec codec = new LinkCodec();
                        ch.pipeline()
                                .addLast(counter)
                                .addLast(new IdleStateHandler(idleTimeout.toMillis(), 0, 0, TimeUnit.MILLISECONDS))
                                .addLast(new FrameDecoder(FrameCodec.MAX_FRAME_BYTES, codec))
                                .addLast(new FrameEncoder(codec))
                                .addLast(new ChildHandler(counter, codec));
                    }
                });
        Channel bound;
        try {
            bound = b.bind(host, port).sync().channel();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while binding " + host + ":" + port, e);
        } catch (RuntimeException e) {
            throw new IOException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        serverChannel.set(bound);
        InetSocketAddress addr = (InetSocketAddress) bound.localAddress();
        log.info("node {} accepting children on {}", nodeId, addr);
        return addr;
    }

    /** Per child, in id order. */
    public Map<String, ChildLinkStatus> childStatus() {
        Map<String, ChildLinkStatus> out = new TreeMap<>();
        stats.forEach((id, s) -> out.put(id, s.snapshot(id)));
        return out;
    }

    /**
     * Stops accepting, then tells every connected child {@link ErrorCode#SHUTTING_DOWN} and closes its
     * connection, so nothing more reaches the store; waits up to two seconds for those connections to
     * close. Idempotent, and safe after the event loops have stopped.
     */
    @Override
    public void close() {
        Channel c = serverChannel.getAndSet(null);
        if (c == null) {
            return;
        }
        c.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        List<Channel> open = new ArrayList<>(connections);
        for (Channel ch : open) {
            try {
                ch.eventLoop().execute(() -> ch.pipeline().fireUserEventTriggered(SHUTDOWN));
            } catch (RejectedExecutionException e) {
                ch.close(); // its event loop is gone: the connection is being torn down anyway
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        for (Channel ch : open) {
            ch.closeFuture().awaitUninterruptibly(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
    }

    /** How often a connection looks whether its child's credit changed enough to send a CREDIT frame. */
    static final long CREDIT_REFRESH_MILLIS = 100;

    /** Fired into each child pipeline by {@link #close()}. */
    private static final Object SHUTDOWN = new Object();

    private ChildStats statsOf(String child) {
        return stats.computeIfAbsent(child, k -> new ChildStats());
    }

    /** One child connection. All fields are touched on the channel's event loop only. */
    private final class ChildHandler extends SimpleChannelInboundHandler<Frame> {
        private final ByteCounter counter;
        private final LinkCodec codec;
        private long bytesReported;
        private String childId;
        private Predicate<String> subtree;
        private ChildStats childStats;
        /** Set once this side refused or is closing: frames already read behind the refusal are ignored. */
        private boolean finished;
        /** The negotiated version; credit flows from version 3 on. */
        private int version;
        /** Records of this child received and not yet acknowledged. */
        private long unackedRecords;
        /** The credit last sent to the child (in WELCOME, an ACK or a CREDIT frame). */
        private Frame.Credit advertised;
        private io.netty.util.concurrent.ScheduledFuture<?> creditRefresh;

        ChildHandler(ByteCounter counter, LinkCodec codec) {
            this.counter = counter;
            this.codec = codec;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Frame frame) {
            if (finished) {
                return;
            }
            if (frame instanceof Frame.Batch b) {
                onBatch(ctx, b);
            } else if (frame instanceof Frame.Ping p) {
                if (childStats != null) {
                    childStats.backlog = p.backlog();
                    // the child's clock when it sent, against ours on arrival: off by the one-way delay
                    childStats.clockOffset = p.clockMillis() - clock.millis();
                }
                ctx.writeAndFlush(new Frame.Pong(p.nonce(), clock.millis()));
            } else if (frame instanceof Frame.Hello h) {
                onHello(ctx, h);
            } else if (frame instanceof Frame.Pong) {
                // liveness only
                return;
            } else if (frame instanceof Frame.Error e) {
                log.warn("child {} reported {}: {}", childId, e.code(), e.message());
                finished = true;
                ctx.close();
            } else {
                refuse(ctx, ErrorCode.UNEXPECTED_FRAME, frame.getClass().getSimpleName() + " is not sent to a parent");
            }
        }

        private void onHello(ChannelHandlerContext ctx, Frame.Hello h) {
            if (childId != null) {
                refuse(ctx, ErrorCode.UNEXPECTED_FRAME, "second hello on one connection");
                return;
            }
            String remote = String.valueOf(ctx.channel().remoteAddress());
            int version = Math.min(h.maxVersion(), FrameCodec.MAX_VERSION);
            if (version < Math.max(h.minVersion(), FrameCodec.MIN_VERSION)) {
                audit.warn("REFUSED child={} remote={} reason=unsupported-version offered={}..{}",
                        h.nodeId(), remote, h.minVersion(), h.maxVersion());
                refuse(ctx, ErrorCode.UNSUPPORTED_VERSION, "this node speaks versions " + FrameCodec.MIN_VERSION
                        + ".." + FrameCodec.MAX_VERSION + ", child offered " + h.minVersion() + ".." + h.maxVersion());
                return;
            }
            Optional<Predicate<String>> sub = registry.subtreeOf(h.nodeId());
            if (sub.isEmpty()) {
                audit.warn("REFUSED child={} remote={} reason=not-registered", h.nodeId(), remote);
                refuse(ctx, ErrorCode.NOT_REGISTERED, "node " + h.nodeId() + " is not a registered child of " + nodeId);
                return;
            }
            childId = h.nodeId();
            subtree = sub.get();
            codec.negotiated(version, Compression.NONE); // before the welcome: the child's batches follow it
            this.version = version;
            childStats = statsOf(childId);
            childStats.connected(remote, clock.millis());
            audit.info("ACCEPTED child={} remote={} version={}", childId, remote, version);
            store.held(subtree).whenComplete((held, err) -> {
                if (err != null) {
                    ctx.executor().execute(() -> refuse(ctx, ErrorCode.STORE_FAILURE, "cannot read resume points"));
                } else {
                    ctx.executor().execute(() -> welcome(ctx, held));
                }
            });
        }

        private void welcome(ChannelHandlerContext ctx, Map<StreamKey, RangeSet> held) {
            if (finished) {
                return;
            }
            Frame.Credit c = null;
            if (version >= Frame.Credit.SINCE_VERSION) {
                c = advertise();
                creditRefresh = ctx.executor().scheduleWithFixedDelay(() -> refreshCredit(ctx),
                        CREDIT_REFRESH_MILLIS, CREDIT_REFRESH_MILLIS, TimeUnit.MILLISECONDS);
            }
            ctx.writeAndFlush(new Frame.Welcome(version, nodeId, clock.millis(), held, c));
        }

        /**
         * The credit for this child now: the receive buffer, scaled by the store's intake share, less
         * what other children have queued in the store. It bounds everything this child has
         * unacknowledged, so this child's own queued records are not subtracted. Event loop only.
         */
        private Frame.Credit currentCredit() {
            double share = Math.max(0.0, Math.min(1.0, store.intakeShare()));
            long buffer = (long) Math.floor(receiveBuffer.records() * share);
            long others = Math.max(0, store.queuedRecords() - unackedRecords);
            long records = Math.max(0, Math.min(Frame.Credit.MAX_RECORDS, buffer - others));
            int batches = records == 0 ? 0 : receiveBuffer.batches();
            return new Frame.Credit(records, batches);
        }

        private Frame.Credit advertise() {
            advertised = currentCredit();
            childStats.credit = advertised.records();
            return advertised;
        }

        /**
         * Sends a CREDIT frame when this child's credit moved by an eighth of the buffer or more, or
         * opened from or closed to zero, since the last one it was told: a child held at zero has no
         * acknowledgement coming to tell it that room opened.
         */
        private void refreshCredit(ChannelHandlerContext ctx) {
            if (finished || advertised == null || !ctx.channel().isActive()) {
                return;
            }
            Frame.Credit now = currentCredit();
            long step = Math.max(1, receiveBuffer.records() / 8);
            boolean zeroChanged = (now.records() == 0) != (advertised.records() == 0);
            if (zeroChanged || Math.abs(now.records() - advertised.records()) >= step) {
                advertised = now;
                childStats.credit = now.records();
                ctx.writeAndFlush(now);
            }
        }

        private void onBatch(ChannelHandlerContext ctx, Frame.Batch b) {
            if (childId == null) {
                refuse(ctx, ErrorCode.UNEXPECTED_FRAME, "batch before hello");
                return;
            }
            List<SyncRecord> records = b.records();
            Set<String> checked = new HashSet<>();
            for (SyncRecord r : records) {
                if (checked.add(r.origin()) && !subtree.test(r.origin())) {
                    audit.warn("REFUSED batch child={} origin={} reason=origin-not-in-subtree", childId, r.origin());
                    refuse(ctx, ErrorCode.ORIGIN_NOT_IN_SUBTREE, "batch " + b.batchId() + " carries origin "
                            + r.origin() + ", which is outside the subtree of " + childId + "; nothing of it was stored");
                    return;
                }
            }
            ChildStats s = childStats;
            long bytes = counter.bytes - bytesReported;
            bytesReported = counter.bytes;
            s.bytes(bytes);
            unackedRecords += records.size();
            store.accept(records).whenComplete((held, err) -> {
                if (err != null) {
                    log.error("child {} batch {}: store failed", childId, b.batchId(), err);
                    ctx.executor().execute(() -> refuse(ctx, ErrorCode.STORE_FAILURE,
                            "batch " + b.batchId() + " could not be made durable"));
                    return;
                }
                s.batch(records.size(), clock.millis());
                Map<StreamKey, RangeSet> touched = onlyTouched(held, records);
                ctx.executor().execute(() -> {
                    unackedRecords -= records.size();
                    // on a version-3 connection every ACK carries credit: its layout has the field
                    Frame.Credit c = version >= Frame.Credit.SINCE_VERSION ? advertise() : null;
                    ctx.writeAndFlush(new Frame.Ack(b.batchId(), touched, c));
                });
            });
        }

        /**
         * The ACK's ranges: for each stream of the batch, what the store holds between the batch's lowest
         * and highest sequence of that stream (docs/sync-protocol.md section 4.7). That is all the child
         * needs to delete the batch; full ranges, which fragment on a link with chosen points (one range
         * per poll), filled a 9.6 kbit/s return path on their own.
         */
        private Map<StreamKey, RangeSet> onlyTouched(Map<StreamKey, RangeSet> held, List<SyncRecord> records) {
            Map<StreamKey, long[]> span = new HashMap<>();
            for (SyncRecord r : records) {
                long[] s = span.computeIfAbsent(new StreamKey(r.origin(), r.lane()), k -> new long[] {r.seq(), r.seq()});
                s[0] = Math.min(s[0], r.seq());
                s[1] = Math.max(s[1], r.seq());
            }
            Map<StreamKey, RangeSet> out = new HashMap<>();
            span.forEach((k, s) -> {
                RangeSet h = held.get(k);
                if (h != null) {
                    out.put(k, h.within(s[0], s[1]));
                }
            });
            return out;
        }

        private void refuse(ChannelHandlerContext ctx, ErrorCode code, String message) {
            if (finished) {
                return; // one ERROR per connection
            }
            finished = true;
            if (childStats != null) {
                childStats.refused(code + ": " + message);
            }
            log.warn("refusing {} ({}): {} {}", childId == null ? "unidentified peer" : childId,
                    ctx.channel().remoteAddress(), code, message);
            ctx.writeAndFlush(new Frame.Error(code, message)).addListener(ChannelFutureListener.CLOSE);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt == SHUTDOWN) {
                if (finished) {
                    ctx.close();
                } else {
                    refuse(ctx, ErrorCode.SHUTTING_DOWN, "node " + nodeId + " is stopping");
                }
            } else if (evt instanceof IdleStateEvent) {
                log.info("child {} silent for {}; closing", childId, idleTimeout);
                ctx.close();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (creditRefresh != null) {
                creditRefresh.cancel(false);
            }
            if (childStats != null) {
                childStats.disconnected();
                audit.info("CLOSED child={} remote={}", childId, ctx.channel().remoteAddress());
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ProtocolException pe = Protocol.protocolCause(cause);
            if (pe != null) {
                audit.warn("REFUSED frame child={} remote={} code={} reason={}", childId,
                        ctx.channel().remoteAddress(), pe.code(), pe.getMessage());
                refuse(ctx, pe.code(), pe.getMessage());
            } else if (cause instanceof IOException) {
                log.debug("child {} connection error: {}", childId, cause.toString());
                ctx.close();
            } else {
                log.error("child {}: unexpected error", childId, cause);
                ctx.close();
            }
        }
    }

    /** Counts the bytes a connection receives, framing included; event-loop confined. */
    private static final class ByteCounter extends io.netty.channel.ChannelInboundHandlerAdapter {
        long bytes;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof io.netty.buffer.ByteBuf b) {
                bytes += b.readableBytes();
            }
            ctx.fireChannelRead(msg);
        }
    }

    /** Counters of one child; written on event loops, read by status. */
    private static final class ChildStats {
        volatile boolean connected;
        volatile String remote = "";
        volatile long since;
        volatile long batches;
        volatile long records;
        volatile long lastBatch;
        volatile long backlog;
        volatile long refusals;
        volatile long bytesIn;
        volatile long clockOffset;
        /** Records of credit last advertised to the child (version 3), -1 when it never got any. */
        volatile long credit = -1;
        volatile String lastError = "";
        private int connections;

        synchronized void connected(String remote, long now) {
            connections++;
            this.connected = true;
            this.remote = remote;
            this.since = now;
        }

        synchronized void disconnected() {
            connections--;
            connected = connections > 0;
        }

        synchronized void batch(int n, long now) {
            batches++;
            records += n;
            lastBatch = now;
        }

        synchronized void bytes(long n) {
            bytesIn += n;
        }

        synchronized void refused(String why) {
            refusals++;
            lastError = why;
        }

        synchronized ChildLinkStatus snapshot(String id) {
            return new ChildLinkStatus(id, connected, remote, since, batches, records, bytesIn, lastBatch, backlog,
                    refusals, lastError, clockOffset, credit);
        }
    }
}
