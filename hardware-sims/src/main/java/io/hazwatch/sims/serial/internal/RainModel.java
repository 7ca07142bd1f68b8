package io.hazwatch.sims.serial.internal;

import java.util.Random;

/**
 * Rain at a tailings pond, minute by minute (DOMAIN 2.6, T12): dry most of the time; a shower starts
 * with a small chance per minute and stops with a larger one; while it rains the intensity wanders
 * between 0.02 and 4 mm/min (8 at most in a forced burst). A tipping bucket turns it into tips.
 * Seeded; one thread at a time.
 */
public final class RainModel {

    private static final double START_PER_MINUTE = 0.004;
    private static final double STOP_PER_MINUTE = 0.03;
    private static final double MAX_MM_PER_MINUTE = 8.0;

    private final Random random;
    private final int bucketTenthsMm;
    private boolean raining;
    private double intensity;
    private double undrained;
    private long tips;
    private double forcedMmPerMinute;
    private int forcedMinutesLeft;

    public RainModel(long seed, int bucketTenthsMm) {
        this.random = new Random(seed);
        this.bucketTenthsMm = bucketTenthsMm;
    }

    /** One simulated minute. */
    public void minute() {
        double mm;
        if (forcedMinutesLeft > 0) {
            forcedMinutesLeft--;
            mm = forcedMmPerMinute;
        } else {
            if (raining && random.nextDouble() < STOP_PER_MINUTE) {
                raining = false;
            } else if (!raining && random.nextDouble() < START_PER_MINUTE) {
                raining = true;
                intensity = 0.05 + 0.5 * random.nextDouble();
            }
            if (raining) {
                intensity = Math.max(0.02, Math.min(4.0, intensity * Math.exp(0.3 * random.nextGaussian())));
            }
            mm = raining ? intensity : 0;
        }
        undrained += mm;
        double bucketMm = bucketTenthsMm / 10.0;
        while (undrained >= bucketMm) {
            undrained -= bucketMm;
            tips++;
        }
    }

    /** The next {@code minutes} minutes rain {@code mmPerMinute} (0..8) whatever the weather. */
    public void burst(double mmPerMinute, int minutes) {
        if (!(mmPerMinute >= 0 && mmPerMinute <= MAX_MM_PER_MINUTE) || minutes < 0) {
            throw new IllegalArgumentException("burst of " + mmPerMinute + " mm/min for " + minutes + " min");
        }
        forcedMmPerMinute = mmPerMinute;
        forcedMinutesLeft = minutes;
    }

    /** Clears the counters, as the gauge's clear command does. */
    public void clear() {
        tips = 0;
        undrained = 0;
    }

    public long tips() {
        return tips;
    }

    public long totalTenthsMm() {
        return tips * bucketTenthsMm;
    }
}
