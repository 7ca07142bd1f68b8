package io.hazwatch.drivers.opcua.internal;

import io.hazwatch.drivers.spi.PropertyValues;
import io.hazwatch.drivers.opcua.OpcUaChannel;
import io.hazwatch.drivers.opcua.OpcUaChannelMode;
import io.hazwatch.drivers.opcua.OpcUaDeadband;
import io.hazwatch.drivers.opcua.OpcUaDeviceConfig;
import io.hazwatch.drivers.opcua.OpcUaIdentity;
import io.hazwatch.drivers.opcua.OpcUaSecurityMode;
import io.hazwatch.drivers.opcua.OpcUaSecurityPolicy;
import io.hazwatch.drivers.spi.ChannelSpec;
import io.hazwatch.drivers.spi.ConfigProblem;
import io.hazwatch.drivers.spi.DeviceSpec;
import io.hazwatch.drivers.spi.DriverConfigException;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExpandedNodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Turns a {@link DeviceSpec} into an {@link OpcUaDeviceConfig}, collecting every problem of the device
 * and its channels in one pass, each with the location it was written at. Touches no server; it
 * checks only that files named by the configuration exist.
 */
public final class OpcUaConfigParser {

    /** The {@code driver:} value this parser accepts. */
    public static final String DRIVER_TYPE = "opcua";

    static final String ENDPOINT_URL = "endpointUrl";
    static final String SECURITY_POLICY = "securityPolicy";
    static final String SECURITY_MODE = "securityMode";
    static final String IDENTITY = "identity";
    static final String USERNAME = "username";
    static final String PASSWORD = "password";
    static final String IDENTITY_CERTIFICATE = "identityCertificate";
    static final String IDENTITY_PRIVATE_KEY = "identityPrivateKey";
    static final String PKI_DIR = "pkiDir";
    static final String TRUST_SERVER_ON_FIRST_USE = "trustServerOnFirstUse";
    static final String REQUEST_TIMEOUT_MS = "requestTimeoutMs";
    static final String SESSION_TIMEOUT_MS = "sessionTimeoutMs";
    static final String PUBLISHING_INTERVAL_MS = "publishingIntervalMs";
    static final String BACKOFF_MIN_MS = "backoffMinMs";
    static final String BACKOFF_MAX_MS = "backoffMaxMs";
    static final Set<String> DEVICE_KEYS = Set.of(ENDPOINT_URL, SECURITY_POLICY, SECURITY_MODE, IDENTITY, USERNAME,
            PASSWORD, IDENTITY_CERTIFICATE, IDENTITY_PRIVATE_KEY, PKI_DIR, TRUST_SERVER_ON_FIRST_USE,
            REQUEST_TIMEOUT_MS, SESSION_TIMEOUT_MS, PUBLISHING_INTERVAL_MS, BACKOFF_MIN_MS, BACKOFF_MAX_MS);

    static final String NODE_ID = "nodeId";
    static final String MODE = "mode";
    static final String SAMPLING_INTERVAL_MS = "samplingIntervalMs";
    static final String QUEUE_SIZE = "queueSize";
    static final String DISCARD_OLDEST = "discardOldest";
    static final String DEADBAND_TYPE = "deadbandType";
    static final String DEADBAND_VALUE = "deadbandValue";
    static final Set<String> CHANNEL_KEYS = Set.of(NODE_ID, MODE, SAMPLING_INTERVAL_MS, QUEUE_SIZE, DISCARD_OLDEST,
            DEADBAND_TYPE, DEADBAND_VALUE);
    static final List<String> SUBSCRIPTION_ONLY_KEYS = List.of(SAMPLING_INTERVAL_MS, QUEUE_SIZE, DISCARD_OLDEST,
            DEADBAND_TYPE, DEADBAND_VALUE);

    static final int DEFAULT_PORT = 4840;
    private static final long MAX_MS = 3_600_000;
    private static final int MAX_QUEUE_SIZE = 10_000;

    private OpcUaConfigParser() {
    }

    /** Every problem of {@code device}; empty when it is acceptable. */
    public static List<ConfigProblem> validate(DeviceSpec device, Path defaultPkiDir) {
        Parse parse = new Parse(device, defaultPkiDir, true);
        parse.run();
        return List.copyOf(parse.problems);
    }

