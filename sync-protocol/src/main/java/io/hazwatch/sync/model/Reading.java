package io.hazwatch.sync.model;

import java.util.Objects;

/** One reading of one point at its source time. */
public record Reading(String point, long timestampMillis, PointValue value, int quality) implements Payload {
    public Reading {
        Objects.requireNonNull(point, "point");
        Objects.requireNonNull(value, "value");
        if (quality < 0 || quality > 255) {
            throw new IllegalArgumentException("quality code out of 0..255: " + quality);
        }
    }
}
