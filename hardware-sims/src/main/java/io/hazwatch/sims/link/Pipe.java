package io.hazwatch.sims.link;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;

/**
 * One direction of the simulated link: the modem's transmit queue (bounded by the profile's buffer), one
 * transmitter shared by every connection in this direction, and the propagation path.
 *
 * <p>Pure model: no I/O and no clock; every method takes the current time in nanoseconds (any monotonic origin).
 * A chunk offered at {@code t} starts transmission at {@code max(t, end of the previous chunk)}, ends
 * {@code bytes * 8 / bitrate} later, and is released {@code oneWayDelay + U[0, jitter]} after that, but never before
 * the previous chunk of the same flow. While frozen (an outage) nothing is accepted, transmitted or released, and
 * on thaw every pending time moves later by the length of the outage.
 *
 * <p>Threading: one writer, the loop thread. The counters are volatile so other threads may read them.
 */
final class Pipe {

    /** Chunks are cut to about this much transmitter time, so delivery is smooth rather than one burst per read. */
    private static final long CHUNK_NANOS = 5_000_000L;
    private static final int MIN_CHUNK_BYTES = 64;
    private static final int MAX_CHUNK_BYTES = 16 * 1024;
    /** A flow never has less than this in flight before its sender is paused for a slow receiver. */
    private static final long MIN_FLOW_WINDOW = 64 * 1024;

    private static final class Segment {
        final Flow flow;
        final ByteBuffer data;
        final boolean end;
        final long arrivedAt;

        Segment(Flow flow, ByteBuffer data, boolean end, long arrivedAt) {
            this.flow = flow;
            this.data = data;
            this.end = end;
            this.arrivedAt = arrivedAt;
        }
    }

    private final ArrayDeque<Segment> queue = new ArrayDeque<>();
    private final List<Flow> flows = new ArrayList<>();
    private final Random random;
    private LinkProfile profile;
    private long transmitterFreeAt = Long.MIN_VALUE;
    private boolean frozen;
    private long frozenAt;

    private volatile long bytesAccepted;
    private volatile long bytesDelivered;
    private volatile long queuedBytes;
    private volatile long maxQueuedBytes;
    private volatile long inFlightBytes;
    private volatile long bytesDiscarded;

    Pipe(LinkProfile profile, long seed) {
        this.profile = profile;
        this.random = new Random(seed);
    }

    LinkProfile profile() {
        return profile;
    }

    /** Applies to chunks not yet transmitted; chunks already transmitted keep their release times. */
    void setProfile(LinkProfile newProfile) {
        this.profile = newProfile;
    }

    Flow openFlow() {
        Flow flow = new Flow(this);
        flows.add(flow);
        return flow;
    }

    /** Forgets a flow whose connection is gone; its untransmitted and undelivered bytes count as discarded. */
    void closeFlow(Flow flow) {
        if (!flows.remove(flow)) {
            return;
        }
        for (Iterator<Segment> it = queue.iterator(); it.hasNext(); ) {
            if (it.next().flow == flow) {
                it.remove();
            }
        }
        long lost = flow.queuedBytes + flow.inFlightBytes;
        queuedBytes -= flow.queuedBytes;
        inFlightBytes -= flow.inFlightBytes;
        bytesDiscarded += lost;
        flow.queuedBytes = 0;
        flow.inFlightBytes = 0;
        flow.inFlight.clear();
    }

    /** Bytes the modem buffer can take now; zero while frozen. */
    int room() {
        if (frozen) {
            return 0;
        }
        return (int) Math.max(0, profile.bufferBytes() - queuedBytes);
    }

    /**
     * Whether the loop may read from this flow's sender now: not frozen, not at EOF, room in the buffer, and the
     * receiver keeping up (the flow has less than its window transmitted and unwritten).
     */
    boolean accepts(Flow flow) {
        return room() > 0 && !flow.sourceEnded && flow.inFlightBytes < flowWindow();
    }

    /** How much a flow may have transmitted but unwritten: twice the bandwidth-delay product, at least 64 KiB. */
    long flowWindow() {
        return Math.max(MIN_FLOW_WINDOW, 2 * profile.bandwidthDelayProductBytes());
    }