    /** The validated configuration, or every problem at once. */
    public static OpcUaDeviceConfig parse(DeviceSpec device, Path defaultPkiDir) throws DriverConfigException {
        return parse(device, defaultPkiDir, true);
    }

    /** The connection settings of {@code device} (for browsing); channels are optional. */
    public static OpcUaDeviceConfig parseConnection(DeviceSpec device, Path defaultPkiDir) throws DriverConfigException {
        return parse(device, defaultPkiDir, false);
    }

    private static OpcUaDeviceConfig parse(DeviceSpec device, Path defaultPkiDir, boolean requireChannels)
            throws DriverConfigException {
        Parse parse = new Parse(device, defaultPkiDir, requireChannels);
        Optional<OpcUaDeviceConfig> config = parse.run();
        if (!parse.problems.isEmpty() || config.isEmpty()) {
            throw new DriverConfigException(parse.problems);
        }
        return config.get();
    }

    /** Parses a channel's node id the way the driver will: {@code ns=..;s=..}, {@code i=..}, or {@code nsu=..;s=..}. */
    public static Optional<String> nodeIdProblem(String text) {
        String t = text.trim();
        if (t.isEmpty()) {
            return Optional.of("must not be empty");
        }
        if (t.startsWith("nsu=")) {
            try {
                ExpandedNodeId.parse(t);
                return Optional.empty();
            } catch (RuntimeException e) {
                return Optional.of("'" + t + "' is not a node id (expected e.g. nsu=urn:example;s=LT-1001)");
            }
        }
        return NodeId.parseSafe(t).isPresent() ? Optional.empty()
                : Optional.of("'" + t + "' is not a node id (expected e.g. ns=2;s=LT-1001 or i=2258)");
    }

    /** One pass over one device; collects problems as it goes. */
    private static final class Parse {
        private final DeviceSpec device;
        private final Path defaultPkiDir;
        private final boolean requireChannels;
        private final List<ConfigProblem> problems = new ArrayList<>();

        Parse(DeviceSpec device, Path defaultPkiDir, boolean requireChannels) {
            this.device = device;
            this.defaultPkiDir = defaultPkiDir;
            this.requireChannels = requireChannels;
        }

