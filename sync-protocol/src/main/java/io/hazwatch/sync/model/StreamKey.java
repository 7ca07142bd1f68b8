package io.hazwatch.sync.model;

import java.util.Objects;

/** One stream of records: everything one origin produced on one lane, numbered 0, 1, 2, ... */
public record StreamKey(String origin, Lane lane) implements Comparable<StreamKey> {
    public StreamKey {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(lane, "lane");
    }

    @Override
    public int compareTo(StreamKey o) {
        int c = origin.compareTo(o.origin);
        return c != 0 ? c : Integer.compare(lane.code(), o.lane.code());
    }

    @Override
    public String toString() {
        return origin + "/" + lane;
    }
}
