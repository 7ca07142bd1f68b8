package io.hazwatch.node;

import io.hazwatch.sync.link.ChildLinkStatus;
import io.hazwatch.sync.link.UplinkStatus;
import java.util.Map;

/** What a node reports of itself on /status and in its status line. */
public record NodeStatus(String id, String role, long uptimeMillis, long journalPending, long journalCommits,
                         long duplicatesDropped, long journalEvicted, UplinkStatus uplink, Map<String, ChildLinkStatus> children) {
}
