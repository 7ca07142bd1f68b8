package io.hazwatch.sims.link;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * One connection's bytes in one direction, after the transmitter: chunks propagating or waiting for the receiver,
 * in stream order. Owned by the loop thread; no locking.
 */
final class Flow {

    /** A transmitted chunk and the time it may be written to the receiver; {@code end} marks the sender's EOF. */
    static final class Delivery {
        final ByteBuffer data;
        final boolean end;
        long deliverAt;

        Delivery(ByteBuffer data, boolean end, long deliverAt) {
            this.data = data;
            this.end = end;
            this.deliverAt = deliverAt;
        }
    }

    final Pipe pipe;
    final ArrayDeque<Delivery> inFlight = new ArrayDeque<>();
    /** Bytes of this flow in the pipe's modem queue. */
    long queuedBytes;
    /** Bytes in {@link #inFlight}, counting only what is not yet written. */
    long inFlightBytes;
    /** Release time of the latest chunk; later chunks are never released before it (no reordering). */
    long lastDeliverAt = Long.MIN_VALUE;
    /** The sender has shut down its output (read returned -1). */
    boolean sourceEnded;
    /** The EOF has crossed the link and the receiver's output is shut down. */
    boolean endDelivered;
    /** The last write to the receiver was partial; wait until it is writable again. */
    boolean receiverBlocked;

    Flow(Pipe pipe) {
        this.pipe = pipe;
    }

    /** Release time of the next chunk, or {@link Long#MAX_VALUE} if nothing has been transmitted. */
    long nextDeliverAt() {
        Delivery head = inFlight.peekFirst();
        return head == null ? Long.MAX_VALUE : head.deliverAt;
    }
}
