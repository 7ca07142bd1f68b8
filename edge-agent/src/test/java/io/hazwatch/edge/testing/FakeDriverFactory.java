package io.hazwatch.edge.testing;

import io.hazwatch.drivers.spi.ChannelSpec;
import io.hazwatch.drivers.spi.ConfigProblem;
import io.hazwatch.drivers.spi.DeviceSpec;
import io.hazwatch.drivers.spi.Driver;
import io.hazwatch.drivers.spi.DriverConfigException;
import io.hazwatch.drivers.spi.DriverFactory;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Driver type "fake": every channel needs an integer {@code address} property (0..999); a device with
 * property {@code broken: true} is refused as a whole. Keeps the drivers it made, by device name.
 */
public final class FakeDriverFactory implements DriverFactory {
    private final Map<String, FakeDriver> created = new ConcurrentHashMap<>();

    @Override
    public String type() {
        return "fake";
    }

    @Override
    public List<ConfigProblem> validate(DeviceSpec device) {
        List<ConfigProblem> problems = new ArrayList<>();
        if (Boolean.TRUE.equals(device.properties().get("broken"))) {
            problems.add(new ConfigProblem(device.location(), "this device is broken"));
        }
        for (ChannelSpec c : device.channels()) {
            Object address = c.properties().get("address");
            if (!(address instanceof Integer r)) {
                problems.add(new ConfigProblem(c.location(), "address: an integer is required"));
            } else if (r < 0 || r > 999) {
                problems.add(new ConfigProblem(c.location(), "address: must be in 0..999, got " + r));
            }
        }
        return problems;
    }

    @Override
    public Driver create(DeviceSpec device, Clock clock) throws DriverConfigException {
        List<ConfigProblem> problems = validate(device);
        if (!problems.isEmpty()) {
            throw new DriverConfigException(problems);
        }
        FakeDriver d = new FakeDriver(device, clock);
        created.put(device.name(), d);
        return d;
    }

    public FakeDriver driver(String deviceName) {
        FakeDriver d = created.get(deviceName);
        if (d == null) {
            throw new IllegalArgumentException("no fake driver for " + deviceName);
        }
        return d;
    }
}
