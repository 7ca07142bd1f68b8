package io.hazwatch.sims.serial;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * How to run a tipping-bucket rain-gauge simulator.
 *
 * @param device        the serial port to write to
 * @param baud          line speed; 8N1
 * @param seed          random seed of the weather
 * @param interval      real time between steps; {@link Duration#ZERO} for manual steps
 *                      ({@link RainGaugeSimulator#advance(int)})
 * @param stepMinutes   simulated minutes per step
 * @param polled        false: print a line after every step; true: print only when asked ({@code R?}),
 *                      as RS-485 loggers on a shared bus do
 * @param bucketTenthsMm rain per tip in 0.1 mm (DOMAIN T12: 0.1, 0.2 or 0.5 mm)
 * @param clock         gives the simulated start time
 */
public record RainGaugeOptions(String device, int baud, long seed, Duration interval, int stepMinutes,
                               boolean polled, int bucketTenthsMm, Clock clock) {

    public RainGaugeOptions {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(clock, "clock");
        if (baud < 50) {
            throw new IllegalArgumentException("baud must be at least 50, got " + baud);
        }
        if (interval.isNegative()) {
            throw new IllegalArgumentException("interval must not be negative");
        }
        if (stepMinutes < 1 || stepMinutes > 1440) {
            throw new IllegalArgumentException("stepMinutes must be 1..1440, got " + stepMinutes);
        }
        if (bucketTenthsMm != 1 && bucketTenthsMm != 2 && bucketTenthsMm != 5) {
            throw new IllegalArgumentException("bucket must be 0.1, 0.2 or 0.5 mm, got " + bucketTenthsMm / 10.0);
        }
    }

    /** 9600 baud, seed 1, a step a second of one simulated minute, unsolicited, 0.2 mm bucket. */
    public static RainGaugeOptions defaults(String device) {
        return new RainGaugeOptions(device, 9600, 1, Duration.ofSeconds(1), 1, false, 2, Clock.systemUTC());
    }

    public RainGaugeOptions withInterval(Duration value) {
        return new RainGaugeOptions(device, baud, seed, value, stepMinutes, polled, bucketTenthsMm, clock);
    }

    public RainGaugeOptions withPolled(boolean value) {
        return new RainGaugeOptions(device, baud, seed, interval, stepMinutes, value, bucketTenthsMm, clock);
    }

    public RainGaugeOptions withSeed(long value) {
        return new RainGaugeOptions(device, baud, value, interval, stepMinutes, polled, bucketTenthsMm, clock);
    }

    public RainGaugeOptions withStepMinutes(int value) {
        return new RainGaugeOptions(device, baud, seed, interval, value, polled, bucketTenthsMm, clock);
    }

    public RainGaugeOptions withBaud(int value) {
        return new RainGaugeOptions(device, value, seed, interval, stepMinutes, polled, bucketTenthsMm, clock);
    }
}
