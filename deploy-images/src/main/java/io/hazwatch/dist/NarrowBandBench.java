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
import io.hazwatch.sync.link.PointSelection;
import io.hazwatch.sync.model.AlarmEvent;
import io.hazwatch.sync.model.AlarmLimit;
import io.hazwatch.sync.model.Lane;
import io.hazwatch.sync.model.PointValue;
import io.hazwatch.sync.model.Reading;
import io.hazwatch.sync.model.Rollup;
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

/**
 * {@code hazwatch bench-link --chosen N}: a narrow link with chosen points. Every point reports at 1 Hz;
 * the county's uplink to the province over the link simulator has the first {@code chosen} points as
 * its chosen points. Measured at the province: the chosen points' live readings per second and their
 * latency, the rollups of the other points per minute and their latency, alarm latency, and how much
 * of the raw history (the outage's backlog and the other points' live readings) drained behind them.
 */
final class NarrowBandBench {
    private static final String EDGE = "130682-E0001-01";

    private final LinkProfile profile;
    private final io.hazwatch.sims.link.LinkProfile simProfile;
    private final int points;
    private final int chosen;
    private final int backlogMinutes;
    private final int seconds;
    private final long alarmEveryMs;

    NarrowBandBench(LinkProfile profile, io.hazwatch.sims.link.LinkProfile simProfile, int points, int chosen,
                    int backlogMinutes, int seconds, long alarmEveryMs) {
        if (chosen > points) {
            throw new IllegalArgumentException("--chosen " + chosen + " is more than --points " + points);
        }
        this.profile = profile;
        this.simProfile = simProfile;
        this.points = points;
        this.chosen = chosen;
        this.backlogMinutes = backlogMinutes;
        this.seconds = seconds;
        this.alarmEveryMs = alarmEveryMs;
    }

    private static String point(int p) {
        return EDGE + "/farm/p" + p;
    }

    String run(Path work) throws Exception {
        Clock clock = Clock.systemUTC();
        List<String> chosenNames = new ArrayList<>();
        for (int p = 0; p < chosen; p++) {
            chosenNames.add(point(p));
        }
        try (ProvinceNode province = ProvinceNode.start(new NodeConfig("130000", NodeRole.PROVINCE,
                work.resolve("province"), Optional.of(new Endpoint("127.0.0.1", 0)), Optional.empty(), List.of(),
                List.of(ChildSpec.withDefaultPrefix("130682"))), clock);
             LinkSimulator link = LinkSimulator.start(simProfile, new InetSocketAddress("127.0.0.1",
                     province.runtime().listenAddress().orElseThrow().getPort()))) {
            link.down(); // the outage that built the backlog
            try (NodeRuntime county = NodeRuntime.start(new NodeConfig("130682", NodeRole.COUNTY, work.resolve("county"),
                    Optional.of(new Endpoint("127.0.0.1", 0)), Optional.empty(),
                    List.of(new ParentLink("130000", new Endpoint("127.0.0.1", link.port()), Optional.of(profile),
                            PointSelection.of(chosenNames))),
                    List.of(ChildSpec.withDefaultPrefix(EDGE))), clock);
                 NodeRuntime edge = NodeRuntime.start(new NodeConfig(EDGE, NodeRole.EDGE, work.resolve("edge"),
                         Optional.empty(), Optional.empty(), List.of(new ParentLink("130682", new Endpoint("127.0.0.1",
                         county.listenAddress().orElseThrow().getPort()))), List.of()), clock)) {
                Random rnd = new Random(1);
                double[] v = new double[points];
                for (int p = 0; p < points; p++) {
                    v[p] = Math.round(rnd.nextDouble() * 2000) / 100.0;
                }
                long t0 = Rollup.minuteOf(clock.millis()) - (backlogMinutes + 1) * 60_000L;
                for (int s = 0; s < backlogMinutes * 60; s++) {
                    edge.localSink().append(Lane.CURRENT, poll(v, rnd, t0 + s * 1000L));
                }
                long history = (long) backlogMinutes * 60 * points;
                // the edge hands its backlog (and its rollups) to the county over loopback first
                long deadline = System.nanoTime() + 120_000_000_000L;
                while (county.journal().orElseThrow().pendingCount() < history + (long) backlogMinutes * points
                        && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }

                link.up();
                long start = clock.millis();
                long startNanos = System.nanoTime();
                long bytesAtStart = link.stats().upstream().bytesDelivered();
                long downAtStart = link.stats().downstream().bytesDelivered();
                long nextPoll = startNanos;
                long nextAlarm = startNanos;
                int alarms = 0;
                long end = startNanos + seconds * 1_000_000_000L;
                while (System.nanoTime() < end) {
                    long now = System.nanoTime();
                    if (now >= nextPoll) {
                        edge.localSink().append(Lane.CURRENT, poll(v, rnd, clock.millis()));
                        nextPoll += 1_000_000_000L;
                    }
                    if (now >= nextAlarm) {
                        edge.localSink().append(Lane.ALARM, List.of(new AlarmEvent(EDGE + "/farm/gas" + alarms,
                                clock.millis(), AlarmLimit.H, 4, true, 26.0, 25.0)));
                        alarms++;
                        nextAlarm += alarmEveryMs * 1_000_000L;
                    }
                    Thread.sleep(20); // bench pacing of the live producer
                }
                long stop = clock.millis();
                long bytes = link.stats().upstream().bytesDelivered() - bytesAtStart;
                long down = link.stats().downstream().bytesDelivered() - downAtStart;
                return report(province, county, start, stop, history, alarms, bytes, down);
            }
        }
    }

