package io.hazwatch.sync.journal;

import io.hazwatch.sync.model.SyncRecord;

/** A record waiting in a journal for its parent's acknowledgement, with its local position. */
public record Pending(long position, SyncRecord record) {
}
