package io.hazwatch.sync.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hazwatch.sync.model.AlarmEvent;
import io.hazwatch.sync.model.AlarmLimit;
import io.hazwatch.sync.model.Lane;
import io.hazwatch.sync.model.PointValue;
import io.hazwatch.sync.model.Reading;
import io.hazwatch.sync.model.SyncRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The compact batches of protocol version 2: exact round trips through a connection's pair of
 * codecs (dictionaries carried from batch to batch), clean refusal of anything malformed, and the
 * compactness that is their reason to exist.
 */
class CompactBatchTest {

    /** Both ends of one connection: what the sender encodes, the receiver decodes. */
    private static final class Connection {
        final LinkCodec sender = new LinkCodec();
        final LinkCodec receiver = new LinkCodec();

        Connection(Compression c) {
            sender.negotiated(2, c);
            receiver.negotiated(2, Compression.NONE);
        }

        byte[] send(Frame.Batch b) {
            WireWriter w = new WireWriter(64);
            sender.encode(b, w);
            return w.toByteArray();
        }

        Frame.Batch receive(byte[] body) {
            return (Frame.Batch) receiver.decode(body);
        }
    }

    @Provide
    Arbitrary<List<Frame.Batch>> batchSequences() {
        return Arbitraries.oneOf(FrameArbitraries.batches(), FrameArbitraries.realisticBatches()).list().ofMinSize(1)
                .ofMaxSize(4);
    }

    @Property(tries = 400)
    void consecutiveBatchesOnOneConnectionRoundTripRecordForRecord(@ForAll("batchSequences") List<Frame.Batch> batches,
                                                                   @ForAll Compression compression) {
        Connection c = new Connection(compression);
        for (Frame.Batch b : batches) {
            Frame.Batch back = c.receive(c.send(b));
            assertThat(back.batchId()).isEqualTo(b.batchId());
            assertThat(back.records()).containsExactlyInAnyOrderElementsOf(b.records());
        }
    }

    @Property(tries = 1500)
    void damagedCompactBatchesDecodeOrAreRefusedWithAProtocolException(
            @ForAll("batchSequences") List<Frame.Batch> batches, @ForAll Compression compression,
            @ForAll("damage") long seed) {
        Connection c = new Connection(compression);
        byte[] body = c.send(batches.get(0));
        Random r = new Random(seed);
        byte[] damaged = body.clone();
        switch (r.nextInt(3)) {
            case 0 -> damaged = java.util.Arrays.copyOf(body, 1 + r.nextInt(body.length - 1));
            case 1 -> damaged[Math.max(1, r.nextInt(body.length)) % body.length] ^= (byte) (1 << r.nextInt(8));
            default -> damaged[Math.max(1, r.nextInt(body.length)) % body.length] = (byte) r.nextInt(256);
        }
        try {
            c.receive(damaged);
        } catch (ProtocolException expected) {
            assertThat(expected.code()).isIn(ErrorCode.MALFORMED_FRAME, ErrorCode.UNKNOWN_FRAME_TYPE,
                    ErrorCode.FRAME_TOO_LARGE, ErrorCode.UNEXPECTED_FRAME);
        }
    }

    @Provide
    Arbitrary<Long> damage() {
        return Arbitraries.longs();
    }

    @Test
    void aCompactBatchOnAConnectionStillAtVersionOneIsRefused() {
        Connection c = new Connection(Compression.NONE);
        byte[] body = c.send(new Frame.Batch(1, List.of(new SyncRecord("130102-E0001-01", Lane.CURRENT, 0,
                new Reading("a/b/c", 1, PointValue.of(1.5), 0)))));
        LinkCodec v1 = new LinkCodec();
        assertThatThrownBy(() -> v1.decode(body)).isInstanceOf(ProtocolException.class)
                .extracting(e -> ((ProtocolException) e).code()).isEqualTo(ErrorCode.UNEXPECTED_FRAME);
    }

    @Test
    void aPointIdTheConnectionNeverDefinedIsRefused() {
        Connection first = new Connection(Compression.NONE);
        first.send(batch("130102-E0001-01", 0, 10, i -> 20.0 + i));     // defines the names on `first`
        byte[] second = first.send(batch("130102-E0001-01", 10, 10, i -> 20.0 + i)); // uses them by number
        Connection fresh = new Connection(Compression.NONE);
        assertThatThrownBy(() -> fresh.receive(second)).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("not defined on this connection");
    }

