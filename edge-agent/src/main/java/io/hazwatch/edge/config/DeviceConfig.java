package io.hazwatch.edge.config;

import io.hazwatch.drivers.spi.ChannelSpec;
import io.hazwatch.drivers.spi.DeviceSpec;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One device an edge agent polls: the driver type that reads it, the driver's device properties, the
 * poll interval and its points (profiles already expanded), in configuration order.
 */
public record DeviceConfig(String name, String driver, Map<String, Object> properties, long pollIntervalMs,
                           List<PointConfig> points, String location) {

    public static final long MIN_POLL_INTERVAL_MS = 100;
    public static final long MAX_POLL_INTERVAL_MS = 86_400_000;
    public static final long DEFAULT_POLL_INTERVAL_MS = 1_000;

    public DeviceConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(driver, "driver");
        properties = Map.copyOf(properties);
        points = List.copyOf(points);
        Objects.requireNonNull(location, "location");
        if (pollIntervalMs < MIN_POLL_INTERVAL_MS || pollIntervalMs > MAX_POLL_INTERVAL_MS) {
            throw new IllegalArgumentException("poll interval out of " + MIN_POLL_INTERVAL_MS + ".."
                    + MAX_POLL_INTERVAL_MS + " ms: " + pollIntervalMs);
        }
    }

    /** What the driver is given: one channel per point, named as the point. */
    public DeviceSpec toDeviceSpec() {
        List<ChannelSpec> channels = points.stream()
                .map(p -> new ChannelSpec(p.name(), p.properties(), p.location()))
                .toList();
        return new DeviceSpec(name, driver, properties, channels, location);
    }
}
