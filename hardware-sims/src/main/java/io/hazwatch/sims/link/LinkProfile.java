package io.hazwatch.sims.link;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * What a simulated link does to the bytes crossing it, the same in both directions: each direction has its own
 * transmitter of {@code bitsPerSecond}, its own modem buffer of {@code bufferBytes}, and the same one-way delay.
 *
 * <p>A byte is released to the receiver at (end of its transmission) + {@code oneWayDelay} + a random extra delay
 * drawn uniformly from {@code [0, jitter]}: the one-way delay is a floor, never undercut. Jitter never reorders
 * the bytes of one TCP connection (a later byte is never released before an earlier one).
 *
 * @param name          short name, e.g. {@code vsat-256k}; used by the command line and in reports
 * @param bitsPerSecond transmitter rate of each direction, 1 bit/s .. 1 Gbit/s
 * @param oneWayDelay   propagation delay of each direction (half the unloaded round trip)
 * @param jitter        upper bound of the random extra delay added per chunk, zero for none
 * @param bufferBytes   modem buffer of each direction: bytes accepted from senders and not yet transmitted. When it
 *                      is full the link stops reading from senders, so TCP backpressure reaches them.
 */
public record LinkProfile(String name, long bitsPerSecond, Duration oneWayDelay, Duration jitter, int bufferBytes) {

    /** Highest bandwidth a profile may have; above it the proxy itself, not the profile, would be the limit. */
    public static final long MAX_BITS_PER_SECOND = 1_000_000_000L;

    /** Terrestrial command network: 10 Mbit/s, 10 ms one-way, 2 ms jitter, 256 KiB buffer. */
    public static final LinkProfile TERRESTRIAL =
            new LinkProfile("terrestrial", 10_000_000L, Duration.ofMillis(10), Duration.ofMillis(2), 256 * 1024);

    /** Low-rate VSAT: 256 kbit/s, 300 ms one-way (600 ms round trip), 20 ms jitter, 64 KiB buffer (2 s of queue). */
    public static final LinkProfile VSAT_256K =
            new LinkProfile("vsat-256k", 256_000L, Duration.ofMillis(300), Duration.ofMillis(20), 64 * 1024);

    /** High-rate VSAT: 2 Mbit/s, 300 ms one-way, 20 ms jitter, 256 KiB buffer (1 s of queue). */
    public static final LinkProfile VSAT_2M =
            new LinkProfile("vsat-2m", 2_000_000L, Duration.ofMillis(300), Duration.ofMillis(20), 256 * 1024);

    /** Tiantong-class narrow band: 9.6 kbit/s, 350 ms one-way (~700 ms round trip), 50 ms jitter, 8 KiB buffer. */
    public static final LinkProfile TIANTONG =
            new LinkProfile("tiantong", 9_600L, Duration.ofMillis(350), Duration.ofMillis(50), 8 * 1024);

    private static final List<LinkProfile> PRESETS = List.of(TERRESTRIAL, VSAT_256K, VSAT_2M, TIANTONG);

    public LinkProfile {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(oneWayDelay, "oneWayDelay");
        Objects.requireNonNull(jitter, "jitter");
        if (name.isBlank()) {
            throw new IllegalArgumentException("profile name must not be blank");
        }
        if (bitsPerSecond < 1 || bitsPerSecond > MAX_BITS_PER_SECOND) {
            throw new IllegalArgumentException("bandwidth must be 1.." + MAX_BITS_PER_SECOND + " bit/s, got "
                    + bitsPerSecond);
        }
        if (oneWayDelay.isNegative() || oneWayDelay.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("one-way delay must be 0..1 h, got " + oneWayDelay);
        }
        if (jitter.isNegative() || jitter.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("jitter must be 0..1 h, got " + jitter);
        }
        if (bufferBytes < 1) {
            throw new IllegalArgumentException("buffer must be at least 1 byte, got " + bufferBytes);
        }
    }

