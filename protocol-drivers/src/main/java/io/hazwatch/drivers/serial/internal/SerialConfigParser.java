package io.hazwatch.drivers.serial.internal;

import io.hazwatch.drivers.serial.Escapes;
import io.hazwatch.drivers.serial.Checksum;
import io.hazwatch.drivers.serial.Extraction;
import io.hazwatch.drivers.serial.Framing;
import io.hazwatch.drivers.serial.LineChannel;
import io.hazwatch.drivers.serial.LineValueType;
import io.hazwatch.drivers.serial.SerialLineDeviceConfig;
import io.hazwatch.drivers.serial.SerialLineDeviceConfig.Mode;
import io.hazwatch.drivers.serial.SerialPortSettings;
import io.hazwatch.drivers.serial.SerialPortSettings.Parity;
import io.hazwatch.drivers.serial.SerialPortSettings.StopBits;
import io.hazwatch.drivers.spi.ChannelSpec;
import io.hazwatch.drivers.spi.ConfigProblem;
import io.hazwatch.drivers.spi.DeviceSpec;
import io.hazwatch.drivers.spi.DriverConfigException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Validates a {@code serial-line} device and builds its {@link SerialLineDeviceConfig}, collecting every
 * problem with the device or channel location. Property names, defaults and ranges:
 * docs/drivers-serial.md.
 */
public final class SerialConfigParser {

    public static final String DRIVER_TYPE = "serial-line";

    static final Set<String> DEVICE_KEYS = Set.of("device", "baud", "dataBits", "parity", "stopBits", "start", "end",
            "maxLineLength", "checksum", "checksumSeparator", "pattern", "match", "delimiter", "mode", "request",
            "responseTimeoutMs", "maxAgeMs", "backoffMinMs", "backoffMaxMs");
    static final Set<String> CHANNEL_KEYS = Set.of("group", "field", "column", "width", "pattern", "match",
            "delimiter", "type", "scale", "offset");

    private static final long MAX_TIMEOUT_MS = 600_000;
    private static final long MAX_AGE_MS = 86_400_000;
    private static final long MAX_BACKOFF_MS = 3_600_000;

    private SerialConfigParser() {
    }

    /** Every problem of {@code device}; empty when it is acceptable. */
    public static List<ConfigProblem> validate(DeviceSpec device) {
        List<ConfigProblem> problems = new ArrayList<>();
        run(device, problems);
        return List.copyOf(problems);
    }

    /** The validated configuration, or every problem at once. */
    public static SerialLineDeviceConfig parse(DeviceSpec device) throws DriverConfigException {
        List<ConfigProblem> problems = new ArrayList<>();
        Optional<SerialLineDeviceConfig> config = run(device, problems);
        if (!problems.isEmpty() || config.isEmpty()) {
            throw new DriverConfigException(problems);
        }
        return config.get();
    }

