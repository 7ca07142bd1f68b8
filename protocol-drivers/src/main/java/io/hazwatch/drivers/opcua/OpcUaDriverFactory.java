package io.hazwatch.drivers.opcua;

import io.hazwatch.drivers.opcua.internal.OpcUaConfigParser;
import io.hazwatch.drivers.opcua.internal.OpcUaDriver;
import io.hazwatch.drivers.spi.ConfigProblem;
import io.hazwatch.drivers.spi.DeviceSpec;
import io.hazwatch.drivers.spi.Driver;
import io.hazwatch.drivers.spi.DriverConfigException;
import io.hazwatch.drivers.spi.DriverFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * Makes OPC UA drivers ({@code driver: opcua}); found through {@link java.util.ServiceLoader}. The
 * drivers it makes also implement {@link io.hazwatch.drivers.spi.Subscribable}. Device and channel
 * properties are documented in docs/drivers-opcua.md.
 *
 * <p>A device without {@code pkiDir} keeps its certificates in the factory's default directory: the one
 * given to {@link #OpcUaDriverFactory(Path)} (an edge agent passes {@code <dataDir>/opcua/pki}), else
 * {@value #PKI_DIR_PROPERTY} if that system property is set, else {@code opcua-pki} in the working
 * directory.
 */
public final class OpcUaDriverFactory implements DriverFactory {

    /** The {@code driver:} value of OPC UA devices. */
    public static final String TYPE = OpcUaConfigParser.DRIVER_TYPE;
    /** System property naming the default certificate directory. */
    public static final String PKI_DIR_PROPERTY = "hazwatch.opcua.pkiDir";

    private final Path defaultPkiDir;

    /** For {@link java.util.ServiceLoader}: the default certificate directory as described above. */
    public OpcUaDriverFactory() {
        this(Path.of(System.getProperty(PKI_DIR_PROPERTY, "opcua-pki")));
    }

    /** With an explicit default certificate directory, e.g. {@code <dataDir>/opcua/pki}. */
    public OpcUaDriverFactory(Path defaultPkiDir) {
        this.defaultPkiDir = Objects.requireNonNull(defaultPkiDir, "defaultPkiDir");
    }

    @Override
    public String type() {
        return TYPE;
    }

    /** Every problem of the device and its channels, each with its location; touches no server. */
    @Override
    public List<ConfigProblem> validate(DeviceSpec device) {
        return OpcUaConfigParser.validate(Objects.requireNonNull(device, "device"), defaultPkiDir);
    }

    /** The validated configuration, or a {@link DriverConfigException} listing every problem. */
    public OpcUaDeviceConfig parse(DeviceSpec device) throws DriverConfigException {
        return OpcUaConfigParser.parse(Objects.requireNonNull(device, "device"), defaultPkiDir);
    }

    /**
     * A driver that connects on its first read (or first {@code subscribe}); {@code clock} stamps
     * samples that carry no server timestamp and times the backoff.
     */
    @Override
    public Driver create(DeviceSpec device, Clock clock) throws DriverConfigException {
        return new OpcUaDriver(device, parse(device), Objects.requireNonNull(clock, "clock"));
    }
}
