package io.hazwatch.drivers.modbus.internal;

import io.hazwatch.drivers.modbus.ModbusChannel;
import io.hazwatch.drivers.modbus.ModbusDataType;
import io.hazwatch.drivers.modbus.ModbusDeviceConfig;
import io.hazwatch.drivers.modbus.ModbusTable;
import io.hazwatch.drivers.modbus.RegisterOrder;
import io.hazwatch.drivers.spi.ChannelSpec;
import io.hazwatch.drivers.spi.ConfigProblem;
import io.hazwatch.drivers.spi.DeviceSpec;
import io.hazwatch.drivers.spi.DriverConfigException;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Turns a {@link DeviceSpec} into a {@link ModbusDeviceConfig}, collecting every problem in one pass
 * (device and channels) with the location it was written at. Pure: touches no device.
 *
 * <p>Numbers may be given as YAML numbers or as strings; integers also as {@code 0x} hex strings.
 */
public final class ModbusConfigParser {

    /** The {@code driver:} value this parser accepts. */
    public static final String DRIVER_TYPE = "modbus-tcp";

    static final String HOST = "host";
    static final String PORT = "port";
    static final String UNIT_ID = "unitId";
    static final String TIMEOUT_MS = "timeoutMs";
    static final String MAX_REGISTERS_PER_READ = "maxRegistersPerRead";
    static final String MAX_GAP = "maxGap";
    static final String BACKOFF_MIN_MS = "backoffMinMs";
    static final String BACKOFF_MAX_MS = "backoffMaxMs";
    static final Set<String> DEVICE_KEYS = Set.of(HOST, PORT, UNIT_ID, TIMEOUT_MS, MAX_REGISTERS_PER_READ, MAX_GAP,
            BACKOFF_MIN_MS, BACKOFF_MAX_MS);

    static final String TABLE = "table";
    static final String ADDRESS = "address";
    static final String TYPE = "type";
    static final String ORDER = "order";
    static final String BIT = "bit";
    static final String SCALE = "scale";
    static final String OFFSET = "offset";
    static final Set<String> CHANNEL_KEYS = Set.of(TABLE, ADDRESS, TYPE, ORDER, BIT, SCALE, OFFSET);

    private static final int MAX_TIMEOUT_MS = 600_000;
    private static final long MAX_BACKOFF_MS = 3_600_000;

    private ModbusConfigParser() {
    }

    /** Every problem of {@code device}; empty when it is acceptable. */
    public static List<ConfigProblem> validate(DeviceSpec device) {
        Parse parse = new Parse(device);
        parse.run();
        return List.copyOf(parse.problems);
    }

    /** The validated configuration, or every problem at once. */
    public static ModbusDeviceConfig parse(DeviceSpec device) throws DriverConfigException {
        Parse parse = new Parse(device);
        Optional<ModbusDeviceConfig> config = parse.run();
        if (!parse.problems.isEmpty() || config.isEmpty()) {
            throw new DriverConfigException(parse.problems);
        }
        return config.get();
    }

    /** One pass over one device; collects problems as it goes. */
    private static final class Parse {
        private final DeviceSpec device;
        private final List<ConfigProblem> problems = new ArrayList<>();

        Parse(DeviceSpec device) {
            this.device = device;
        }

        Optional<ModbusDeviceConfig> run() {
            String where = device.location();
            if (!DRIVER_TYPE.equals(device.driver())) {
                problem(where, "driver '" + device.driver() + "' is not " + DRIVER_TYPE);
            }
            Map<String, Object> props = device.properties();

            String label = "device '" + device.name() + "'";
            unknownKeys(where, label, props, DEVICE_KEYS);
            String host = null;
            Object hostValue = props.get(HOST);
            if (hostValue == null || hostValue.toString().isBlank()) {
                problem(where, label + ": property 'host' is required");
            } else if (!(hostValue instanceof String)) {
                problem(where, label + ": property 'host' must be a string, got " + describe(hostValue));
            } else {
                host = ((String) hostValue).trim();
            }
            OptionalLong port = integer(where, props, PORT, ModbusDeviceConfig.DEFAULT_PORT, 1, 65535);
            OptionalLong unitId = integer(where, props, UNIT_ID, ModbusDeviceConfig.DEFAULT_UNIT_ID, 0, 255);
            OptionalLong timeout = integer(where, props, TIMEOUT_MS, ModbusDeviceConfig.DEFAULT_TIMEOUT_MS, 1,
                    MAX_TIMEOUT_MS);
            OptionalLong maxPerRead = integer(where, props, MAX_REGISTERS_PER_READ,
                    ModbusDeviceConfig.DEFAULT_MAX_REGISTERS_PER_READ, 1, ModbusTable.MAX_REGISTERS_PER_READ);
            OptionalLong maxGap = integer(where, props, MAX_GAP, ModbusDeviceConfig.DEFAULT_MAX_GAP, 0,
                    ModbusTable.MAX_REGISTERS_PER_READ);
            OptionalLong backoffMin = integer(where, props, BACKOFF_MIN_MS, ModbusDeviceConfig.DEFAULT_BACKOFF_MIN_MS,
                    1, MAX_BACKOFF_MS);
            OptionalLong backoffMax = integer(where, props, BACKOFF_MAX_MS, ModbusDeviceConfig.DEFAULT_BACKOFF_MAX_MS,
                    1, MAX_BACKOFF_MS);
            if (backoffMin.isPresent() && backoffMax.isPresent() && backoffMax.getAsLong() < backoffMin.getAsLong()) {
                problem(where, label + ": property 'backoffMaxMs' (" + backoffMax.getAsLong()
                        + ") must not be less than 'backoffMinMs' (" + backoffMin.getAsLong() + ")");
            }

            List<ModbusChannel> channels = new ArrayList<>();
            Map<String, String> firstLocationByName = new HashMap<>();
            for (ChannelSpec spec : device.channels()) {
                String previous = firstLocationByName.putIfAbsent(spec.name(), spec.location());
                if (previous != null) {
                    problem(spec.location(), "channel '" + spec.name() + "': duplicate name (first defined at "
                            + previous + ")");
                }
                channel(spec, maxPerRead).ifPresent(channels::add);
            }
            if (!problems.isEmpty() || host == null) {
                return Optional.empty();
            }
            return Optional.of(new ModbusDeviceConfig(device.name(), host, (int) port.getAsLong(),
                    (int) unitId.getAsLong(), (int) timeout.getAsLong(), (int) maxPerRead.getAsLong(),
                    (int) maxGap.getAsLong(), backoffMin.getAsLong(), backoffMax.getAsLong(), channels));
        }

