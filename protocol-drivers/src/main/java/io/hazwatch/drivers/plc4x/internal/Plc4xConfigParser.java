package io.hazwatch.drivers.plc4x.internal;

import io.hazwatch.drivers.plc4x.Plc4xChannel;
import io.hazwatch.drivers.plc4x.Plc4xDeviceConfig;
import io.hazwatch.drivers.spi.ChannelSpec;
import io.hazwatch.drivers.spi.ConfigProblem;
import io.hazwatch.drivers.spi.DeviceSpec;
import io.hazwatch.drivers.spi.DriverConfigException;
import org.apache.plc4x.java.api.PlcDriver;
import org.apache.plc4x.java.api.PlcDriverManager;
import org.apache.plc4x.java.api.exceptions.PlcConnectionException;
import org.apache.plc4x.java.api.model.PlcTag;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;

/**
 * Validates a {@code plc4x} device without touching it: the protocol of the connection string must have
 * a PLC4X driver on the class path, and every tag must parse with that driver's
 * {@link PlcDriver#prepareTag}. Collects every problem with its location.
 */
public final class Plc4xConfigParser {

    public static final String DRIVER_TYPE = "plc4x";

    static final Set<String> DEVICE_KEYS = Set.of("connection", "timeoutMs", "backoffMinMs", "backoffMaxMs");
    static final Set<String> CHANNEL_KEYS = Set.of("tag", "scale", "offset");

    private static final long MAX_TIMEOUT_MS = 600_000;
    private static final long MAX_BACKOFF_MS = 3_600_000;

    /**
     * Connection-string parameters PLC4X 0.13.1 silently ignores that people write anyway, and what they
     * meant. PLC4X does not refuse unknown parameters, so {@code ?unit-identifier=5} reads unit 1.
     */
    private static final Map<String, String> MISTAKES = Map.of(
            "unit-identifier", "default-unit-identifier",
            "unit-id", "default-unit-identifier",
            "unitId", "default-unit-identifier",
            "timeout", "request-timeout",
            "byte-order", "default-payload-byte-order");

    private Plc4xConfigParser() {
    }

    /** Every problem of {@code device}; empty when it is acceptable. */
    public static List<ConfigProblem> validate(DeviceSpec device) {
        List<ConfigProblem> problems = new ArrayList<>();
        run(device, problems);
        return List.copyOf(problems);
    }

    /** The validated configuration, or every problem at once. */
    public static Plc4xDeviceConfig parse(DeviceSpec device) throws DriverConfigException {
        List<ConfigProblem> problems = new ArrayList<>();
        Optional<Plc4xDeviceConfig> config = run(device, problems);
        if (!problems.isEmpty() || config.isEmpty()) {
            throw new DriverConfigException(problems);
        }
        return config.get();
    }

