package io.hazwatch.sync.model;

import java.util.Objects;

/**
 * The aggregate of one point over one minute of its source time, made at the edge that read the point
 * (docs/sync-protocol.md section 4.8). A narrow link carries these for the points it has no room to
 * send raw, and a journal over its quota keeps them when it drops the raw readings they summarise.
 *
 * <p>Only readings with a finite numeric value are aggregated (a double, a long, or a boolean as 0 or
 * 1); {@code count} is how many, and a minute without one has no rollup. {@code worstQuality} is the
 * worst quality of every reading of the point in the minute, valueless ones included, so a rollup of
 * the good half of a minute still says that the other half was bad: the highest code after the
 * {@link QualityCode#CLOCK_SUSPECT} flag is taken off (0 good, 1 uncertain, 16 and up bad), with the
 * flag set if any reading had it. {@code lastQuality} is the quality of the reading that gave
 * {@code last}.
 *
 * @param minuteStartMillis the first millisecond of the minute, epoch milliseconds (a multiple of 60,000)
 * @param lastTimestampMillis the source time of {@code last}, within the minute
 */
public record Rollup(String point, long minuteStartMillis, long count, double min, double max, double mean,
                     double last, long lastTimestampMillis, int worstQuality, int lastQuality) implements Payload {

    /** A rollup covers one minute. */
    public static final long MINUTE_MILLIS = 60_000L;

    public Rollup {
        Objects.requireNonNull(point, "point");
        if (Math.floorMod(minuteStartMillis, MINUTE_MILLIS) != 0) {
            throw new IllegalArgumentException("rollup minute must start on a minute: " + minuteStartMillis);
        }
        if (count < 1) {
            throw new IllegalArgumentException("a rollup aggregates at least one reading: " + count);
        }
        long offset = lastTimestampMillis - minuteStartMillis;
        if (offset < 0 || offset >= MINUTE_MILLIS) {
            throw new IllegalArgumentException("last reading at " + lastTimestampMillis + " is outside the minute "
                    + minuteStartMillis);
        }
        if (worstQuality < 0 || worstQuality > 255 || lastQuality < 0 || lastQuality > 255) {
            throw new IllegalArgumentException("quality codes out of 0..255: " + worstQuality + ", " + lastQuality);
        }
    }

    /** The start of the minute a source time falls in. */
    public static long minuteOf(long timestampMillis) {
        return Math.floorDiv(timestampMillis, MINUTE_MILLIS) * MINUTE_MILLIS;
    }

    /** Source time of a rollup is the start of its minute. */
    @Override
    public long timestampMillis() {
        return minuteStartMillis;
    }

    /**
     * The worse of two qualities: the higher code without the clock-suspect flag, the flag kept if
     * either had it.
     */
    public static int worse(int a, int b) {
        int code = Math.max(a & ~QualityCode.CLOCK_SUSPECT, b & ~QualityCode.CLOCK_SUSPECT);
        return code | ((a | b) & QualityCode.CLOCK_SUSPECT);
    }
}
