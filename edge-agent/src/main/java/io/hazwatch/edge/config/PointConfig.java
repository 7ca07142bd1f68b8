package io.hazwatch.edge.config;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One point of a device: its name (unique in the device; the last part of the point id), its unit, the
 * driver's channel properties that address it, and its alarm limits if it has any. {@code location}
 * says where it was configured ({@code edge.yaml:31:9}, with the profile instance for points expanded
 * from a profile).
 */
public record PointConfig(String name, String unit, Map<String, Object> properties, Optional<AlarmSpec> alarms,
                          String location) {
    public PointConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(unit, "unit");
        properties = Map.copyOf(properties);
        Objects.requireNonNull(alarms, "alarms");
        Objects.requireNonNull(location, "location");
    }
}
