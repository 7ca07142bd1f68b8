package io.hazwatch.sync.model;

import java.util.Objects;

/**
 * A record in custody: its identity (origin, lane, sequence) given once at the origin and never
 * changed by a relay, and what it carries.
 */
public record SyncRecord(String origin, Lane lane, long seq, Payload payload) {
    public SyncRecord {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(lane, "lane");
        Objects.requireNonNull(payload, "payload");
        if (seq < 0) {
            throw new IllegalArgumentException("sequence must not be negative: " + seq);
        }
    }
}
