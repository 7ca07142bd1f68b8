package io.hazwatch.dist;

import io.hazwatch.node.NodeRuntime;
import io.hazwatch.node.config.ChildSpec;
import io.hazwatch.node.config.Endpoint;
import io.hazwatch.node.config.NodeConfig;
import io.hazwatch.node.config.NodeRole;
import io.hazwatch.node.config.ParentLink;
import io.hazwatch.province.ProvinceNode;
import io.hazwatch.sims.link.LinkSimulator;
import io.hazwatch.sync.link.LinkProfile;
import io.hazwatch.sync.model.AlarmEvent;
import io.hazwatch.sync.model.AlarmLimit;
import io.hazwatch.sync.model.Lane;
import io.hazwatch.sync.model.PointValue;
import io.hazwatch.sync.model.Reading;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hazwatch bench-link}: a county drains a telemetry backlog to the province over a simulated
 * satellite link while live data continues and alarms are raised; reports goodput as a share of the
 * link, alarm latency edge to province, and what a 24-hour backlog would take at the measured rate.
 */
@Command(name = "bench-link", mixinStandardHelpOptions = true,
        description = "Backlog drain, goodput and alarm latency over a simulated VSAT or Tiantong link.")
public final class LinkBenchCommand implements Callable<Integer> {

    @Option(names = "--profile", defaultValue = "vsat",
            description = "Link: vsat (256 kbit/s, 600 ms), vsat-2m or tiantong (default: ${DEFAULT-VALUE}).")
    String profileName;

    @Option(names = "--points", defaultValue = "1000", description = "Points at the edge (default: ${DEFAULT-VALUE}).")
    int points;

    @Option(names = "--backlog-minutes", defaultValue = "10",
            description = "Backlog to drain, in minutes of every point at 1 Hz (default: ${DEFAULT-VALUE}).")
    int backlogMinutes;

    @Option(names = "--noisy", description = {"Backlog of noisy float32 instruments (a random walk read at every poll,",
            "about 3 bytes per reading on the wire) instead of slowly changing ones: the link, not the",
            "pipeline, is then the bottleneck, which is what goodput measures."})
    boolean noisy;

    @Option(names = "--live-points", defaultValue = "100",
            description = "Points that keep reporting live at 1 Hz during the drain (default: ${DEFAULT-VALUE}).")
    int livePoints;

    @Option(names = "--alarm-every-ms", defaultValue = "2000", description = "Alarm interval (default: ${DEFAULT-VALUE}).")
    long alarmEveryMs;

    @Option(names = "--max-seconds", defaultValue = "300", description = "Give up after (default: ${DEFAULT-VALUE}).")
    int maxSeconds;

    @Option(names = "--chosen", defaultValue = "0",
            description = "Narrow-band mode: every point reports live at 1 Hz and the first N are the county link's"
                    + " chosen points; reports their throughput and latency, rollups of the rest, alarms and the"
                    + " history behind them (default: ${DEFAULT-VALUE}, the backlog-drain run).")
    int chosen;

    @Option(names = "--seconds", defaultValue = "240",
            description = "Length of the narrow-band run, with --chosen (default: ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--out", paramLabel = "FILE", description = "Also append the report to this Markdown file.")
    Path out;

    @Override
    public Integer call() throws Exception {
        LinkProfile profile = LinkProfile.named(profileName).orElseThrow(() ->
                new IllegalArgumentException("--profile: no link profile '" + profileName + "'"));
        io.hazwatch.sims.link.LinkProfile sim = io.hazwatch.sims.link.LinkProfile.byName(profileName);
        if (chosen > 0) {
            NarrowBandBench narrow = new NarrowBandBench(profile, sim, points, chosen, backlogMinutes, seconds,
                    alarmEveryMs);
            return BenchReport.run(null, "hazwatch-bench-link", out, narrow::run);
        }
        return BenchReport.run(null, "hazwatch-bench-link", out, work -> run(work, profile, sim));
    }

