package io.hazwatch.dist.baseline;

import io.hazwatch.sims.TankFarmOptions;
import io.hazwatch.sims.TankFarmSimulator;
import io.hazwatch.sims.TankSnapshot;
import io.hazwatch.sync.model.Lane;
import io.hazwatch.sync.model.PointValue;
import io.hazwatch.sync.model.Reading;
import io.hazwatch.sync.model.SyncRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Readings as HazWatch edge agents produce them from the tank-farm simulator: one simulator per edge,
 * stepped one simulated second per poll cycle (manual ticks, seeded, so every run has the same values),
 * each tank's registers decoded the way the edge's Modbus driver decodes them (float32 widened to a
 * double, int16 with a scale as {@code raw * scale}, integers without a scale as longs, status bits as
 * booleans), with the 1-second simulated timestamps of the poll.
 *
 * <p>Every system in the comparison is fed from the same instance: reading {@code (edge, cycle, point)}
 * has the global id {@link #id(int, int, int)}.
 */
final class SimReadings {

    /** How the edge holds a point's value. */
    enum Kind {
        /** A float32 register widened to a double. */
        FLOAT32,
        /** An int16 register times a scale, as a double ({@code raw * 0.1}). */
        SCALED,
        /** An integer register without scale, as a long. */
        INT,
        /** A status bit. */
        BOOL
    }

    /** Which registers of each tank to read: a point set of the comparison. */
    enum PointSet {
        /** The demo edge profile: level, temperature, pressure, gas, gas-al1, gas-al2. */
        LIVE(new String[] {"level", "temperature", "pressure", "gas", "gas-al1", "gas-al2"},
                new Kind[] {Kind.FLOAT32, Kind.SCALED, Kind.FLOAT32, Kind.FLOAT32, Kind.BOOL, Kind.BOOL}),
        /** Slowly changing instruments: 0.1 degC temperature, whole-degree sensor temperature, status words, alarm bits. */
        SLOW(new String[] {"temperature", "sensor-temperature", "radar-status", "gas-fault", "gas-al1", "gas-al2"},
                new Kind[] {Kind.SCALED, Kind.INT, Kind.INT, Kind.INT, Kind.BOOL, Kind.BOOL}),
        /** Noisy float32 instruments: level, ullage, pressure, gas. */
        NOISY(new String[] {"level", "ullage", "pressure", "gas"},
                new Kind[] {Kind.FLOAT32, Kind.FLOAT32, Kind.FLOAT32, Kind.FLOAT32});

        final String[] names;
        final Kind[] kinds;

        PointSet(String[] names, Kind[] kinds) {
            this.names = names;
            this.kinds = kinds;
        }
    }

    private final PointSet set;
    private final int edges;
    private final int tanks;
    private final int cycles;
    private final long t0;
    private final String[] sites;
    private final String[] points; // per edge, without the site: tank-farm/tank1.level
    private final Kind[] kinds;
    private final double[][] values; // [edge][cycle * pointsPerEdge + point]

    private SimReadings(PointSet set, int edges, int tanks, int cycles, long t0) {
        this.set = set;
        this.edges = edges;
        this.tanks = tanks;
        this.cycles = cycles;
        this.t0 = t0;
        this.sites = new String[edges];
        int per = tanks * set.names.length;
        this.points = new String[per];
        this.kinds = new Kind[per];
        for (int t = 0; t < tanks; t++) {
            for (int k = 0; k < set.names.length; k++) {
                points[t * set.names.length + k] = "tank-farm/tank" + (t + 1) + "." + set.names[k];
                kinds[t * set.names.length + k] = set.kinds[k];
            }
        }
        this.values = new double[edges][per * cycles];
    }

    /**
     * Generates {@code cycles} poll cycles of {@code tanks} tanks at each of {@code edges} edges. The
     * first poll is at {@code firstPoll} (truncated to the second), the next one second later.
     */
    static SimReadings generate(PointSet set, int edges, int tanks, int cycles, Instant firstPoll) {
        long t0 = firstPoll.toEpochMilli() / 1000 * 1000;
        SimReadings r = new SimReadings(set, edges, tanks, cycles, t0);
        int per = r.pointsPerEdge();
        for (int e = 0; e < edges; e++) {
            r.sites[e] = String.format("E%04d", e + 1);
            TankFarmOptions o = TankFarmOptions.builder().port(0).tanks(tanks).seed(1000 + e)
                    .tickInterval(Duration.ZERO).clock(Clock.fixed(Instant.ofEpochMilli(t0), ZoneOffset.UTC)).build();
            try (TankFarmSimulator sim = TankFarmSimulator.start(o)) {
                for (int c = 0; c < cycles; c++) {
                    sim.advance(1);
                    for (int t = 0; t < tanks; t++) {
                        TankSnapshot s = sim.snapshot(t);
                        for (int k = 0; k < set.names.length; k++) {
                            r.values[e][c * per + t * set.names.length + k] = decode(set.names[k], s);
                        }
                    }
                }
            }
        }
        return r;
    }

    /** The value the edge's driver yields for one register of the demo profile (and the extra ones here). */
    private static double decode(String name, TankSnapshot s) {
        return switch (name) {
            case "level" -> (float) s.levelM();
            case "ullage" -> (float) s.ullageM();
            case "pressure" -> (float) s.pressureKPa();
            case "gas" -> (float) s.gasLel();
            case "temperature" -> Math.round(s.temperatureC() / 0.1) * 0.1; // int16, scale 0.1: raw * scale
            case "sensor-temperature" -> Math.round(s.sensorTemperatureC());
            case "radar-status" -> s.radarStatus();
            case "gas-fault" -> s.gasFaultCode();
            case "gas-al1" -> s.al1() ? 1 : 0;
            case "gas-al2" -> s.al2() ? 1 : 0;
            default -> throw new IllegalArgumentException(name);
        };
    }

    PointSet set() {
        return set;
    }

    int edges() {
        return edges;
    }

    int tanks() {
        return tanks;
    }

    int cycles() {
        return cycles;
    }

    int pointsPerEdge() {
        return points.length;
    }

    long total() {
        return (long) edges * cycles * points.length;
    }

    /** The site code of edge {@code e}: E0001, ... */
    String site(int e) {
        return sites[e];
    }

    /** The edge's node id: 130102-E0001-01, ... (county 130102). */
    String edgeId(int e) {
        return "130102-" + sites[e] + "-01";
    }

    /** The point's full name as the edge agent forms it: site/device/point. */
    String pointName(int e, int p) {
        return sites[e] + "/" + points[p];
    }

    Kind kind(int p) {
        return kinds[p];
    }

    long timestamp(int cycle) {
        return t0 + cycle * 1000L;
    }

    double value(int e, int cycle, int p) {
        return values[e][cycle * points.length + p];
    }

    int id(int e, int cycle, int p) {
        return (e * cycles + cycle) * points.length + p;
    }

    PointValue pointValue(int e, int cycle, int p) {
        double v = value(e, cycle, p);
        return switch (kinds[p]) {
            case FLOAT32, SCALED -> PointValue.of(v);
            case INT -> PointValue.of((long) v);
            case BOOL -> PointValue.of(v != 0);
        };
    }

    Reading reading(int e, int cycle, int p) {
        return new Reading(pointName(e, p), timestamp(cycle), pointValue(e, cycle, p), 0);
    }

    /** One poll cycle of one edge, in point order. */
    List<Reading> cycle(int e, int cycle) {
        List<Reading> out = new ArrayList<>(points.length);
        for (int p = 0; p < points.length; p++) {
            out.add(reading(e, cycle, p));
        }
        return out;
    }

    /**
     * Cycles {@code from .. to-1} of one edge as journaled records: the edge numbers its records on
     * the lane in append order, so reading {@code (cycle, p)} has sequence {@code cycle * points + p}.
     */
    List<SyncRecord> records(int e, int from, int to) {
        List<SyncRecord> out = new ArrayList<>((to - from) * points.length);
        for (int c = from; c < to; c++) {
            for (int p = 0; p < points.length; p++) {
                out.add(new SyncRecord(edgeId(e), Lane.CURRENT, (long) c * points.length + p, reading(e, c, p)));
            }
        }
        return out;
    }
}
