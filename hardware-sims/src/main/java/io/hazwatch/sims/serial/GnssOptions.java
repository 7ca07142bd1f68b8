package io.hazwatch.sims.serial;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How to run a GNSS displacement-solver simulator.
 *
 * @param device           the serial port to write to (one end of a socat pty pair in tests)
 * @param baud             line speed; 8N1
 * @param stations         station ids, each printed once per epoch
 * @param seed             random seed of the noise and creep
 * @param interval         real time between epochs; {@link Duration#ZERO} for manual epochs ({@link GnssSolverSimulator#emitEpoch()})
 * @param solutionInterval simulated time one epoch covers (creep accumulates over it)
 * @param withGga          also print a {@code $GNGGA} sentence for the reference station each epoch, as solver
 *                         software relays it; readers must ignore it
 * @param clock            gives the simulated start time
 */
public record GnssOptions(String device, int baud, List<String> stations, long seed, Duration interval,
                          Duration solutionInterval, boolean withGga, Clock clock) {

    private static final Pattern STATION = Pattern.compile("[A-Za-z0-9_-]{1,16}");

    public GnssOptions {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(solutionInterval, "solutionInterval");
        Objects.requireNonNull(clock, "clock");
        stations = List.copyOf(stations);
        if (stations.isEmpty() || stations.size() > 100) {
            throw new IllegalArgumentException("1..100 stations, got " + stations.size());
        }
        for (String s : stations) {
            if (!STATION.matcher(s).matches()) {
                throw new IllegalArgumentException("station id '" + s + "' must be 1..16 letters, digits, _ or -");
            }
        }
        if (stations.stream().distinct().count() != stations.size()) {
            throw new IllegalArgumentException("station ids must be distinct: " + stations);
        }
        if (baud < 50) {
            throw new IllegalArgumentException("baud must be at least 50, got " + baud);
        }
        if (interval.isNegative() || solutionInterval.isNegative() || solutionInterval.isZero()) {
            throw new IllegalArgumentException("interval must be >= 0 and solutionInterval > 0");
        }
    }

    /** Three stations GN01..GN03, 9600 baud, seed 1, one epoch a second, one simulated hour per epoch. */
    public static GnssOptions defaults(String device) {
        return new GnssOptions(device, 9600, List.of("GN01", "GN02", "GN03"), 1, Duration.ofSeconds(1),
                Duration.ofHours(1), true, Clock.systemUTC());
    }

    public GnssOptions withInterval(Duration value) {
        return new GnssOptions(device, baud, stations, seed, value, solutionInterval, withGga, clock);
    }

    public GnssOptions withSeed(long value) {
        return new GnssOptions(device, baud, stations, value, interval, solutionInterval, withGga, clock);
    }

    public GnssOptions withStations(List<String> value) {
        return new GnssOptions(device, baud, value, seed, interval, solutionInterval, withGga, clock);
    }

    public GnssOptions withClock(Clock value) {
        return new GnssOptions(device, baud, stations, seed, interval, solutionInterval, withGga, value);
    }

    public GnssOptions withBaud(int value) {
        return new GnssOptions(device, value, stations, seed, interval, solutionInterval, withGga, clock);
    }
}
