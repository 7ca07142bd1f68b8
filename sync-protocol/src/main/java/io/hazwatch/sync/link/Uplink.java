package io.hazwatch.sync.link;

import io.hazwatch.sync.journal.Journal;
import io.hazwatch.sync.journal.Pending;
import io.hazwatch.sync.link.internal.FrameDecoder;
import io.hazwatch.sync.link.internal.FrameEncoder;
import io.hazwatch.sync.link.internal.Protocol;
import io.hazwatch.sync.model.Lane;
import io.hazwatch.sync.model.StreamKey;
import io.hazwatch.sync.model.SyncRecord;
import io.hazwatch.sync.ranges.RangeSet;
import io.hazwatch.sync.wire.Frame;
import io.hazwatch.sync.wire.FrameCodec;
import io.hazwatch.sync.wire.LinkCodec;
import io.hazwatch.sync.wire.WireWriter;
import io.hazwatch.sync.wire.ProtocolException;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The child end of the sync protocol: forwards what waits in a {@link Journal} to the first parent
 * that answers, and deletes from the journal only what that parent acknowledged.
 *
 * <p>State machine ({@link LinkState}): {@code CONNECTING -> HANDSHAKING -> STREAMING}; a failure in
 * any state goes to {@code BACKING_OFF} (exponential, capped) and then tries the next parent in the
 * list. All sender state lives on one thread (the link's executor); Netty events are handed to it.
 *
 * <p>Sending: every batch is filled lane by lane in priority order (ALARM first), from per-lane cursors
 * over the journal; at most {@code windowBatches} batches are unacknowledged, fewer if the parent's
 * credit (protocol version 3) says so, and alarms go at once in batches of their own, beyond both by
 * up to {@link #ALARM_RESERVE_BATCHES}. Records the parent said it holds (in WELCOME or an ACK) are
 * never sent again and are deleted from the journal.
 */
public final class Uplink implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Uplink.class);
    /** Batches stay well below the protocol's 16 MiB frame limit whatever the records carry. */
    static final long MAX_BATCH_BYTES = 4L * 1024 * 1024;
    /**
     * Alarm-only batches that may be unacknowledged beyond the window and the parent's credit: an alarm
     * never waits for an acknowledgement to make room behind bulk data (docs/sync-protocol.md section 8).
     */
    static final int ALARM_RESERVE_BATCHES = 4;
    /**
     * On a link with a known capacity a bulk batch carries at most this long of the link, so an alarm
     * written behind it waits no longer than that in the modem's queue (pacing spaces bulk batches,
     * but an alarm is never paced and follows whatever was written last).
     */
    static final double BULK_BATCH_SECONDS = 0.25;
    static final long MIN_BULK_BATCH_BYTES = 256;

    private final String nodeId;
    private final List<ParentAddress> parents;
    private final Journal journal;
    private final UplinkOptions options;
    private final EventLoopGroup group;
    private final Clock clock;
    private final ScheduledExecutorService exec;

    // ---- state, sender thread only
    private LinkState state = LinkState.DISCONNECTED;
    private int parentIndex;
    private Channel channel;
    private LinkCodec channelCodec;
    private long connectionEpoch;
    private long backoffMillis;
    /** Send order for this connection (see {@link #segmentsFrom}); one cursor per segment. */
    private List<Segment> segments = List.of();
    private long[] cursor = new long[0];
    private final Map<Long, List<Pending>> inFlight = new LinkedHashMap<>();
    private final Map<Long, Integer> inFlightSize = new HashMap<>();
    private long inFlightBytes;
    /** Batches in flight that carry only alarms (they may go beyond the window, up to the reserve). */
    private final java.util.Set<Long> alarmBatches = new java.util.HashSet<>();
    /** The parent's latest credit on a version-3 connection; null when it gives none (versions 1 and 2). */
    private volatile Frame.Credit credit; // written by the sender thread, read by status
    /** Records in unacknowledged batches of this connection (sender thread). */
    private long unackedRecords;
    /** What the current connection runs by: the parent's link profile, or the uplink's own options. */
    private LinkProfile profile;
    private boolean lingerScheduled;
    private ScheduledFuture<?> failback;
    private Map<StreamKey, RangeSet> parentHeld = new HashMap<>();
    private long nextBatchId;
    private ScheduledFuture<?> pinger;
    private boolean pumpScheduled;

    // ---- counters, read by status from any thread
    private volatile LinkState publishedState = LinkState.DISCONNECTED;
    private volatile String currentParent = "";
    private volatile String lastError = "";
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong acked = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();
    private final AtomicLong inFlightRecords = new AtomicLong();
    private final AtomicLong maxInFlightRecords = new AtomicLong();
    private final AtomicLong maxBulkBatchBytes = new AtomicLong();
    /**
     * Expected bytes on the wire per record, per lane code, learned from bulk batches of one lane (compact
     * batches code a slow reading in a fraction of a byte, a rollup in tens): what caps a bulk batch to
     * {@link #BULK_BATCH_SECONDS} of a capped link. Uplink thread only.
     */
    private final double[] wireBytesPerRecord = {64, 64, 1, 1, 24};
    private boolean lastBatchFullByBytes; // uplink thread only
    private volatile long rttMillis = -1;
    private volatile long clockOffsetMillis;
    private static final long RATE_WINDOW_MILLIS = 30_000;
    /** (time, records acknowledged) samples, one per status read and per ping tick. */
    private final java.util.ArrayDeque<long[]> ackSamples = new java.util.ArrayDeque<>();

    public Uplink(String nodeId, List<ParentAddress> parents, Journal journal, UplinkOptions options,
                  LinkTransport transport, Clock clock) {
        if (parents.isEmpty()) {
            throw new IllegalArgumentException("an uplink needs at least one parent");
        }
        this.nodeId = nodeId;
        this.parents = List.copyOf(parents);
        this.journal = journal;
        this.options = options;
        this.group = transport.group();
        this.clock = clock;
        ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "uplink-" + nodeId);
            t.setDaemon(true);
            return t;
        });
        // close() must not wait for a pending backoff timer (up to backoffMax) to fire
        e.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.exec = e;
        journal.addListener(() -> post(this::schedulePump));
    }

    public void start() {
        post(this::connect);
    }

    /** Hands work to the sender thread; after close there is nothing left to do, so it is dropped. */
    private void post(Runnable r) {
        try {
            exec.execute(() -> runGuarded(r));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            log.debug("uplink {} closed; dropping event", nodeId);
        }
    }

    /**
     * A failure on the sender thread (a journal that cannot be read, a bug) must not leave the link
     * looking healthy while nothing moves: it drops the connection, and the state machine starts over
     * from the journal after the backoff.
     */
    private void runGuarded(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            log.error("uplink {}: sender failed; reconnecting", nodeId, e);
            if (state == LinkState.STREAMING || state == LinkState.HANDSHAKING || state == LinkState.CONNECTING) {
                fail(connectionEpoch, "sender failed: " + e);
            }
        }
    }

    public UplinkStatus status() {
        Map<String, Long> byLane = new LinkedHashMap<>();
        long total = 0;
        for (Lane lane : Lane.values()) {
            long n = journal.pendingCount(lane);
            if (n > 0) {
                byLane.put(lane.name(), n);
            }
            total += n;
        }
        double rate = drainRate();
        long eta = total == 0 ? 0 : rate > 0 ? (long) Math.ceil(total / rate) : -1;
        return new UplinkStatus(publishedState, currentParent, byLane, total, inFlightRecords.get(),
                maxInFlightRecords.get(), maxBulkBatchBytes.get(), sent.get(),
                acked.get(), reconnects.get(), oldestPendingAge(), lastError, rate, eta, rttMillis, clockOffsetMillis);
    }

    /**
     * A pong answers the ping whose nonce was our clock when we sent it: the round trip is now minus
     * that, and the parent read its clock about half a round trip after we sent. Our offset is our
     * clock minus the parent's (NTP's estimate, good to half the round trip's asymmetry).
     */
    private void onPong(Frame.Pong p) {
        long now = clock.millis();
        long rtt = now - p.nonce();
        if (rtt < 0 || rtt > 600_000) {
            return; // not one of our pings
        }
        rttMillis = rtt;
        clockOffsetMillis = (p.nonce() + rtt / 2) - p.clockMillis();
    }

    /** This node's clock minus its parent's, from the last ping answered (0 before the first). */
    public long clockOffsetMillis() {
        return clockOffsetMillis;
    }

    /** Whether a ping was answered on this uplink since it started. */
    public boolean clockMeasured() {
        return rttMillis >= 0;
    }

    /** Records acknowledged per second over the last {@link #RATE_WINDOW_MILLIS}. */
    private double drainRate() {
        long now = clock.millis();
        long ackedNow = acked.get();
        synchronized (ackSamples) {
            ackSamples.addLast(new long[] {now, ackedNow});
            while (ackSamples.size() > 1 && now - ackSamples.peekFirst()[0] > RATE_WINDOW_MILLIS) {
                ackSamples.removeFirst();
            }
            long[] first = ackSamples.peekFirst();
            long dt = now - first[0];
            return dt <= 0 ? 0 : (ackedNow - first[1]) * 1000.0 / dt;
        }
    }

    private long oldestPendingAge() {
        long oldest = Long.MAX_VALUE;
        for (Lane lane : Lane.values()) {
            List<Pending> first = journal.next(lane, -1, 1);
            if (!first.isEmpty()) {
                oldest = Math.min(oldest, first.get(0).record().payload().timestampMillis());
            }
        }
        return oldest == Long.MAX_VALUE ? 0 : Math.max(0, clock.millis() - oldest);
    }

    @Override
    public void close() {
        post(() -> {
            setState(LinkState.CLOSED);
            if (channel != null) {
                channel.close();
            }
        });
        exec.shutdown();
        try {
            exec.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------------ state machine (sender thread)

    private void setState(LinkState s) {
        state = s;
        publishedState = s;
    }

    private void connect() {
        if (state == LinkState.CLOSED) {
            return;
        }
        ParentAddress p = parents.get(parentIndex % parents.size());
        currentParent = p.toString();
        setState(LinkState.CONNECTING);
        long epoch = ++connectionEpoch;
        LinkCodec codec = new LinkCodec();
        channelCodec = codec;
        Bootstrap b = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) options.connectTimeout().toMillis())
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast(new IdleStateHandler(options.idleTimeout().toMillis(), 0, 0,
                                        TimeUnit.MILLISECONDS))
                                .addLast(new FrameDecoder(FrameCodec.MAX_FRAME_BYTES, codec))
                                .addLast(new FrameEncoder(codec))
                                .addLast(new ParentHandler(epoch));
                    }
                });
        ChannelFuture f = b.connect(p.host(), p.port());
        f.addListener(done -> post(() -> {
            if (epoch != connectionEpoch || state == LinkState.CLOSED) {
                f.channel().close();
                return;
            }
            if (!done.isSuccess()) {
                fail(epoch, "cannot connect to " + p + ": " + done.cause().getMessage());
                return;
            }
            channel = f.channel();
            setState(LinkState.HANDSHAKING);
            channel.writeAndFlush(new Frame.Hello(FrameCodec.MIN_VERSION, options.maxVersion(), nodeId,
                    clock.millis()));
        }));
    }

    private void fail(long epoch, String why) {
        if (epoch != connectionEpoch || state == LinkState.CLOSED || state == LinkState.BACKING_OFF) {
            return;
        }
        lastError = why;
        log.info("uplink {} -> {}: {}", nodeId, currentParent, why);
        if (channel != null) {
            channel.close();
            channel = null;
        }
        if (pinger != null) {
            pinger.cancel(false);
            pinger = null;
        }
        boolean wasStreaming = state == LinkState.STREAMING;
        inFlight.clear();
        inFlightSize.clear();
        inFlightBytes = 0;
        alarmBatches.clear();
        unackedRecords = 0;
        credit = null;
        lingerScheduled = false;
        if (failback != null) {
            failback.cancel(false);
            failback = null;
        }
        inFlightRecords.set(0);
        segments = List.of();
        cursor = new long[0];
        parentHeld = new HashMap<>();
        setState(LinkState.BACKING_OFF);
        reconnects.incrementAndGet();
        if (failingBack) {
            failingBack = false;
            parentIndex = 0;
            backoffMillis = 0;
        } else if (wasStreaming) {
            backoffMillis = options.backoffMin().toMillis();
        } else {
            backoffMillis = Math.min(options.backoffMax().toMillis(),
                    Math.max(options.backoffMin().toMillis(), backoffMillis * 2));
            parentIndex++; // try the next parent (the primary again after the last backup)
        }
        exec.schedule(() -> runGuarded(this::connect), backoffMillis, TimeUnit.MILLISECONDS);
    }

    private void onWelcome(long epoch, Frame.Welcome w) {
        if (epoch != connectionEpoch || state != LinkState.HANDSHAKING) {
            return;
        }
        if (w.version() < FrameCodec.MIN_VERSION || w.version() > options.maxVersion()) {
            fail(epoch, "parent chose protocol version " + w.version() + ", which this node does not speak");
            return;
        }
        ParentAddress parent = parents.get(parentIndex % parents.size());
        profile = parent.profile().orElse(new LinkProfile("options", 0, java.time.Duration.ZERO,
                options.windowBatches(), Long.MAX_VALUE, options.batchRecords(), java.time.Duration.ZERO,
                options.compression()));
        channelCodec.negotiated(w.version(), profile.compression());
        segments = segmentsFrom(journal.durableEnd(), parent.chosen(), w.version() >= FrameCodec.ROLLUP_VERSION,
                w.version() >= FrameCodec.POINT_INFO_VERSION);
        cursor = new long[segments.size()];
        java.util.Arrays.fill(cursor, -1L);
        parentHeld = new HashMap<>(w.held());
        credit = w.version() >= Frame.Credit.SINCE_VERSION ? w.credit() : null;
        parentIndex = parentIndex % parents.size();
        setState(LinkState.STREAMING);
        backoffMillis = 0;
        lastError = "";
        log.info("uplink {} streaming to {} (protocol v{}, {} streams resumed)", nodeId, currentParent,
                w.version(), w.held().size());
        long interval = options.pingInterval().toMillis();
        pinger = exec.scheduleAtFixedRate(() -> runGuarded(() -> {
            if (state == LinkState.STREAMING && channel != null) {
                channel.writeAndFlush(new Frame.Ping(clock.millis(), clock.millis(), journal.pendingCount()));
            }
            drainRate(); // keeps the rate window sampled even when nobody reads the status
        }), 0, interval, TimeUnit.MILLISECONDS);
        if (parentIndex % parents.size() != 0) {
            scheduleFailback(epoch);
        }
        pump();
    }

    /**
     * While on a backup parent, looks for the primary every {@code failbackCheck}; once it accepts a
     * connection, the uplink leaves the backup and reconnects to the primary. Nothing is lost or
     * duplicated by the switch: what the backup has not acknowledged is sent again, and every receiver
     * drops what it already holds.
     */
    private void scheduleFailback(long epoch) {
        ParentAddress primary = parents.get(0);
        failback = exec.scheduleWithFixedDelay(() -> runGuarded(() -> {
            if (epoch != connectionEpoch || state != LinkState.STREAMING) {
                return;
            }
            try (java.net.Socket probe = new java.net.Socket()) {
                probe.connect(new java.net.InetSocketAddress(primary.host(), primary.port()),
                        (int) Math.min(1000, options.connectTimeout().toMillis()));
            } catch (java.io.IOException e) {
                return; // primary still away
            }
            log.info("uplink {}: primary parent {} is back; failing back from {}", nodeId, primary, currentParent);
            failingBack = true;
            fail(epoch, "failing back to the primary parent " + primary);
        }), options.failbackCheck().toMillis(), options.failbackCheck().toMillis(), TimeUnit.MILLISECONDS);
    }

    private boolean failingBack;

    private void onAck(long epoch, Frame.Ack a) {
        if (epoch != connectionEpoch || state != LinkState.STREAMING) {
            return;
        }
        List<Pending> batch = inFlight.remove(a.batchId());
        if (batch == null) {
            return;
        }
        Integer size = inFlightSize.remove(a.batchId());
        inFlightBytes -= size == null ? 0 : size;
        alarmBatches.remove(a.batchId());
        unackedRecords -= batch.size();
        if (a.credit() != null) {
            credit = a.credit();
        }
        mergeHeld(a.held());
        Map<Lane, List<Long>> removable = new EnumMap<>(Lane.class);
        int n = 0;
        for (Pending p : batch) {
            SyncRecord r = p.record();
            RangeSet rs = parentHeld.get(new StreamKey(r.origin(), r.lane()));
            if (rs != null && rs.contains(r.seq())) {
                removable.computeIfAbsent(r.lane(), l -> new ArrayList<>()).add(p.position());
                n++;
            }
        }
        removable.forEach((lane, positions) -> journal.remove(lane, toArray(positions)));
        if (n < batch.size()) {
            // the parent acknowledged the batch without holding all of it: send the rest again
            log.warn("uplink {}: parent acknowledged batch {} but holds only {} of its {} records; resending the rest",
                    nodeId, a.batchId(), n, batch.size());
            for (Pending p : batch) {
                SyncRecord r = p.record();
                RangeSet rs = parentHeld.get(new StreamKey(r.origin(), r.lane()));
                if (rs == null || !rs.contains(r.seq())) {
                    for (int i = 0; i < segments.size(); i++) {
                        if (segments.get(i).contains(r, p.position())) {
                            cursor[i] = Math.min(cursor[i], p.position() - 1);
                        }
                    }
                }
            }
        }
        acked.addAndGet(n);
        inFlightRecords.addAndGet(-batch.size());
        pump();
    }

    /** A CREDIT frame: the parent's room changed with no acknowledgement to carry it. */
    private void onCredit(long epoch, Frame.Credit c) {
        if (epoch != connectionEpoch || state != LinkState.STREAMING || credit == null) {
            return; // before the welcome, or on a connection below version 3 (the decoder refuses those)
        }
        credit = c;
        pump();
    }

    /** What the parent allows now (its credit, on a version-3 connection), or nothing more than the profile. */
    Frame.Credit credit() {
        return credit;
    }

    private void mergeHeld(Map<StreamKey, RangeSet> held) {
        held.forEach((k, rs) -> parentHeld.merge(k, rs.copy(), (a, b) -> {
            a.addAll(b);
            return a;
        }));
    }

    private void schedulePump() {
        if (!pumpScheduled) {
            pumpScheduled = true;
            post(() -> {
                pumpScheduled = false;
                pump();
            });
        }
    }

    /**
     * Fills the window, alarms first. Alarms travel in batches of their own, sent at once: not paced,
     * never lingering, and beyond the window and the parent's credit by up to
     * {@link #ALARM_RESERVE_BATCHES}, so an alarm never waits for an acknowledgement to open room behind
     * bulk data, and the parent commits it in a commit of its own rather than with thousands of readings.
     * Bulk then fills the window: both a number of batches and a number of bytes on the wire (the link
     * profile's bandwidth-delay product), and on a version-3 connection no more records and batches
     * than the parent's credit. Batches are encoded here, on the sender thread, so their exact size is
     * known before they are counted against the window.
     */
    private void pump() {
        if (state != LinkState.STREAMING || channel == null) {
            return;
        }
        boolean wrote = false;
        while (alarmBatches.size() < ALARM_RESERVE_BATCHES) {
            List<Pending> alarms = nextBatch(profile.batchRecords(), true);
            if (alarms.isEmpty()) {
                break;
            }
            send(alarms, true);
            wrote = true;
        }
        while (inFlight.size() < windowBatches() && inFlightBytes < profile.windowBytes()) {
            int room = recordRoom();
            if (room <= 0) {
                break;
            }
            if (pacedUntilNanos > System.nanoTime()) {
                schedulePacedPump();
                break;
            }
            List<Pending> batch = nextBatch(room, false);
            if (batch.isEmpty()) {
                break;
            }
            if (shouldLinger(batch, room)) {
                unread(batch);
                break;
            }
            send(batch, false);
            wrote = true;
        }
        if (wrote) {
            channel.flush();
        }
    }

    /** The profile's batch window, narrowed to the parent's batch credit when it gives one. */
    private int windowBatches() {
        return credit == null ? profile.windowBatches() : Math.min(profile.windowBatches(), credit.batches());
    }

    /**
     * Records the next bulk batch may carry: a full batch without credit; with credit, what the credit
     * leaves, but 0 (wait) while that is under half a batch, so a slow parent gets fewer, fuller batches
     * rather than a trickle of small ones.
     */
    private int recordRoom() {
        int full = profile.batchRecords();
        if (credit == null) {
            return full;
        }
        long room = credit.records() - unackedRecords;
        long worthSending = Math.max(1, Math.min(full, credit.records()) / 2);
        return room < worthSending ? 0 : (int) Math.min(full, room);
    }

    /** Encodes one batch, writes it (unflushed) and counts it against the window and the pacing. */
    private void send(List<Pending> batch, boolean alarmsOnly) {
        long id = nextBatchId++;
        List<SyncRecord> records = new ArrayList<>(batch.size());
        for (Pending p : batch) {
            records.add(p.record());
        }
        WireWriter w = new WireWriter(64 + 8 * records.size());
        channelCodec.encode(new Frame.Batch(id, records), w);
        io.netty.buffer.ByteBuf buf = channel.alloc().buffer(4 + w.size());
        buf.writeInt(w.size()).writeBytes(w.array(), 0, w.size());
        inFlight.put(id, batch);
        inFlightSize.put(id, 4 + w.size());
        inFlightBytes += 4 + w.size();
        unackedRecords += records.size();
        if (alarmsOnly) {
            alarmBatches.add(id);
        } else {
            maxBulkBatchBytes.accumulateAndGet(4 + w.size(), Math::max);
            learnWireBytes(records, w.size());
        }
        channel.write(buf);
        if (profile.bitsPerSecond() > 0) {
            // the link needs this long to carry the batch; the next bulk batch waits its turn here
            long nanos = (long) ((4 + w.size()) * 8e9 / (profile.bitsPerSecond() * LinkProfile.PACING));
            pacedUntilNanos = Math.max(pacedUntilNanos, System.nanoTime()) + nanos;
        }
        sent.addAndGet(records.size());
        maxInFlightRecords.accumulateAndGet(inFlightRecords.addAndGet(records.size()), Math::max);
    }

    /** Updates the expected wire bytes per record of a lane from a bulk batch of that lane alone. */
    private void learnWireBytes(List<SyncRecord> records, int wireBytes) {
        Lane lane = records.get(0).lane();
        for (SyncRecord r : records) {
            if (r.lane() != lane) {
                return;
            }
        }
        double seen = (double) wireBytes / records.size();
        wireBytesPerRecord[lane.code()] = 0.7 * wireBytesPerRecord[lane.code()] + 0.3 * seen;
    }

    /**
     * On a thin link a batch that is neither full nor carrying an alarm waits up to the profile's
     * linger time for company: fewer, fuller batches compress better and cost fewer headers.
     */
    private boolean shouldLinger(List<Pending> batch, int room) {
        if (lingerExpired || profile.linger().isZero() || batch.size() >= room || lastBatchFullByBytes) {
            return false;
        }
        for (Pending p : batch) {
            if (p.record().lane() == Lane.ALARM) {
                return false;
            }
        }
        if (lingerScheduled) {
            return true;
        }
        lingerScheduled = true;
        long epoch = connectionEpoch;
        exec.schedule(() -> runGuarded(() -> {
            lingerScheduled = false;
            if (epoch == connectionEpoch) {
                lingerExpired = true;
                pump();
                lingerExpired = false;
            }
        }), profile.linger().toMillis(), TimeUnit.MILLISECONDS);
        return !lingerExpired;
    }

    private boolean lingerExpired;
    /** With a link profile that has a capacity: no batch leaves before this (System.nanoTime). */
    private long pacedUntilNanos;
    private boolean pacedPumpScheduled;

    private void schedulePacedPump() {
        if (pacedPumpScheduled) {
            return;
        }
        pacedPumpScheduled = true;
        long epoch = connectionEpoch;
        long delay = Math.max(0, pacedUntilNanos - System.nanoTime());
        exec.schedule(() -> runGuarded(() -> {
            pacedPumpScheduled = false;
            if (epoch == connectionEpoch) {
                pump();
            }
        }), delay, TimeUnit.NANOSECONDS);
    }

    /** Puts the cursors back so the records of a batch not sent are read again next time. */
    private void unread(List<Pending> batch) {
        for (Pending p : batch) {
            for (int i = 0; i < segments.size(); i++) {
                if (segments.get(i).contains(p.record(), p.position())) {
                    cursor[i] = Math.min(cursor[i], p.position() - 1);
                }
            }
        }
    }

    /**
     * The order in which this connection drains the journal (guarantees 3 and 4): every alarm, then the
     * catalogue, then live values journaled since the connection opened, then the CURRENT backlog
     * older than that (the history of the outage), then BACKFILL and ROLLUP. So after an outage the
     * parent sees the present at once and the history follows as bandwidth allows; the parent's range
     * sets keep any order exact.
     */
    static List<Segment> segmentsFrom(long liveFrom) {
        return segmentsFrom(liveFrom, PointSelection.NONE, true);
    }

    /**
     * As {@link #segmentsFrom(long)}, for a link with chosen points (a narrow link, docs/sync-protocol.md
     * section 8.3): after alarms and the catalogue go the chosen points' CURRENT readings (live, then
     * their history), then the rollups, then every other raw reading (live, history, BACKFILL). A
     * filtered segment passes over the records it does not choose; they stay in the journal for the
     * complementary segment further down, so the segments still split the journal without overlap.
     * {@code rollups} is false on a connection whose parent predates rollup records (version 2 and
     * below): the ROLLUP lane then stays in the journal.
     */
    static List<Segment> segmentsFrom(long liveFrom, PointSelection chosen, boolean rollups) {
        return segmentsFrom(liveFrom, chosen, rollups, rollups);
    }

    /**
     * As {@link #segmentsFrom(long, PointSelection, boolean)}; {@code catalogue} is false on a connection
     * whose parent predates point-info records ({@link FrameCodec#POINT_INFO_VERSION}): the META lane
     * then stays in the journal, pending, until a parent that takes it connects. It is never evicted.
     */
    static List<Segment> segmentsFrom(long liveFrom, PointSelection chosen, boolean rollups, boolean catalogue) {
        List<Segment> s = new ArrayList<>();
        s.add(new Segment(Lane.ALARM, 0, Long.MAX_VALUE, Filter.ALL, chosen));
        if (catalogue) {
            s.add(new Segment(Lane.META, 0, Long.MAX_VALUE, Filter.ALL, chosen));
        }
        if (chosen.isEmpty()) {
            s.add(new Segment(Lane.CURRENT, liveFrom, Long.MAX_VALUE, Filter.ALL, chosen));
            s.add(new Segment(Lane.CURRENT, 0, liveFrom, Filter.ALL, chosen));
            s.add(new Segment(Lane.BACKFILL, 0, Long.MAX_VALUE, Filter.ALL, chosen));
            if (rollups) {
                s.add(new Segment(Lane.ROLLUP, 0, Long.MAX_VALUE, Filter.ALL, chosen));
            }
            return List.copyOf(s);
        }
        s.add(new Segment(Lane.CURRENT, liveFrom, Long.MAX_VALUE, Filter.CHOSEN, chosen));
        s.add(new Segment(Lane.CURRENT, 0, liveFrom, Filter.CHOSEN, chosen));
        if (rollups) {
            s.add(new Segment(Lane.ROLLUP, 0, Long.MAX_VALUE, Filter.ALL, chosen));
        }
        s.add(new Segment(Lane.CURRENT, liveFrom, Long.MAX_VALUE, Filter.NOT_CHOSEN, chosen));
        s.add(new Segment(Lane.CURRENT, 0, liveFrom, Filter.NOT_CHOSEN, chosen));
        s.add(new Segment(Lane.BACKFILL, 0, Long.MAX_VALUE, Filter.ALL, chosen));
        return List.copyOf(s);
    }

    /** Which points of its lane and positions a segment takes. */
    enum Filter { ALL, CHOSEN, NOT_CHOSEN }

    /** Journal positions [from, to) of one lane, of the points its filter takes. */
    record Segment(Lane lane, long from, long to, Filter filter, PointSelection chosen) {
        Segment(Lane lane, long from, long to) {
            this(lane, from, to, Filter.ALL, PointSelection.NONE);
        }

        boolean contains(SyncRecord r, long position) {
            return r.lane() == lane && position >= from && position < to && takes(r);
        }

        boolean takes(SyncRecord r) {
            return switch (filter) {
                case ALL -> true;
                case CHOSEN -> chosen.test(r.payload().point());
                case NOT_CHOSEN -> !chosen.test(r.payload().point());
            };
        }
    }

    /** Up to {@code maxRecords} records not yet sent, in segment order; only ALARM records if {@code alarmsOnly}. */
    private List<Pending> nextBatch(int maxRecords, boolean alarmsOnly) {
        int room = maxRecords;
        long bytes = 0;
        double wire = 0;
        double wireBudget = alarmsOnly || profile.bitsPerSecond() <= 0 ? Double.MAX_VALUE
                : Math.max(MIN_BULK_BATCH_BYTES, profile.bitsPerSecond() / 8.0 * BULK_BATCH_SECONDS);
        lastBatchFullByBytes = false;
        List<Pending> batch = new ArrayList<>();
        for (int s = 0; s < segments.size() && room > 0; s++) {
            Segment seg = segments.get(s);
            if (alarmsOnly && seg.lane() != Lane.ALARM) {
                continue;
            }
            List<Long> alreadyHeld = new ArrayList<>();
            boolean full = false;
            while (room > 0 && !full) {
                long after = Math.max(cursor[s], seg.from() - 1);
                List<Pending> got = journal.next(seg.lane(), after, seg.to(), room);
                if (got.isEmpty()) {
                    break;
                }
                long last = after;
                for (Pending p : got) {
                    SyncRecord r = p.record();
                    RangeSet rs = parentHeld.get(new StreamKey(r.origin(), r.lane()));
                    if (rs != null && rs.contains(r.seq())) {
                        alreadyHeld.add(p.position());
                    } else if (seg.takes(r)) {
                        long size = estimatedBytes(r);
                        double onWire = wireBytesPerRecord[r.lane().code()];
                        if (!batch.isEmpty() && (bytes + size > MAX_BATCH_BYTES || wire + onWire > wireBudget)) {
                            full = true; // this record starts the next batch
                            lastBatchFullByBytes = true;
                            break;
                        }
                        batch.add(p);
                        bytes += size;
                        wire += onWire;
                        room--;
                    }
                    last = p.position();
                }
                cursor[s] = last;
            }
            if (!alreadyHeld.isEmpty()) {
                journal.remove(seg.lane(), toArray(alreadyHeld));
            }
            if (full) {
                break;
            }
        }
        return batch;
    }

    /** An upper bound of a record's share of a batch frame: strings may travel in the batch's table. */
    private static long estimatedBytes(SyncRecord r) {
        long n = 40L + 3L * r.origin().length() + 3L * r.payload().point().length();
        if (r.payload() instanceof io.hazwatch.sync.model.Reading rd
                && rd.value() instanceof io.hazwatch.sync.model.PointValue.StringValue sv) {
            n += 3L * sv.value().length();
        }
        return n;
    }

    private static long[] toArray(List<Long> l) {
        long[] a = new long[l.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = l.get(i);
        }
        return a;
    }

    /** Netty side: hands every event to the sender thread, tagged with its connection epoch. */
    private final class ParentHandler extends SimpleChannelInboundHandler<Frame> {
        private final long epoch;

        ParentHandler(long epoch) {
            this.epoch = epoch;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Frame frame) {
            if (frame instanceof Frame.Ack a) {
                post(() -> onAck(epoch, a));
            } else if (frame instanceof Frame.Credit c) {
                post(() -> onCredit(epoch, c));
            } else if (frame instanceof Frame.Welcome w) {
                post(() -> onWelcome(epoch, w));
            } else if (frame instanceof Frame.Ping p) {
                ctx.writeAndFlush(new Frame.Pong(p.nonce(), clock.millis()));
            } else if (frame instanceof Frame.Pong p) {
                onPong(p); // liveness is the idle handler's business; the pong also times the link
            } else if (frame instanceof Frame.Error e) {
                post(() -> fail(epoch, "parent refused: " + e.code() + " " + e.message()));
            } else {
                post(() -> fail(epoch, "unexpected " + frame.getClass().getSimpleName() + " from parent"));
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof IdleStateEvent) {
                post(() -> fail(epoch, "parent silent for " + options.idleTimeout()));
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            post(() -> fail(epoch, "connection closed"));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ProtocolException pe = Protocol.protocolCause(cause);
            String why = pe != null ? "protocol error from parent: " + pe.getMessage()
                    : cause instanceof IOException ? "I/O error: " + cause.getMessage() : "error: " + cause;
            if (pe != null) {
                ctx.writeAndFlush(new Frame.Error(pe.code(), pe.getMessage()));
            }
            post(() -> fail(epoch, why));
        }
    }
}
