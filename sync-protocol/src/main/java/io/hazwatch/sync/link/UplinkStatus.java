package io.hazwatch.sync.link;

import java.util.Map;

/** What a child shows of its uplink: state, which parent, backlog per lane, and throughput counters. */
public record UplinkStatus(LinkState state, String parent, Map<String, Long> backlogByLane, long backlog,
                           long inFlightRecords, long recordsSent, long recordsAcked, long reconnects,
                           long oldestPendingAgeMillis, String lastError) {
}
