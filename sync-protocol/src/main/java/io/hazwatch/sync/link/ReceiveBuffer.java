package io.hazwatch.sync.link;

/**
 * What a parent is prepared to hold for one child between receiving a batch and acknowledging it: the
 * base of the credit it advertises on version-3 connections (docs/sync-protocol.md section 8.3).
 * Counted in records, not bytes: a compact batch of 5,000 slowly changing readings is about a
 * kilobyte on the wire, yet 5,000 objects in memory and 5,000 rows to commit, and it is the commit
 * queue that credit keeps from growing.
 *
 * @param records records of one child unacknowledged at once, before the store's state narrows it
 * @param batches batches of one child unacknowledged at once
 */
public record ReceiveBuffer(long records, int batches) {
    /**
     * Room for a satellite window and a half (8 batches of 5,000 records) with the alarm reserve, so
     * credit never narrows a parent that keeps up; only a parent that falls behind closes it.
     */
    public static final ReceiveBuffer DEFAULT = new ReceiveBuffer(100_000, 32);

    public ReceiveBuffer {
        if (records < 1 || records > io.hazwatch.sync.wire.Frame.Credit.MAX_RECORDS) {
            throw new IllegalArgumentException("receive buffer must be 1.." + io.hazwatch.sync.wire.Frame.Credit.MAX_RECORDS
                    + " records, not " + records);
        }
        if (batches < 1 || batches > io.hazwatch.sync.wire.Frame.Credit.MAX_BATCHES) {
            throw new IllegalArgumentException("receive buffer must be 1.." + io.hazwatch.sync.wire.Frame.Credit.MAX_BATCHES
                    + " batches, not " + batches);
        }
    }
}
