package io.hazwatch.drivers.spi;

import java.util.Map;
import java.util.Objects;

/**
 * A channel as configured (Kura's driver/asset/channel model): a name unique within its device and the
 * driver-specific properties that address it, e.g. for Modbus {@code table: holding, address: 0,
 * type: float32, order: CDAB, scale: 1.0}. {@code location} names where it was configured
 * ("tank-farm.yaml:42") so a driver can report problems against it.
 */
public record ChannelSpec(String name, Map<String, Object> properties, String location) {
    public ChannelSpec {
        Objects.requireNonNull(name, "name");
        properties = Map.copyOf(properties);
        location = location == null ? name : location;
    }
}
