package io.hazwatch.sync.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hazwatch.sync.model.AlarmLimit;
import io.hazwatch.sync.model.Lane;
import io.hazwatch.sync.model.PointInfo;
import io.hazwatch.sync.model.SyncRecord;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/**
 * Point-info records (record kind 4, protocol version 3): the byte layout pinned by a golden vector,
 * exact round trips through both batch codings and the journal form, and refusal of damaged records
 * as MALFORMED_FRAME naming the field, whatever the damage.
 */
class PointInfoRecordTest {
    static final PointInfo INFO = new PointInfo("T101/TT-01/temperature", GoldenVectors.T, "°C", "int16",
            Optional.of("Tank 101 top"), OptionalDouble.of(0.1), OptionalDouble.empty(),
            Optional.of(new PointInfo.EngineeringRange(-40.0, 120.0)), limits(50.0, 40.0));
    static final Frame.Batch GOLDEN = new Frame.Batch(9, List.of(new SyncRecord(GoldenVectors.EDGE, Lane.META, 2, INFO)));

    @Test
    void aPointInfoRecordIsEncodedExactlyAsTheGoldenVectorSays() {
        byte[] golden = GoldenVectors.load("point-info.hex");
        assertThat(HexFormat.of().formatHex(FrameCodec.encode(GOLDEN))).isEqualTo(HexFormat.of().formatHex(golden));
        assertThat(FrameCodec.decode(golden)).isEqualTo(GOLDEN);
    }

    @Test
    void aPointInfoRoundTripsThroughItsJournalForm() {
        SyncRecord r = GOLDEN.records().get(0);
        assertThat(FrameCodec.decodeRecord(FrameCodec.encodeRecord(r))).isEqualTo(r);
        SyncRecord bare = new SyncRecord("o", Lane.META, 0, PointInfo.of("a/b/c", -5, "", ""));
        assertThat(FrameCodec.decodeRecord(FrameCodec.encodeRecord(bare))).isEqualTo(bare);
    }

    @Test
    void aCatalogueRoundTripsThroughCompactBatchesAcrossBatchesOfOneConnection() {
        LinkCodec tx = new LinkCodec();
        LinkCodec rx = new LinkCodec();
        tx.negotiated(3, Compression.ZSTD);
        rx.negotiated(3, Compression.NONE);
        long seq = 0;
        for (int b = 0; b < 3; b++) {
            List<SyncRecord> records = new ArrayList<>();
            for (int p = 0; p < 40; p++) {
                PointInfo pi = p % 2 == 0 ? INFO : PointInfo.of("farm/p" + p, GoldenVectors.T + b, "m", "float32");
                records.add(new SyncRecord(GoldenVectors.EDGE, Lane.META, seq++, pi));
            }
            Frame.Batch batch = new Frame.Batch(b, records);
            WireWriter w = new WireWriter(64);
            tx.encode(batch, w);
            Frame.Batch got = (Frame.Batch) rx.decode(w.toByteArray());
            // a compact batch groups records by key: the same records, in key order
            assertThat(got.batchId()).isEqualTo(b);
            assertThat(got.records()).containsExactlyInAnyOrderElementsOf(records);
        }
    }

    @Test
    void aRecordCutInsideALimitIsRefusedNamingTheLimit() {
        byte[] golden = GoldenVectors.load("point-info.hex");
        // limits follow in the order HH, H, L, LL: the last field here is H
        byte[] cut = Arrays.copyOf(golden, golden.length - 3);
        assertRefused(cut, "point info limit H");
    }

    @Test
    void anInvertedRangeIsRefusedNamingIt() {
        byte[] bad = GoldenVectors.load("point-info.hex");
        int at = indexOf(bad, new byte[] {(byte) 0xc0, 0x44, 0, 0, 0, 0, 0, 0}); // low -40.0
        bad[at] = 0x40; // low 40,000.0: above high 120.0
        bad[at + 1] = (byte) 0xe3;
        bad[at + 2] = (byte) 0x88;
        assertRefused(bad, "point info range");
    }

    @Test
    void aDescriptionLongerThanItsBytesIsRefusedNamingIt() {
        byte[] bad = GoldenVectors.load("point-info.hex");
        int at = indexOf(bad, "Tank 101 top".getBytes(java.nio.charset.StandardCharsets.UTF_8)) - 1;
        bad[at] = 0x7f; // 127 bytes declared, a few dozen left
        assertRefused(bad, "point info description");
    }

    @Test
    void everyTruncationOfTheGoldenVectorIsAProtocolExceptionNeverAnotherException() {
        byte[] golden = GoldenVectors.load("point-info.hex");
        for (int n = 0; n < golden.length; n++) {
            byte[] cut = Arrays.copyOf(golden, n);
            assertThatThrownBy(() -> FrameCodec.decode(cut)).as("first %d bytes", cut.length)
                    .isInstanceOf(ProtocolException.class);
        }
    }

    @Test
    void theModelRefusesAFaultLimitAndTextTooLongForTheWire() {
        assertThatThrownBy(() -> new PointInfo("p", 0, "m", "", Optional.empty(), OptionalDouble.empty(),
                OptionalDouble.empty(), Optional.empty(), Map.of(AlarmLimit.FAULT, 1.0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("FAULT");
        assertThatThrownBy(() -> PointInfo.of("p", 0, "m".repeat(PointInfo.MAX_TEXT_BYTES + 1), ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unit");
    }

    private static void assertRefused(byte[] bytes, String message) {
        assertThatThrownBy(() -> FrameCodec.decode(bytes)).isInstanceOf(ProtocolException.class)
                .hasMessageContaining(message)
                .extracting(e -> ((ProtocolException) e).code()).isEqualTo(ErrorCode.MALFORMED_FRAME);
    }

    private static Map<AlarmLimit, Double> limits(double hh, double h) {
        Map<AlarmLimit, Double> m = new EnumMap<>(AlarmLimit.class);
        m.put(AlarmLimit.HH, hh);
        m.put(AlarmLimit.H, h);
        return m;
    }

    private static int indexOf(byte[] b, byte[] pattern) {
        outer:
        for (int i = 0; i + pattern.length <= b.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (b[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("pattern not in the golden vector");
    }
}
