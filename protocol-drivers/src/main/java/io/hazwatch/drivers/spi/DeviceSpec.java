package io.hazwatch.drivers.spi;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A device (Kura's asset) as configured: the driver type that serves it, the connection properties
 * (for Modbus TCP {@code host}, {@code port}, {@code unitId}, {@code timeoutMs}) and its channels.
 */
public record DeviceSpec(String name, String driver, Map<String, Object> properties,
                         List<ChannelSpec> channels, String location) {
    public DeviceSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(driver, "driver");
        properties = Map.copyOf(properties);
        channels = List.copyOf(channels);
        location = location == null ? name : location;
    }
}
