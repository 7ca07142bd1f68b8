package io.hazwatch.sims.link;

/**
 * Counters of one direction of the link, all in bytes, over the simulator's lifetime unless stated.
 *
 * @param bytesAccepted  read from senders
 * @param bytesDelivered written to receivers
 * @param queuedBytes    now in the modem buffer, accepted and not yet transmitted (at most the profile's buffer)
 * @param maxQueuedBytes the most {@code queuedBytes} has been
 * @param inFlightBytes  now transmitted and not yet written to the receiver (propagating, or waiting for a slow
 *                       receiver)
 * @param bytesDiscarded thrown away because their connection was reset (hard outage, peer reset, upstream refused);
 *                       never by a fade or a full buffer
 */
public record DirectionStats(long bytesAccepted, long bytesDelivered, long queuedBytes, long maxQueuedBytes,
                             long inFlightBytes, long bytesDiscarded) {
}
