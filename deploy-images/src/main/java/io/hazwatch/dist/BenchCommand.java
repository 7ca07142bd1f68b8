package io.hazwatch.dist;

import io.hazwatch.node.NodeRuntime;
import io.hazwatch.node.config.ChildSpec;
import io.hazwatch.node.config.Endpoint;
import io.hazwatch.node.config.NodeConfig;
import io.hazwatch.node.config.NodeRole;
import io.hazwatch.node.config.ParentLink;
import io.hazwatch.province.ProvinceNode;
import io.hazwatch.sync.link.ChildLinkStatus;
import io.hazwatch.sync.link.UplinkOptions;
import io.hazwatch.sync.wire.Compression;
import io.hazwatch.sync.model.Lane;
import io.hazwatch.sync.model.PointValue;
import io.hazwatch.sync.model.Reading;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hazwatch bench}: end-to-end throughput of the hierarchy in one process, durable at every
 * hop: edges append to their journals (fsync per commit group), a county and a city relay (journal,
 * fsync), the province's SQL store (commit and fsync per group). Reports readings per second from the
 * first append to the last commit at the province, latency percentiles (append to province commit),
 * and bytes per reading on the wire of each hop.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measures end-to-end readings per second edge -> county -> city -> province, durable",
                "at every hop, and bytes per reading on the wire. Prints a Markdown report."})
public final class BenchCommand implements Callable<Integer> {

    @Option(names = "--readings", defaultValue = "300000", description = "Readings in all (default: ${DEFAULT-VALUE}).")
    int readings;

    @Option(names = "--edges", defaultValue = "4", description = "Edge agents producing at once (default: ${DEFAULT-VALUE}).")
    int edges;

    @Option(names = "--batch", defaultValue = "200",
            description = "Readings per edge journal append, i.e. one poll cycle (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--points", defaultValue = "40", description = "Points per edge (default: ${DEFAULT-VALUE}).")
    int points;