    private static Optional<Plc4xDeviceConfig> run(DeviceSpec device, List<ConfigProblem> problems) {
        String where = device.location();
        String label = "device '" + device.name() + "'";
        if (!DRIVER_TYPE.equals(device.driver())) {
            problems.add(new ConfigProblem(where, label + ": driver '" + device.driver() + "' is not " + DRIVER_TYPE));
        }
        Map<String, Object> props = device.properties();
        unknownKeys(where, label, props, DEVICE_KEYS, problems);

        Optional<PlcDriver> plcDriver = Optional.empty();
        Object connectionValue = props.get("connection");
        String connection = null;
        if (connectionValue == null || connectionValue.toString().isBlank()) {
            problems.add(new ConfigProblem(where, label + ": property 'connection' is required (a PLC4X connection"
                    + " string, e.g. modbus-tcp://10.0.0.5:502?default-unit-identifier=1)"));
        } else if (!(connectionValue instanceof String)) {
            problems.add(new ConfigProblem(where, label + ": property 'connection' must be a string"));
        } else {
            connection = ((String) connectionValue).trim();
            plcDriver = driverFor(connection, where, label, problems);
            for (String parameter : parameters(connection)) {
                String meant = MISTAKES.get(parameter);
                if (meant != null) {
                    problems.add(new ConfigProblem(where, label + ": connection parameter '" + parameter
                            + "' is not a PLC4X parameter and PLC4X ignores it silently (did you mean '" + meant
                            + "'?)"));
                }
            }
        }
        OptionalLong timeout = integer(where, label, props, "timeoutMs", Plc4xDeviceConfig.DEFAULT_TIMEOUT_MS, 1,
                MAX_TIMEOUT_MS, problems);
        OptionalLong backoffMin = integer(where, label, props, "backoffMinMs", Plc4xDeviceConfig.DEFAULT_BACKOFF_MIN_MS,
                1, MAX_BACKOFF_MS, problems);
        OptionalLong backoffMax = integer(where, label, props, "backoffMaxMs", Plc4xDeviceConfig.DEFAULT_BACKOFF_MAX_MS,
                1, MAX_BACKOFF_MS, problems);
        if (backoffMin.isPresent() && backoffMax.isPresent() && backoffMax.getAsLong() < backoffMin.getAsLong()) {
            problems.add(new ConfigProblem(where, label + ": property 'backoffMaxMs' (" + backoffMax.getAsLong()
                    + ") must not be less than 'backoffMinMs' (" + backoffMin.getAsLong() + ")"));
        }
        if (device.channels().isEmpty()) {
            problems.add(new ConfigProblem(where, label + ": a device needs at least one channel"));
        }

        List<Plc4xChannel> channels = new ArrayList<>();
        Map<String, String> firstLocation = new HashMap<>();
        for (ChannelSpec spec : device.channels()) {
            String previous = firstLocation.putIfAbsent(spec.name(), spec.location());
            if (previous != null) {
                problems.add(new ConfigProblem(spec.location(), "channel '" + spec.name()
                        + "': duplicate name (first defined at " + previous + ")"));
            }
            channel(spec, plcDriver, problems).ifPresent(channels::add);
        }
        if (!problems.isEmpty() || connection == null) {
            return Optional.empty();
        }
        return Optional.of(new Plc4xDeviceConfig(device.name(), connection, timeout.getAsLong(),
                backoffMin.getAsLong(), backoffMax.getAsLong(), channels));
    }

    private static Optional<PlcDriver> driverFor(String connection, String where, String label,
                                                 List<ConfigProblem> problems) {
        PlcDriverManager manager = PlcDriverManager.getDefault();
        try {
            return Optional.of(manager.getDriverForUrl(connection));
        } catch (PlcConnectionException | RuntimeException e) {
            problems.add(new ConfigProblem(where, label + ": no PLC4X driver for connection '" + connection
                    + "' (" + e.getMessage() + "; installed protocols: "
                    + String.join(", ", new TreeSet<>(manager.getProtocolCodes())) + ")"));
            return Optional.empty();
        }
    }

    private static Optional<Plc4xChannel> channel(ChannelSpec spec, Optional<PlcDriver> plcDriver,
                                                  List<ConfigProblem> problems) {
        String where = spec.location();
        String label = "channel '" + spec.name() + "'";
        int before = problems.size();
        Map<String, Object> props = spec.properties();
        unknownKeys(where, label, props, CHANNEL_KEYS, problems);
        Object tagValue = props.get("tag");
        String tag = null;
        if (tagValue == null || tagValue.toString().isBlank()) {
            problems.add(new ConfigProblem(where, label + ": property 'tag' is required (a PLC4X tag address, e.g."
                    + " holding-register:1:REAL)"));
        } else {
            tag = tagValue.toString().trim();
            if (plcDriver.isPresent()) {
                checkTag(plcDriver.get(), tag, where, label, problems);
            }
        }
        OptionalDouble scale = number(where, label, props, "scale", 1.0, problems);
        OptionalDouble offset = number(where, label, props, "offset", 0.0, problems);
        if (scale.isPresent() && scale.getAsDouble() == 0.0) {
            problems.add(new ConfigProblem(where, label + ": property 'scale' must not be 0"));
        }
        if (problems.size() > before || tag == null || scale.isEmpty() || offset.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Plc4xChannel(spec.name(), where, tag, scale.getAsDouble(), offset.getAsDouble(),
                props.containsKey("scale") || props.containsKey("offset")));
    }