        Optional<OpcUaDeviceConfig> run() {
            String where = device.location();
            String label = "device '" + device.name() + "'";
            if (!DRIVER_TYPE.equals(device.driver())) {
                problem(where, label + ": driver '" + device.driver() + "' is not " + DRIVER_TYPE);
            }
            Map<String, Object> props = device.properties();
            unknownKeys(where, label, props, DEVICE_KEYS);

            Optional<String> url = endpointUrl(where, label, props.get(ENDPOINT_URL));

            Optional<OpcUaSecurityPolicy> policy = choice(where, label, props, SECURITY_POLICY, OpcUaSecurityPolicy.NONE,
                    OpcUaSecurityPolicy::fromConfig, names(OpcUaSecurityPolicy.values(), OpcUaSecurityPolicy::configName));
            OpcUaSecurityMode defaultMode = policy.orElse(OpcUaSecurityPolicy.NONE) == OpcUaSecurityPolicy.NONE
                    ? OpcUaSecurityMode.NONE : OpcUaSecurityMode.SIGN_AND_ENCRYPT;
            Optional<OpcUaSecurityMode> mode = choice(where, label, props, SECURITY_MODE, defaultMode,
                    OpcUaSecurityMode::fromConfig, names(OpcUaSecurityMode.values(), OpcUaSecurityMode::configName));
            if (policy.isPresent() && mode.isPresent()) {
                boolean nonePolicy = policy.get() == OpcUaSecurityPolicy.NONE;
                boolean noneMode = mode.get() == OpcUaSecurityMode.NONE;
                if (nonePolicy && !noneMode) {
                    problem(where, label + ": securityMode '" + mode.get().configName()
                            + "' needs a securityPolicy other than 'none' (e.g. basic256sha256)");
                } else if (!nonePolicy && noneMode) {
                    problem(where, label + ": securityPolicy '" + policy.get().configName()
                            + "' needs securityMode 'sign' or 'signAndEncrypt'");
                }
            }

            Optional<OpcUaIdentity> identity = identity(where, label, props);
            Optional<Path> pkiDir = path(where, label, props, PKI_DIR, false);
            Optional<Boolean> tofu = bool(where, label, props, TRUST_SERVER_ON_FIRST_USE, false);
            OptionalLong requestTimeout = integer(where, label, props, REQUEST_TIMEOUT_MS,
                    OpcUaDeviceConfig.DEFAULT_REQUEST_TIMEOUT_MS, 100, 600_000);
            OptionalLong sessionTimeout = integer(where, label, props, SESSION_TIMEOUT_MS,
                    OpcUaDeviceConfig.DEFAULT_SESSION_TIMEOUT_MS, 10_000, MAX_MS);
            OptionalDouble publishing = number(where, label, props, PUBLISHING_INTERVAL_MS,
                    OpcUaDeviceConfig.DEFAULT_PUBLISHING_INTERVAL_MS, 10, MAX_MS);
            OptionalLong backoffMin = integer(where, label, props, BACKOFF_MIN_MS, OpcUaDeviceConfig.DEFAULT_BACKOFF_MIN_MS,
                    1, MAX_MS);
            OptionalLong backoffMax = integer(where, label, props, BACKOFF_MAX_MS, OpcUaDeviceConfig.DEFAULT_BACKOFF_MAX_MS,
                    1, MAX_MS);
            if (backoffMin.isPresent() && backoffMax.isPresent() && backoffMax.getAsLong() < backoffMin.getAsLong()) {
                problem(where, label + ": property 'backoffMaxMs' (" + backoffMax.getAsLong()
                        + ") must not be less than 'backoffMinMs' (" + backoffMin.getAsLong() + ")");
            }

            List<OpcUaChannel> channels = new ArrayList<>();
            Map<String, String> firstLocationByName = new HashMap<>();
            for (ChannelSpec spec : device.channels()) {
                String previous = firstLocationByName.putIfAbsent(spec.name(), spec.location());
                if (previous != null) {
                    problem(spec.location(), "channel '" + spec.name() + "': duplicate name (first defined at "
                            + previous + ")");
                }
                channel(spec).ifPresent(channels::add);
            }
            if (requireChannels && device.channels().isEmpty()) {
                problem(where, label + ": has no channels");
            }
            if (!problems.isEmpty() || url.isEmpty() || policy.isEmpty() || mode.isEmpty() || identity.isEmpty()
                    || tofu.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new OpcUaDeviceConfig(device.name(), url.get(), policy.get(), mode.get(),
                    identity.get(), pkiDir.orElse(defaultPkiDir), tofu.get(), (int) requestTimeout.getAsLong(),
                    (int) sessionTimeout.getAsLong(), publishing.getAsDouble(), backoffMin.getAsLong(),
                    backoffMax.getAsLong(), channels));
        }

        private Optional<String> endpointUrl(String where, String label, Object value) {
            if (value == null || value.toString().isBlank()) {
                problem(where, label + ": property 'endpointUrl' is required (e.g. opc.tcp://10.0.0.5:4840)");
                return Optional.empty();
            }
            if (!(value instanceof String text)) {
                problem(where, label + ": property 'endpointUrl' must be a string, got " + describe(value));
                return Optional.empty();
            }
            String url = text.trim();
            if (!url.startsWith("opc.tcp://")) {
                problem(where, label + ": endpointUrl '" + url + "' must start with opc.tcp://");
                return Optional.empty();
            }
            try {
                URI uri = new URI(url);
                if (uri.getHost() == null || uri.getHost().isBlank()) {
                    problem(where, label + ": endpointUrl '" + url + "' has no host");
                    return Optional.empty();
                }
                if (uri.getPort() == 0 || uri.getPort() > 65535) {
                    problem(where, label + ": endpointUrl '" + url + "' has port " + uri.getPort() + " (1..65535)");
                    return Optional.empty();
                }
            } catch (URISyntaxException e) {
                problem(where, label + ": endpointUrl '" + url + "' is not a URL: " + e.getReason());
                return Optional.empty();
            }
            return Optional.of(url);
        }

