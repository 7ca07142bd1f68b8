package io.hazwatch.edge.config;

import io.hazwatch.drivers.spi.ConfigProblem;
import io.hazwatch.drivers.spi.DeviceSpec;
import io.hazwatch.drivers.spi.DriverFactory;
import io.hazwatch.node.config.ConfigException;
import io.hazwatch.node.config.ConfigProblems;
import io.hazwatch.node.config.Location;
import io.hazwatch.node.config.NodeConfig;
import io.hazwatch.node.config.NodeConfigLoader;
import io.hazwatch.node.config.Suggest;
import io.hazwatch.node.config.YamlDocument;
import io.hazwatch.node.config.YamlMap;
import io.hazwatch.node.config.YamlNode;
import io.hazwatch.sync.model.AlarmLimit;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * Loads an edge agent's YAML configuration ({@code node}, {@code site}, {@code profiles},
 * {@code devices}; see {@code docs/config-reference.md}) into an {@link EdgeConfig}.
 *
 * <p>Every problem is collected and thrown together in one {@link ConfigException}, each as
 * {@code file:line:col: message}: YAML syntax, types, missing and unknown keys (with a "did you mean"),
 * duplicate names, limit order, poll interval bounds, parent ports, unknown driver types, and what each
 * device's {@link DriverFactory#validate driver} finds wrong with its properties and channels.
 *
 * <p>Profiles are named point lists that a device instantiates several times ({@code uses:}), each
 * instance shifting the {@code address} channel property by {@code base + (n - 1) * stride}. A
 * loader instance is used for one load.
 */
public final class EdgeConfigLoader {

    private static final List<String> TOP_KEYS = List.of("node", "site", "profiles", "devices");
    private static final List<String> SITE_KEYS = List.of("code", "name", "enterprise", "kind");
    private static final List<String> PROFILE_KEYS = List.of("stride", "points");
    private static final List<String> DEVICE_KEYS = List.of("name", "driver", "properties", "pollIntervalMs",
            "points", "uses");
    private static final List<String> USE_KEYS = List.of("profile", "count", "instances", "as", "base", "stride",
            "alarms");
    private static final List<String> POINT_KEYS = List.of("name", "unit", "properties", "alarms");
    private static final List<String> ALARM_KEYS = List.of("hh", "h", "l", "ll", "deadband", "levels",
            "faultAfter");
    private static final Map<String, AlarmLimit> LEVEL_KEYS = new LinkedHashMap<>();

    static {
        LEVEL_KEYS.put("hh", AlarmLimit.HH);
        LEVEL_KEYS.put("h", AlarmLimit.H);
        LEVEL_KEYS.put("l", AlarmLimit.L);
        LEVEL_KEYS.put("ll", AlarmLimit.LL);
        LEVEL_KEYS.put("fault", AlarmLimit.FAULT);
    }

