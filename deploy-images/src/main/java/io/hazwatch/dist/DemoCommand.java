package io.hazwatch.dist;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hazwatch.dist.Topology.Kind;
import io.hazwatch.dist.Topology.Node;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hazwatch demo}: a whole hierarchy on this machine, every node a process of its own, six
 * enterprises each reading its own tank-farm simulator. Prints a status line every few seconds; with
 * {@code --duration} it stops by itself, lets the backlog drain and prints a reconciliation counted
 * from the data. {@code --chaos} SIGKILLs a relay every so often and restarts it.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Runs a demo hierarchy on this machine: province 130000, cities 130100 and 130600,",
                "counties 130102, 130602 and Dingzhou 130682 (reporting straight to the province), and six",
                "enterprise edge agents, each with its own tank-farm simulator. Every node is a process.",
                "Exit code: 0, or 1 when the reconciliation finds a record missing or duplicated."})
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--duration", paramLabel = "DURATION",
            description = "Stop after this long (e.g. 60s, 5m), drain and reconcile. Default: run until Ctrl-C.")
    String duration;

    @Option(names = "--chaos", description = "Kill a county or city process hard (SIGKILL) every so often and restart it.")
    boolean chaos;

    /** Which processes {@code --chaos} may kill. */
    enum ChaosTargets { RELAYS, ALL }

    @Option(names = "--chaos-targets", defaultValue = "RELAYS",
            description = "What --chaos kills: relays (counties and cities) or all (edges and the province too)"
                    + " (default: ${DEFAULT-VALUE}).")
    ChaosTargets chaosTargets;

    @Option(names = "--chaos-every", defaultValue = "15s", paramLabel = "DURATION",
            description = "Time between kills with --chaos (default: ${DEFAULT-VALUE}).")
    String chaosEvery;

    @Option(names = "--data-dir", defaultValue = "demo-data", paramLabel = "DIR",
            description = "Where configs, journals, stores and logs go; emptied at start (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--tanks", defaultValue = "6", description = "Tanks per enterprise (default: ${DEFAULT-VALUE}).")
    int tanks;

    @Option(names = "--poll-ms", defaultValue = "1000",
            description = "Edge poll interval in milliseconds (default: ${DEFAULT-VALUE}).")
    long pollMs;

    @Option(names = "--status-every", defaultValue = "5s", paramLabel = "DURATION",
            description = "Status line interval (default: ${DEFAULT-VALUE}).")
    String statusEvery;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of simulators and chaos (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--leak-rate-per-hour", defaultValue = "4",
            description = "Simulated gas leaks per tank per hour, so alarms show (default: ${DEFAULT-VALUE}).")
    double leakRate;

    @Option(names = "--link", defaultValue = "terrestrial",
            description = "How the cities and Dingzhou reach the province: terrestrial, or through the link "
                    + "simulator as vsat, vsat-2m or tiantong (default: ${DEFAULT-VALUE}).")
    String link;

    @Option(names = "--drain-timeout", defaultValue = "120s", paramLabel = "DURATION",
            description = "How long to wait for backlogs to drain after the run (default: ${DEFAULT-VALUE}).")
    String drainTimeout;

    private final PrintStream out = System.out;
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Map<String, NodeProcess> processes = new LinkedHashMap<>();
    private Topology topology;
    private final List<io.hazwatch.sims.link.LinkSimulator> satellites = new ArrayList<>();
    private long started;
    private int kills;
    /** The reconciliation of the last run that ended by itself (for tests). */
    Reconciliation lastReconciliation;

    int kills() {
        return kills;
    }

    @Override
    public Integer call() throws Exception {
        // the orchestrator opens the journals itself at the end; their open/close chatter is not news here
        System.setProperty("org.slf4j.simpleLogger.log.io.hazwatch.sync.journal", "warn");
        Duration runFor = duration == null ? null : DurationParser.parse("--duration", duration);
        Duration chaosPeriod = DurationParser.parse("--chaos-every", chaosEvery);
        Duration statusPeriod = DurationParser.parse("--status-every", statusEvery);
        Duration drain = DurationParser.parse("--drain-timeout", drainTimeout);
        if (tanks < 1 || tanks > 100) {
            throw new IllegalArgumentException("--tanks must be 1..100, got " + tanks);
        }
        prepareDataDir();
        PortAllocator ports = new PortAllocator();
        topology = Topology.hebei(ports);
        java.util.Map<String, Integer> satellitePorts = new java.util.HashMap<>();
        if (!link.equals("terrestrial")) {
            io.hazwatch.sync.link.LinkProfile.named(link).orElseThrow(() ->
                    new IllegalArgumentException("--link: no link profile '" + link + "'"));
            io.hazwatch.sims.link.LinkProfile simProfile = io.hazwatch.sims.link.LinkProfile.byName(link);
            Node province = topology.province();
            for (Node n : topology.childrenOf(province.id())) {
                io.hazwatch.sims.link.LinkSimulator sim = io.hazwatch.sims.link.LinkSimulator
                        .builder(new java.net.InetSocketAddress("127.0.0.1", province.port()))
                        .profile(simProfile).port(ports.next()).start();
                satellites.add(sim);
                satellitePorts.put(n.id(), sim.port());
            }
            out.println("cities and Dingzhou reach the province over simulated " + link + " links ("
                    + simProfile.bitsPerSecond() / 1000 + " kbit/s, " + simProfile.oneWayDelay().toMillis() * 2
                    + " ms round trip)");
        }
        DemoConfigs.write(topology, dataDir, tanks, pollMs, satellitePorts, link);

        Runtime.getRuntime().addShutdownHook(new Thread(this::stopAllQuietly, "demo-stop"));
        startAll();
        Node province = topology.province();
        out.println("province status: http://127.0.0.1:" + province.httpPort() + "/status");
        out.println("province alarms: http://127.0.0.1:" + province.httpPort() + "/api/alarms");
        out.println("logs, configs and data: " + dataDir.toAbsolutePath());

        started = System.nanoTime();
        Random chaosRandom = new Random(seed);
        long nextChaos = started + chaosPeriod.toNanos();
        long nextStatus = started + statusPeriod.toNanos();
        long end = runFor == null ? Long.MAX_VALUE : started + runFor.toNanos();
        while (System.nanoTime() < end) {
            long now = System.nanoTime();
            long wake = Math.min(end, Math.min(nextStatus, chaos ? nextChaos : Long.MAX_VALUE));
            if (wake > now) {
                Thread.sleep(Math.max(1, (wake - now) / 1_000_000)); // the orchestrator's own clock tick
                continue;
            }
            if (chaos && now >= nextChaos) {
                chaosKill(chaosRandom);
                nextChaos = now + chaosPeriod.toNanos();
            }
            if (now >= nextStatus) {
                out.println(statusLine());
                nextStatus = now + statusPeriod.toNanos();
            }
            restartDeadRelays();
        }
        return finish(drain);
    }

    private void prepareDataDir() throws IOException {
        BenchReport.deleteTree(dataDir);
        Files.createDirectories(dataDir.resolve("logs"));
    }

    private void startAll() throws IOException, InterruptedException {
        for (Node n : topology.of(Kind.EDGE)) {
            NodeProcess sim = new NodeProcess("sim-" + n.id(), "io.hazwatch.sims.SimulatorCli",
                    List.of("tank-farm", "--port", Integer.toString(n.simPort()), "--tanks", Integer.toString(tanks),
                            "--seed", Long.toString(seed + processes.size()), "--leak-rate-per-hour",
                            Double.toString(leakRate)),
                    dataDir.resolve("logs").resolve("sim-" + n.id() + ".log"), "64m");
            processes.put(sim.name(), sim);
        }
        // parents first, so children find them; a child retries anyway
        for (Kind kind : List.of(Kind.PROVINCE, Kind.CITY, Kind.COUNTY, Kind.EDGE)) {
            for (Node n : topology.of(kind)) {
                processes.put(n.id(), process(n));
            }
        }
        for (NodeProcess p : processes.values()) {
            p.start();
        }
        out.println("started " + processes.size() + " processes: 1 province, 2 cities, 3 counties, 6 edge agents,"
                + " 6 simulators");
    }

    private NodeProcess process(Node n) {
        String cmd = switch (n.kind()) {
            case PROVINCE -> "province";
            case CITY -> "city";
            case COUNTY -> "county";
            case EDGE -> "edge";
        };
        List<String> args = new ArrayList<>();
        args.add(cmd);
        if (n.kind() == Kind.EDGE) {
            args.addAll(List.of("run", "--drain", "90"));
        }
        args.addAll(List.of("--config", DemoConfigs.configFile(dataDir, n).toString(), "--status-every", "10"));
        return new NodeProcess(n.id(), "io.hazwatch.dist.Hazwatch", args,
                dataDir.resolve("logs").resolve(n.id() + ".log"), n.kind() == Kind.PROVINCE ? "256m" : "96m");
    }

    private void chaosKill(Random r) throws IOException, InterruptedException {
        List<Node> candidates = topology.nodes().stream()
                .filter(n -> chaosTargets == ChaosTargets.ALL || n.isRelay()).toList();
        Node victim = candidates.get(r.nextInt(candidates.size()));
        NodeProcess p = processes.get(victim.id());
        p.kill();
        kills++;
        out.println(elapsed() + " chaos: killed " + victim.id() + " (" + victim.name() + ") with SIGKILL; restarting");
        p.start();
    }

    /** A relay that died on its own is restarted too, and said so. */
    private void restartDeadRelays() throws IOException {
        for (Node n : topology.nodes()) {
            NodeProcess p = processes.get(n.id());
            if (!p.isAlive()) {
                out.println(elapsed() + " " + n.id() + " exited with code " + p.exitCode() + "; restarting (log: "
                        + p.log() + ")");
                p.start();
            }
        }
    }

    private int finish(Duration drain) throws Exception {
        out.println(elapsed() + " stopping the edge agents; they drain their journals to their counties");
        List<Node> edges = topology.of(Kind.EDGE);
        for (Node e : edges) {
            processes.get(e.id()).stop(0); // SIGTERM only: an edge stops polling and drains before it exits
        }
        long deadline = System.nanoTime() + drain.toNanos();
        boolean drained = false;
        while (System.nanoTime() < deadline) {
            boolean edgesGone = edges.stream().noneMatch(e -> processes.get(e.id()).isAlive());
            long backlog = relayBacklog();
            if (edgesGone && backlog == 0) {
                drained = true;
                break;
            }
            out.println(elapsed() + " draining: " + edges.stream().filter(e -> processes.get(e.id()).isAlive()).count()
                    + " edges still forwarding, relay backlog " + (backlog < 0 ? "unknown" : backlog));
            Thread.sleep(1000); // orchestrator poll interval
        }
        out.println(elapsed() + (drained ? " drained" : " drain timed out after " + drain) + "; stopping all nodes");
        stopAllQuietly();

        Map<String, Path> journals = new LinkedHashMap<>();
        for (Node e : edges) {
            journals.put(e.id(), DemoConfigs.dataDirOf(dataDir, e).resolve("journal.mv.db"));
        }
        Reconciliation rec = Reconciliation.of(journals,
                DemoConfigs.dataDirOf(dataDir, topology.province()).resolve("store").resolve("province"));
        out.println();
        out.println("reconciliation: each edge's journal against the province store");
        out.printf("  %-18s %10s %10s %8s %10s%n", "origin", "generated", "held", "missing", "duplicates");
        rec.rows().forEach((origin, row) -> out.printf("  %-18s %10d %10d %8d %10d%n", origin, row.generated(),
                row.held(), row.missing(), row.duplicates()));
        if (chaos) {
            out.println((chaosTargets == ChaosTargets.ALL ? "node" : "relay")
                    + " processes killed with SIGKILL during the run: " + kills);
        }
        out.println("generated: " + rec.generated());
        out.println("held by province: " + rec.held());
        out.println("missing: " + rec.missing());
        out.println("duplicates: " + rec.duplicates());
        lastReconciliation = rec;
        return rec.missing() == 0 && rec.duplicates() == 0 && rec.generated() > 0 ? 0 : 1;
    }

    private long relayBacklog() {
        long total = 0;
        for (Node n : topology.nodes()) {
            if (!n.isRelay()) {
                continue;
            }
            JsonNode s = get(n.httpPort(), "/status");
            if (s == null) {
                return -1;
            }
            total += s.path("journalPending").asLong();
        }
        return total;
    }

    private String statusLine() {
        Node pn = topology.province();
        JsonNode ps = get(pn.httpPort(), "/status");
        StringBuilder sb = new StringBuilder(elapsed());
        if (ps == null) {
            sb.append(" province not answering yet");
        } else {
            JsonNode origins = ps.path("origins");
            long edgesReporting = topology.of(Kind.EDGE).stream().filter(e -> origins.has(e.id())).count();
            long alarms = 0;
            for (JsonNode o : origins) {
                alarms += o.path("recordsByLane").path("ALARM").asLong();
            }
            sb.append(" province holds ").append(ps.path("storedRecords").asLong()).append(" records (")
                    .append(alarms).append(" alarms) from ").append(edgesReporting).append("/6 edges");
        }
        long edgeBacklog = 0;
        for (Node e : topology.of(Kind.EDGE)) {
            JsonNode s = get(e.httpPort(), "/status");
            if (s != null) {
                edgeBacklog += s.path("journalPending").asLong();
            }
        }
        long relay = relayBacklog();
        sb.append(" | backlog: edges ").append(edgeBacklog).append(", relays ").append(relay < 0 ? "?" : relay);
        long down = topology.nodes().stream().filter(n -> !processes.get(n.id()).isAlive()).count();
        if (down > 0) {
            sb.append(" | ").append(down).append(" down");
        }
        if (chaos) {
            sb.append(" | chaos kills ").append(kills);
        }
        return sb.toString();
    }

    private JsonNode get(int port, String path) {
        try {
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) {
                return null;
            }
            JsonNode n = json.readTree(r.body());
            return n.has("node") ? merge(n) : n;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The province nests the node status under "node"; lift its fields so both read alike. */
    private static JsonNode merge(JsonNode provinceStatus) {
        com.fasterxml.jackson.databind.node.ObjectNode o = provinceStatus.deepCopy();
        provinceStatus.path("node").fields().forEachRemaining(e -> {
            if (!o.has(e.getKey())) {
                o.set(e.getKey(), e.getValue());
            }
        });
        return o;
    }

    private String elapsed() {
        long s = (System.nanoTime() - started) / 1_000_000_000L;
        return String.format("[%4ds]", s);
    }

    private synchronized void stopAllQuietly() {
        List<NodeProcess> order = new ArrayList<>(processes.values());
        java.util.Collections.reverse(order); // edges first, province last, simulators at the very end
        for (NodeProcess p : order) {
            if (p.name().startsWith("sim-")) {
                continue;
            }
            try {
                p.stop(15);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        for (NodeProcess p : order) {
            try {
                p.stop(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        satellites.forEach(io.hazwatch.sims.link.LinkSimulator::close);
    }
}
