package io.hazwatch.drivers.plc4x;

import io.hazwatch.drivers.plc4x.internal.Plc4xConfigParser;
import io.hazwatch.drivers.plc4x.internal.Plc4xDriver;
import io.hazwatch.drivers.plc4x.internal.PlcConnectionLink;
import io.hazwatch.drivers.spi.ConfigProblem;
import io.hazwatch.drivers.spi.DeviceSpec;
import io.hazwatch.drivers.spi.Driver;
import io.hazwatch.drivers.spi.DriverConfigException;
import io.hazwatch.drivers.spi.DriverFactory;

import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * Makes drivers that read through Apache PLC4X ({@code driver: plc4x}), so that protocols this project
 * does not implement (S7, EtherNet/IP, ADS, ...) are reachable when their PLC4X driver is on the class
 * path; found through {@link java.util.ServiceLoader}. Properties: docs/drivers-plc4x.md.
 */
public final class Plc4xDriverFactory implements DriverFactory {

    /** The {@code driver:} value of PLC4X devices. */
    public static final String TYPE = Plc4xConfigParser.DRIVER_TYPE;

    @Override
    public String type() {
        return TYPE;
    }

    /**
     * Every problem of the device and its channels: the connection string's protocol must have a PLC4X
     * driver installed and each tag must parse in that driver's syntax. Touches no device.
     */
    @Override
    public List<ConfigProblem> validate(DeviceSpec device) {
        return Plc4xConfigParser.validate(Objects.requireNonNull(device, "device"));
    }

    /** The validated configuration, or a {@link DriverConfigException} listing every problem. */
    public Plc4xDeviceConfig parse(DeviceSpec device) throws DriverConfigException {
        return Plc4xConfigParser.parse(Objects.requireNonNull(device, "device"));
    }

    /** A driver that connects on its first read. */
    @Override
    public Driver create(DeviceSpec device, Clock clock) throws DriverConfigException {
        Plc4xDeviceConfig config = parse(device);
        return new Plc4xDriver(device, config, Objects.requireNonNull(clock, "clock"), new PlcConnectionLink(config));
    }
}
