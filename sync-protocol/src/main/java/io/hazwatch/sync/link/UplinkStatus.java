package io.hazwatch.sync.link;

import java.util.Map;

/**
 * What a child shows of its uplink: state, which parent, backlog per lane and its age, throughput
 * counters, and the drain estimate: {@code drainRatePerSecond} is what the parent acknowledged per
 * second over the last half minute, {@code estimatedDrainSeconds} the backlog divided by that rate
 * (-1 while nothing drains, e.g. the link is down). {@code rttMillis} and {@code clockOffsetMillis}
 * (this node's clock minus its parent's) come from the last ping answered; -1 and 0 before the first.
 * {@code maxInFlightRecords} is the most records ever unacknowledged at once since the uplink started:
 * what the window and the parent's credit allowed at their tightest. {@code maxBulkBatchBytes} is the
 * largest bulk (not alarm-only) batch sent, in bytes on the wire: on a capped link about a quarter
 * second of it, the most an alarm can find queued ahead of it.
 */
public record UplinkStatus(LinkState state, String parent, Map<String, Long> backlogByLane, long backlog,
                           long inFlightRecords, long maxInFlightRecords, long maxBulkBatchBytes, long recordsSent, long recordsAcked, long reconnects,
                           long oldestPendingAgeMillis, String lastError, double drainRatePerSecond,
                           long estimatedDrainSeconds, long rttMillis, long clockOffsetMillis) {
}