    private static Optional<SerialLineDeviceConfig> run(DeviceSpec device, List<ConfigProblem> problems) {
        String where = device.location();
        Props p = new Props(device.properties(), where, "device '" + device.name() + "'", problems);
        if (!DRIVER_TYPE.equals(device.driver())) {
            p.problem("driver '" + device.driver() + "' is not " + DRIVER_TYPE);
        }
        int before = problems.size();
        p.unknownKeys(DEVICE_KEYS);

        Optional<String> path = p.string("device").map(String::trim).filter(s -> !s.isEmpty());
        if (path.isEmpty() && !p.has("device")) {
            p.problem("property 'device' is required (the serial port, e.g. /dev/ttyUSB0)");
        } else if (path.isEmpty()) {
            p.problem("property 'device' must not be empty");
        }
        OptionalLong baud = p.integer("baud", SerialPortSettings.DEFAULT_BAUD, 50, 4_000_000);
        OptionalLong dataBits = p.integer("dataBits", SerialPortSettings.DEFAULT_DATA_BITS, 5, 8);
        Optional<Parity> parity = p.choice("parity", Parity.NONE, Parity::fromConfig,
                Arrays.stream(Parity.values()).map(Parity::configName).toList());
        Optional<StopBits> stopBits = p.choice("stopBits", StopBits.ONE, StopBits::fromConfig,
                Arrays.stream(StopBits.values()).map(StopBits::configName).toList());

        Optional<String> start = p.escaped("start");
        Optional<String> end = p.escaped("end");
        OptionalLong maxLineLength = p.integer("maxLineLength", Framing.DEFAULT_MAX_LENGTH, 1, Framing.MAX_MAX_LENGTH);
        String startText = start.orElse("");
        String endText = end.orElse(Framing.DEFAULT_END);
        if (p.has("end") && end.isPresent() && endText.isEmpty()) {
            p.problem("property 'end' must not be empty");
        }
        if (!startText.isEmpty() && startText.equals(endText)) {
            p.problem("properties 'start' and 'end' must differ, both are '" + Escapes.escape(startText) + "'");
        }

        Optional<Checksum> checksum = p.choice("checksum", Checksum.NONE, Checksum::fromConfig,
                Arrays.stream(Checksum.values()).map(Checksum::configName).toList());
        Optional<String> separator = p.escaped("checksumSeparator");
        if (separator.isPresent() && separator.get().isEmpty()) {
            p.problem("property 'checksumSeparator' must not be empty");
        }
        if (p.has("checksumSeparator") && checksum.orElse(Checksum.NONE) == Checksum.NONE) {
            p.problem("property 'checksumSeparator' needs a 'checksum'");
        }

        Optional<Pattern> devicePattern = regex(p, "pattern");
        Optional<Pattern> deviceMatch = regex(p, "match");
        Optional<String> deviceDelimiter = p.escaped("delimiter");
        if (deviceDelimiter.isPresent() && deviceDelimiter.get().isEmpty()) {
            p.problem("property 'delimiter' must not be empty");
        }

        Optional<Mode> mode = p.choice("mode", Mode.UNSOLICITED,
                s -> Arrays.stream(Mode.values()).filter(m -> m.configName().equals(s.trim().toLowerCase(Locale.ROOT)))
                        .findFirst(),
                Arrays.stream(Mode.values()).map(Mode::configName).toList());
        Optional<String> request = p.escaped("request");
        if (mode.isPresent() && mode.get() == Mode.REQUEST) {
            if (!p.has("request")) {
                p.problem("mode 'request' needs a property 'request' (the query written before each read)");
            } else if (request.isPresent() && request.get().isEmpty()) {
                p.problem("property 'request' must not be empty");
            }
        }
        if (mode.isPresent() && mode.get() == Mode.UNSOLICITED && p.has("request")) {
            p.problem("property 'request' applies only with mode: request");
        }
        OptionalLong responseTimeout = p.integer("responseTimeoutMs",
                SerialLineDeviceConfig.DEFAULT_RESPONSE_TIMEOUT_MS, 1, MAX_TIMEOUT_MS);
        OptionalLong maxAge = p.integer("maxAgeMs", SerialLineDeviceConfig.DEFAULT_MAX_AGE_MS, 1, MAX_AGE_MS);
        OptionalLong backoffMin = p.integer("backoffMinMs", SerialLineDeviceConfig.DEFAULT_BACKOFF_MIN_MS, 1,
                MAX_BACKOFF_MS);
        OptionalLong backoffMax = p.integer("backoffMaxMs", SerialLineDeviceConfig.DEFAULT_BACKOFF_MAX_MS, 1,
                MAX_BACKOFF_MS);
        if (backoffMin.isPresent() && backoffMax.isPresent() && backoffMax.getAsLong() < backoffMin.getAsLong()) {
            p.problem("property 'backoffMaxMs' (" + backoffMax.getAsLong() + ") must not be less than 'backoffMinMs' ("
                    + backoffMin.getAsLong() + ")");
        }
        boolean deviceOk = problems.size() == before;

        if (device.channels().isEmpty()) {
            p.problem("a device needs at least one channel");
        }
        List<LineChannel> channels = new ArrayList<>();
        Map<String, String> firstLocation = new HashMap<>();
        for (ChannelSpec spec : device.channels()) {
            String previous = firstLocation.putIfAbsent(spec.name(), spec.location());
            if (previous != null) {
                problems.add(new ConfigProblem(spec.location(), "channel '" + spec.name()
                        + "': duplicate name (first defined at " + previous + ")"));
            }
            channel(spec, devicePattern, p.has("pattern"), deviceMatch, deviceDelimiter, problems)
                    .ifPresent(channels::add);
        }
        if (!problems.isEmpty() || !deviceOk) {
            return Optional.empty();
        }
        SerialPortSettings port = new SerialPortSettings(path.orElseThrow(), (int) baud.getAsLong(),
                (int) dataBits.getAsLong(), parity.orElseThrow(), stopBits.orElseThrow());
        Framing framing = new Framing(startText, endText, (int) maxLineLength.getAsLong());
        return Optional.of(new SerialLineDeviceConfig(device.name(), port, framing, checksum.orElseThrow(),
                separator.orElse(SerialLineDeviceConfig.DEFAULT_CHECKSUM_SEPARATOR), mode.orElseThrow(),
                mode.orElseThrow() == Mode.REQUEST ? request : Optional.empty(), responseTimeout.getAsLong(),
                maxAge.getAsLong(), backoffMin.getAsLong(), backoffMax.getAsLong(), channels));
    }