    /** The presets, fastest first. */
    public static List<LinkProfile> presets() {
        return PRESETS;
    }

    /**
     * The preset called {@code name}, ignoring case; {@code vsat} means {@code vsat-256k}, the link the issue
     * benchmarks against.
     *
     * @throws IllegalArgumentException naming every preset, if there is none of that name
     */
    public static LinkProfile byName(String name) {
        String key = name.strip().toLowerCase(Locale.ROOT);
        if (key.equals("vsat")) {
            return VSAT_256K;
        }
        return PRESETS.stream().filter(p -> p.name.equals(key)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no link profile '" + name + "'; presets: "
                        + PRESETS.stream().map(LinkProfile::name).collect(Collectors.joining(", ")) + ", vsat"));
    }

    public LinkProfile named(String newName) {
        return new LinkProfile(newName, bitsPerSecond, oneWayDelay, jitter, bufferBytes);
    }

    public LinkProfile withBitsPerSecond(long newBitsPerSecond) {
        return new LinkProfile(name, newBitsPerSecond, oneWayDelay, jitter, bufferBytes);
    }

    public LinkProfile withOneWayDelay(Duration newDelay) {
        return new LinkProfile(name, bitsPerSecond, newDelay, jitter, bufferBytes);
    }

    public LinkProfile withJitter(Duration newJitter) {
        return new LinkProfile(name, bitsPerSecond, oneWayDelay, newJitter, bufferBytes);
    }

    public LinkProfile withBufferBytes(int newBufferBytes) {
        return new LinkProfile(name, bitsPerSecond, oneWayDelay, jitter, newBufferBytes);
    }

    /** Unloaded round trip: twice the one-way delay, jitter not included. */
    public Duration roundTrip() {
        return oneWayDelay.multipliedBy(2);
    }

    /**
     * Bytes a sender must have unacknowledged to keep one direction busy: bandwidth times round trip.
     * VSAT_256K: 256,000 bit/s x 0.6 s / 8 = 19,200 bytes.
     */
    public long bandwidthDelayProductBytes() {
        return bitsPerSecond * roundTrip().toNanos() / 8_000_000_000L;
    }

    /** Time the transmitter needs for {@code bytes}, rounded up to the nanosecond so the cap is never exceeded. */
    public long serializationNanos(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes must not be negative, got " + bytes);
        }
        long bits = Math.multiplyExact(bytes, 8L);
        // bits % bitsPerSecond < 1e9, so the product stays below 1e18: no overflow.
        long whole = Math.multiplyExact(bits / bitsPerSecond, 1_000_000_000L);
        long rest = ((bits % bitsPerSecond) * 1_000_000_000L + bitsPerSecond - 1) / bitsPerSecond;
        return whole + rest;
    }

    /** One line for logs and the console, e.g. {@code vsat-256k: 256 kbit/s, 300 ms one-way, jitter 20 ms, buffer 64 KiB}. */
    public String describe() {
        return String.format(Locale.ROOT, "%s: %s, %d ms one-way, jitter %d ms, buffer %s", name,
                formatBitrate(bitsPerSecond), oneWayDelay.toMillis(), jitter.toMillis(), formatBytes(bufferBytes));
    }

    private static String formatBitrate(long bps) {
        if (bps >= 1_000_000 && bps % 1_000 == 0) {
            return trim(bps / 1_000_000.0) + " Mbit/s";
        }
        if (bps >= 1_000) {
            return trim(bps / 1_000.0) + " kbit/s";
        }
        return bps + " bit/s";
    }

    private static String formatBytes(long bytes) {
        return bytes % 1024 == 0 ? bytes / 1024 + " KiB" : bytes + " B";
    }

    private static String trim(double value) {
        String s = String.format(Locale.ROOT, "%.3f", value);
        return s.replaceAll("\\.?0+$", "");
    }
}