    private List<Reading> poll(double[] v, Random rnd, long ts) {
        List<Reading> poll = new ArrayList<>(points);
        for (int p = 0; p < points; p++) {
            if (rnd.nextInt(20) == 0) {
                v[p] = Math.round((v[p] + (rnd.nextBoolean() ? 0.01 : -0.01)) * 100) / 100.0;
            }
            poll.add(new Reading(point(p), ts, PointValue.of(v[p]), 0));
        }
        return poll;
    }

    private String report(ProvinceNode province, NodeRuntime county, long start, long stop, long history, int alarms,
                          long bytes, long down) throws Exception {
        String isChosen = "CAST(SUBSTRING(point, " + (EDGE.length() + "/farm/p".length() + 1) + ") AS INT) < " + chosen;
        // steady state: skip the first 20 s (reconnect, first batches) and the last 10 s (still in flight)
        long from = start + 20_000;
        long to = stop - 10_000;
        double window = (to - from) / 1000.0;
        long chosenLive = count(province, "SELECT COUNT(*) FROM reading WHERE " + isChosen + " AND ts >= " + from
                + " AND ts < " + to);
        long[] chosenLat = percentiles(province, "SELECT received - ts FROM reading WHERE " + isChosen
                + " AND ts >= " + from + " AND ts < " + to + " ORDER BY 1");
        long[] alarmLat = percentiles(province, "SELECT received - ts FROM alarm ORDER BY 1");
        // rollups of the other points, of the minutes that closed during the run
        long firstMinute = Rollup.minuteOf(start) + 60_000;
        long lastMinute = Rollup.minuteOf(stop) - 60_000; // closed by stop - 5 s only if the run ended late in it
        StringBuilder perMinute = new StringBuilder();
        long minutes = 0;
        for (long m = firstMinute; m + 60_000 + 5_000 <= stop - 10_000 && m <= lastMinute; m += 60_000) {
            long n = count(province, "SELECT COUNT(*) FROM rollup WHERE NOT (" + isChosen + ") AND minute_ts = " + m);
            perMinute.append(perMinute.length() == 0 ? "" : ", ").append(n);
            minutes++;
        }
        long[] rollupLat = percentiles(province, "SELECT received - (minute_ts + 60000) FROM rollup WHERE minute_ts >= "
                + firstMinute + " ORDER BY 1");
        long historyRollups = count(province, "SELECT COUNT(*) FROM rollup WHERE minute_ts < " + Rollup.minuteOf(start));
        long historyRaw = count(province, "SELECT COUNT(*) FROM reading WHERE ts < " + start);
        long otherLive = count(province, "SELECT COUNT(*) FROM reading WHERE NOT (" + isChosen + ") AND ts >= " + start);
        long pending = county.journal().orElseThrow().pendingCount();
        double runSeconds = (stop - start) / 1000.0;
        double utilisation = bytes * 8.0 / runSeconds / simProfile.bitsPerSecond();
        double downUse = down * 8.0 / runSeconds / simProfile.bitsPerSecond();
        io.hazwatch.sync.link.UplinkStatus up = county.status().uplink();

        StringBuilder r = new StringBuilder();
        r.append("### Narrow band with chosen points over ").append(profile.name()).append(", ")
                .append(Instant.now().toString(), 0, 10).append("\n\n");
        r.append("Machine: ").append(Machine.describe()).append("; load average at the end: ").append(loadAverage())
                .append("\n\n");
        r.append("Command: `./hazwatch bench-link --profile ").append(profile.name()).append(" --points ").append(points)
                .append(" --chosen ").append(chosen).append(" --backlog-minutes ").append(backlogMinutes)
                .append(" --seconds ").append(seconds).append(" --alarm-every-ms ").append(alarmEveryMs).append("`\n\n");
        r.append("Path: edge -> county (loopback) -> link simulator ").append(simProfile.name()).append(" (")
                .append(String.format("%.1f", simProfile.bitsPerSecond() / 1000.0)).append(" kbit/s, ")
                .append(simProfile.oneWayDelay().toMillis() * 2).append(" ms round trip) -> province. ")
                .append(points).append(" points at 1 Hz, the first ").append(chosen)
                .append(" chosen on the county's link; a backlog of ").append(backlogMinutes)
                .append(" minutes of every point built while the link was down; an alarm every ")
                .append(alarmEveryMs).append(" ms.\n\n");
        r.append("| figure | value |\n|---|---|\n");
        r.append(String.format("| **chosen points' live readings delivered** (steady state, %.0f s) | **%.1f /s** of %d/s"
                + " read |%n", window, chosenLive / window, chosen));
        r.append(String.format("| chosen live reading latency, reading -> province commit, p50 / p99 | %,d / %,d ms |%n",
                chosenLat[0], chosenLat[1]));
        r.append(String.format("| rollups of the other %d points delivered per closed minute | %s (of %d) |%n",
                points - chosen, perMinute.length() == 0 ? "none closed" : perMinute.toString(), points - chosen));
        r.append(String.format("| rollup latency, minute end -> province commit, p50 / p99 | %,d / %,d ms |%n",
                rollupLat[0], rollupLat[1]));
        r.append(String.format("| **alarm latency edge -> province, p50 / p99 / max (%d alarms)** | **%,d / %,d / %,d ms** |%n",
                alarmLat[3], alarmLat[0], alarmLat[1], alarmLat[2]));
        r.append(String.format("| rollups of the backlog's minutes delivered | %,d of %,d |%n", historyRollups,
                (long) backlogMinutes * points));
        r.append(String.format("| raw history drained behind (backlog readings) | %,d of %,d |%n", historyRaw, history));
        r.append(String.format("| other points' live raw readings delivered | %,d of about %,d read |%n", otherLive,
                (long) (points - chosen) * (long) runSeconds));
        r.append(String.format("| records still waiting at the county | %,d |%n", pending));
        r.append(String.format("| link use over the run, county -> province | %.0f %% (%,d bytes in %.0f s) |%n",
                utilisation * 100, bytes, runSeconds));
        r.append(String.format("| link use, province -> county (acknowledgements, pongs) | %.0f %% (%,d bytes) |%n",
                downUse * 100, down));
        r.append(String.format("| county uplink at the end: round trip of the last ping, records in flight | %,d ms, %,d |%n",
                up.rttMillis(), up.inFlightRecords()));
        return r.toString();
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (Exception e) {
            return "n/a";
        }
    }

    private static long count(ProvinceNode p, String sql) throws Exception {
        try (Connection c = p.store().openReader(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** p50, p99, max and count of a sorted single-column query. */
    private static long[] percentiles(ProvinceNode p, String sql) throws Exception {
        List<Long> l = new ArrayList<>();
        try (Connection c = p.store().openReader(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                l.add(rs.getLong(1));
            }
        }
        if (l.isEmpty()) {
            return new long[4];
        }
        return new long[] {l.get(l.size() / 2), l.get(Math.min(l.size() - 1, (int) Math.ceil(l.size() * 0.99) - 1)),
                l.get(l.size() - 1), l.size()};
    }
}