    /** The channel property a profile instance shifts. */
    public static final String ADDRESS_PROPERTY = "address";
    /** Most instances one {@code uses:} entry may make. */
    public static final int MAX_INSTANCES = 1_000;
    /** Placeholder for the instance number in a {@code uses[].as} template. */
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^}]*)}");

    private record Profile(String name, int stride, List<PointConfig> points, Map<String, Location> where) {
    }

    /** Where a channel handed to a driver came from, to map the driver's problems back. */
    private record ChannelOrigin(Location location, String pointName) {
    }

    private final ConfigProblems problems = new ConfigProblems();
    private final Map<String, DriverFactory> factories = new LinkedHashMap<>();
    private final Map<String, ChannelOrigin> channelOrigins = new HashMap<>();
    private final Map<DeviceConfig, Location> deviceLocations = new IdentityHashMap<>();

    private EdgeConfigLoader(List<DriverFactory> installed) {
        for (DriverFactory f : installed) {
            factories.putIfAbsent(f.type(), f);
        }
    }

    /** Loads a file, validating devices with the drivers on the class path. */
    public static EdgeConfig load(Path file) throws ConfigException {
        return load(file, DriverFactory.installed());
    }

    /** Loads a file, validating devices with the given driver factories. */
    public static EdgeConfig load(Path file, List<DriverFactory> factories) throws ConfigException {
        EdgeConfigLoader loader = new EdgeConfigLoader(factories);
        Optional<EdgeConfig> config = YamlDocument.read(file, loader.problems)
                .flatMap(root -> loader.read(root, NodeConfigLoader.baseDirOf(file)));
        loader.problems.throwIfAny();
        return config.orElseThrow();
    }

    /** Parses text; {@code source} names it in messages, relative paths resolve against {@code baseDir}. */
    public static EdgeConfig parse(String source, String yaml, Path baseDir, List<DriverFactory> factories)
            throws ConfigException {
        EdgeConfigLoader loader = new EdgeConfigLoader(factories);
        Optional<EdgeConfig> config = YamlDocument.parse(source, yaml, loader.problems)
                .flatMap(root -> loader.read(root, baseDir));
        loader.problems.throwIfAny();
        return config.orElseThrow();
    }

    private Optional<EdgeConfig> read(YamlNode root, Path baseDir) {
        Optional<YamlMap> top = root.asMap();
        if (top.isEmpty()) {
            return Optional.empty();
        }
        YamlMap m = top.get();
        m.checkKeys(TOP_KEYS);
        Optional<NodeConfig> node = m.requireMap("node").flatMap(n -> NodeConfigLoader.readEdgeNode(n, baseDir));
        Optional<Site> site = m.requireMap("site").flatMap(this::readSite);
        Map<String, Profile> profiles = readProfiles(m);
        List<DeviceConfig> devices = new ArrayList<>();
        Map<String, Integer> deviceLines = new HashMap<>();
        m.requireList("devices").ifPresent(items -> {
            if (items.isEmpty()) {
                m.get("devices").ifPresentOrElse(n -> n.error("needs at least one device"),
                        () -> m.node().error("devices: needs at least one device"));
            }
            for (YamlNode item : items) {
                readDevice(item, profiles, deviceLines).ifPresent(devices::add);
            }
        });
        for (DeviceConfig device : devices) {
            validateWithDriver(device);
        }
        if (!problems.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new EdgeConfig(node.orElseThrow(), site.orElseThrow(), devices));
    }

    private Optional<Site> readSite(YamlMap m) {
        m.checkKeys(SITE_KEYS);
        Optional<String> code = m.require("code").flatMap(NodeConfigLoader::readName);
        Optional<String> name = m.requireString("name");
        Optional<String> enterprise = m.requireString("enterprise");
        Optional<SiteKind> kind = m.require("kind").flatMap(n -> n.asEnum(SiteKind.class));
        if (code.isEmpty() || name.isEmpty() || enterprise.isEmpty() || kind.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Site(code.get(), name.get(), enterprise.get(), kind.get()));
    }

    private Map<String, Profile> readProfiles(YamlMap top) {
        Map<String, Profile> profiles = new LinkedHashMap<>();
        top.map("profiles").ifPresent(pm -> {
            for (Map.Entry<String, YamlNode> e : pm.entries()) {
                String name = e.getKey();
                if (!NodeConfigLoader.NAME.matcher(name).matches()) {
                    e.getValue().error("'" + name + "' is not a valid profile name");
                    continue;
                }
                e.getValue().asMap().ifPresent(p -> {
                    p.checkKeys(PROFILE_KEYS);
                    int stride = p.integer("stride", 0, 65_535).orElse(0);
                    List<PointConfig> points = new ArrayList<>();
                    Map<String, Location> where = new HashMap<>();
                    p.requireList("points").ifPresent(items -> {
                        if (items.isEmpty()) {
                            p.get("points").orElseThrow().error("a profile needs at least one point");
                        }
                        for (YamlNode item : items) {
                            readPoint(item).ifPresent(point -> {
                                Location first = where.putIfAbsent(point.name(), item.location());
                                if (first != null) {
                                    item.error("duplicate point '" + point.name() + "' (first at line "
                                            + first.line() + ")");
                                } else {
                                    points.add(point);
                                }
                            });
                        }
                    });
                    profiles.put(name, new Profile(name, stride, List.copyOf(points), Map.copyOf(where)));
                });
            }
        });
        return profiles;
    }

    /**
     * A device; built whenever its name, a known driver and at least one point are readable, so that
     * its driver can check it even when other parts of it have problems.
     */
    private Optional<DeviceConfig> readDevice(YamlNode item, Map<String, Profile> profiles,
                                              Map<String, Integer> deviceLines) {
        Optional<YamlMap> dm = item.asMap();
        if (dm.isEmpty()) {
            return Optional.empty();
        }
        YamlMap m = dm.get();
        int before = problems.count();
        m.checkKeys(DEVICE_KEYS);
        Optional<String> name = m.require("name").flatMap(NodeConfigLoader::readName);
        name.ifPresent(n -> {
            Integer first = deviceLines.putIfAbsent(n, m.location().line());
            if (first != null) {
                m.get("name").orElseThrow().error("duplicate device '" + n + "' (first at line " + first + ")");
            }
        });
        Optional<String> driver = m.require("driver").flatMap(n -> n.asString().flatMap(type -> {
            if (!factories.containsKey(type)) {
                n.error("unknown driver '" + type + "'"
                        + closestOf(type, factories.keySet()).map(c -> " (did you mean '" + c + "'?)").orElse("")
                        + "; installed: " + (factories.isEmpty() ? "none" : String.join(", ", factories.keySet())));
                return Optional.empty();
            }
            return Optional.of(type);
        }));
        int beforeProperties = problems.count();
        Map<String, Object> properties = readProperties(m);
        boolean propertiesOk = problems.count() == beforeProperties;
        long pollIntervalMs = m.longInteger("pollIntervalMs", DeviceConfig.MIN_POLL_INTERVAL_MS,
                DeviceConfig.MAX_POLL_INTERVAL_MS).orElse(DeviceConfig.DEFAULT_POLL_INTERVAL_MS);

        List<PointConfig> points = new ArrayList<>();
        Map<String, Location> pointLines = new HashMap<>();
        m.list("points").ifPresent(items -> {
            for (YamlNode p : items) {
                readPoint(p).ifPresent(point -> addPoint(point, p.location(), p, pointLines, points));
            }
        });
        m.list("uses").ifPresent(items -> {
            for (YamlNode u : items) {
                expandUse(u, profiles, pointLines, points);
            }
        });
        if (points.isEmpty() && problems.count() == before) {
            m.node().error("device has no points: give 'points:' or 'uses:'");
        }
        if (name.isEmpty() || driver.isEmpty() || !propertiesOk || points.isEmpty()) {
            return Optional.empty();
        }
        DeviceConfig device = new DeviceConfig(name.get(), driver.get(), properties, pollIntervalMs, points,
                m.location().toString());
        deviceLocations.put(device, m.location());
        return Optional.of(device);
    }

    private void addPoint(PointConfig point, Location where, YamlNode reportAt, Map<String, Location> pointLines,
                          List<PointConfig> points) {
        Location first = pointLines.putIfAbsent(point.name(), where);
        if (first != null) {
            reportAt.error("duplicate point '" + point.name() + "' (first at line " + first.line() + ")");
            return;
        }
        points.add(point);
        channelOrigins.put(point.location(), new ChannelOrigin(where, point.name()));
    }

    private Map<String, Object> readProperties(YamlMap m) {
        return m.get("properties").flatMap(YamlNode::asMap).flatMap(pm -> pm.node().asPlain())
                .map(EdgeConfigLoader::asStringMap).orElse(Map.of());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asStringMap(Object plain) {
        return (Map<String, Object>) plain;
    }

    /**
     * A point; built whenever its name and properties are readable, even if its unit or alarms are not,
     * so that its driver can still check its properties (the load fails on the recorded problems anyway).
     */
    private Optional<PointConfig> readPoint(YamlNode item) {
        Optional<YamlMap> pm = item.asMap();
        if (pm.isEmpty()) {
            return Optional.empty();
        }
        YamlMap m = pm.get();
        m.checkKeys(POINT_KEYS);
        Optional<String> name = m.require("name").flatMap(NodeConfigLoader::readName);
        String unit = m.string("unit").orElse("");
        if (unit.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > io.hazwatch.sync.model.PointInfo.MAX_TEXT_BYTES) {
            // the point catalogue carries the unit: refuse here what the catalogue could not carry
            m.get("unit").ifPresent(n -> n.error("unit is longer than " + io.hazwatch.sync.model.PointInfo.MAX_TEXT_BYTES
                    + " UTF-8 bytes"));
        }
        int before = problems.count();
        Map<String, Object> properties = readProperties(m);
        boolean propertiesOk = problems.count() == before;
        Optional<AlarmSpec> alarms = m.map("alarms").flatMap(this::readAlarms);
        if (name.isEmpty() || !propertiesOk) {
            return Optional.empty();
        }
        return Optional.of(new PointConfig(name.get(), unit, properties, alarms, m.location().toString()));
    }

    private Optional<AlarmSpec> readAlarms(YamlMap m) {
        int before = problems.count();
        m.checkKeys(ALARM_KEYS);
        OptionalDouble hh = optionalDouble(m, "hh");
        OptionalDouble h = optionalDouble(m, "h");
        OptionalDouble l = optionalDouble(m, "l");
        OptionalDouble ll = optionalDouble(m, "ll");
        double deadband = m.number("deadband").filter(d -> {
            if (d < 0) {
                m.get("deadband").orElseThrow().error("must not be negative, got " + d);
                return false;
            }
            return true;
        }).orElse(0.0);
        int faultAfter = m.integer("faultAfter", 0, 1_000_000).orElse(0);
        Map<AlarmLimit, Integer> levels = new EnumMap<>(AlarmLimit.class);
        m.map("levels").ifPresent(lm -> {
            lm.checkKeys(List.copyOf(LEVEL_KEYS.keySet()));
            LEVEL_KEYS.forEach((key, limit) -> lm.integer(key, 1, 4).ifPresent(v -> levels.put(limit, v)));
        });
        if (problems.count() == before) {
            AlarmSpec.orderProblem(hh, h, l, ll).ifPresent(m.node()::error);
            if (hh.isEmpty() && h.isEmpty() && l.isEmpty() && ll.isEmpty() && faultAfter == 0) {
                m.node().error("give at least one of hh, h, l, ll or faultAfter");
            }
        }
        if (problems.count() > before) {
            return Optional.empty();
        }
        return Optional.of(new AlarmSpec(hh, h, l, ll, deadband, levels, faultAfter));
    }

    private static OptionalDouble optionalDouble(YamlMap m, String key) {
        return m.number(key).map(OptionalDouble::of).orElse(OptionalDouble.empty());
    }

    /** One {@code uses:} entry: instances of a profile, added to the device's points. */
    private void expandUse(YamlNode item, Map<String, Profile> profiles, Map<String, Location> pointLines,
                           List<PointConfig> points) {
        Optional<YamlMap> um = item.asMap();
        if (um.isEmpty()) {
            return;
        }
        YamlMap m = um.get();
        int before = problems.count();
        m.checkKeys(USE_KEYS);
        Optional<Profile> profile = m.require("profile").flatMap(n -> n.asString().flatMap(p -> {
            Profile found = profiles.get(p);
            if (found == null) {
                n.error("no profile '" + p + "'" + closestOf(p, profiles.keySet())
                        .map(c -> " (did you mean '" + c + "'?)").orElse("")
                        + (profiles.isEmpty() ? "; this file has no profiles: section"
                        : "; profiles here: " + String.join(", ", profiles.keySet())));
                return Optional.empty();
            }
            return Optional.of(found);
        }));
        List<Integer> numbers = readInstanceNumbers(m);
        String template = m.string("as").orElse("{profile}{n}");
        int base = m.integer("base", 0, 65_535).orElse(0);
        Optional<Integer> strideOverride = m.integer("stride", 0, 65_535);
        Map<String, AlarmSpec> alarmOverrides = new HashMap<>();
        m.map("alarms").ifPresent(am -> {
            for (Map.Entry<String, YamlNode> e : am.entries()) {
                profile.ifPresent(p -> {
                    if (p.where().get(e.getKey()) == null) {
                        e.getValue().error("profile '" + p.name() + "' has no point '" + e.getKey() + "'"
                                + closestOf(e.getKey(), p.where().keySet()).map(c -> " (did you mean '" + c + "'?)")
                                .orElse(""));
                    }
                });
                e.getValue().asMap().flatMap(this::readAlarms).ifPresent(a -> alarmOverrides.put(e.getKey(), a));
            }
        });
        if (numbers.size() > 1 && !template.contains("{n}")) {
            m.get("as").orElseThrow().error("must contain {n} when there is more than one instance");
        }
        Matcher placeholders = PLACEHOLDER.matcher(template);
        while (placeholders.find()) {
            String ph = placeholders.group(1);
            if (!ph.equals("n") && !ph.equals("profile")) {
                m.get("as").orElseThrow().error("unknown placeholder {" + ph + "}; use {n} and {profile}");
            }
        }
        if (problems.count() > before || profile.isEmpty()) {
            return;
        }
        Profile p = profile.get();
        int stride = strideOverride.orElse(p.stride());
        for (int n : numbers) {
            String instance = template.replace("{profile}", p.name()).replace("{n}", Integer.toString(n));
            if (!NodeConfigLoader.NAME.matcher(instance).matches()) {
                m.node().error("instance name '" + instance + "' is not a valid name");
                return;
            }
            long offset = base + (long) (n - 1) * stride;
            for (PointConfig tp : p.points()) {
                Location where = p.where().get(tp.name());
                Map<String, Object> props = tp.properties();
                if (offset != 0) {
                    Object address = props.get(ADDRESS_PROPERTY);
                    if (!(address instanceof Integer a)) {
                        problems.add(where, "profile '" + p.name() + "' point '" + tp.name() + "' has no integer '"
                                + ADDRESS_PROPERTY + "' property to shift by base/stride (used at line "
                                + m.location().line() + ")");
                        return;
                    }
                    Map<String, Object> shifted = new LinkedHashMap<>(props);
                    shifted.put(ADDRESS_PROPERTY, Math.toIntExact(a + offset));
                    props = shifted;
                }
                String pointName = instance + "." + tp.name();
                Optional<AlarmSpec> alarms = alarmOverrides.containsKey(tp.name())
                        ? Optional.of(alarmOverrides.get(tp.name())) : tp.alarms();
                PointConfig point = new PointConfig(pointName, tp.unit(), props, alarms,
                        where + " (" + pointName + ")");
                addPoint(point, where, m.node(), pointLines, points);
            }
        }
    }

    private List<Integer> readInstanceNumbers(YamlMap m) {
        Optional<YamlNode> count = m.get("count");
        Optional<YamlNode> instances = m.get("instances");
        if (count.isPresent() == instances.isPresent()) {
            m.node().error("give exactly one of 'count' (instances 1..count) or 'instances' (a list of numbers)");
            return List.of();
        }
        if (count.isPresent()) {
            return count.get().asInt(1, MAX_INSTANCES)
                    .map(c -> IntStream.rangeClosed(1, c).boxed().toList()).orElse(List.of());
        }
        List<Integer> numbers = new ArrayList<>();
        instances.get().asList().ifPresent(items -> {
            if (items.isEmpty()) {
                instances.get().error("needs at least one instance number");
            }
            if (items.size() > MAX_INSTANCES) {
                instances.get().error("at most " + MAX_INSTANCES + " instances");
            }
            for (YamlNode i : items) {
                i.asInt(1, 65_535).ifPresent(n -> {
                    if (numbers.contains(n)) {
                        i.error("instance " + n + " is listed twice");
                    } else {
                        numbers.add(n);
                    }
                });
            }
        });
        return List.copyOf(numbers);
    }

    /**
     * Asks the device's driver whether it accepts the device; its problems are reported at the points
     * (or the device) they concern, prefixed with the device and point unless the driver's message
     * already names them. The same problem in the same profile point of several instances is
     * reported once, naming the other instances.
     */
    private void validateWithDriver(DeviceConfig device) {
        DriverFactory factory = factories.get(device.driver());
        Location deviceLocation = deviceLocations.get(device);
        DeviceSpec spec = device.toDeviceSpec();
        List<ConfigProblem> found;
        try {
            found = factory.validate(spec);
        } catch (RuntimeException e) {
            problems.add(deviceLocation, "device '" + device.name() + "': driver '" + device.driver()
                    + "' failed while validating: " + e);
            return;
        }
        String devicePrefix = "device '" + device.name() + "'";
        record Group(Location location, String firstMessage, String firstPoint, List<String> others) {
        }
        Map<String, Group> groups = new LinkedHashMap<>();
        for (ConfigProblem p : found) {
            ChannelOrigin origin = channelOrigins.get(p.location());
            if (origin == null) {
                String where = p.location().equals(device.location()) ? "" : " (" + p.location() + ")";
                problems.add(deviceLocation, (mentions(p.message(), device.name()) ? "" : devicePrefix + where + ": ")
                        + p.message());
                continue;
            }
            String key = origin.location() + "\u0000" + p.message().replace("'" + origin.pointName() + "'", "'\u0001'");
            Group g = groups.get(key);
            if (g == null) {
                groups.put(key, new Group(origin.location(), p.message(), origin.pointName(), new ArrayList<>()));
            } else {
                g.others().add(origin.pointName());
            }
        }
        for (Group g : groups.values()) {
            String prefix = mentions(g.firstMessage(), device.name()) ? "" : devicePrefix;
            if (!mentions(g.firstMessage(), g.firstPoint())) {
                prefix += (prefix.isEmpty() ? "" : ", ") + "point '" + g.firstPoint() + "'";
            }
            String also = g.others().isEmpty() ? ""
                    : g.others().size() <= 2 ? " (same in " + String.join(", ", g.others()) + ")"
                    : " (same in " + g.others().get(0) + " and " + (g.others().size() - 1) + " more)";
            problems.add(g.location(), (prefix.isEmpty() ? "" : prefix + ": ") + g.firstMessage() + also);
        }
    }

    private static boolean mentions(String message, String name) {
        return message.contains("'" + name + "'");
    }

    private static Optional<String> closestOf(String word, Collection<String> candidates) {
        return Suggest.closest(word, candidates);
    }
}
