package io.hazwatch.drivers.modbus;

import io.hazwatch.drivers.modbus.internal.J2modLink;
import io.hazwatch.drivers.modbus.internal.ModbusConfigParser;
import io.hazwatch.drivers.modbus.internal.ModbusTcpDriver;
import io.hazwatch.drivers.spi.ConfigProblem;
import io.hazwatch.drivers.spi.DeviceSpec;
import io.hazwatch.drivers.spi.Driver;
import io.hazwatch.drivers.spi.DriverConfigException;
import io.hazwatch.drivers.spi.DriverFactory;

import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * Makes Modbus TCP drivers ({@code driver: modbus-tcp}); found through {@link java.util.ServiceLoader}.
 * Device and channel properties are documented in docs/drivers-modbus.md.
 */
public final class ModbusTcpDriverFactory implements DriverFactory {

    /** The {@code driver:} value of Modbus TCP devices. */
    public static final String TYPE = ModbusConfigParser.DRIVER_TYPE;

    @Override
    public String type() {
        return TYPE;
    }

    /** Every problem of the device and its channels, each with its location; touches no device. */
    @Override
    public List<ConfigProblem> validate(DeviceSpec device) {
        return ModbusConfigParser.validate(Objects.requireNonNull(device, "device"));
    }

    /** The validated configuration, or a {@link DriverConfigException} listing every problem. */
    public ModbusDeviceConfig parse(DeviceSpec device) throws DriverConfigException {
        return ModbusConfigParser.parse(Objects.requireNonNull(device, "device"));
    }

    /** A driver that connects on its first read; {@code clock} stamps the samples and times the backoff. */
    @Override
    public Driver create(DeviceSpec device, Clock clock) throws DriverConfigException {
        ModbusDeviceConfig config = parse(device);
        return new ModbusTcpDriver(device, config, Objects.requireNonNull(clock, "clock"), new J2modLink(config));
    }
}
