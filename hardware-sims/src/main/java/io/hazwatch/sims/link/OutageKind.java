package io.hazwatch.sims.link;

/** How the link fails during an outage. */
public enum OutageKind {
    /**
     * A rain fade or pointing loss: connections stay open but nothing crosses the link and nothing is read from the
     * senders. Bytes already accepted wait and are delivered, in order, after the outage; none are lost.
     */
    FADE,
    /**
     * The terminal drops its connections: every open connection is reset at both ends (TCP RST) and new ones are
     * reset as soon as they are accepted, until the link is up again. Bytes the reset connections had queued are
     * discarded and counted ({@link DirectionStats#bytesDiscarded()}); both ends see the reset.
     */
    HARD
}