    private static void checkTag(PlcDriver driver, String tag, String where, String label,
                                 List<ConfigProblem> problems) {
        PlcTag parsed;
        try {
            parsed = driver.prepareTag(tag);
        } catch (UnsupportedOperationException e) {
            return; // this PLC4X driver cannot check tags offline; the first read will
        } catch (RuntimeException e) { // PlcInvalidTagException and the IllegalArgumentExceptions of tag classes
            problems.add(new ConfigProblem(where, label + ": tag '" + tag + "' is not a valid "
                    + driver.getProtocolCode() + " tag: " + e.getMessage()));
            return;
        }
        if (parsed == null) {
            return;
        }
        if (parsed.getArrayInfo() != null && !parsed.getArrayInfo().isEmpty()) {
            problems.add(new ConfigProblem(where, label + ": tag '" + tag + "' reads an array; a channel takes one"
                    + " value (one channel per element)"));
        }
    }

    /** The query parameter names of a connection string. */
    static List<String> parameters(String connection) {
        int q = connection.indexOf('?');
        if (q < 0) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        for (String pair : connection.substring(q + 1).split("&")) {
            int eq = pair.indexOf('=');
            String name = (eq < 0 ? pair : pair.substring(0, eq)).trim();
            if (!name.isEmpty()) {
                names.add(name);
            }
        }
        return names;
    }

    private static void unknownKeys(String where, String label, Map<String, Object> props, Set<String> known,
                                    List<ConfigProblem> problems) {
        for (String key : new TreeSet<>(props.keySet())) {
            if (!known.contains(key)) {
                Optional<String> near = known.stream().filter(k -> k.equalsIgnoreCase(key)).findFirst();
                problems.add(new ConfigProblem(where, label + ": unknown property '" + key + "'"
                        + near.map(k -> " (did you mean '" + k + "'?)")
                        .orElse(" (known: " + String.join(", ", new TreeSet<>(known)) + ")")));
            }
        }
    }

    private static OptionalLong integer(String where, String label, Map<String, Object> props, String key,
                                        long fallback, long min, long max, List<ConfigProblem> problems) {
        Object value = props.get(key);
        if (value == null) {
            return OptionalLong.of(fallback);
        }
        long v;
        try {
            v = value instanceof Number n ? new BigDecimal(n.toString()).longValueExact()
                    : Long.parseLong(value.toString().trim());
        } catch (ArithmeticException | NumberFormatException e) {
            problems.add(new ConfigProblem(where, label + ": property '" + key + "' must be an integer, got '"
                    + value + "'"));
            return OptionalLong.empty();
        }
        if (v < min || v > max) {
            problems.add(new ConfigProblem(where, label + ": property '" + key + "' must be " + min + ".." + max
                    + ", got " + v));
            return OptionalLong.empty();
        }
        return OptionalLong.of(v);
    }

    private static OptionalDouble number(String where, String label, Map<String, Object> props, String key,
                                         double fallback, List<ConfigProblem> problems) {
        Object value = props.get(key);
        if (value == null) {
            return OptionalDouble.of(fallback);
        }
        double v;
        try {
            v = value instanceof Number n ? n.doubleValue() : Double.parseDouble(value.toString().trim());
        } catch (NumberFormatException e) {
            v = Double.NaN;
        }
        if (!Double.isFinite(v)) {
            problems.add(new ConfigProblem(where, label + ": property '" + key + "' must be a finite number, got '"
                    + value + "'"));
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(v);
    }
}
