package io.hazwatch.edge.probe;

import io.hazwatch.drivers.modbus.ModbusDeviceConfig;
import io.hazwatch.drivers.modbus.ModbusReadResult;
import io.hazwatch.drivers.modbus.ModbusReader;
import io.hazwatch.drivers.modbus.ModbusRtuDriverFactory;
import io.hazwatch.drivers.modbus.SerialSettings;
import io.hazwatch.drivers.spi.DeviceSpec;
import io.hazwatch.drivers.spi.Driver;
import io.hazwatch.drivers.spi.DriverConfigException;

import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The probe's requests on a Modbus RTU serial line, through the project's own RTU driver
 * ({@link ModbusReader}): its framing, CRC and inter-frame timing, one transaction at a time on the bus,
 * each answered within the driver's timeout. The driver has no channels; it opens the port on the first
 * request and closes it with {@link #close()}.
 */
final class RtuProbeLink implements ModbusProbeLink {

    private final Driver driver;
    private final ModbusReader reader;
    private final String description;

    private RtuProbeLink(Driver driver, String description) {
        this.driver = driver;
        this.reader = (ModbusReader) driver; // every Modbus driver is one (ModbusDriverFactory)
        this.description = description;
    }

    /**
     * A link on {@code line} whose requests wait {@code timeoutMs} for an answer; the port is not opened yet.
     *
     * @throws DriverConfigException if the driver refuses the settings (a baud rate out of range), with why
     */
    static RtuProbeLink open(SerialSettings line, int timeoutMs) throws DriverConfigException {
        Objects.requireNonNull(line, "line");
        Map<String, Object> props = Map.of("port", line.port(), "baudRate", line.baudRate(),
                "dataBits", line.dataBits(), "parity", line.parity().name().toLowerCase(Locale.ROOT),
                "stopBits", line.stopBits(), "timeoutMs", timeoutMs);
        DeviceSpec device = new DeviceSpec("probe", ModbusRtuDriverFactory.TYPE, props, List.of(), "--device");
        ModbusRtuDriverFactory factory = new ModbusRtuDriverFactory();
        ModbusDeviceConfig config = factory.parse(device);
        return new RtuProbeLink(factory.create(device, Clock.systemUTC()), config.endpoint().describe());
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public Outcome read(int unit, Table table, int address, int count) {
        // the driver completes every read within its timeout plus the frames' time on the wire
        ModbusReadResult result = reader.read(unit, table.modbusTable(), address, count).toCompletableFuture().join();
        if (result instanceof ModbusReadResult.Registers r) {
            return new Outcome.Registers(r.values());
        }
        if (result instanceof ModbusReadResult.Bits b) {
            return new Outcome.Bits(b.values());
        }
        if (result instanceof ModbusReadResult.DeviceException e) {
            return new Outcome.Exception(e.code());
        }
        if (result instanceof ModbusReadResult.Timeout t) {
            return new Outcome.Timeout(t.message());
        }
        if (result instanceof ModbusReadResult.Damaged d) {
            return new Outcome.Failure("damaged answer (" + d.message() + "): check --baud, --parity and --stop-bits");
        }
        if (result instanceof ModbusReadResult.Unreachable u) {
            return new Outcome.Unreachable(u.message());
        }
        return new Outcome.Failure(((ModbusReadResult.LinkFailure) result).message());
    }

    /** Closes the driver and with it the port; idempotent. */
    @Override
    public void close() {
        driver.close();
    }
}
