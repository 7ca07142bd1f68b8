package io.hazwatch.sims.opcua;

import io.hazwatch.sims.TankFarmOptions;
import io.hazwatch.sims.TankSnapshot;
import io.hazwatch.sims.internal.TankFarmModel;
import io.hazwatch.sims.opcua.internal.DcsNamespace;
import io.hazwatch.sims.opcua.internal.DcsNamespace.TagSpec;
import io.hazwatch.sims.opcua.internal.DcsServer;
import io.hazwatch.sims.opcua.internal.ServerCertificate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A tank-farm DCS behind an OPC UA server (Eclipse Milo): per tank a radar level gauge
 * ({@code LT-1001}, m), a temperature ({@code TT-1001}, °C) and a pressure transmitter
 * ({@code PT-1001}, kPa) and a combustible-gas detector ({@code AT-1001}, %LEL, with alarm flags
 * {@code AT-1001.AL1}, {@code AT-1001.AL2}), numbered 1001, 1002, ... per tank; optionally
 * {@code Bench.00001 ...} items that all change on every tick. The values come from the same seeded
 * model as the Modbus tank-farm simulator (docs/simulators.md).
 *
 * <p>Address space: {@code Objects/TankFarm/TK-1001/LT-1001}, ..., {@code Objects/Bench/Bench.00001};
 * node ids are strings in namespace {@link #NAMESPACE_URI} ({@code ns=2;s=LT-1001}). Status codes
 * follow the instruments: a radar that lost its echo publishes its frozen level as
 * {@code Uncertain_LastUsableValue}, a gas detector with a fault code publishes
 * {@code Bad_SensorFailure}.
 *
 * <p>Threading: every method is safe from any thread. {@link #close()} is idempotent and drops every
 * session and connection, as a powered-off DCS would.
 */
public final class OpcUaSimulator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OpcUaSimulator.class);

    public static final String NAMESPACE_URI = "urn:hazwatch:sims:tank-farm-dcs";
    /** OPC UA Part 4, 7.34: Uncertain_LastUsableValue. */
    public static final long UNCERTAIN_LAST_USABLE_VALUE = 0x40900000L;
    /** OPC UA Part 4, 7.34: Bad_SensorFailure. */
    public static final long BAD_SENSOR_FAILURE = 0x808C0000L;
    private static final int FIRST_TAG_NUMBER = 1001;
    private static final int BIND_ATTEMPTS = 5;

    private final OpcUaSimulatorOptions options;
    private final TankFarmModel model;
    private final DcsServer server;
    private final DcsNamespace namespace;
    private final ServerCertificate certificate;
    private final int port;
    private final Optional<Path> temporaryPkiDir;
    private final Map<String, Long> forcedStatus = new ConcurrentHashMap<>();
    private final ScheduledExecutorService ticker;
    private final Object publishLock = new Object();
    private volatile boolean closed;

    private OpcUaSimulator(OpcUaSimulatorOptions options, TankFarmModel model, DcsServer server,
                           DcsNamespace namespace, ServerCertificate certificate, int port,
                           Optional<Path> temporaryPkiDir) {
        this.options = options;
        this.model = model;
        this.server = server;
        this.namespace = namespace;
        this.certificate = certificate;
        this.port = port;
        this.temporaryPkiDir = temporaryPkiDir;
        if (options.manualTicks()) {
            this.ticker = null;
        } else {
            this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "opcua-sim:" + port + "-tick");
                t.setDaemon(true);
                return t;
            });
            long period = options.tickInterval().toNanos();
            ticker.scheduleAtFixedRate(this::tick, period, period, TimeUnit.NANOSECONDS);
        }
    }

    /**
     * Makes or loads the server certificate, builds the address space and starts serving.
     *
     * @throws UncheckedIOException if the port cannot be bound or the PKI directory is unusable
     */
    public static OpcUaSimulator start(OpcUaSimulatorOptions options) {
        Optional<Path> temporary = Optional.empty();
        try {
            Path pki;
            if (options.pkiDir().isPresent()) {
                pki = options.pkiDir().get();
            } else {
                pki = Files.createTempDirectory("hazwatch-opcua-sim-pki");
                temporary = Optional.of(pki);
            }
            String hostname = hostnameFor(options.bindAddress());
            ServerCertificate certificate = ServerCertificate.loadOrCreate(pki, hostname);
            TankFarmModel model = new TankFarmModel(TankFarmOptions.builder().tanks(options.tanks())
                    .seed(options.seed()).manualTicks().clock(options.clock()).build());
            IOException last = null;
            for (int attempt = 0; attempt < BIND_ATTEMPTS; attempt++) {
                int port = options.port() == 0 ? freePort(options.bindAddress()) : options.port();
                DcsServer server = DcsServer.create(new DcsServer.Settings(options.bindAddress(), hostname, port,
                        certificate, pki, options.users(), options.allowAnonymous(), options.trustAllClients()));
                DcsNamespace namespace = new DcsNamespace(server.server(), NAMESPACE_URI, specs(options, model),
                        model.simulatedTime());
                namespace.startup();
                try {
                    server.start();
                } catch (IOException e) {
                    namespace.shutdown();
                    server.close();
                    last = e;
                    if (options.port() != 0) {
                        break; // a fixed port in use stays in use
                    }
                    continue; // someone took the free port between the probe and the bind; try another
                }
                OpcUaSimulator sim = new OpcUaSimulator(options, model, server, namespace, certificate, port,
                        temporary);
                sim.publishAll();
                LOG.info("OPC UA DCS simulator with {} tanks and {} bench items, seed {}, on {}", options.tanks(),
                        options.benchItems(), options.seed(), sim.endpointUrl());
                return sim;
            }
            throw last;
        } catch (IOException e) {
            temporary.ifPresent(OpcUaSimulator::deleteQuietly);
            throw new UncheckedIOException("cannot start the OPC UA simulator on " + options.bindAddress() + ":"
                    + options.port() + ": " + e.getMessage(), e);
        }
    }

    private static List<TagSpec> specs(OpcUaSimulatorOptions options, TankFarmModel model) {
        List<TagSpec> specs = new ArrayList<>();
        for (int t = 0; t < options.tanks(); t++) {
            TankSnapshot s = model.snapshot(t);
            int n = FIRST_TAG_NUMBER + t;
            List<String> folders = List.of("TankFarm", "TK-" + n);
            specs.add(new TagSpec(folders, "LT-" + n, "tank " + n + " level, m (radar)", false, s.levelM()));
            specs.add(new TagSpec(folders, "TT-" + n, "tank " + n + " product temperature, °C", false,
                    s.temperatureC()));
            specs.add(new TagSpec(folders, "PT-" + n, "tank " + n + " pressure (gauge), kPa", false, s.pressureKPa()));
            specs.add(new TagSpec(folders, "AT-" + n, "tank " + n + " combustible gas, %LEL", false, s.gasLel()));
            specs.add(new TagSpec(folders, "AT-" + n + ".AL1", "tank " + n + " gas alarm 1 (25 %LEL)", true, s.al1()));
            specs.add(new TagSpec(folders, "AT-" + n + ".AL2", "tank " + n + " gas alarm 2 (50 %LEL)", true, s.al2()));
        }
        for (int i = 1; i <= options.benchItems(); i++) {
            specs.add(new TagSpec(List.of("Bench"), benchTag(i), "load-test item " + i, false, benchValue(i, 0)));
        }
        return specs;
    }

    /** The tag of bench item {@code i} (1-based): {@code Bench.00001}. */
    public static String benchTag(int i) {
        return String.format("Bench.%05d", i);
    }

    private static double benchValue(int item, long tick) {
        return item + tick * 0.001;
    }

    private void tick() {
        try {
            advance(1);
        } catch (RuntimeException e) {
            // a scheduled task that throws is never run again; log and keep ticking
            LOG.error("OPC UA simulator step failed", e);
        }
    }

    /**
     * Steps the model {@code ticks} simulated seconds on the caller's thread and publishes the new
     * values (with the simulated time of the last step as source timestamp).
     */
    public void advance(int ticks) {
        if (ticks < 0) {
            throw new IllegalArgumentException("cannot step backwards: " + ticks);
        }
        synchronized (publishLock) {
            model.advance(ticks);
            publishAll();
        }
    }

    private void publishAll() {
        synchronized (publishLock) {
            Instant time = model.simulatedTime();
            for (int t = 0; t < options.tanks(); t++) {
                TankSnapshot s = model.snapshot(t);
                int n = FIRST_TAG_NUMBER + t;
                publish("LT-" + n, s.levelM(), s.echoLost() ? UNCERTAIN_LAST_USABLE_VALUE : 0, time);
                publish("TT-" + n, s.temperatureC(), 0, time);
                publish("PT-" + n, s.pressureKPa(), 0, time);
                publish("AT-" + n, s.gasLel(), s.gasFaultCode() != 0 ? BAD_SENSOR_FAILURE : 0, time);
                publish("AT-" + n + ".AL1", s.al1(), 0, time);
                publish("AT-" + n + ".AL2", s.al2(), 0, time);
            }
            long tick = model.ticks();
            for (int i = 1; i <= options.benchItems(); i++) {
                namespace.publish(benchTag(i), benchValue(i, tick), 0, time);
            }
        }
    }

    private void publish(String tag, Object value, long status, Instant time) {
        Long forced = forcedStatus.get(tag);
        namespace.publish(tag, value, forced == null ? status : forced, time);
    }

    /**
     * Fault injection: from now on {@code tag} publishes {@code statusCode} (an OPC UA status code,
     * e.g. {@link #BAD_SENSOR_FAILURE}) with its values, until {@link #clearStatus(String)}.
     */
    public void forceStatus(String tag, long statusCode) {
        requireTag(tag);
        forcedStatus.put(tag, statusCode);
        synchronized (publishLock) {
            publishAll();
        }
    }

    public void clearStatus(String tag) {
        forcedStatus.remove(tag);
        synchronized (publishLock) {
            publishAll();
        }
    }

    /** What {@code tag} publishes now. */
    public OpcUaTagValue tag(String tag) {
        requireTag(tag);
        return namespace.current(tag).orElseThrow();
    }

    /** Every tag, in address-space order. */
    public List<String> tags() {
        return namespace.tags();
    }

    private void requireTag(String tag) {
        if (!namespace.tags().contains(tag)) {
            throw new IllegalArgumentException("no tag '" + tag + "' in this simulator");
        }
    }

    /** {@code opc.tcp://host:port/hazwatch}. */
    public String endpointUrl() {
        return "opc.tcp://" + hostnameFor(options.bindAddress()) + ":" + port + DcsServer.PATH;
    }

    /** The node id a client uses for a tag or folder, with the namespace index: {@code ns=2;s=LT-1001}. */
    public String nodeId(String name) {
        return namespace.nodeIdOf(name);
    }

    public int port() {
        return port;
    }

    public OpcUaSimulatorOptions options() {
        return options;
    }

    /** The server's application instance certificate (what a client must trust). */
    public X509Certificate certificate() {
        return certificate.certificate();
    }

    /** A DER copy of {@link #certificate()}, under the PKI directory's {@code own/}. */
    public Path certificateFile() {
        return certificate.derFile();
    }

    public String applicationUri() {
        return certificate.applicationUri();
    }

    /** Model steps taken so far; one simulated second each. */
    public long ticks() {
        return model.ticks();
    }

    /** The simulated time of the last step: the source timestamp of the current values. */
    public Instant simulatedTime() {
        return model.simulatedTime();
    }

    /** The underlying tank values (for comparing what a client read). */
    public TankSnapshot snapshot(int tank) {
        return model.snapshot(tank);
    }

    /** Starts a gas leak on tank {@code tank} (0-based) from the next step on. */
    public void triggerLeak(int tank) {
        model.triggerLeak(tank);
    }

    public boolean isClosed() {
        return closed;
    }

    /** Idempotent. Stops ticking, closes every session and the port; a temporary PKI directory is deleted. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (ticker != null) {
            ticker.shutdownNow();
        }
        namespace.shutdown();
        server.close();
        temporaryPkiDir.ifPresent(OpcUaSimulator::deleteQuietly);
        LOG.info("OPC UA simulator on port {} closed", port);
    }

    private static String hostnameFor(String bindAddress) {
        return "0.0.0.0".equals(bindAddress) || "::".equals(bindAddress) ? "localhost" : bindAddress;
    }

    private static int freePort(String bindAddress) throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(bindAddress), 0));
            return socket.getLocalPort();
        }
    }

    private static void deleteQuietly(Path dir) {
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            LOG.warn("cannot delete temporary PKI directory {}: {}", dir, e.toString());
        }
    }

    @Override
    public String toString() {
        return "OpcUaSimulator[" + endpointUrl() + ", " + options.tanks() + " tanks, " + options.benchItems()
                + " bench items, seed " + options.seed() + "]";
    }
}
