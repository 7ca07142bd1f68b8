package io.hazwatch.sync.model;

import java.util.Objects;

/**
 * An alarm raised or cleared at the edge. {@code level} is the warning colour, 1 red, 2 orange,
 * 3 yellow, 4 blue.
 */
public record AlarmEvent(String point, long timestampMillis, AlarmLimit limit, int level, boolean raised,
                         double value, double threshold) implements Payload {
    public AlarmEvent {
        Objects.requireNonNull(point, "point");
        Objects.requireNonNull(limit, "limit");
        if (level < 1 || level > 4) {
            throw new IllegalArgumentException("alarm level must be 1 (red) .. 4 (blue): " + level);
        }
    }
}