    private String run(Path work, LinkProfile profile, io.hazwatch.sims.link.LinkProfile simProfile) throws Exception {
        Clock clock = Clock.systemUTC();
        String edgeId = "130682-E0001-01";
        try (ProvinceNode province = ProvinceNode.start(new NodeConfig("130000", NodeRole.PROVINCE,
                work.resolve("province"), Optional.of(new Endpoint("127.0.0.1", 0)), Optional.empty(), List.of(),
                List.of(ChildSpec.withDefaultPrefix("130682"))), clock);
             LinkSimulator link = LinkSimulator.start(simProfile, new InetSocketAddress("127.0.0.1",
                     province.runtime().listenAddress().orElseThrow().getPort()))) {
            link.down(); // the outage that built the backlog
            try (NodeRuntime county = NodeRuntime.start(new NodeConfig("130682", NodeRole.COUNTY, work.resolve("county"),
                    Optional.of(new Endpoint("127.0.0.1", 0)), Optional.empty(),
                    List.of(new ParentLink("130000", new Endpoint("127.0.0.1", link.port()), Optional.of(profile))),
                    List.of(ChildSpec.withDefaultPrefix(edgeId))), clock);
                 NodeRuntime edge = NodeRuntime.start(new NodeConfig(edgeId, NodeRole.EDGE, work.resolve("edge"),
                         Optional.empty(), Optional.empty(), List.of(new ParentLink("130682", new Endpoint("127.0.0.1",
                         county.listenAddress().orElseThrow().getPort()))), List.of()), clock)) {
                // history: backlogMinutes of every point at 1 Hz, slowly changing (or, --noisy, noisy float32) instruments
                long t0 = clock.millis() - backlogMinutes * 60_000L;
                Random rnd = new Random(1);
                double[] v = new double[points];
                for (int p = 0; p < points; p++) {
                    v[p] = Math.round(rnd.nextDouble() * 2000) / 100.0;
                }
                long backlog = 0;
                for (int s = 0; s < backlogMinutes * 60; s++) {
                    List<Reading> poll = new ArrayList<>(points);
                    for (int p = 0; p < points; p++) {
                        if (noisy) {
                            v[p] += rnd.nextGaussian() * 0.003;
                        } else if (rnd.nextInt(20) == 0) {
                            v[p] = Math.round((v[p] + (rnd.nextBoolean() ? 0.01 : -0.01)) * 100) / 100.0;
                        }
                        PointValue value = noisy ? PointValue.of((float) v[p]) : PointValue.of(v[p]);
                        poll.add(new Reading(edgeId + "/tank-farm/p" + p, t0 + s * 1000L, value, 0));
                    }
                    edge.localSink().append(Lane.CURRENT, poll);
                    backlog += points;
                }
                long historyTotal = backlog;
                while (county.journal().orElseThrow().pendingCount() < historyTotal) {
                    Thread.sleep(100); // the edge hands its backlog to the county over loopback first
                }

                String loadAtStart = Machine.loadAverage();
                link.up();
                long start = System.nanoTime();
                long bytesAtStart = link.stats().upstream().bytesDelivered();
                long nextLive = start;
                long nextAlarm = start;
                int alarmsRaised = 0;
                long live = 0;
                long deadline = start + maxSeconds * 1_000_000_000L;
                long drainedAt = 0;
                long flowingAt = 0; // the first byte over the link after it came back: reconnect time excluded
                long flowingAtMillis = Long.MAX_VALUE;
                java.util.concurrent.CompletableFuture<Long> heldNow = null;
                while (System.nanoTime() < deadline) {
                    long now = System.nanoTime();
                    if (flowingAt == 0 && link.stats().upstream().bytesDelivered() > bytesAtStart + 1024) {
                        flowingAt = now;
                        flowingAtMillis = clock.millis();
                    }
                    if (now >= nextLive) {
                        List<Reading> poll = new ArrayList<>(livePoints);
                        for (int p = 0; p < livePoints; p++) {
                            poll.add(new Reading(edgeId + "/tank-farm/p" + p, clock.millis(), PointValue.of(v[p]), 0));
                        }
                        edge.localSink().append(Lane.CURRENT, poll);
                        live += livePoints;
                        nextLive += 1_000_000_000L;
                    }
                    if (now >= nextAlarm) {
                        edge.localSink().append(Lane.ALARM, List.of(new AlarmEvent(edgeId + "/tank-farm/gas"
                                + alarmsRaised, clock.millis(), AlarmLimit.H, 4, true, 26.0, 25.0)));
                        alarmsRaised++;
                        nextAlarm += alarmEveryMs * 1_000_000L;
                    }
                    // asked of the store's writer without waiting, so live data and alarms keep their cadence
                    if (heldNow == null) {
                        heldNow = historyHeld(province, edgeId, historyTotal);
                    } else if (heldNow.isDone()) {
                        if (heldNow.get() >= historyTotal) {
                            drainedAt = System.nanoTime();
                            break;
                        }
                        heldNow = null;
                    }
                    Thread.sleep(50); // bench pacing of the live producer
                }
                long end = drainedAt == 0 ? System.nanoTime() : drainedAt;
                double seconds = (end - start) / 1e9;
                double flowingSeconds = (end - (flowingAt == 0 ? start : flowingAt)) / 1e9;
                long bytes = link.stats().upstream().bytesDelivered() - bytesAtStart;
                double goodput = bytes * 8.0 / flowingSeconds / simProfile.bitsPerSecond();
                // the alarms first, read as they were at the end; then the backlog delivered, from the held
                // ranges (a count over the reading view would decode the whole store)
                List<long[]> alarms = alarms(province); // one reading, so every alarm figure counts the same alarms
                long delivered = historyHeld(province, edgeId, historyTotal).get(60, java.util.concurrent.TimeUnit.SECONDS);
                long[] lat = alarmLatencies(alarms, Long.MIN_VALUE);
                long[] latFlowing = alarmLatencies(alarms, flowingAtMillis);
                double bytesPerReading = (double) bytes / Math.max(1, delivered + live);
                double drain24h = 24 * 3600.0 * points * bytesPerReading * 8 / simProfile.bitsPerSecond()
                        / goodput / 3600;

                StringBuilder r = new StringBuilder();
                r.append("### Backlog drain over ").append(profile.name()).append(", ")
                        .append(Instant.now().toString(), 0, 10).append("\n\n");
                r.append("Machine: ").append(Machine.describe()).append("; load average when the link came up ")
                        .append(loadAtStart).append(", at the end ").append(Machine.loadAverage()).append("\n\n");
                r.append("Command: `./hazwatch bench-link --profile ").append(profileName).append(" --points ")
                        .append(points).append(" --backlog-minutes ").append(backlogMinutes).append(" --live-points ")
                        .append(livePoints).append(noisy ? " --noisy" : "").append("`\n\n");
                r.append("Path: edge -> county (loopback) -> link simulator ").append(simProfile.name()).append(" (")
                        .append(simProfile.bitsPerSecond() / 1000).append(" kbit/s, ")
                        .append(simProfile.oneWayDelay().toMillis() * 2).append(" ms round trip) -> province;")
                        .append(" the county's uplink uses the `").append(profile.name()).append("` profile (window ")
                        .append(profile.windowBytes() / 1024).append(" KiB). The backlog is built while the link is")
                        .append(" down, then drained while live data and alarms continue.\n\n");
                r.append("| figure | value |\n|---|---|\n");
                r.append(String.format("| backlog drained | %,d of %,d readings %s |%n", delivered, historyTotal,
                        drainedAt == 0 ? "(stopped at --max-seconds)" : ""));
                r.append(String.format("| drain time (link up to backlog held by the province) | %.1f s, of which"
                        + " %.1f s reconnecting |%n", seconds, seconds - flowingSeconds));
                r.append(String.format("| live readings sent meanwhile | %,d |%n", live));
                r.append(String.format("| **goodput while draining (bytes delivered / link capacity)** | **%.0f %%** |%n",
                        goodput * 100));
                r.append(String.format("| bytes per reading over the link | %.2f |%n", bytesPerReading));
                r.append(String.format("| **alarm latency edge -> province, p50 / p99 / max (%d alarms)** | **%d / %d / %d ms** |%n",
                        lat[3], lat[0], lat[1], lat[2]));
                r.append(String.format("| alarm latency, only alarms raised once the link carried data again, p50 / p99 / max"
                        + " (%d alarms) | %d / %d / %d ms |%n", latFlowing[3], latFlowing[0], latFlowing[1], latFlowing[2]));
                r.append("| every alarm's latency, in order raised (ms) | ").append(alarmList(alarms)).append(" |\n");
                r.append(String.format("| 24 h backlog of %,d points at 1 Hz would drain in (at this rate) | %.1f h |%n",
                        points, drain24h));
                return r.toString();
            }
        }
    }