        private Optional<ModbusChannel> channel(ChannelSpec spec, OptionalLong maxPerRead) {
            String where = spec.location();
            String label = "channel '" + spec.name() + "'";
            int before = problems.size();
            Map<String, Object> props = spec.properties();
            unknownKeys(where, label, props, CHANNEL_KEYS);

            Optional<ModbusTable> table = choice(where, label, props, TABLE, ModbusTable.HOLDING,
                    ModbusTable::fromConfig, names(ModbusTable.values(), ModbusTable::configName));

            OptionalLong address = OptionalLong.empty();
            if (!props.containsKey(ADDRESS)) {
                problem(where, label + ": property 'address' is required");
            } else {
                address = integer(where, label, props, ADDRESS, 0, 0, 0xFFFF);
            }

            Optional<ModbusDataType> type;
            if (!props.containsKey(TYPE)) {
                if (table.isPresent() && !table.get().isRegisterTable()) {
                    type = Optional.of(ModbusDataType.BOOL);
                } else {
                    problem(where, label + ": property 'type' is required (one of "
                            + names(ModbusDataType.values(), ModbusDataType::configName) + ")");
                    type = Optional.empty();
                }
            } else {
                type = choice(where, label, props, TYPE, ModbusDataType.BOOL, ModbusDataType::fromConfig,
                        names(ModbusDataType.values(), ModbusDataType::configName));
            }
            Optional<RegisterOrder> order = choice(where, label, props, ORDER, RegisterOrder.ABCD,
                    RegisterOrder::fromConfig, names(RegisterOrder.values(), RegisterOrder::name));

            OptionalInt bit = OptionalInt.empty();
            if (props.containsKey(BIT)) {
                OptionalLong b = integer(where, label, props, BIT, 0, 0, 15);
                if (b.isPresent()) {
                    bit = OptionalInt.of((int) b.getAsLong());
                }
            }
            OptionalDouble scale = number(where, label, props, SCALE, 1.0);
            OptionalDouble offset = number(where, label, props, OFFSET, 0.0);
            if (scale.isPresent() && scale.getAsDouble() == 0.0) {
                problem(where, label + ": property 'scale' must not be 0");
            }
            boolean scaled = props.containsKey(SCALE) || props.containsKey(OFFSET);

            if (table.isPresent() && type.isPresent()) {
                ModbusTable t = table.get();
                ModbusDataType ty = type.get();
                if (!t.isRegisterTable()) {
                    if (ty != ModbusDataType.BOOL) {
                        problem(where, label + ": a " + t.configName() + " is a single bit, so 'type' must be bool, got "
                                + ty.configName());
                    }
                    for (String key : List.of(BIT, ORDER)) {
                        if (props.containsKey(key)) {
                            problem(where, label + ": property '" + key + "' does not apply to a " + t.configName());
                        }
                    }
                } else {
                    if (props.containsKey(BIT) && !ty.allowsBit()) {
                        problem(where, label + ": property 'bit' needs a 16-bit type (int16, uint16 or bool), got "
                                + ty.configName());
                    }
                    if (maxPerRead.isPresent() && ty.registers() > maxPerRead.getAsLong()) {
                        problem(where, label + ": a " + ty.configName() + " spans " + ty.registers()
                                + " registers, more than maxRegistersPerRead (" + maxPerRead.getAsLong() + ")");
                    }
                }
                boolean isBoolean = ty == ModbusDataType.BOOL || props.containsKey(BIT);
                if (isBoolean && scaled) {
                    problem(where, label + ": properties 'scale' and 'offset' do not apply to a boolean value");
                }
                if (address.isPresent()) {
                    long last = address.getAsLong() + (t.isRegisterTable() ? ty.registers() : 1) - 1;
                    if (last > 0xFFFF) {
                        problem(where, label + ": a " + ty.configName() + " at address " + address.getAsLong()
                                + " runs past address 65535");
                    }
                }
            }
            if (problems.size() > before || table.isEmpty() || type.isEmpty() || order.isEmpty()
                    || address.isEmpty() || scale.isEmpty() || offset.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new ModbusChannel(spec.name(), where, table.get(), (int) address.getAsLong(),
                    type.get(), order.get(), bit, scale.getAsDouble(), offset.getAsDouble(), scaled));
        }

