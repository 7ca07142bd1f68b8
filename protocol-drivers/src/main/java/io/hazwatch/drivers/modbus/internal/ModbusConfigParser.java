package io.hazwatch.drivers.modbus.internal;

import io.hazwatch.drivers.spi.PropertyValues;
import io.hazwatch.drivers.modbus.ModbusChannel;
import io.hazwatch.drivers.modbus.ModbusDataType;
import io.hazwatch.drivers.modbus.ModbusDeviceConfig;
import io.hazwatch.drivers.modbus.ModbusEndpoint;
import io.hazwatch.drivers.modbus.ModbusKind;
import io.hazwatch.drivers.modbus.ModbusSerialMode;
import io.hazwatch.drivers.modbus.ModbusTable;
import io.hazwatch.drivers.modbus.RegisterOrder;
import io.hazwatch.drivers.modbus.SerialSettings;
import io.hazwatch.drivers.spi.ChannelSpec;
import io.hazwatch.drivers.spi.ConfigProblem;
import io.hazwatch.drivers.spi.DeviceSpec;
import io.hazwatch.drivers.spi.DriverConfigException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
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

    /** The {@code driver:} value of Modbus TCP devices. */
    public static final String DRIVER_TYPE = ModbusKind.TCP.type();

    static final String HOST = "host";
    static final String PORT = "port";
    static final String BAUD_RATE = "baudRate";
    static final String DATA_BITS = "dataBits";
    static final String PARITY = "parity";
    static final String STOP_BITS = "stopBits";
    static final String UNIT_ID = "unitId";
    static final String TIMEOUT_MS = "timeoutMs";
    static final String MAX_REGISTERS_PER_READ = "maxRegistersPerRead";
    static final String MAX_BITS_PER_READ = "maxBitsPerRead";
    static final String MAX_GAP = "maxGap";
    static final String BACKOFF_MIN_MS = "backoffMinMs";
    static final String BACKOFF_MAX_MS = "backoffMaxMs";
    static final Set<String> COMMON_KEYS = Set.of(UNIT_ID, TIMEOUT_MS, MAX_REGISTERS_PER_READ, MAX_BITS_PER_READ,
            MAX_GAP, BACKOFF_MIN_MS, BACKOFF_MAX_MS);
    static final Set<String> TCP_KEYS = Set.of(HOST, PORT);
    static final Set<String> SERIAL_KEYS = Set.of(PORT, BAUD_RATE, DATA_BITS, PARITY, STOP_BITS);

    static final String TABLE = "table";
    static final String ADDRESS = "address";
    static final String TYPE = "type";
    static final String ORDER = "order";
    static final String BIT = "bit";
    static final String SCALE = "scale";
    static final String OFFSET = "offset";
    static final String LENGTH = "length";
    static final String DEADBAND = "deadband";
    static final String WRITE_MULTIPLE = "writeMultiple";
    static final Set<String> CHANNEL_KEYS = Set.of(TABLE, ADDRESS, TYPE, ORDER, BIT, SCALE, OFFSET, LENGTH, DEADBAND,
            WRITE_MULTIPLE);

    private static final int MAX_TIMEOUT_MS = 600_000;
    private static final long MAX_BACKOFF_MS = 3_600_000;
    private static final int MIN_BAUD = 50;
    private static final int MAX_BAUD = 4_000_000;

    private ModbusConfigParser() {
    }

    /** Every problem of a Modbus TCP {@code device}; empty when it is acceptable. */
    public static List<ConfigProblem> validate(DeviceSpec device) {
        return validate(ModbusKind.TCP, device);
    }

    /** Every problem of {@code device} as a {@code kind} device; empty when it is acceptable. */
    public static List<ConfigProblem> validate(ModbusKind kind, DeviceSpec device) {
        Parse parse = new Parse(kind, device);
        parse.run();
        return List.copyOf(parse.problems);
    }

    /** The validated Modbus TCP configuration, or every problem at once. */
    public static ModbusDeviceConfig parse(DeviceSpec device) throws DriverConfigException {
        return parse(ModbusKind.TCP, device);
    }

    /** The validated configuration, or every problem at once. */
    public static ModbusDeviceConfig parse(ModbusKind kind, DeviceSpec device) throws DriverConfigException {
        Parse parse = new Parse(kind, device);
        Optional<ModbusDeviceConfig> config = parse.run();
        if (!parse.problems.isEmpty() || config.isEmpty()) {
            throw new DriverConfigException(parse.problems);
        }
        return config.get();
    }

    /** One pass over one device; collects problems as it goes. */
    private static final class Parse {
        private final ModbusKind kind;
        private final DeviceSpec device;
        private final List<ConfigProblem> problems = new ArrayList<>();

        Parse(ModbusKind kind, DeviceSpec device) {
            this.kind = kind;
            this.device = device;
        }

        Optional<ModbusDeviceConfig> run() {
            String where = device.location();
            if (!kind.type().equals(device.driver())) {
                problem(where, "driver '" + device.driver() + "' is not " + kind.type());
            }
            Map<String, Object> props = device.properties();

            String label = "device '" + device.name() + "'";
            Set<String> known = new HashSet<>(COMMON_KEYS);
            known.addAll(kind == ModbusKind.RTU || kind == ModbusKind.ASCII ? SERIAL_KEYS : TCP_KEYS);
            unknownKeys(where, label, props, known);
            Optional<ModbusEndpoint> endpoint = endpoint(where, label, props);
            boolean serialLine = kind.isSerialLine();
            // Modbus over Serial Line v1.02, 2.2: 1..247 address a device, 0 is broadcast, 248..255 reserved
            OptionalLong unitId = integer(where, props, UNIT_ID, ModbusDeviceConfig.DEFAULT_UNIT_ID, serialLine ? 1 : 0,
                    serialLine ? 247 : 255);
            OptionalLong timeout = integer(where, props, TIMEOUT_MS, ModbusDeviceConfig.DEFAULT_TIMEOUT_MS, 1,
                    MAX_TIMEOUT_MS);
            OptionalLong maxPerRead = integer(where, props, MAX_REGISTERS_PER_READ,
                    ModbusDeviceConfig.DEFAULT_MAX_REGISTERS_PER_READ, 1, ModbusTable.MAX_REGISTERS_PER_READ);
            OptionalLong maxBits = integer(where, props, MAX_BITS_PER_READ,
                    ModbusDeviceConfig.DEFAULT_MAX_BITS_PER_READ, 1, ModbusTable.MAX_BITS_PER_READ);
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
            overlaps(channels);
            if (!problems.isEmpty() || endpoint.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new ModbusDeviceConfig(device.name(), kind, endpoint.get(), (int) unitId.getAsLong(),
                    (int) timeout.getAsLong(), (int) maxPerRead.getAsLong(), (int) maxBits.getAsLong(),
                    (int) maxGap.getAsLong(), backoffMin.getAsLong(), backoffMax.getAsLong(), channels));
        }

        private Optional<ModbusEndpoint> endpoint(String where, String label, Map<String, Object> props) {
            if (kind == ModbusKind.TCP || kind == ModbusKind.RTU_OVER_TCP) {
                Optional<String> host = text(where, label, props, HOST);
                OptionalLong port = integer(where, props, PORT, ModbusDeviceConfig.DEFAULT_PORT, 1, 65535);
                if (host.isEmpty() || port.isEmpty()) {
                    return Optional.empty();
                }
                return Optional.of(kind == ModbusKind.TCP ? new ModbusEndpoint.Tcp(host.get(), (int) port.getAsLong())
                        : new ModbusEndpoint.RtuOverTcp(host.get(), (int) port.getAsLong()));
            }
            boolean ascii = kind == ModbusKind.ASCII;
            Optional<String> port = text(where, label, props, PORT);
            OptionalLong baud = integer(where, props, BAUD_RATE, ModbusDeviceConfig.DEFAULT_BAUD_RATE, MIN_BAUD, MAX_BAUD);
            // Serial Line v1.02, 2.5.1: RTU carries 8 data bits; 2.5.2: ASCII 7 (or 8)
            OptionalLong dataBits = integer(where, props, DATA_BITS, ascii ? 7 : 8, ascii ? 7 : 8, 8);
            OptionalLong stopBits = integer(where, props, STOP_BITS, 1, 1, 2);
            Optional<SerialSettings.Parity> parity = choice(where, label, props, PARITY,
                    ascii ? SerialSettings.Parity.EVEN : SerialSettings.Parity.NONE, SerialSettings.Parity::fromConfig,
                    "none, even, odd");
            if (port.isEmpty() || baud.isEmpty() || dataBits.isEmpty() || stopBits.isEmpty() || parity.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new ModbusEndpoint.Serial(new SerialSettings(port.get(), (int) baud.getAsLong(),
                    (int) dataBits.getAsLong(), parity.get(), (int) stopBits.getAsLong()),
                    ascii ? ModbusSerialMode.ASCII : ModbusSerialMode.RTU));
        }

        private Optional<String> text(String where, String label, Map<String, Object> props, String key) {
            Object value = props.get(key);
            if (value == null || value.toString().isBlank()) {
                problem(where, label + ": property '" + key + "' is required");
                return Optional.empty();
            }
            if (!(value instanceof String text)) {
                problem(where, label + ": property '" + key + "' must be a string, got " + describe(value));
                return Optional.empty();
            }
            return Optional.of(text.trim());
        }

        /**
         * Two register channels that share addresses must start together and span the same registers
         * (several views of one register, such as status bits); anything else is a map that cannot be
         * right, such as a float32 laid across the second half of another.
         */
        private void overlaps(List<ModbusChannel> channels) {
            List<ModbusChannel> sorted = channels.stream().filter(c -> c.table().isRegisterTable())
                    .sorted(Comparator.comparingInt(ModbusChannel::address)).toList();
            for (int j = 0; j < sorted.size(); j++) {
                ModbusChannel b = sorted.get(j);
                for (int i = 0; i < j; i++) {
                    ModbusChannel a = sorted.get(i);
                    boolean shared = a.table() == b.table() && a.lastAddress() >= b.address();
                    boolean sameSpan = a.address() == b.address() && a.length() == b.length();
                    if (shared && !sameSpan) {
                        problem(b.location(), "channel '" + b.name() + "': registers " + b.address() + ".."
                                + b.lastAddress() + " overlap channel '" + a.name() + "' (" + a.address() + ".."
                                + a.lastAddress() + ") without being the same registers");
                    }
                }
            }
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
            OptionalDouble deadband = number(where, label, props, DEADBAND, 0.0);
            if (deadband.isPresent() && deadband.getAsDouble() < 0) {
                problem(where, label + ": property 'deadband' must not be negative, got " + deadband.getAsDouble());
            }
            boolean writeMultiple = false;
            Object wm = props.get(WRITE_MULTIPLE);
            if (wm != null) {
                if (wm instanceof Boolean b) {
                    writeMultiple = b;
                } else {
                    problem(where, label + ": property 'writeMultiple' must be true or false, got " + describe(wm));
                }
            }
            OptionalLong length = OptionalLong.empty();
            if (type.isPresent()) {
                ModbusDataType ty = type.get();
                if (ty.hasVariableLength()) {
                    if (!props.containsKey(LENGTH)) {
                        problem(where, label + ": a " + ty.configName() + " needs property 'length' (registers, 1.."
                                + ModbusTable.MAX_REGISTERS_PER_READ + ")");
                    } else {
                        length = integer(where, label, props, LENGTH, 1, 1, ModbusTable.MAX_REGISTERS_PER_READ);
                    }
                } else {
                    int size = Math.max(1, ty.registers());
                    length = OptionalLong.of(size);
                    if (props.containsKey(LENGTH)) {
                        OptionalLong given = integer(where, label, props, LENGTH, size, 1, Integer.MAX_VALUE);
                        if (given.isPresent() && given.getAsLong() != size) {
                            problem(where, label + ": a " + ty.configName() + " spans " + size + " register"
                                    + (size == 1 ? "" : "s") + "; 'length' " + given.getAsLong() + " does not fit it");
                        }
                    }
                }
                if (ty == ModbusDataType.STRING) {
                    for (String key : List.of(SCALE, OFFSET, BIT)) {
                        if (props.containsKey(key)) {
                            problem(where, label + ": property '" + key + "' does not apply to a string");
                        }
                    }
                    if (order.isPresent() && order.get().swapsWords()) {
                        problem(where, label + ": a string takes order ABCD (first character in the high byte) or "
                                + "BADC (in the low byte), got " + order.get());
                    }
                }
                if (props.containsKey(DEADBAND) && (!ty.isNumeric() || props.containsKey(BIT))) {
                    problem(where, label + ": property 'deadband' needs a number type, got "
                            + (props.containsKey(BIT) ? "a bit" : ty.configName()));
                }
            }
            if (writeMultiple && table.isPresent() && (table.get() == ModbusTable.INPUT
                    || table.get() == ModbusTable.DISCRETE)) {
                problem(where, label + ": property 'writeMultiple' does not apply to a read-only " + table.get().configName());
            }

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
                    if (maxPerRead.isPresent() && length.isPresent() && length.getAsLong() > maxPerRead.getAsLong()) {
                        problem(where, label + ": a " + ty.configName() + " spans " + length.getAsLong()
                                + " registers, more than maxRegistersPerRead (" + maxPerRead.getAsLong() + ")");
                    }
                }
                boolean isBoolean = ty == ModbusDataType.BOOL || props.containsKey(BIT);
                if (isBoolean && scaled) {
                    problem(where, label + ": properties 'scale' and 'offset' do not apply to a boolean value");
                }
                if (address.isPresent() && length.isPresent()) {
                    long last = address.getAsLong() + (t.isRegisterTable() ? length.getAsLong() : 1) - 1;
                    if (last > 0xFFFF) {
                        problem(where, label + ": a " + ty.configName() + " at address " + address.getAsLong()
                                + " runs past address 65535");
                    }
                }
            }
            if (problems.size() > before || table.isEmpty() || type.isEmpty() || order.isEmpty()
                    || address.isEmpty() || scale.isEmpty() || offset.isEmpty() || length.isEmpty()
                    || deadband.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new ModbusChannel(spec.name(), where, table.get(), (int) address.getAsLong(),
                    type.get(), order.get(), bit, scale.getAsDouble(), offset.getAsDouble(), scaled,
                    (int) length.getAsLong(), deadband.getAsDouble(), writeMultiple));
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
        return PropertyValues.toLong(value);
    }

    static OptionalDouble toDouble(Object value) {
        return PropertyValues.toDouble(value);
    }

    private static String describe(Object value) {
        return PropertyValues.describe(value);
    }

    private static <E> String names(E[] values, Function<E, String> name) {
        return String.join(", ", Arrays.stream(values).map(name).toList());
    }
}