        private Optional<OpcUaIdentity> identity(String where, String label, Map<String, Object> props) {
            String fallback = props.containsKey(USERNAME) ? "username" : "anonymous";
            Optional<String> kind = choice(where, label, props, IDENTITY, fallback,
                    s -> Optional.of(s.trim().toLowerCase(java.util.Locale.ROOT))
                            .filter(k -> k.equals("anonymous") || k.equals("username") || k.equals("certificate")),
                    "anonymous, username, certificate");
            Optional<String> user = string(where, label, props, USERNAME);
            Optional<String> password = string(where, label, props, PASSWORD);
            Optional<Path> cert = path(where, label, props, IDENTITY_CERTIFICATE, true);
            Optional<Path> key = path(where, label, props, IDENTITY_PRIVATE_KEY, true);
            if (kind.isEmpty()) {
                return Optional.empty();
            }
            switch (kind.get()) {
                case "username" -> {
                    if (user.isEmpty() && !props.containsKey(USERNAME)) {
                        problem(where, label + ": identity 'username' needs property 'username'");
                    }
                    if (password.isEmpty() && !props.containsKey(PASSWORD)) {
                        problem(where, label + ": identity 'username' needs property 'password'");
                    }
                    notFor(where, label, props, "username", IDENTITY_CERTIFICATE, IDENTITY_PRIVATE_KEY);
                    return user.isPresent() && password.isPresent()
                            ? Optional.of(new OpcUaIdentity.UserName(user.get(), password.get())) : Optional.empty();
                }
                case "certificate" -> {
                    notFor(where, label, props, "certificate", USERNAME, PASSWORD);
                    if (props.containsKey(IDENTITY_CERTIFICATE) != props.containsKey(IDENTITY_PRIVATE_KEY)) {
                        problem(where, label + ": give both 'identityCertificate' and 'identityPrivateKey', or neither "
                                + "(neither = the driver's own application certificate)");
                        return Optional.empty();
                    }
                    return cert.isPresent() == key.isPresent()
                            ? Optional.of(new OpcUaIdentity.Certificate(cert, key)) : Optional.empty();
                }
                default -> {
                    notFor(where, label, props, "anonymous", USERNAME, PASSWORD, IDENTITY_CERTIFICATE,
                            IDENTITY_PRIVATE_KEY);
                    return Optional.of(new OpcUaIdentity.Anonymous());
                }
            }
        }

        private void notFor(String where, String label, Map<String, Object> props, String identity, String... keys) {
            for (String key : keys) {
                if (props.containsKey(key)) {
                    problem(where, label + ": property '" + key + "' does not apply to identity '" + identity + "'");
                }
            }
        }

