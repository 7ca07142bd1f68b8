package io.hazwatch.drivers.spi;

import java.time.Clock;
import java.util.List;
import java.util.ServiceLoader;

/** Makes drivers of one type ({@code modbus-tcp}, ...). Found with {@link ServiceLoader}. */
public interface DriverFactory {

    /** The {@code driver:} value in a device configuration that selects this factory. */
    String type();

    /** Checks a device configuration without touching the device; empty when it is acceptable. */
    List<ConfigProblem> validate(DeviceSpec device);

    /** Creates a driver; does not connect yet (the first read connects). */
    Driver create(DeviceSpec device, Clock clock) throws DriverConfigException;

    /** All factories on the class path. */
    static List<DriverFactory> installed() {
        return ServiceLoader.load(DriverFactory.class).stream().map(ServiceLoader.Provider::get).toList();
    }
}
