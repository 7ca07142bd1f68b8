package io.hazwatch.sync.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hazwatch.sync.model.Lane;
import io.hazwatch.sync.model.Rollup;
import io.hazwatch.sync.model.SyncRecord;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Rollup records (record kind 3, protocol version 3): the byte layout pinned by a golden vector, exact
 * round trips through both batch codings and the journal form, refusal of rollups no edge could make,
 * and the size of a minute of rollups in a compact batch, which is what a narrow link pays for them.
 */
class RollupRecordTest {
    static final long MINUTE = Rollup.minuteOf(GoldenVectors.T);
    static final Frame.Batch GOLDEN = new Frame.Batch(9, List.of(new SyncRecord(GoldenVectors.EDGE, Lane.ROLLUP, 5,
            new Rollup("T101/LT-01/level", MINUTE, 60, 3.0, 3.5, 3.25, 3.5, MINUTE + 59_000, 1, 0))));

    @Test
    void aRollupRecordIsEncodedExactlyAsTheGoldenVectorSays() {
        byte[] golden = GoldenVectors.load("rollup.hex");
        assertThat(HexFormat.of().formatHex(FrameCodec.encode(GOLDEN))).isEqualTo(HexFormat.of().formatHex(golden));
        assertThat(FrameCodec.decode(golden)).isEqualTo(GOLDEN);
    }

    @Test
    void aRollupRoundTripsThroughItsJournalForm() {
        SyncRecord r = GOLDEN.records().get(0);
        assertThat(FrameCodec.decodeRecord(FrameCodec.encodeRecord(r))).isEqualTo(r);
    }

    @Test
    void aRollupNotStartingOnAMinuteIsRefusedAsMalformed() {
        byte[] bad = GoldenVectors.load("rollup.hex");
        bad[indexOf(bad, (byte) 0x80, (byte) 0xaf)] = (byte) 0x82; // minute start + 1 ms (zigzag)
        assertThatThrownBy(() -> FrameCodec.decode(bad)).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("does not start on a minute")
                .extracting(e -> ((ProtocolException) e).code()).isEqualTo(ErrorCode.MALFORMED_FRAME);
    }

    @Test
    void aRollupOfNoReadingsIsRefusedAsMalformed() {
        byte[] bad = GoldenVectors.load("rollup.hex");
        bad[indexOf(bad, (byte) 0x3c, (byte) 0x01)] = 0; // count 0
        assertThatThrownBy(() -> FrameCodec.decode(bad)).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("rollup of 0 readings");
    }

    @Test
    void aLastReadingOutsideItsMinuteIsRefusedAsMalformed() {
        byte[] bad = GoldenVectors.load("rollup.hex");
        int at = indexOf(bad, (byte) 0xf8, (byte) 0xcc);
        bad[at + 2] = 0x04; // 59000 + 16384 ms: past the minute
        assertThatThrownBy(() -> FrameCodec.decode(bad)).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("into its minute");
    }

    @Test
    void rollupsRoundTripThroughCompactBatchesMinuteAfterMinuteOnOneConnection() {
        LinkCodec tx = new LinkCodec();
        LinkCodec rx = new LinkCodec();
        tx.negotiated(3, Compression.ZSTD);
        rx.negotiated(3, Compression.NONE);
        Random rnd = new Random(7);
        long seq = 0;
        for (int m = 0; m < 5; m++) {
            List<SyncRecord> records = new ArrayList<>();
            for (int p = 0; p < 50; p++) {
                records.add(new SyncRecord(GoldenVectors.EDGE, Lane.ROLLUP, seq++, rollup(p, MINUTE + m * 60_000L, rnd)));
            }
            Frame.Batch b = new Frame.Batch(m, records);
            WireWriter w = new WireWriter(64);
            tx.encode(b, w);
            assertThat(rx.decode(w.toByteArray())).isEqualTo(b);
        }
    }

    @Test
    void aMinuteOfRollupsOfSlowlyChangingInstrumentsCostsUnderTwentyBytesEachAfterTheFirst() {
        LinkCodec tx = new LinkCodec();
        tx.negotiated(3, Compression.ZSTD);
        Random rnd = new Random(3);
        int points = 900;
        int size = 0;
        long seq = 0;
        for (int m = 0; m < 2; m++) {
            List<SyncRecord> records = new ArrayList<>();
            for (int p = 0; p < points; p++) {
                records.add(new SyncRecord(GoldenVectors.EDGE, Lane.ROLLUP, seq++, rollup(p, MINUTE + m * 60_000L, rnd)));
            }
            WireWriter w = new WireWriter(64);
            tx.encode(new Frame.Batch(m, records), w);
            size = w.size();
        }
        assertThat((double) size / points).as("bytes per rollup in the second minute").isLessThan(20.0);
    }

    /** A rollup of a 2-decimal instrument near 10 + p/100 that moved by a few hundredths in the minute. */
    private static Rollup rollup(int p, long minute, Random rnd) {
        double base = Math.round((10 + p / 100.0) * 100) / 100.0;
        double lo = Math.round((base - rnd.nextInt(3) / 100.0) * 100) / 100.0;
        double hi = Math.round((base + rnd.nextInt(3) / 100.0) * 100) / 100.0;
        double mean = (lo + hi + base) / 3;
        return new Rollup("tank-farm/p" + p, minute, 60, lo, hi, mean, base, minute + 59_000, 0, 0);
    }

    private static int indexOf(byte[] b, byte x, byte y) {
        for (int i = 0; i + 1 < b.length; i++) {
            if (b[i] == x && b[i + 1] == y) {
                return i;
            }
        }
        throw new AssertionError("pattern not in the golden vector");
    }
}
