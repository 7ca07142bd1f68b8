package io.hazwatch.dist.baseline;

import io.hazwatch.dist.BenchReport;
import io.hazwatch.sync.wire.Compression;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hazwatch bench-baseline}: HazWatch side by side with what users build today, in the same run on
 * the same readings (the design notes' BASELINES.md, issue 3 "Figures"): a chain of three mosquitto
 * brokers bridged with MQTT QoS 1 and persistence, fed JSON (one message per reading) and Sparkplug B
 * (one message per poll cycle); HazWatch's own hierarchy; the same faults on both; and bytes per
 * reading by encoding. Prints a Markdown report.
 */
@Command(name = "bench-baseline", mixinStandardHelpOptions = true,
        description = "Measures HazWatch beside a chain of three mosquitto brokers bridged with MQTT QoS 1 and "
                + "persistence (JSON and Sparkplug B payloads), on the same simulator readings: readings per second, "
                + "bytes per reading on the wire, readings missing and duplicated after a province outage and after "
                + "the middle relay is stopped or killed (SIGKILL) while holding a backlog; and bytes per reading by "
                + "encoding (JSON, Sparkplug B, HazWatch compact batches). Needs mosquitto (Debian package) for the "
                + "MQTT parts. Prints a Markdown report.")
public final class BaselineCommand implements Callable<Integer> {

    static final Instant ENCODING_START = Instant.parse("2026-06-01T02:00:00Z");

    enum Part { MQTT, SPARKPLUG, DEFAULTS, AUTOSAVE, HAZWATCH, FAULTS, ENCODINGS }

    @Option(names = "--readings", defaultValue = "100000",
            description = "Readings per throughput run, rounded down to whole poll cycles (default: ${DEFAULT-VALUE}).")
    int readings;

    @Option(names = "--fault-readings", defaultValue = "20000",
            description = "Readings per fault scenario (default: ${DEFAULT-VALUE}).")
    int faultReadings;

    @Option(names = "--edges", defaultValue = "4", description = "Edge agents (default: ${DEFAULT-VALUE}).")
    int edges;

    @Option(names = "--tanks", defaultValue = "8",
            description = "Tanks per edge's tank farm; 6 points each in the live point set (default: ${DEFAULT-VALUE}).")
    int tanks;

    @Option(names = "--compressions", split = ",", defaultValue = "NONE,LZ4,ZSTD",
            description = "HazWatch throughput runs, one per frame compression (default: ${DEFAULT-VALUE}).")
    List<Compression> compressions;

    @Option(names = "--repeat", defaultValue = "3",
            description = "Throughput runs per configuration, interleaved; the report shows the median (default: ${DEFAULT-VALUE}).")
    int repeat;

    @Option(names = "--warmup", defaultValue = "30000",
            description = "Readings of an unreported warm-up pass over every throughput configuration; 0 for none "
                    + "(default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--protocol", defaultValue = "3", description = "HazWatch protocol version offered (default: ${DEFAULT-VALUE}).")
    int protocol;

    @Option(names = "--cycles-per-append", defaultValue = "1",
            description = "Poll cycles per HazWatch edge journal append (default: ${DEFAULT-VALUE}).")
    int cyclesPerAppend;

    @Option(names = "--outage", defaultValue = "8", paramLabel = "SECONDS",
            description = "How long the province is down in scenario (a) (default: ${DEFAULT-VALUE}).")
    long outageSeconds;

    @Option(names = "--pace", defaultValue = "5", paramLabel = "SECONDS",
            description = "Scenario (a) spreads its readings over this long (default: ${DEFAULT-VALUE}).")
    double paceSeconds;

    @Option(names = "--quiet", defaultValue = "40", paramLabel = "SECONDS",
            description = "After a fault, counts are read once nothing changed for this long (default: ${DEFAULT-VALUE}).")
    long quietSeconds;

    @Option(names = "--max-settle", defaultValue = "180", paramLabel = "SECONDS",
            description = "Longest wait for counts to settle (default: ${DEFAULT-VALUE}).")
    long maxSettleSeconds;

    @Option(names = "--autosave-changes", defaultValue = "100", paramLabel = "N",
            description = "Extra run of fault (c) with every broker saving its database after N changes "
                    + "(autosave_on_changes); not part of the baseline as specified (default: ${DEFAULT-VALUE}).")
    int autosaveChanges;

    @Option(names = "--skip", split = ",", paramLabel = "PART",
            description = "Parts to leave out: ${COMPLETION-CANDIDATES}.")
    Set<Part> skip = EnumSet.noneOf(Part.class);

    @Option(names = "--mosquitto", paramLabel = "PATH", description = "The mosquitto binary (default: found on PATH or in /usr/sbin).")
    String mosquitto;

    @Option(names = "--dir", paramLabel = "DIR", description = "Working directory (default: a temporary one, deleted after).")
    Path dir;

    @Option(names = "--out", paramLabel = "FILE", description = "Also append the report to this Markdown file.")
    Path out;

    @Override
    public Integer call() throws Exception {
        return BenchReport.run(dir, "hazwatch-baseline", out, this::run);
    }

    private String run(Path work) throws Exception {
        long startMillis = System.currentTimeMillis();
        Settle settle = new Settle(quietSeconds * 1000, maxSettleSeconds * 1000);
        Optional<String> broker = Optional.ofNullable(mosquitto).or(BaselineCommand::findMosquitto);
        boolean mqtt = broker.isPresent();
        Report rep = new Report();
        rep.header(commandLine(), broker.map(BaselineCommand::mosquittoVersion).orElse("not found: MQTT parts skipped"),
                edges, tanks);

        int perEdgeCycle = tanks * SimReadings.PointSet.LIVE.names.length;
        int cycles = Math.max(1, readings / (edges * perEdgeCycle));
        Instant firstPoll = Instant.now().minusSeconds(cycles + 60);
        progress("generating %,d readings from the tank-farm simulator", (long) cycles * edges * perEdgeCycle);
        SimReadings live = SimReadings.generate(SimReadings.PointSet.LIVE, edges, tanks, cycles, firstPoll);

        if (warmup > 0) {
            // one unreported pass over every configuration first: the JIT compiles the Java side (Paho, Tahu,
            // the codec, journals, H2) before anything is timed, as in a node that has been running for a while
            int wcycles = Math.max(1, warmup / (edges * perEdgeCycle));
            SimReadings w = SimReadings.generate(SimReadings.PointSet.LIVE, edges, tanks, wcycles, firstPoll);
            progress("warm-up: every configuration once with %,d readings, not reported", w.total());
            if (mqtt && !skip.contains(Part.MQTT)) {
                new MqttBench(broker.get(), work, settle).throughput("warm-up json", w, MqttBench.Encoding.JSON, true);
                if (!skip.contains(Part.SPARKPLUG)) {
                    new MqttBench(broker.get(), work, settle).throughput("warm-up sparkplug", w,
                            MqttBench.Encoding.SPARKPLUG, true);
                }
            }
            if (!skip.contains(Part.HAZWATCH)) {
                for (Compression c : compressions) {
                    new HazwatchBench(work, settle).throughput("warm-up " + c.name(), w, c, protocol, cyclesPerAppend);
                }
            }
        }
        // every configuration runs --repeat times, interleaved, so a change in the (shared) machine's load
        // falls on all of them alike; the report shows the median run and every run's rate
        Map<String, List<MqttBench.Throughput>> mqttRuns = new LinkedHashMap<>();
        Map<String, List<HazwatchBench.Throughput>> ours = new LinkedHashMap<>();
        MqttBench mq = broker.map(b -> new MqttBench(b, work, settle)).orElse(null);
        HazwatchBench hz = new HazwatchBench(work, settle);
        for (int run = 1; run <= repeat; run++) {
            if (mqtt && !skip.contains(Part.MQTT)) {
                progress("run %d/%d: MQTT chain, JSON, one message per reading", run, repeat);
                String json = "mosquitto chain, JSON per reading";
                mqttRuns.computeIfAbsent(json, k -> new ArrayList<>())
                        .add(mq.throughput(json, live, MqttBench.Encoding.JSON, true));
                if (!skip.contains(Part.SPARKPLUG)) {
                    progress("run %d/%d: MQTT chain, Sparkplug B, one message per poll cycle", run, repeat);
                    String spb = "mosquitto chain, Sparkplug B per poll cycle";
                    mqttRuns.computeIfAbsent(spb, k -> new ArrayList<>())
                            .add(mq.throughput(spb, live, MqttBench.Encoding.SPARKPLUG, true));
                }
            }
            if (!skip.contains(Part.HAZWATCH)) {
                for (Compression c : compressions) {
                    progress("run %d/%d: HazWatch, protocol %d, %s", run, repeat, protocol, c.name().toLowerCase());
                    String label = "HazWatch, protocol " + protocol + ", " + c.name().toLowerCase();
                    ours.computeIfAbsent(label, k -> new ArrayList<>())
                            .add(hz.throughput(label, live, c, protocol, cyclesPerAppend));
                }
            }
        }
        if (mqtt && !skip.contains(Part.MQTT) && !skip.contains(Part.DEFAULTS)) {
            progress("MQTT chain with mosquitto's default queue limits, JSON (once)");
            String label = "mosquitto chain, JSON, broker defaults (1000 queued, 20 in flight)";
            mqttRuns.put(label, List.of(mq.throughput(label, live, MqttBench.Encoding.JSON, false)));
        }
        rep.throughput(live, mqttRuns, ours, cyclesPerAppend);

        if (!skip.contains(Part.FAULTS)) {
            int fcycles = Math.max(1, faultReadings / (edges * perEdgeCycle));
            SimReadings faults = SimReadings.generate(SimReadings.PointSet.LIVE, edges, tanks, fcycles, firstPoll);
            List<MqttBench.FaultResult> mf = new ArrayList<>();
            List<HazwatchBench.FaultResult> hf = new ArrayList<>();
            for (MqttBench.Fault f : MqttBench.Fault.values()) {
                if (mqtt && !skip.contains(Part.MQTT)) {
                    progress("MQTT chain, fault %s", f.name().toLowerCase());
                    mf.add(mq.fault(faults, f, outageSeconds, paceSeconds, "", ""));
                    if (f == MqttBench.Fault.MIDDLE_KILLED && !skip.contains(Part.AUTOSAVE)) {
                        // beyond BASELINES.md: mosquitto's persistence is a snapshot written every
                        // autosave_interval (1,800 s by default); ask it to write one every few changes
                        progress("MQTT chain, fault %s, autosave after every change", f.name().toLowerCase());
                        mf.add(mq.fault(faults, f, outageSeconds, paceSeconds,
                                "autosave_on_changes true\nautosave_interval " + autosaveChanges + "\n",
                                "brokers with `autosave_on_changes true`, `autosave_interval " + autosaveChanges
                                        + "` (beyond BASELINES.md)"));
                    }
                }
                if (!skip.contains(Part.HAZWATCH)) {
                    progress("HazWatch, fault %s", f.name().toLowerCase());
                    hf.add(hz.fault(faults, f, outageSeconds, paceSeconds));
                }
            }
            rep.faults(faults, mf, hf, settle);
        }

        if (!skip.contains(Part.ENCODINGS)) {
            List<EncodingComparison.Result> results = new ArrayList<>();
            for (EncodingComparison.Case c : EncodingComparison.defaultCases()) {
                progress("encodings: %s", c.title());
                // a fixed start (10:00 in the simulator's zone): the same bytes in every run
                SimReadings r = SimReadings.generate(c.set(), edges, tanks, c.batchCycles() * c.batches(),
                        ENCODING_START);
                results.add(EncodingComparison.run(c, r));
            }
            rep.encodings(results);
        }
        rep.footer(startMillis);
        return rep.toString();
    }

    private String commandLine() {
        StringBuilder b = new StringBuilder("./hazwatch bench-baseline");
        b.append(" --readings ").append(readings).append(" --fault-readings ").append(faultReadings);
        b.append(" --edges ").append(edges).append(" --tanks ").append(tanks).append(" --repeat ").append(repeat)
                .append(" --warmup ").append(warmup);
        if (!skip.isEmpty()) {
            b.append(" --skip ").append(String.join(",", skip.stream().map(p -> p.name().toLowerCase()).toList()));
        }
        return b.toString();
    }

    private static void progress(String format, Object... args) {
        System.err.printf("[bench-baseline %tT] %s%n", System.currentTimeMillis(), String.format(format, args));
    }

    static Optional<String> findMosquitto() {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
        dirs.add("/usr/sbin");
        dirs.add("/usr/local/sbin");
        for (String d : dirs) {
            if (d.isEmpty()) {
                continue;
            }
            Path p = Path.of(d, "mosquitto");
            if (Files.isExecutable(p)) {
                return Optional.of(p.toString());
            }
        }
        return Optional.empty();
    }

    static String mosquittoVersion(String binary) {
        try {
            Process p = new ProcessBuilder(binary, "-h").redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            return text.lines().filter(l -> l.contains("version")).findFirst().orElse(binary).trim();
        } catch (IOException e) {
            return binary + " (version unknown: " + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return binary;
        }
    }

}
