package io.hazwatch.sims.link;

import java.time.Duration;
import java.util.Objects;

/**
 * A repeating outage pattern: the link is up for {@code up}, down for {@code down}, up again, and so on, starting
 * with the up phase when the schedule is set.
 *
 * @param up   time up between outages, positive
 * @param down length of each outage, positive
 * @param kind what each outage does to open connections
 */
public record OutageSchedule(Duration up, Duration down, OutageKind kind) {

    public OutageSchedule {
        Objects.requireNonNull(up, "up");
        Objects.requireNonNull(down, "down");
        Objects.requireNonNull(kind, "kind");
        if (up.isNegative() || up.isZero()) {
            throw new IllegalArgumentException("up time must be positive, got " + up);
        }
        if (down.isNegative() || down.isZero()) {
            throw new IllegalArgumentException("outage length must be positive, got " + down);
        }
    }

    /** Fades: up for {@code up}, then faded for {@code down}, repeating. */
    public static OutageSchedule repeating(Duration up, Duration down) {
        return new OutageSchedule(up, down, OutageKind.FADE);
    }

    /**
     * An outage of {@code outage} starting every {@code period} (start to start), so the link is up for
     * {@code period - outage} in between: {@code every(60 s, 10 s)} is up 50 s, down 10 s.
     *
     * @throws IllegalArgumentException if the outage is not shorter than the period
     */
    public static OutageSchedule every(Duration period, Duration outage, OutageKind kind) {
        Objects.requireNonNull(period, "period");
        Objects.requireNonNull(outage, "outage");
        if (outage.compareTo(period) >= 0) {
            throw new IllegalArgumentException("an outage of " + outage + " does not fit in a period of " + period);
        }
        return new OutageSchedule(period.minus(outage), outage, kind);
    }

    public Duration period() {
        return up.plus(down);
    }

    /** Whether the schedule has the link down {@code elapsed} after it was set. */
    public boolean isDownAt(Duration elapsed) {
        return isDownAtNanos(elapsed.toNanos());
    }

    boolean isDownAtNanos(long elapsedNanos) {
        if (elapsedNanos < 0) {
            return false;
        }
        return elapsedNanos % period().toNanos() >= up.toNanos();
    }

    /** Nanoseconds after {@code elapsedNanos} at which the schedule next changes phase (always positive). */
    long nanosToNextChange(long elapsedNanos) {
        if (elapsedNanos < 0) {
            return -elapsedNanos + up.toNanos();
        }
        long phase = elapsedNanos % period().toNanos();
        long upNanos = up.toNanos();
        return phase < upNanos ? upNanos - phase : period().toNanos() - phase;
    }
}
