package io.hazwatch.sync.model;

import java.util.List;

/**
 * Where an origin puts what it produces. {@link #append} returns once the payloads are durable in the
 * origin's journal, each with a fresh sequence number on its lane; only then may they be reported
 * as taken.
 */
public interface RecordSink {
    /** Appends payloads of one lane; returns the records as journaled, with their sequence numbers. */
    List<SyncRecord> append(Lane lane, List<? extends Payload> payloads);
}
