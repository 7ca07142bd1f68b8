package io.hazwatch.sims.serial.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Displacement of GNSS monitoring stations on a tailings dam (DOMAIN 2.6, T10): each station creeps
 * 0..0.2 mm/day in its own direction and settles slowly; each static solution adds noise of about
 * ±2-3 mm horizontally and ±5 mm vertically (two sigma). A slide adds a steady movement per epoch.
 * Seeded; one thread at a time.
 */
public final class GnssModel {

    private static final double SIGMA_H_MM = 1.25;
    private static final double SIGMA_V_MM = 2.5;
    private static final double FLOAT_SOLUTION_SHARE = 0.02;

    /** The true and measured displacement of one station after a step. */
    public record Solution(String station, double northMm, double eastMm, double upMm, int quality) {
    }

    private static final class Station {
        final String id;
        final double creepMmPerDay;
        final double azimuth;
        final double settleMmPerDay;
        double north;
        double east;
        double up;
        double slideMmPerEpoch;

        Station(String id, Random random) {
            this.id = id;
            this.creepMmPerDay = 0.2 * random.nextDouble();
            this.azimuth = 2 * Math.PI * random.nextDouble();
            this.settleMmPerDay = 0.1 * random.nextDouble();
        }
    }

    private final List<Station> stations = new ArrayList<>();
    private final Random random;
    private final Duration solutionInterval;
    private Instant time;
    private long epoch;

    public GnssModel(List<String> stationIds, long seed, Duration solutionInterval, Instant start) {
        this.random = new Random(seed);
        this.solutionInterval = solutionInterval;
        this.time = start;
        for (String id : stationIds) {
            stations.add(new Station(id, random));
        }
    }

    /** One epoch: creep over the solution interval, then a noisy solution per station. */
    public List<Solution> step() {
        epoch++;
        time = time.plus(solutionInterval);
        double days = solutionInterval.toMillis() / 86_400_000.0;
        List<Solution> out = new ArrayList<>(stations.size());
        for (Station s : stations) {
            double move = s.creepMmPerDay * days + s.slideMmPerEpoch;
            s.north += move * Math.cos(s.azimuth);
            s.east += move * Math.sin(s.azimuth);
            s.up -= s.settleMmPerDay * days + s.slideMmPerEpoch * 0.3;
            double r = random.nextDouble();
            int quality = r < FLOAT_SOLUTION_SHARE ? 5 : 4;
            double noiseScale = quality == 5 ? 4 : 1;
            out.add(new Solution(s.id,
                    s.north + noiseScale * SIGMA_H_MM * random.nextGaussian(),
                    s.east + noiseScale * SIGMA_H_MM * random.nextGaussian(),
                    s.up + noiseScale * SIGMA_V_MM * random.nextGaussian(), quality));
        }
        return out;
    }

    /** From the next epoch on, {@code station} moves {@code mmPerEpoch} more each epoch (0 stops it). */
    public void slide(String station, double mmPerEpoch) {
        for (Station s : stations) {
            if (s.id.equals(station)) {
                s.slideMmPerEpoch = mmPerEpoch;
                return;
            }
        }
        throw new IllegalArgumentException("no station " + station);
    }

    public Instant time() {
        return time;
    }

    public long epoch() {
        return epoch;
    }
}
