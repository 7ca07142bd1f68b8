package io.hazwatch.dist;

import io.hazwatch.node.NodeRuntime;
import io.hazwatch.node.config.ChildSpec;
import io.hazwatch.node.config.Endpoint;
import io.hazwatch.node.config.NodeConfig;
import io.hazwatch.node.config.NodeRole;
import io.hazwatch.node.config.ParentLink;
import io.hazwatch.sync.journal.Journal;
import io.hazwatch.sync.model.Lane;
import io.hazwatch.sync.model.PointValue;
import io.hazwatch.sync.model.Reading;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hazwatch bench-restart}: how long a node with a large backlog takes from start to forwarding.
 * Fills an edge journal with readings until the file reaches the size asked for, closes it, then
 * starts the node on it and times opening the journal and the first batch its parent acknowledges.
 */
@Command(name = "bench-restart", mixinStandardHelpOptions = true,
        description = "Restart to forwarding with a large journal backlog.")
public final class RestartBenchCommand implements Callable<Integer> {

    @Option(names = "--megabytes", defaultValue = "1024", description = "Journal size to build (default: ${DEFAULT-VALUE}).")
    long megabytes;

    @Option(names = "--dir", paramLabel = "DIR", description = "Working directory (default: a temporary one).")
    Path dir;

    @Option(names = "--out", paramLabel = "FILE", description = "Also append the report to this Markdown file.")
    Path out;

    @Override
    public Integer call() throws Exception {
        return BenchReport.run(dir, "hazwatch-bench-restart", out, this::run);
    }

    private String run(Path work) throws Exception {
        String edgeId = "130102-E0001-01";
        Path journalFile = work.resolve(edgeId).resolve("journal.mv.db");
        long records = 0;
        long fillStart = System.nanoTime();
        try (Journal j = Journal.open(journalFile, edgeId)) {
            long target = megabytes * 1024 * 1024;
            long t = 1_780_000_000_000L;
            while (Files.exists(journalFile) ? Files.size(journalFile) < target : true) {
                List<Reading> batch = new ArrayList<>(5000);
                for (int i = 0; i < 5000; i++) {
                    batch.add(new Reading(edgeId + "/tank-farm/tank" + (i % 40) + ".level", t + records,
                            PointValue.of((records % 10_000) / 10.0), 0));
                    records++;
                }
                j.localSink().append(Lane.CURRENT, batch);
            }
        }
        double fillSeconds = (System.nanoTime() - fillStart) / 1e9;
        long fileBytes = Files.size(journalFile);

        Clock clock = Clock.systemUTC();
        try (NodeRuntime county = NodeRuntime.start(new NodeConfig("130102", NodeRole.COUNTY, work.resolve("county"),
                Optional.of(new Endpoint("127.0.0.1", 0)), Optional.empty(),
                List.of(new ParentLink("130100", new Endpoint("127.0.0.1", 1))), // never reached: it only receives
                List.of(ChildSpec.withDefaultPrefix(edgeId))), clock)) {
            long start = System.nanoTime();
            try (NodeRuntime edge = NodeRuntime.start(new NodeConfig(edgeId, NodeRole.EDGE, work.resolve(edgeId),
                    Optional.empty(), Optional.empty(), List.of(new ParentLink("130102", new Endpoint("127.0.0.1",
                    county.listenAddress().orElseThrow().getPort()))), List.of()), clock)) {
                long opened = System.nanoTime();
                while (edge.status().uplink().recordsAcked() == 0) {
                    Thread.sleep(1); // bench timing of the first acknowledgement
                }
                long forwarding = System.nanoTime();
                StringBuilder r = new StringBuilder();
                r.append("### Restart to forwarding with a large backlog, ").append(Instant.now().toString(), 0, 10)
                        .append("\n\n");
                r.append("Machine: ").append(Machine.describe()).append("\n\n");
                r.append("Command: `./hazwatch bench-restart --megabytes ").append(megabytes).append("`\n\n");
                r.append("| figure | value |\n|---|---|\n");
                r.append(String.format("| journal file | %,d MiB, %,d readings pending (built in %.0f s) |%n",
                        fileBytes / 1024 / 1024, records, fillSeconds));
                r.append(String.format("| node start to journal open | %.2f s |%n", (opened - start) / 1e9));
                r.append(String.format("| **node start to first batch acknowledged by the parent** | **%.2f s** |%n",
                        (forwarding - start) / 1e9));
                return r.toString();
            }
        }
    }
}
