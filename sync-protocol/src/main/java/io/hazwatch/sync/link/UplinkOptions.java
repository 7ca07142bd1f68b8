package io.hazwatch.sync.link;

import io.hazwatch.sync.wire.Compression;
import io.hazwatch.sync.wire.FrameCodec;
import java.time.Duration;
import java.util.Objects;

/**
 * Tuning of an uplink. {@code windowBatches} batches of at most {@code batchRecords} records may be
 * unacknowledged at once; alarms are always taken first when a batch is built, so at most
 * {@code windowBatches * batchRecords} bulk records are ever ahead of a new alarm. {@code compression}
 * is applied to compact batches (protocol version 2); {@code maxVersion} caps what the uplink offers
 * in its hello (1 forces the version-1 batch encoding); {@code failbackCheck} is how often an uplink
 * on a backup parent looks whether its primary is back. A parent's {@link LinkProfile} overrides the
 * window, batch size and compression for connections to that parent.
 */
public record UplinkOptions(int windowBatches, int batchRecords, Duration connectTimeout, Duration backoffMin,
                            Duration backoffMax, Duration pingInterval, Duration idleTimeout,
                            Compression compression, int maxVersion, Duration failbackCheck) {
    public UplinkOptions {
        if (windowBatches < 1 || batchRecords < 1) {
            throw new IllegalArgumentException("window and batch size must be positive");
        }
        if (batchRecords > FrameCodec.MAX_BATCH_RECORDS) {
            // a parent refuses larger batches as malformed: such an uplink could never deliver anything
            throw new IllegalArgumentException("a batch carries at most " + FrameCodec.MAX_BATCH_RECORDS
                    + " records, not " + batchRecords);
        }
        Objects.requireNonNull(compression, "compression");
        Objects.requireNonNull(failbackCheck, "failbackCheck");
        if (maxVersion < FrameCodec.MIN_VERSION || maxVersion > FrameCodec.MAX_VERSION) {
            throw new IllegalArgumentException("protocol version must be " + FrameCodec.MIN_VERSION + ".."
                    + FrameCodec.MAX_VERSION + ", not " + maxVersion);
        }
    }

    /** Options with the newest protocol version and no frame compression. */
    public UplinkOptions(int windowBatches, int batchRecords, Duration connectTimeout, Duration backoffMin,
                         Duration backoffMax, Duration pingInterval, Duration idleTimeout) {
        this(windowBatches, batchRecords, connectTimeout, backoffMin, backoffMax, pingInterval, idleTimeout,
                Compression.NONE, FrameCodec.MAX_VERSION, Duration.ofSeconds(10));
    }

    public static UplinkOptions defaults() {
        return new UplinkOptions(4, 2000, Duration.ofSeconds(3), Duration.ofMillis(200), Duration.ofSeconds(5),
                Duration.ofSeconds(2), Duration.ofSeconds(15));
    }

    public UplinkOptions withWindow(int batches, int records) {
        return new UplinkOptions(batches, records, connectTimeout, backoffMin, backoffMax, pingInterval, idleTimeout,
                compression, maxVersion, failbackCheck);
    }

    public UplinkOptions withCompression(Compression c) {
        return new UplinkOptions(windowBatches, batchRecords, connectTimeout, backoffMin, backoffMax, pingInterval,
                idleTimeout, c, maxVersion, failbackCheck);
    }

    /** How often an uplink on a backup parent looks whether its primary is back. */
    public UplinkOptions withFailbackCheck(Duration d) {
        return new UplinkOptions(windowBatches, batchRecords, connectTimeout, backoffMin, backoffMax, pingInterval,
                idleTimeout, compression, maxVersion, d);
    }

    public UplinkOptions withMaxVersion(int v) {
        return new UplinkOptions(windowBatches, batchRecords, connectTimeout, backoffMin, backoffMax, pingInterval,
                idleTimeout, compression, v, failbackCheck);
    }
}