    private static Optional<LineChannel> channel(ChannelSpec spec, Optional<Pattern> devicePattern,
                                                 boolean devicePatternWritten, Optional<Pattern> deviceMatch,
                                                 Optional<String> deviceDelimiter, List<ConfigProblem> problems) {
        int before = problems.size();
        Props p = new Props(spec.properties(), spec.location(), "channel '" + spec.name() + "'", problems);
        p.unknownKeys(CHANNEL_KEYS);

        Optional<Pattern> ownPattern = regex(p, "pattern");
        Optional<Pattern> ownMatch = regex(p, "match");
        Optional<String> ownDelimiter = p.escaped("delimiter");
        if (ownDelimiter.isPresent() && ownDelimiter.get().isEmpty()) {
            p.problem("property 'delimiter' must not be empty");
        }

        List<String> ways = new ArrayList<>();
        for (String key : List.of("group", "field", "column")) {
            if (p.has(key)) {
                ways.add(key);
            }
        }
        Optional<Extraction> extraction = Optional.empty();
        if (ways.isEmpty()) {
            p.problem("say where the value is: 'group' (a named group of 'pattern'), 'field' (an index after"
                    + " splitting at 'delimiter') or 'column' with 'width' (fixed columns)");
        } else if (ways.size() > 1) {
            p.problem("give only one of 'group', 'field' and 'column', got " + String.join(" and ", ways));
        } else {
            String way = ways.get(0);
            if (way.equals("group")) {
                extraction = group(p, ownPattern, p.has("pattern"), devicePattern, devicePatternWritten);
            } else if (way.equals("field")) {
                OptionalLong index = p.requiredInteger("field", 0, 1_000);
                String delimiter = ownDelimiter.or(() -> deviceDelimiter)
                        .orElse(SerialLineDeviceConfig.DEFAULT_DELIMITER);
                if (index.isPresent() && !delimiter.isEmpty()) {
                    extraction = Optional.of(new Extraction.Field(delimiter, (int) index.getAsLong()));
                }
            } else {
                OptionalLong column = p.requiredInteger("column", 0, Framing.MAX_MAX_LENGTH - 1);
                OptionalLong width = p.requiredInteger("width", 1, Framing.MAX_MAX_LENGTH);
                if (column.isPresent() && width.isPresent()) {
                    extraction = Optional.of(new Extraction.Columns((int) column.getAsLong(),
                            (int) width.getAsLong()));
                }
            }
            if (!way.equals("group") && p.has("pattern")) {
                p.problem("property 'pattern' applies only with 'group'");
            }
            if (!way.equals("field") && p.has("delimiter")) {
                p.problem("property 'delimiter' applies only with 'field'");
            }
            if (!way.equals("column") && p.has("width")) {
                p.problem("property 'width' applies only with 'column'");
            }
        }

        Optional<LineValueType> type = p.choice("type", LineValueType.DOUBLE, LineValueType::fromConfig,
                Arrays.stream(LineValueType.values()).map(LineValueType::configName).toList());
        OptionalDouble scale = p.number("scale", 1.0);
        OptionalDouble offset = p.number("offset", 0.0);
        if (scale.isPresent() && scale.getAsDouble() == 0.0) {
            p.problem("property 'scale' must not be 0");
        }
        boolean scaled = p.has("scale") || p.has("offset");
        if (type.isPresent() && !type.get().isNumeric() && scaled) {
            p.problem("properties 'scale' and 'offset' apply only to double and long, not " + type.get().configName());
        }
        if (problems.size() > before || extraction.isEmpty() || type.isEmpty() || scale.isEmpty()
                || offset.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new LineChannel(spec.name(), spec.location(), ownMatch.or(() -> deviceMatch),
                extraction.get(), type.get(), scale.getAsDouble(), offset.getAsDouble(), scaled));
    }

    private static Optional<Extraction> group(Props p, Optional<Pattern> ownPattern, boolean ownWritten,
                                              Optional<Pattern> devicePattern, boolean deviceWritten) {
        Optional<String> name = p.string("group").map(String::trim);
        if (name.isEmpty()) {
            return Optional.empty();
        }
        if (ownWritten && ownPattern.isEmpty() || !ownWritten && deviceWritten && devicePattern.isEmpty()) {
            return Optional.empty(); // the pattern itself is wrong and already reported
        }
        Optional<Pattern> pattern = ownPattern.or(() -> devicePattern);
        if (pattern.isEmpty()) {
            p.problem("'group: " + name.get() + "' needs a 'pattern' with named groups, on the device or the channel");
            return Optional.empty();
        }
        Set<String> groups = RegexGroups.namedGroups(pattern.get().pattern());
        if (!groups.contains(name.get())) {
            String whose = ownWritten ? "the channel's" : "the device's";
            p.problem(whose + " pattern has no group '" + name.get() + "' ("
                    + (groups.isEmpty() ? "it has no named groups; write (?<" + name.get() + ">...)"
                    : "its groups: " + String.join(", ", groups)) + ")");
            return Optional.empty();
        }
        return Optional.of(new Extraction.Group(pattern.get(), name.get()));
    }

    private static Optional<Pattern> regex(Props p, String key) {
        return p.string(key).flatMap(text -> {
            try {
                return Optional.of(Pattern.compile(text));
            } catch (PatternSyntaxException e) {
                p.problem("property '" + key + "' is not a valid regular expression: " + e.getDescription()
                        + " near index " + e.getIndex() + " of '" + text + "'");
                return Optional.empty();
            }
        });
    }
}