        private Optional<OpcUaChannel> channel(ChannelSpec spec) {
            String where = spec.location();
            String label = "channel '" + spec.name() + "'";
            int before = problems.size();
            Map<String, Object> props = spec.properties();
            unknownKeys(where, label, props, CHANNEL_KEYS);

            Optional<String> nodeId = Optional.empty();
            Object nodeValue = props.get(NODE_ID);
            if (nodeValue == null) {
                problem(where, label + ": property 'nodeId' is required (e.g. ns=2;s=LT-1001)");
            } else if (!(nodeValue instanceof String text)) {
                problem(where, label + ": property 'nodeId' must be a string, got " + describe(nodeValue));
            } else {
                Optional<String> bad = nodeIdProblem(text);
                if (bad.isPresent()) {
                    problem(where, label + ": nodeId " + bad.get());
                } else {
                    nodeId = Optional.of(text.trim());
                }
            }
            Optional<OpcUaChannelMode> mode = choice(where, label, props, MODE, OpcUaChannelMode.SUBSCRIBE,
                    OpcUaChannelMode::fromConfig, names(OpcUaChannelMode.values(), OpcUaChannelMode::configName));
            if (mode.isPresent() && mode.get() == OpcUaChannelMode.READ) {
                for (String key : SUBSCRIPTION_ONLY_KEYS) {
                    if (props.containsKey(key)) {
                        problem(where, label + ": property '" + key + "' does not apply to mode 'read'");
                    }
                }
            }
            OptionalDouble sampling = number(where, label, props, SAMPLING_INTERVAL_MS,
                    OpcUaChannel.USE_PUBLISHING_INTERVAL, -1, MAX_MS);
            if (sampling.isPresent() && sampling.getAsDouble() < 0 && sampling.getAsDouble() != -1) {
                problem(where, label + ": property 'samplingIntervalMs' must be -1 (the publishing interval) or "
                        + "0.." + MAX_MS + ", got " + sampling.getAsDouble());
            }
            OptionalLong queue = integer(where, label, props, QUEUE_SIZE, OpcUaChannel.DEFAULT_QUEUE_SIZE, 1,
                    MAX_QUEUE_SIZE);
            Optional<Boolean> discardOldest = bool(where, label, props, DISCARD_OLDEST, true);
            Optional<OpcUaDeadband> deadband = choice(where, label, props, DEADBAND_TYPE, OpcUaDeadband.NONE,
                    OpcUaDeadband::fromConfig, names(OpcUaDeadband.values(), OpcUaDeadband::configName));
            OptionalDouble deadbandValue = number(where, label, props, DEADBAND_VALUE, 0, 0, Double.MAX_VALUE);
            if (deadband.isPresent() && deadbandValue.isPresent()) {
                if (deadband.get() == OpcUaDeadband.NONE && props.containsKey(DEADBAND_VALUE)) {
                    problem(where, label + ": property 'deadbandValue' needs deadbandType 'absolute' or 'percent'");
                }
                if (deadband.get() != OpcUaDeadband.NONE && !props.containsKey(DEADBAND_VALUE)) {
                    problem(where, label + ": deadbandType '" + deadband.get().configName()
                            + "' needs property 'deadbandValue'");
                }
                if (deadband.get() == OpcUaDeadband.PERCENT && deadbandValue.getAsDouble() > 100) {
                    problem(where, label + ": a percent deadbandValue must be 0..100, got " + deadbandValue.getAsDouble());
                }
            }
            if (problems.size() > before || nodeId.isEmpty() || mode.isEmpty() || sampling.isEmpty()
                    || queue.isEmpty() || discardOldest.isEmpty() || deadband.isEmpty() || deadbandValue.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new OpcUaChannel(spec.name(), where, nodeId.get(), mode.get(), sampling.getAsDouble(),
                    (int) queue.getAsLong(), discardOldest.get(), deadband.get(), deadbandValue.getAsDouble()));
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

        private Optional<String> string(String where, String label, Map<String, Object> props, String key) {
            Object value = props.get(key);
            if (value == null) {
                return Optional.empty();
            }
            if (!(value instanceof String text) || text.isEmpty()) {
                problem(where, label + ": property '" + key + "' must be a non-empty string, got " + describe(value));
                return Optional.empty();
            }
            return Optional.of(text);
        }

        private Optional<Path> path(String where, String label, Map<String, Object> props, String key,
                                    boolean mustExist) {
            Optional<String> text = string(where, label, props, key);
            if (text.isEmpty()) {
                return Optional.empty();
            }
            try {
                Path p = Path.of(text.get().trim());
                if (mustExist && !Files.isReadable(p)) {
                    problem(where, label + ": " + key + " file '" + p + "' does not exist or cannot be read");
                    return Optional.empty();
                }
                return Optional.of(p);
            } catch (InvalidPathException e) {
                problem(where, label + ": property '" + key + "' is not a path: " + e.getMessage());
                return Optional.empty();
            }
        }

        private Optional<Boolean> bool(String where, String label, Map<String, Object> props, String key,
                                       boolean fallback) {
            Object value = props.get(key);
            if (value == null) {
                return Optional.of(fallback);
            }
            if (value instanceof Boolean b) {
                return Optional.of(b);
            }
            if (value instanceof String s && (s.trim().equalsIgnoreCase("true") || s.trim().equalsIgnoreCase("false"))) {
                return Optional.of(Boolean.parseBoolean(s.trim()));
            }
            problem(where, label + ": property '" + key + "' must be true or false, got " + describe(value));
            return Optional.empty();
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
                                      double fallback, double min, double max) {
            Object value = props.get(key);
            if (value == null) {
                return OptionalDouble.of(fallback);
            }
            OptionalDouble parsed = toDouble(value);
            if (parsed.isEmpty() || !Double.isFinite(parsed.getAsDouble())) {
                problem(where, label + ": property '" + key + "' must be a finite number, got " + describe(value));
                return OptionalDouble.empty();
            }
            double v = parsed.getAsDouble();
            if (v < min || v > max) {
                String range = max == Double.MAX_VALUE ? "at least " + fmt(min) : fmt(min) + ".." + fmt(max);
                problem(where, label + ": property '" + key + "' must be " + range + ", got " + fmt(v));
                return OptionalDouble.empty();
            }
            return parsed;
        }

        private void problem(String where, String message) {
            problems.add(new ConfigProblem(where, message));
        }
    }

    private static String fmt(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
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