    @Test
    void doublesKeepEveryBitIncludingNegativeZeroAndNan() {
        double[] odd = {-0.0, 0.0, Double.NaN, Double.longBitsToDouble(0x7ff0000000000badL), Double.MIN_VALUE,
                Double.MAX_VALUE, Double.NEGATIVE_INFINITY, 0.1, 0.2, 0.30000000000000004};
        Connection c = new Connection(Compression.ZSTD);
        Frame.Batch b = batch("E", 0, odd.length, i -> odd[i]);
        List<SyncRecord> back = c.receive(c.send(b)).records();
        for (int i = 0; i < odd.length; i++) {
            double got = ((PointValue.DoubleValue) ((Reading) back.get(i).payload()).value()).value();
            assertThat(Double.doubleToRawLongBits(got)).isEqualTo(Double.doubleToRawLongBits(odd[i]));
        }
    }

    @Test
    void scaledDecimalsAreCodedAsIntegerDeltas() {
        assertThat(ColumnarBatchCodec.decimalsFor(List.of(23.4, 23.5, 23.5, -1.2))).isEqualTo(1);
        assertThat(ColumnarBatchCodec.decimalsFor(List.of(1.0, 2.0))).isZero();
        assertThat(ColumnarBatchCodec.decimalsFor(List.of((double) 12.345f))).isEqualTo(-1);
    }

    @Test
    void aMinuteOfSlowlyChangingInstrumentsCostsAboutOneByteAReadingAfterItsFirstBatch() {
        // 36 points polled every second for 60 s: tank levels in mm steps, temperatures x0.1, status words
        Connection c = new Connection(Compression.ZSTD);
        c.receive(c.send(minute(0)));
        Frame.Batch second = minute(60);
        byte[] body = c.send(second);
        assertThat(c.receive(body).records()).containsExactlyInAnyOrderElementsOf(second.records());
        assertThat((double) body.length / second.records().size()).isLessThan(1.5);
    }

    @Test
    void noisyFloat32ReadingsCostFewerThanFourBytesEach() {
        Random rnd = new Random(7);
        float level = 12.5f;
        List<SyncRecord> records = new ArrayList<>();
        long seq = 0;
        for (int t = 0; t < 60; t++) {
            for (int p = 0; p < 36; p++) {
                level += (float) (rnd.nextGaussian() * 0.002);
                records.add(new SyncRecord("130102-E0001-01", Lane.CURRENT, seq++, new Reading(
                        "130102-E0001-01/tank-farm/tank" + p + ".level", 1_780_000_000_000L + t * 1000L,
                        PointValue.of((double) level), 0)));
            }
        }
        Connection c = new Connection(Compression.ZSTD);
        c.receive(c.send(new Frame.Batch(0, records.subList(0, 36))));
        Frame.Batch rest = new Frame.Batch(1, records.subList(36, records.size()));
        byte[] body = c.send(rest);
        assertThat(c.receive(body).records()).containsExactlyInAnyOrderElementsOf(rest.records());
        assertThat((double) body.length / rest.records().size()).isLessThan(4.0);
    }

    @Test
    void alarmsRoundTripWithEveryField() {
        Connection c = new Connection(Compression.LZ4);
        SyncRecord a = new SyncRecord("130102-E0001-01", Lane.ALARM, 7, new AlarmEvent("s/d/gas", 1_780_000_000_123L,
                AlarmLimit.HH, 2, true, 52.5, 50.0));
        assertThat(c.receive(c.send(new Frame.Batch(3, List.of(a)))).records()).containsExactly(a);
    }

    private static Frame.Batch minute(int startSecond) {
        List<SyncRecord> records = new ArrayList<>();
        long seq = startSecond * 36L;
        for (int t = startSecond; t < startSecond + 60; t++) {
            for (int p = 0; p < 36; p++) {
                double v = switch (p % 3) {
                    case 0 -> 12.345 + (t / 20) * 0.001;   // level, mm resolution, changes now and then
                    case 1 -> 23.4 + ((t / 30) % 2) * 0.1;  // temperature x0.1
                    default -> 0;                          // a status word at rest
                };
                records.add(new SyncRecord("130102-E0001-01", Lane.CURRENT, seq++, new Reading(
                        "130102-E0001-01/tank-farm/tank" + (p / 3) + ".p" + (p % 3), 1_780_000_000_000L + t * 1000L,
                        p % 3 == 2 ? PointValue.of(0L) : PointValue.of(v), 0)));
            }
        }
        return new Frame.Batch(startSecond, records);
    }

    private static Frame.Batch batch(String origin, long seq0, int n, java.util.function.IntToDoubleFunction v) {
        List<SyncRecord> records = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            records.add(new SyncRecord(origin, Lane.CURRENT, seq0 + i, new Reading(origin + "/farm/tank1.level",
                    1_780_000_000_000L + i * 1000L, PointValue.of(v.applyAsDouble(i)), 0)));
        }
        return new Frame.Batch(seq0, records);
    }
}
