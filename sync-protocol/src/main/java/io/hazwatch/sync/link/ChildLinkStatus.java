package io.hazwatch.sync.link;

/**
 * What a parent knows of one child's link. {@code bytesIn} counts what arrived on the wire, framing
 * included, up to the last batch. {@code backlog} is what the child last reported holding
 * for this parent; {@code clockOffsetMillis} is the child's clock minus ours, as last measured;
 * {@code creditRecords} is the record credit last advertised to it (version 3), -1 if it never got any.
 */
public record ChildLinkStatus(String childId, boolean connected, String remote, long connectedSinceMillis,
                              long batches, long records, long bytesIn, long lastBatchMillis, long backlog,
                              long refusals, String lastError, long clockOffsetMillis, long creditRecords) {
}
