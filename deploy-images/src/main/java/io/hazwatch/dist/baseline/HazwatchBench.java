package io.hazwatch.dist.baseline;

import io.hazwatch.node.NodeRuntime;
import io.hazwatch.node.config.ChildSpec;
import io.hazwatch.node.config.Endpoint;
import io.hazwatch.node.config.NodeConfig;
import io.hazwatch.node.config.NodeRole;
import io.hazwatch.node.config.ParentLink;
import io.hazwatch.province.ProvinceNode;
import io.hazwatch.sync.link.ChildLinkStatus;
import io.hazwatch.sync.link.LinkState;
import io.hazwatch.sync.link.UplinkOptions;
import io.hazwatch.sync.model.Lane;
import io.hazwatch.sync.model.SyncRecord;
import io.hazwatch.sync.wire.Compression;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;

/**
 * HazWatch beside the MQTT chain, on the same readings: edges (journals, fsync per commit group) ->
 * county 130102 -> city 130100 -> province 130000 (SQL store), durable at every hop, as
 * {@code hazwatch bench} builds it, with a {@link CountingProxy} on every hop. For the faults the city
 * runs as a process of its own (from this JVM's class path), so it can be stopped and killed.
 */
final class HazwatchBench {
    static final String PROVINCE = "130000";
    static final String CITY = "130100";
    static final String COUNTY = "130102";

    record Throughput(String label, long readings, long stored, long distinct, double seconds, long[] latency,
                      long edgeCountyUp, long edgeCountyDown, long countyCityUp, long countyCityDown,
                      long cityProvinceUp, long cityProvinceDown, long provinceBytesInFromCity) {
        double rate() {
            return distinct / seconds;
        }
    }

    record FaultResult(MqttBench.Fault fault, String description, long readings, long storedBeforeFault,
                       long heldOutsideCityAtFault, long rows, long distinct, long missing, long duplicates,
                       long settledAfterMillis) {
    }

    private final java.util.concurrent.atomic.AtomicInteger runs = new java.util.concurrent.atomic.AtomicInteger();
    private final Path work;
    private final Settle settle;
    private final Clock clock = Clock.systemUTC();

    HazwatchBench(Path work, Settle settle) {
        this.work = work;
        this.settle = settle;
    }

    // ------------------------------------------------------------------ throughput

    Throughput throughput(String label, SimReadings r, Compression compression, int protocol, int cyclesPerAppend)
            throws Exception {
        Path dir = work.resolve("hazwatch-" + label.replaceAll("[^A-Za-z0-9]+", "-").toLowerCase()
                + "-" + runs.incrementAndGet());
        UplinkOptions uplink = UplinkOptions.defaults().withCompression(compression).withMaxVersion(protocol);
        List<AutoCloseable> open = new ArrayList<>();
        try {
            ProvinceNode province = ProvinceNode.start(config(PROVINCE, NodeRole.PROVINCE, dir, 0, null,
                    List.of(CITY)), clock);
            open.add(province);
            CountingProxy cityProvince = proxy(open, "city-province", port(province.runtime()));
            NodeRuntime city = NodeRuntime.builder(config(CITY, NodeRole.CITY, dir, 0, parent(PROVINCE, cityProvince),
                    List.of(COUNTY))).clock(clock).uplinkOptions(uplink).start();
            open.add(city);
            CountingProxy countyCity = proxy(open, "county-city", port(city));
            List<String> edgeIds = new ArrayList<>();
            for (int e = 0; e < r.edges(); e++) {
                edgeIds.add(r.edgeId(e));
            }
            NodeRuntime county = NodeRuntime.builder(config(COUNTY, NodeRole.COUNTY, dir, 0, parent(CITY, countyCity),
                    edgeIds)).clock(clock).uplinkOptions(uplink).start();
            open.add(county);
            CountingProxy edgeCounty = proxy(open, "edge-county", port(county));
            List<NodeRuntime> edges = edges(r, dir, edgeCounty, uplink, open);
            awaitTrue("the hierarchy to connect", 30_000, () -> streaming(edges) && streaming(List.of(county, city)));

            ReceiptLog log = new ReceiptLog((int) r.total());
            long t0 = System.nanoTime();
            produceAll(edges, r, cyclesPerAppend, log, 0);
            long total = r.total();
            long deadline = System.currentTimeMillis() + settle.maxMillis();
            while (province.store().storedRecords() < total && System.currentTimeMillis() < deadline) {
                Thread.sleep(2);
            }
            long tEnd = System.nanoTime();
            readStore(province, r, log);
            ChildLinkStatus fromCity = province.runtime().status().children().get(CITY);
            return new Throughput(label, total, province.store().storedRecords(), log.distinct(), (tEnd - t0) / 1e9,
                    log.latencyPercentiles(), edgeCounty.upBytes(), edgeCounty.downBytes(), countyCity.upBytes(),
                    countyCity.downBytes(), cityProvince.upBytes(), cityProvince.downBytes(),
                    fromCity == null ? 0 : fromCity.bytesIn());
        } finally {
            closeAll(open);
        }
    }

