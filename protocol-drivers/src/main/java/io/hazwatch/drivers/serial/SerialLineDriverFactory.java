package io.hazwatch.drivers.serial;

import io.hazwatch.drivers.serial.internal.JSerialCommTransport;
import io.hazwatch.drivers.serial.internal.SerialConfigParser;
import io.hazwatch.drivers.serial.internal.SerialLineDriver;
import io.hazwatch.drivers.spi.ConfigProblem;
import io.hazwatch.drivers.spi.DeviceSpec;
import io.hazwatch.drivers.spi.Driver;
import io.hazwatch.drivers.spi.DriverConfigException;
import io.hazwatch.drivers.spi.DriverFactory;

import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * Makes drivers for ASCII instruments on a serial port ({@code driver: serial-line}); found through
 * {@link java.util.ServiceLoader}. Device and channel properties are documented in
 * docs/drivers-serial.md.
 */
public final class SerialLineDriverFactory implements DriverFactory {

    /** The {@code driver:} value of serial-line devices. */
    public static final String TYPE = SerialConfigParser.DRIVER_TYPE;

    /** How long one port read waits for the first byte; bounds how late a read is answered. */
    static final int POLL_MILLIS = 50;

    @Override
    public String type() {
        return TYPE;
    }

    /** Every problem of the device and its channels, each with its location; touches no port. */
    @Override
    public List<ConfigProblem> validate(DeviceSpec device) {
        return SerialConfigParser.validate(Objects.requireNonNull(device, "device"));
    }

    /** The validated configuration, or a {@link DriverConfigException} listing every problem. */
    public SerialLineDeviceConfig parse(DeviceSpec device) throws DriverConfigException {
        return SerialConfigParser.parse(Objects.requireNonNull(device, "device"));
    }

    /**
     * A driver whose I/O thread opens the port on the first read and from then on keeps listening;
     * {@code clock} stamps the lines as they arrive and decides staleness.
     */
    @Override
    public Driver create(DeviceSpec device, Clock clock) throws DriverConfigException {
        SerialLineDeviceConfig config = parse(device);
        return new SerialLineDriver(device, config, Objects.requireNonNull(clock, "clock"),
                new JSerialCommTransport(config.port(), POLL_MILLIS));
    }
}
