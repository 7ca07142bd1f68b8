package io.hazwatch.drivers.modbus.internal;

/**
 * Exponential reconnect backoff: {@code min}, then doubling per consecutive failure up to {@code max};
 * {@link #reset()} after a success. No jitter: each driver talks to its own device, and a fixed
 * sequence keeps behaviour reproducible. Not thread-safe (used on the driver's I/O thread).
 */
public final class Backoff {

    private final long minMillis;
    private final long maxMillis;
    private long nextMillis;

    public Backoff(long minMillis, long maxMillis) {
        if (minMillis < 1 || maxMillis < minMillis) {
            throw new IllegalArgumentException("need 1 <= min <= max, got " + minMillis + ", " + maxMillis);
        }
        this.minMillis = minMillis;
        this.maxMillis = maxMillis;
        this.nextMillis = minMillis;
    }

    /** The delay after one more failure. */
    public long nextDelayMillis() {
        long delay = nextMillis;
        nextMillis = nextMillis > maxMillis / 2 ? maxMillis : nextMillis * 2;
        return delay;
    }

    public void reset() {
        nextMillis = minMillis;
    }

    public long maxMillis() {
        return maxMillis;
    }
}
