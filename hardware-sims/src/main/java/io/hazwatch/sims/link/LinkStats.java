package io.hazwatch.sims.link;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * A snapshot of a {@link LinkSimulator}'s counters. Each field is read atomically, but the fields are not one
 * atomic snapshot: while traffic flows, {@code bytesAccepted} and {@code bytesDelivered} may be a few microseconds
 * apart.
 *
 * @param state                 the link's state
 * @param upstream              client to upstream (toward the parent node)
 * @param downstream            upstream to client
 * @param timeDown              total time the link has been down (faded or hard), including a current outage
 * @param outages               outages begun (a fade escalated to a hard outage counts once)
 * @param openConnections       connections open now
 * @param acceptedConnections   connections accepted over the lifetime
 * @param resetConnections      connections reset by the link (hard outage, a peer's reset, upstream refused)
 */
public record LinkStats(LinkState state, DirectionStats upstream, DirectionStats downstream, Duration timeDown,
                        long outages, int openConnections, long acceptedConnections, long resetConnections) {

    public LinkStats {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(upstream, "upstream");
        Objects.requireNonNull(downstream, "downstream");
        Objects.requireNonNull(timeDown, "timeDown");
    }

    /** One line for the console. */
    public String describe() {
        return String.format(Locale.ROOT,
                "%s, up %d B (queued %d, in flight %d), down %d B (queued %d, in flight %d), "
                        + "%d outages, %.1f s down, %d open, %d accepted, %d reset",
                state, upstream.bytesDelivered(), upstream.queuedBytes(), upstream.inFlightBytes(),
                downstream.bytesDelivered(), downstream.queuedBytes(), downstream.inFlightBytes(),
                outages, timeDown.toMillis() / 1000.0, openConnections, acceptedConnections, resetConnections);
    }
}