    // ------------------------------------------------------------------ faults

    FaultResult fault(SimReadings r, MqttBench.Fault fault, long outageSeconds, double paceSeconds) throws Exception {
        Path dir = work.resolve("hazwatch-fault-" + fault.name().toLowerCase());
        List<AutoCloseable> open = new ArrayList<>();
        ProvinceNode[] province = new ProvinceNode[1];
        try {
            NodeConfig provinceConfig = config(PROVINCE, NodeRole.PROVINCE, dir, 0, null, List.of(CITY));
            province[0] = ProvinceNode.start(provinceConfig, clock);
            CountingProxy cityProvince = proxy(open, "city-province", port(province[0].runtime()));
            int cityPort = freePort();
            ChildProcess city = cityProcess(dir, cityPort, cityProvince.port());
            open.add(city);
            city.start();
            ChildProcess.awaitListening("city process", cityPort, 30_000);
            CountingProxy countyCity = proxy(open, "county-city", cityPort);
            List<String> edgeIds = new ArrayList<>();
            for (int e = 0; e < r.edges(); e++) {
                edgeIds.add(r.edgeId(e));
            }
            UplinkOptions uplink = UplinkOptions.defaults();
            NodeRuntime county = NodeRuntime.builder(config(COUNTY, NodeRole.COUNTY, dir, 0, parent(CITY, countyCity),
                    edgeIds)).clock(clock).uplinkOptions(uplink).start();
            open.add(county);
            CountingProxy edgeCounty = proxy(open, "edge-county", port(county));
            List<NodeRuntime> edges = edges(r, dir, edgeCounty, uplink, open);
            awaitTrue("the hierarchy to connect", 30_000, () -> streaming(edges) && streaming(List.of(county))
                    && cityConnected(province[0]));

            ReceiptLog log = new ReceiptLog((int) r.total());
            long before;
            long heldOutside = 0;
            if (fault == MqttBench.Fault.PROVINCE_DOWN) {
                double rate = r.total() / paceSeconds;
                ExecutorService bg = Executors.newSingleThreadExecutor();
                Future<?> producing = bg.submit(() -> {
                    producePaced(edges, r, rate, log);
                    return null;
                });
                Thread.sleep((long) (paceSeconds * 1000 * 0.3));
                before = countRows(province[0])[0];
                province[0].close();
                Thread.sleep(outageSeconds * 1000);
                province[0] = ProvinceNode.start(provinceConfig, clock);
                cityProvince.target(port(province[0].runtime()));
                producing.get();
                bg.shutdown();
            } else {
                cityProvince.hold(true); // the city->province link stalls: the city holds a backlog
                produceAll(edges, r, 1, log, 0);
                MqttBench.awaitStable(countyCity, 1_500, 60_000); // the county has passed everything on
                before = countRows(province[0])[0];
                heldOutside = pending(edges) + pending(List.of(county));
                if (fault == MqttBench.Fault.MIDDLE_STOPPED) {
                    city.stop(10);
                } else {
                    city.kill();
                }
                cityProvince.dropConnections();
                cityProvince.hold(false);
                Thread.sleep(1_000);
                city.start();
            }
            // settle: everything stored and nothing pending below the city, or no change for the quiet period
            long start = System.currentTimeMillis();
            long lastCount = -1;
            long lastChange = start;
            while (true) {
                Thread.sleep(200);
                long n = countRows(province[0])[0];
                long now = System.currentTimeMillis();
                if (n != lastCount) {
                    lastCount = n;
                    lastChange = now;
                }
                boolean complete = n >= r.total() && pending(edges) == 0 && pending(List.of(county)) == 0;
                if ((complete && now - lastChange >= 2_000) || now - lastChange >= settle.quietMillis()
                        || now - start >= settle.maxMillis()) {
                    break;
                }
            }
            long waited = System.currentTimeMillis() - start;
            long[] counts = countRows(province[0]);
            String description = fault.hazwatch(outageSeconds);
            return new FaultResult(fault, description, r.total(), before, heldOutside, counts[0], counts[1],
                    r.total() - counts[1], counts[0] - counts[1], waited);
        } finally {
            closeAll(open);
            if (province[0] != null) {
                province[0].close();
            }
        }
    }

