package io.hazwatch.sync.link;

import io.hazwatch.sync.wire.Compression;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * How an uplink uses one kind of link (docs/sync-protocol.md section 8.1). The window is counted in
 * bytes on the wire and sized to the link's bandwidth-delay product plus the parent's commit time,
 * so a satellite link is kept full without letting more bulk data queue ahead of a new alarm than the
 * link can carry in about one round trip; on a link with a known capacity batches are paced to it, so
 * they wait in the uplink's journal, where an alarm overtakes them, rather than in the modem's queue,
 * where it cannot; {@code linger} lets a thin link gather a fuller, better-compressed batch (alarms
 * never linger).
 *
 * @param bitsPerSecond the link's capacity, 0 when it is not the bottleneck (terrestrial)
 * @param rtt the round trip the window is sized for
 */
public record LinkProfile(String name, long bitsPerSecond, Duration rtt, int windowBatches, long windowBytes,
                          int batchRecords, Duration linger, Compression compression) {

    /** Share of a capped link's bandwidth an uplink paces its batches to. */
    public static final double PACING = 0.95;

    /** Time a parent may take to make a batch durable, added to the round trip when sizing windows. */
    static final Duration COMMIT_ALLOWANCE = Duration.ofMillis(400);

    public LinkProfile {
        if (windowBatches < 1 || windowBytes < 1 || batchRecords < 1) {
            throw new IllegalArgumentException("profile " + name + ": window and batch must be positive");
        }
    }

    /** The command network: bandwidth is not the limit, the parent's commit rate is. */
    public static final LinkProfile TERRESTRIAL = new LinkProfile("terrestrial", 0, Duration.ofMillis(20), 4,
            64L * 1024 * 1024, 2000, Duration.ZERO, Compression.LZ4);
    /** A 256 kbit/s VSAT share with a 600 ms round trip. */
    public static final LinkProfile VSAT_256K = satellite("vsat", 256_000, Duration.ofMillis(600), 5000,
            Duration.ofMillis(200));
    /** A 2 Mbit/s VSAT link with a 600 ms round trip. */
    public static final LinkProfile VSAT_2M = satellite("vsat-2m", 2_000_000, Duration.ofMillis(600), 10_000,
            Duration.ofMillis(100));
    /** A Tiantong-class narrow-band terminal: 9.6 kbit/s, 700 ms round trip. */
    public static final LinkProfile TIANTONG = satellite("tiantong", 9_600, Duration.ofMillis(700), 150,
            Duration.ofSeconds(1));

    public static List<LinkProfile> presets() {
        return List.of(TERRESTRIAL, VSAT_256K, VSAT_2M, TIANTONG);
    }

    /** A preset by name ({@code terrestrial}, {@code vsat}, {@code vsat-2m}, {@code tiantong}). */
    public static Optional<LinkProfile> named(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return presets().stream().filter(p -> p.name().equals(n)).findFirst();
    }

    /**
     * A satellite profile: a byte window of 2.5 x bandwidth x (round trip + commit allowance), at least
     * 4 KiB, so the link stays full while acknowledgements travel; the uplink paces its batches to
     * {@link #PACING} of the bandwidth, so the window never turns into a queue in the modem that a new
     * alarm would wait behind; zstd.
     */
    public static LinkProfile satellite(String name, long bitsPerSecond, Duration rtt, int batchRecords,
                                        Duration linger) {
        double seconds = (rtt.toMillis() + COMMIT_ALLOWANCE.toMillis()) / 1000.0;
        long window = Math.max(4096, (long) (2.5 * bitsPerSecond / 8.0 * seconds));
        return new LinkProfile(name, bitsPerSecond, rtt, 8, window, batchRecords, linger, Compression.ZSTD);
    }
}
