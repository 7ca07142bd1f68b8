package io.hazwatch.drivers.modbus;

import io.hazwatch.drivers.modbus.internal.IoLane;
import io.hazwatch.drivers.modbus.internal.J2modLink;
import io.hazwatch.drivers.modbus.internal.ModbusConfigParser;
import io.hazwatch.drivers.modbus.internal.ModbusDriver;
import io.hazwatch.drivers.modbus.internal.SerialBus;
import io.hazwatch.drivers.modbus.internal.SerialBusLink;
import io.hazwatch.drivers.modbus.internal.SerialBusRegistry;
import io.hazwatch.drivers.spi.ConfigProblem;
import io.hazwatch.drivers.spi.DeviceSpec;
import io.hazwatch.drivers.spi.Driver;
import io.hazwatch.drivers.spi.DriverConfigException;
import io.hazwatch.drivers.spi.DriverFactory;

import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * Makes Modbus drivers of one {@link ModbusKind}; the four concrete factories are found through
 * {@link java.util.ServiceLoader}. Every driver made here implements {@link io.hazwatch.drivers.spi.Writable},
 * {@link ModbusWriter} and {@link ModbusReader}. Device and channel properties are documented in
 * docs/drivers-modbus.md.
 *
 * <p>Devices on one serial port (or behind one serial device server) share one line: created with the
 * first of them, closed with the last, one transaction at a time. They must agree on the line's
 * settings, or {@link #create} refuses the newcomer.
 */
public abstract sealed class ModbusDriverFactory implements DriverFactory
        permits ModbusTcpDriverFactory, ModbusRtuDriverFactory, ModbusRtuOverTcpDriverFactory, ModbusAsciiDriverFactory {

    private final ModbusKind kind;

    ModbusDriverFactory(ModbusKind kind) {
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public ModbusKind kind() {
        return kind;
    }

    @Override
    public String type() {
        return kind.type();
    }

    /** Every problem of the device and its channels, each with its location; touches no device. */
    @Override
    public List<ConfigProblem> validate(DeviceSpec device) {
        return ModbusConfigParser.validate(kind, Objects.requireNonNull(device, "device"));
    }

    /** The validated configuration, or a {@link DriverConfigException} listing every problem. */
    public ModbusDeviceConfig parse(DeviceSpec device) throws DriverConfigException {
        return ModbusConfigParser.parse(kind, Objects.requireNonNull(device, "device"));
    }

    /**
     * A driver that connects (opens its port) on its first read; {@code clock} stamps the samples and
     * times the backoff.
     *
     * @throws DriverConfigException if the configuration is wrong, or its serial line is already in use
     *                               with other settings
     */
    @Override
    public Driver create(DeviceSpec device, Clock clock) throws DriverConfigException {
        ModbusDeviceConfig config = parse(device);
        Objects.requireNonNull(clock, "clock");
        ModbusEndpoint endpoint = config.endpoint();
        if (endpoint instanceof ModbusEndpoint.Tcp tcp) {
            return new ModbusDriver(device, config, clock, new J2modLink(tcp.host(), tcp.port(), config.unitId(),
                    config.timeoutMs()), IoLane.own("modbus-tcp-" + config.name()));
        }
        SerialBusRegistry.Result line = SerialBusRegistry.shared().acquire(endpoint, config.timeoutMs());
        if (line.conflict().isPresent()) {
            throw new DriverConfigException(List.of(new ConfigProblem(device.location(), "device '" + device.name()
                    + "': " + line.conflict().get())));
        }
        SerialBus bus = line.bus().orElseThrow();
        return new ModbusDriver(device, config, clock, new SerialBusLink(bus, config.unitId(), config.timeoutMs()),
                bus.lane());
    }
}