    // ------------------------------------------------------------------ producing

    /** Each edge appends its poll cycles to its journal as fast as the journal takes them. */
    private static void produceAll(List<NodeRuntime> edges, SimReadings r, int cyclesPerAppend, ReceiptLog log,
                                   int fromCycle) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(edges.size());
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int e = 0; e < edges.size(); e++) {
                int edge = e;
                done.add(pool.submit(() -> {
                    for (int c = fromCycle; c < r.cycles(); c += cyclesPerAppend) {
                        append(edges.get(edge), r, edge, c, Math.min(r.cycles(), c + cyclesPerAppend), log);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    /** Appends poll cycles round-robin over the edges at about {@code rate} readings per second. */
    private static void producePaced(List<NodeRuntime> edges, SimReadings r, double rate, ReceiptLog log)
            throws InterruptedException {
        long start = System.nanoTime();
        long n = 0;
        for (int c = 0; c < r.cycles(); c++) {
            for (int e = 0; e < edges.size(); e++) {
                long due = start + (long) (n / rate * 1e9);
                long wait = due - System.nanoTime();
                if (wait > 1_000_000) {
                    Thread.sleep(wait / 1_000_000);
                }
                append(edges.get(e), r, e, c, c + 1, log);
                n += r.pointsPerEdge();
            }
        }
    }

    private static void append(NodeRuntime edge, SimReadings r, int e, int from, int to, ReceiptLog log) {
        List<io.hazwatch.sync.model.Reading> batch = new ArrayList<>((to - from) * r.pointsPerEdge());
        for (int c = from; c < to; c++) {
            batch.addAll(r.cycle(e, c));
        }
        long now = System.currentTimeMillis();
        List<SyncRecord> recs = edge.localSink().append(Lane.CURRENT, batch);
        long expectSeq = (long) from * r.pointsPerEdge();
        if (recs.get(0).seq() != expectSeq) {
            throw new IllegalStateException("edge " + r.edgeId(e) + " numbered cycle " + from + " from "
                    + recs.get(0).seq() + ", expected " + expectSeq);
        }
        for (int c = from; c < to; c++) {
            for (int p = 0; p < r.pointsPerEdge(); p++) {
                log.sent(r.id(e, c, p), now);
            }
        }
    }

    // ------------------------------------------------------------------ counting at the province

    /** Every row of the province's reading table into the log, by (origin, seq) -> reading id. */
    private static void readStore(ProvinceNode province, SimReadings r, ReceiptLog log) throws Exception {
        Map<String, Integer> edgeIndex = new java.util.HashMap<>();
        for (int e = 0; e < r.edges(); e++) {
            edgeIndex.put(r.edgeId(e), e);
        }
        int per = r.pointsPerEdge();
        // straight from the blocks: the SQL view would materialise every row first
        province.store().forEachReading(row -> {
            Integer e = edgeIndex.get(row.origin());
            long seq = row.seq();
            int id = e == null || seq >= (long) r.cycles() * per ? -1 : r.id(e, (int) (seq / per), (int) (seq % per));
            log.receivedAt(id, row.received());
        });
    }

    /** COUNT(*) and the number of distinct (origin, lane, seq) in the province's reading table. */
    private static long[] countRows(ProvinceNode province) throws Exception {
        try (Connection c = province.store().openReader(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT (SELECT COUNT(*) FROM reading),"
                     + " (SELECT COUNT(*) FROM (SELECT DISTINCT origin, lane, seq FROM reading))")) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2)};
        }
    }

    // ------------------------------------------------------------------ set-up

    private List<NodeRuntime> edges(SimReadings r, Path dir, CountingProxy county, UplinkOptions uplink,
                                    List<AutoCloseable> open) throws IOException {
        List<NodeRuntime> edges = new ArrayList<>();
        for (int e = 0; e < r.edges(); e++) {
            NodeRuntime edge = NodeRuntime.builder(new NodeConfig(r.edgeId(e), NodeRole.EDGE, dir.resolve(r.edgeId(e)),
                    Optional.empty(), Optional.empty(), List.of(parent(COUNTY, county)), List.of()))
                    .clock(clock).uplinkOptions(uplink).start();
            open.add(edge);
            edges.add(edge);
        }
        return edges;
    }

    private ChildProcess cityProcess(Path dir, int port, int parentPort) throws IOException {
        Files.createDirectories(dir);
        Path yaml = dir.resolve("city.yaml");
        Files.writeString(yaml, """
                id: "%s"
                role: city
                dataDir: %s
                listen: {host: 127.0.0.1, port: %d}
                parents:
                  - {id: "%s", host: 127.0.0.1, port: %d}
                children:
                  - id: "%s"
                """.formatted(CITY, dir.resolve(CITY).toAbsolutePath(), port, PROVINCE, parentPort, COUNTY));
        List<String> cmd = List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx128m",
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
                "-Dorg.slf4j.simpleLogger.showDateTime=true", "-cp", System.getProperty("java.class.path"),
                "io.hazwatch.city.CityMain", "--config", yaml.toAbsolutePath().toString(), "--status-every", "0");
        return new ChildProcess("city", cmd, dir.resolve("city.log"));
    }

    private static NodeConfig config(String id, NodeRole role, Path dir, int port, ParentLink parent,
                                     List<String> children) {
        return new NodeConfig(id, role, dir.resolve(id), Optional.of(new Endpoint("127.0.0.1", port)),
                Optional.empty(), parent == null ? List.of() : List.of(parent),
                children.stream().map(ChildSpec::withDefaultPrefix).toList());
    }

    private static ParentLink parent(String id, CountingProxy via) {
        return new ParentLink(id, new Endpoint("127.0.0.1", via.port()));
    }

    private static int port(NodeRuntime rt) {
        return rt.listenAddress().orElseThrow().getPort();
    }

    private static CountingProxy proxy(List<AutoCloseable> open, String name, int target) throws IOException {
        CountingProxy p = new CountingProxy(name, target);
        open.add(p);
        return p;
    }

    private static boolean streaming(List<NodeRuntime> nodes) {
        return nodes.stream().allMatch(n -> n.status().uplink() != null
                && n.status().uplink().state() == LinkState.STREAMING);
    }

    private static boolean cityConnected(ProvinceNode province) {
        ChildLinkStatus s = province.runtime().status().children().get(CITY);
        return s != null && s.connected();
    }

    private static long pending(List<NodeRuntime> nodes) {
        return nodes.stream().mapToLong(n -> n.journal().map(j -> j.pendingCount()).orElse(0L)).sum();
    }

    private static void awaitTrue(String what, long millis, BooleanSupplier cond) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (!cond.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Closes in reverse order of opening: edges first, province last. */
    private static void closeAll(List<AutoCloseable> open) {
        for (int i = open.size() - 1; i >= 0; i--) {
            try {
                open.get(i).close();
            } catch (Exception ignored) {
                // closing the bench anyway
            }
        }
    }
}
