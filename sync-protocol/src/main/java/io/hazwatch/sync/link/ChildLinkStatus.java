package io.hazwatch.sync.link;

/**
 * What a parent knows of one child's link. {@code bytesIn} counts what arrived on the wire, framing
 * included, up to the last batch. {@code backlog} is what the child last reported holding
 * for this parent; {@code clockOffsetMillis} is the child's clock minus ours, as last measured.
 */
public record ChildLinkStatus(String childId, boolean connected, String remote, long connectedSinceMillis,
                              long batches, long records, long bytesIn, long lastBatchMillis, long backlog,
                              long refusals, String lastError, long clockOffsetMillis) {
}
