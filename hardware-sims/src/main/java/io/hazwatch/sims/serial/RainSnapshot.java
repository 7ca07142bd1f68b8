package io.hazwatch.sims.serial;

import java.time.Instant;

/**
 * What the rain gauge reports now.
 *
 * @param tips           bucket tips since the last clear
 * @param totalTenthsMm  rain since the last clear in 0.1 mm (tips × bucket), the gauge's register unit (T12)
 * @param time           simulated time
 * @param line           the line it prints for this state, without the line end
 */
public record RainSnapshot(long tips, long totalTenthsMm, Instant time, String line) {

    public double totalMm() {
        return totalTenthsMm / 10.0;
    }
}