    @Option(names = "--compression", defaultValue = "NONE",
            description = "Frame compression of compact batches: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Compression compression;

    @Option(names = "--protocol", defaultValue = "3",
            description = "Highest protocol version the uplinks offer; 1 = one record at a time (default: ${DEFAULT-VALUE}).")
    int protocol;

    @Option(names = "--rate", defaultValue = "0",
            description = {"Readings per second offered, all edges together; 0 = as fast as the edge journals take them,",
                    "which measures capacity but makes the latency a queue (default: ${DEFAULT-VALUE})."})
    int rate;

    @Option(names = "--warmup", defaultValue = "10",
            description = {"Seconds at the start left out of the steady-state latency: the JVM compiles the hot",
                    "paths then, and the queue that builds meanwhile must drain (default: ${DEFAULT-VALUE})."})
    int warmupSeconds;

    @Option(names = "--dir", paramLabel = "DIR", description = "Working directory (default: a temporary one).")
    Path dir;

    @Option(names = "--out", paramLabel = "FILE", description = "Also append the report to this Markdown file.")
    Path out;

    @Override
    public Integer call() throws Exception {
        return BenchReport.run(dir, "hazwatch-bench", out, this::run);
    }

    private String run(Path work) throws Exception {
        Clock clock = Clock.systemUTC();
        List<String> edgeIds = new ArrayList<>();
        for (int i = 1; i <= edges; i++) {
            edgeIds.add(String.format("130102-E%04d-01", i));
        }
        try (ProvinceNode province = ProvinceNode.start(config("130000", NodeRole.PROVINCE, work, null,
                List.of(ChildSpec.withDefaultPrefix("130100"))), clock);
             NodeRuntime city = NodeRuntime.builder(config("130100", NodeRole.CITY, work,
                     province.runtime(), List.of(ChildSpec.withDefaultPrefix("130102")))).clock(clock)
                     .uplinkOptions(uplink()).start();
             NodeRuntime county = NodeRuntime.builder(config("130102", NodeRole.COUNTY, work, city,
                     edgeIds.stream().map(ChildSpec::withDefaultPrefix).toList())).clock(clock)
                     .uplinkOptions(uplink()).start()) {
            List<NodeRuntime> edgeNodes = new ArrayList<>();
            try {
                for (String id : edgeIds) {
                    edgeNodes.add(NodeRuntime.builder(new NodeConfig(id, NodeRole.EDGE, work.resolve(id),
                            Optional.empty(), Optional.empty(), List.of(new ParentLink("130102", new Endpoint(
                            "127.0.0.1", county.listenAddress().orElseThrow().getPort()))), List.of()))
                            .clock(clock).uplinkOptions(uplink()).start());
                }
                int perEdge = readings / edges / batch * batch;
                long total = (long) perEdge * edges;
                ExecutorService producers = Executors.newFixedThreadPool(edges);
                long t0 = System.nanoTime();
                long steadyFrom = clock.millis() + warmupSeconds * 1000L;
                List<Future<?>> done = new ArrayList<>();
                for (int e = 0; e < edges; e++) {
                    NodeRuntime edge = edgeNodes.get(e);
                    String id = edgeIds.get(e);
                    done.add(producers.submit(() -> produce(edge, id, perEdge, clock, t0)));
                }
                for (Future<?> f : done) {
                    f.get();
                }
                long tProduced = System.nanoTime();
                while (province.store().storedRecords() < total) {
                    Thread.sleep(2); // benchmark end detection; no test waits on this
                }
                long tEnd = System.nanoTime();
                producers.shutdown();

                double seconds = (tEnd - t0) / 1e9;
                ChildLinkStatus countyToCity = city.status().children().get("130102");
                ChildLinkStatus cityToProvince = province.runtime().status().children().get("130100");
                long edgeBytes = county.status().children().values().stream().mapToLong(ChildLinkStatus::bytesIn).sum();
                long[] lat = latencies(province, Long.MIN_VALUE);
                long[] steady = latencies(province, steadyFrom);
                StringBuilder r = new StringBuilder();
                r.append("### End-to-end throughput, ").append(Instant.now().toString(), 0, 10).append("\n\n");
                r.append("Machine: ").append(Machine.describe()).append("\n\n");
                r.append("Command: `./hazwatch bench --readings ").append(readings).append(" --edges ").append(edges)
                        .append(" --batch ").append(batch).append(" --points ").append(points).append(" --protocol ")
                        .append(protocol).append(" --compression ").append(compression.name().toLowerCase())
                        .append(rate > 0 ? " --rate " + rate : "").append(" --warmup ").append(warmupSeconds)
                        .append("`\n\n");
                r.append("Path: ").append(edges).append(" edges -> county 130102 -> city 130100 -> province 130000,")
                        .append(" all on loopback in one JVM; fsync per commit group at every hop.\n\n");
                r.append("| figure | value |\n|---|---|\n");
                r.append(String.format("| readings delivered | %,d |%n", total));
                r.append(String.format("| wall time, first append to last province commit | %.2f s |%n", seconds));
                r.append(String.format("| **end-to-end readings per second** | **%,.0f** |%n", total / seconds));
                r.append(String.format("| edge append rate (production alone) | %,.0f /s |%n",
                        total / ((tProduced - t0) / 1e9)));
                r.append(String.format("| latency append -> province commit, p50 / p99 / max | %d / %d / %d ms |%n",
                        lat[0], lat[1], lat[2]));
                r.append(steady[3] == 0
                        ? String.format("| same, after the first %d s (steady state) | (the run was shorter) |%n", warmupSeconds)
                        : String.format("| same, after the first %d s (steady state, %,d readings) | %d / %d / %d ms |%n",
                        warmupSeconds, steady[3], steady[0], steady[1], steady[2]));
                r.append(String.format("| bytes per reading on the wire, edge -> county | %.1f |%n",
                        (double) edgeBytes / total));
                r.append(String.format("| bytes per reading on the wire, county -> city | %.1f |%n",
                        (double) countyToCity.bytesIn() / total));
                r.append(String.format("| bytes per reading on the wire, city -> province | %.1f |%n",
                        (double) cityToProvince.bytesIn() / total));
                r.append(String.format("| journal commit groups: county / city / province | %d / %d / %d |%n",
                        county.journal().orElseThrow().commits(), city.journal().orElseThrow().commits(),
                        province.store().commits()));
                return r.toString();
            } finally {
                edgeNodes.forEach(NodeRuntime::close);
            }
        }
    }

    private UplinkOptions uplink() {
        return UplinkOptions.defaults().withCompression(compression).withMaxVersion(protocol);
    }

    /**
     * One edge's poll cycles: a batch of readings appended to its journal at a time, as fast as the
     * journal takes them, or paced to this edge's share of {@code --rate} (a cycle that falls behind is
     * appended at once, never skipped, so the offered total stays the same).
     */
    private void produce(NodeRuntime edge, String id, int n, Clock clock, long t0) {
        double nanosPerReading = rate > 0 ? 1e9 * edges / rate : 0;
        Random rnd = new Random(id.hashCode());
        double[] level = new double[points];
        for (int p = 0; p < points; p++) {
            level[p] = 5 + rnd.nextDouble() * 10;
        }
        List<Reading> buf = new ArrayList<>(batch);
        for (int i = 0; i < n; i++) {
            if (nanosPerReading > 0 && i % batch == 0) {
                // wait for the cycle's time before reading it, so the wait is not counted as latency
                long due = t0 + (long) (i * nanosPerReading);
                for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                    LockSupport.parkNanos(wait);
                }
            }
            int p = i % points;
            level[p] += rnd.nextGaussian() * 0.002;
            buf.add(new Reading(id + "/tank-farm/tank" + (p / 6 + 1) + ".p" + (p % 6), clock.millis(),
                    PointValue.of((float) level[p]), 0));
            if (buf.size() == batch) {
                edge.localSink().append(Lane.CURRENT, buf);
                buf = new ArrayList<>(batch);
            }
        }
    }

    /** p50, p99 and max of append-to-commit latency of the readings made at or after {@code from}. */
    private static long[] latencies(ProvinceNode province, long from) throws Exception {
        List<Long> l = new ArrayList<>();
        // straight from the blocks: the SQL view would materialise every row first
        province.store().forEachReading(r -> {
            if (r.ts() >= from) {
                l.add(r.received() - r.ts());
            }
        });
        l.sort(Comparator.naturalOrder());
        if (l.isEmpty()) {
            return new long[4];
        }
        return new long[] {l.get(l.size() / 2), l.get((int) (l.size() * 0.99)), l.get(l.size() - 1), l.size()};
    }

    private static NodeConfig config(String id, NodeRole role, Path work, NodeRuntime parent,
                                     List<ChildSpec> children) {
        List<ParentLink> parents = parent == null ? List.of() : List.of(new ParentLink(parent.config().id(),
                new Endpoint("127.0.0.1", parent.listenAddress().orElseThrow().getPort())));
        return new NodeConfig(id, role, work.resolve(id), Optional.of(new Endpoint("127.0.0.1", 0)),
                Optional.empty(), parents, children);
    }

}