        private void unknownKeys(String where, String label, Map<String, Object> props, Set<String> known) {
            for (String key : new TreeSet<>(props.keySet())) {
                if (!known.contains(key)) {
                    Optional<String> near = known.stream().filter(k -> k.equalsIgnoreCase(key)).findFirst();
                    problem(where, label + ": unknown property '" + key + "'"
                            + near.map(k -> " (did you mean '" + k + "'?)")
                            .orElse(" (known: " + String.join(", ", new TreeSet<>(known)) + ")"));
                }
            }
        }

        private <E> Optional<E> choice(String where, String label, Map<String, Object> props, String key, E fallback,
                                       Function<String, Optional<E>> lookup, String allowed) {
            Object value = props.get(key);
            if (value == null) {
                return Optional.of(fallback);
            }
            if (!(value instanceof String text)) {
                problem(where, label + ": property '" + key + "' must be one of " + allowed + ", got " + describe(value));
                return Optional.empty();
            }
            Optional<E> found = lookup.apply(text);
            if (found.isEmpty()) {
                problem(where, label + ": unknown " + key + " '" + text + "' (expected one of " + allowed + ")");
            }
            return found;
        }

        private OptionalLong integer(String where, Map<String, Object> props, String key, long fallback,
                                     long min, long max) {
            return integer(where, "device '" + device.name() + "'", props, key, fallback, min, max);
        }

        private OptionalLong integer(String where, String label, Map<String, Object> props, String key, long fallback,
                                     long min, long max) {
            Object value = props.get(key);
            if (value == null) {
                return OptionalLong.of(fallback);
            }
            OptionalLong parsed = toLong(value);
            if (parsed.isEmpty()) {
                problem(where, label + ": property '" + key + "' must be an integer, got " + describe(value));
                return OptionalLong.empty();
            }
            long v = parsed.getAsLong();
            if (v < min || v > max) {
                problem(where, label + ": property '" + key + "' must be " + min + ".." + max + ", got " + v);
                return OptionalLong.empty();
            }
            return parsed;
        }

        private OptionalDouble number(String where, String label, Map<String, Object> props, String key,
                                      double fallback) {
            Object value = props.get(key);
            if (value == null) {
                return OptionalDouble.of(fallback);
            }
            OptionalDouble parsed = toDouble(value);
            if (parsed.isEmpty() || !Double.isFinite(parsed.getAsDouble())) {
                problem(where, label + ": property '" + key + "' must be a finite number, got " + describe(value));
                return OptionalDouble.empty();
            }
            return parsed;
        }

        private void problem(String where, String message) {
            problems.add(new ConfigProblem(where, message));
        }
    }

    static OptionalLong toLong(Object value) {
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return OptionalLong.of(((Number) value).longValue());
        }
        if (value instanceof Number n) {
            try {
                return OptionalLong.of(new BigDecimal(n.toString()).longValueExact());
            } catch (ArithmeticException | NumberFormatException e) {
                return OptionalLong.empty(); // 1.5, NaN, or too large: not an integer
            }
        }
        if (value instanceof String s) {
            String text = s.trim();
            try {
                if (text.startsWith("0x") || text.startsWith("0X")) {
                    return OptionalLong.of(Long.parseLong(text.substring(2), 16));
                }
                return OptionalLong.of(Long.parseLong(text));
            } catch (NumberFormatException e) {
                return OptionalLong.empty(); // reported by the caller with the offending text
            }
        }
        return OptionalLong.empty();
    }

    static OptionalDouble toDouble(Object value) {
        if (value instanceof Number n) {
            return OptionalDouble.of(n.doubleValue());
        }
        if (value instanceof String s) {
            try {
                return OptionalDouble.of(Double.parseDouble(s.trim()));
            } catch (NumberFormatException e) {
                return OptionalDouble.empty(); // reported by the caller with the offending text
            }
        }
        return OptionalDouble.empty();
    }

    private static String describe(Object value) {
        return value instanceof String ? "'" + value + "'" : value + " (" + value.getClass().getSimpleName() + ")";
    }

    private static <E> String names(E[] values, Function<E, String> name) {
        return String.join(", ", Arrays.stream(values).map(name).toList());
    }
}