    /** Chunk size for the current profile: about 5 ms of transmitter time, 64 B .. 16 KiB. */
    int chunkBytes() {
        long bytes = profile.bitsPerSecond() * CHUNK_NANOS / 8_000_000_000L;
        return (int) Math.max(MIN_CHUNK_BYTES, Math.min(MAX_CHUNK_BYTES, bytes));
    }

    /**
     * Queues everything remaining in {@code src} (copied; {@code src} is consumed). The caller reads at most
     * {@link #room()} bytes, so the queue never exceeds the buffer.
     */
    void offer(Flow flow, ByteBuffer src, long now) {
        int total = src.remaining();
        int chunk = chunkBytes();
        while (src.hasRemaining()) {
            int n = Math.min(chunk, src.remaining());
            ByteBuffer copy = ByteBuffer.allocate(n);
            int limit = src.limit();
            src.limit(src.position() + n);
            copy.put(src).flip();
            src.limit(limit);
            queue.addLast(new Segment(flow, copy, false, now));
        }
        flow.queuedBytes += total;
        bytesAccepted += total;
        queuedBytes += total;
        if (queuedBytes > maxQueuedBytes) {
            maxQueuedBytes = queuedBytes;
        }
    }

    /** Queues the sender's EOF behind its bytes. */
    void offerEnd(Flow flow, long now) {
        flow.sourceEnded = true;
        queue.addLast(new Segment(flow, null, true, now));
    }

    /** Starts every chunk whose transmission is due by {@code now}, moving it to its flow's in-flight queue. */
    void advance(long now) {
        if (frozen) {
            return;
        }
        while (!queue.isEmpty()) {
            Segment s = queue.peekFirst();
            long start = Math.max(transmitterFreeAt, s.arrivedAt);
            if (start > now) {
                return;
            }
            queue.removeFirst();
            Flow flow = s.flow;
            if (s.end) {
                flow.inFlight.addLast(new Flow.Delivery(null, true, release(flow, start)));
                continue;
            }
            int n = s.data.remaining();
            long end = start + profile.serializationNanos(n);
            transmitterFreeAt = end;
            flow.inFlight.addLast(new Flow.Delivery(s.data, false, release(flow, end)));
            flow.queuedBytes -= n;
            flow.inFlightBytes += n;
            queuedBytes -= n;
            inFlightBytes += n;
        }
    }

    private long release(Flow flow, long transmitted) {
        long jitterNanos = profile.jitter().toNanos();
        long extra = jitterNanos == 0 ? 0 : random.nextLong(jitterNanos + 1);
        long at = Math.max(transmitted + profile.oneWayDelay().toNanos() + extra, flow.lastDeliverAt);
        flow.lastDeliverAt = at;
        return at;
    }

    /** When the next queued chunk starts transmission, or {@link Long#MAX_VALUE} if none (or frozen). */
    long nextTransmitAt() {
        Segment head = queue.peekFirst();
        if (frozen || head == null) {
            return Long.MAX_VALUE;
        }
        return Math.max(transmitterFreeAt, head.arrivedAt);
    }

    /** Records {@code n} bytes of the flow's head chunk written to the receiver. */
    void delivered(Flow flow, int n) {
        flow.inFlightBytes -= n;
        inFlightBytes -= n;
        bytesDelivered += n;
    }

    boolean frozen() {
        return frozen;
    }

    void freeze(long now) {
        if (!frozen) {
            frozen = true;
            frozenAt = now;
        }
    }

    /** Ends an outage: every pending time after its start moves later by its length; nothing is dropped. */
    void thaw(long now) {
        if (!frozen) {
            return;
        }
        frozen = false;
        long shift = Math.max(0, now - frozenAt);
        // a chunk part-way through transmission resumes where it stopped; an idle transmitter restarts now
        transmitterFreeAt = transmitterFreeAt > frozenAt ? transmitterFreeAt + shift : now;
        for (Flow flow : flows) {
            for (Flow.Delivery d : flow.inFlight) {
                if (d.deliverAt > frozenAt) {
                    d.deliverAt += shift;
                }
            }
            if (flow.lastDeliverAt > frozenAt) {
                flow.lastDeliverAt += shift;
            }
        }
    }

    DirectionStats stats() {
        return new DirectionStats(bytesAccepted, bytesDelivered, queuedBytes, maxQueuedBytes, inFlightBytes,
                bytesDiscarded);
    }
}
