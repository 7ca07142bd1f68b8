package io.hazwatch.node;

import io.hazwatch.sync.link.ChildLinkStatus;
import io.hazwatch.sync.link.UplinkStatus;
import java.util.Map;

/**
 * What a node reports of itself on /status and in its status line. {@code journalEvicted}: records
 * dropped to stay within the journal's disk quota; {@code journalCorrupted}: records found damaged on
 * disk (failed CRC) and set aside; both since the node started.
 */
public record NodeStatus(String id, String role, long uptimeMillis, long journalPending, long journalCommits,
                         long duplicatesDropped, long journalEvicted, long journalCorrupted, UplinkStatus uplink, Map<String, ChildLinkStatus> children) {
}