    /**
     * Readings of the backlog the province holds, from its held ranges: the backlog was journaled first,
     * so it is sequences 0 .. total-1 of the edge's CURRENT stream. Polled while the backlog drains; a
     * SQL count over the reading table every 50 ms would be a full scan competing with the very store
     * writer whose commits the alarm latency measures.
     */
    private static java.util.concurrent.CompletableFuture<Long> historyHeld(ProvinceNode p, String edgeId, long total) {
        return p.store().held(o -> o.equals(edgeId)).toCompletableFuture().thenApply(all -> {
            io.hazwatch.sync.ranges.RangeSet held = all.get(new io.hazwatch.sync.model.StreamKey(edgeId, Lane.CURRENT));
            return held == null ? 0L : total - held.missingIn(0, total - 1).cardinality();
        });
    }

    /** Every alarm the province holds as (raised at, latency), in order raised. */
    private static List<long[]> alarms(ProvinceNode p) throws Exception {
        List<long[]> out = new ArrayList<>();
        try (Connection c = p.store().openReader(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT ts, received - ts FROM alarm ORDER BY ts")) {
            while (rs.next()) {
                out.add(new long[] {rs.getLong(1), rs.getLong(2)});
            }
        }
        return out;
    }

    private static String alarmList(List<long[]> alarms) {
        StringBuilder b = new StringBuilder();
        for (long[] a : alarms) {
            b.append(b.length() == 0 ? "" : ", ").append(a[1]);
        }
        return b.toString();
    }

    /** Readings of the backlog (timestamps before the live data began) held by the province. */

    /** p50, p99, max and count of the latencies of alarms raised at or after {@code raisedFrom} (epoch ms). */
    private static long[] alarmLatencies(List<long[]> alarms, long raisedFrom) {
        List<Long> l = new ArrayList<>();
        for (long[] a : alarms) {
            if (a[0] >= raisedFrom) {
                l.add(a[1]);
            }
        }
        java.util.Collections.sort(l);
        if (l.isEmpty()) {
            return new long[4];
        }
        return new long[] {l.get(l.size() / 2), l.get(Math.min(l.size() - 1, (int) Math.ceil(l.size() * 0.99) - 1)),
                l.get(l.size() - 1), l.size()};
    }
}
