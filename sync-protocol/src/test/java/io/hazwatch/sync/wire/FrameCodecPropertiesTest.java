package io.hazwatch.sync.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.hazwatch.sync.model.SyncRecord;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Properties of the v1 codec (docs/sync-protocol.md): every frame survives a round trip, and no byte
 * string, random or a damaged valid frame, makes the decoder fail with anything but a
 * {@link ProtocolException} (ARCHITECTURE.md 3.8: bad input gets a clear error, never kills a node).
 */
class FrameCodecPropertiesTest {

    @Provide
    Arbitrary<Frame> frames() {
        return FrameArbitraries.frames();
    }

    @Provide
    Arbitrary<Frame.Batch> batches() {
        return Arbitraries.oneOf(FrameArbitraries.batches(), FrameArbitraries.realisticBatches());
    }

    @Provide
    Arbitrary<SyncRecord> records() {
        return FrameArbitraries.records();
    }

    @Property(tries = 2000)
    void everyFrameDecodesToWhatWasEncoded(@ForAll("frames") Frame frame) {
        byte[] bytes = FrameCodec.encode(frame);

        assertThat(bytes[0] & 0xFF).isEqualTo(frame.type());
        assertThat(FrameCodec.decode(bytes)).isEqualTo(frame);
    }

    @Property(tries = 500)
    void batchesOfReadingsAndAlarmsRoundTripRecordForRecord(@ForAll("batches") Frame.Batch batch) {
        Frame.Batch back = (Frame.Batch) FrameCodec.decode(FrameCodec.encode(batch));

        assertThat(back.batchId()).isEqualTo(batch.batchId());
        assertThat(back.records()).containsExactlyElementsOf(batch.records());
    }

    @Property(tries = 500)
    void encodingIntoASharedWriterGivesTheSameBytesAsEncodingAlone(@ForAll("frames") Frame a,
                                                                   @ForAll("frames") Frame b) {
        WireWriter w = new WireWriter(16);
        FrameCodec.encode(a, w);
        int split = w.size();
        FrameCodec.encode(b, w);

        byte[] all = w.toByteArray();
        assertThat(Arrays.copyOfRange(all, 0, split)).isEqualTo(FrameCodec.encode(a));
        assertThat(FrameCodec.decode(all, split, all.length - split)).isEqualTo(b);
    }

    @Property(tries = 1000)
    void aRecordRoundTripsThroughItsJournalForm(@ForAll("records") SyncRecord record) {
        assertThat(FrameCodec.decodeRecord(FrameCodec.encodeRecord(record))).isEqualTo(record);
    }

    // ---- hostile input

    @Provide
    Arbitrary<byte[]> randomFrames() {
        // a plausible type byte (0..10 covers every type and both neighbours) before random bytes, so the
        // body decoders are exercised and not only the type switch
        return Combinators.combine(Arbitraries.integers().between(0, 10),
                        Arbitraries.bytes().array(byte[].class).ofMaxSize(200))
                .as((type, tail) -> {
                    byte[] b = new byte[tail.length + 1];
                    b[0] = (byte) (int) type;
                    System.arraycopy(tail, 0, b, 1, tail.length);
                    return b;
                });
    }

    @Property(tries = 5000)
    void randomBytesEitherDecodeOrAreRefusedWithAProtocolException(@ForAll("randomFrames") byte[] bytes) {
        decodesOrFailsCleanly(bytes);
    }

    @Property(tries = 2000)
    void completelyArbitraryBytesEitherDecodeOrAreRefusedWithAProtocolException(
            @ForAll @Size(max = 64) byte[] bytes) {
        decodesOrFailsCleanly(bytes);
    }

    @Property(tries = 2000)
    void aTruncatedFrameIsRefusedWithMalformedFrame(@ForAll("frames") Frame frame,
                                                    @ForAll @IntRange(min = 0, max = 100_000) int cut) {
        byte[] full = FrameCodec.encode(frame);
        byte[] truncated = Arrays.copyOf(full, cut % full.length); // strictly shorter

        ProtocolException e = catchProtocolException(truncated);
        assertThat(e).as("a strict prefix of a %s must not decode", frame.getClass().getSimpleName()).isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_FRAME);
    }

    @Property(tries = 2000)
    void aFrameWithExtraBytesAtTheEndIsRefused(@ForAll("frames") Frame frame, @ForAll @Size(min = 1, max = 8) byte[] extra) {
        byte[] full = FrameCodec.encode(frame);
        byte[] longer = Arrays.copyOf(full, full.length + extra.length);
        System.arraycopy(extra, 0, longer, full.length, extra.length);

        ProtocolException e = catchProtocolException(longer);
        assertThat(e).isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_FRAME);
    }

    @Property(tries = 3000)
    void aFrameWithFlippedBitsEitherDecodesOrIsRefusedCleanly(@ForAll("frames") Frame frame,
                                                              @ForAll @Size(min = 1, max = 4) int[] flips) {
        byte[] b = FrameCodec.encode(frame);
        for (int f : flips) {
            int bit = Math.floorMod(f, b.length * 8);
            b[bit / 8] ^= (byte) (1 << (bit % 8));
        }
        decodesOrFailsCleanly(b);
    }

    @Property(tries = 3000)
    void aFrameWithBytesOverwrittenInsertedOrDeletedEitherDecodesOrIsRefusedCleanly(
            @ForAll("frames") Frame frame, @ForAll @IntRange(min = 0, max = 2) int op,
            @ForAll @IntRange(min = 0, max = 100_000) int at, @ForAll byte value,
            @ForAll @IntRange(min = 1, max = 12) int run) {
        byte[] b = FrameCodec.encode(frame);
        int i = at % b.length;
        byte[] mutated;
        if (op == 0) { // overwrite a run: 0xFF runs make over-long varints and huge counts
            mutated = b.clone();
            for (int k = i; k < Math.min(b.length, i + run); k++) {
                mutated[k] = value;
            }
        } else if (op == 1) { // insert
            mutated = new byte[b.length + run];
            System.arraycopy(b, 0, mutated, 0, i);
            Arrays.fill(mutated, i, i + run, value);
            System.arraycopy(b, i, mutated, i + run, b.length - i);
        } else { // delete
            int n = Math.min(run, b.length - i);
            mutated = new byte[b.length - n];
            System.arraycopy(b, 0, mutated, 0, i);
            System.arraycopy(b, i + n, mutated, i, b.length - i - n);
        }
        decodesOrFailsCleanly(mutated);
    }

    @Property(tries = 2000)
    void damagedJournalRecordsEitherDecodeOrAreRefusedCleanly(@ForAll("records") SyncRecord record,
                                                              @ForAll @Size(min = 1, max = 3) int[] flips,
                                                              @ForAll @IntRange(min = 0, max = 100_000) int cut) {
        byte[] b = FrameCodec.encodeRecord(record);
        for (int f : flips) {
            int bit = Math.floorMod(f, b.length * 8);
            b[bit / 8] ^= (byte) (1 << (bit % 8));
        }
        byte[] damaged = Arrays.copyOf(b, 1 + cut % b.length);
        try {
            SyncRecord r = FrameCodec.decodeRecord(damaged);
            assertThat(FrameCodec.decodeRecord(FrameCodec.encodeRecord(r))).isEqualTo(r);
        } catch (ProtocolException e) {
            assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_FRAME);
        }
    }

    /**
     * The property itself: a frame comes back, and then it is a frame the encoder can write again and
     * that reads back equal; or a ProtocolException with a decode code and a message. Anything else
     * (IllegalArgumentException from a model constructor, an index error, OutOfMemoryError) escapes and
     * fails the property.
     */
    private static void decodesOrFailsCleanly(byte[] bytes) {
        decodesOrFailsCleanly(bytes, 2);
        decodesOrFailsCleanly(bytes, FrameCodec.MAX_VERSION);
    }

    /**
     * As a connection of {@code version} decodes; below version 3 a CREDIT frame is refused as
     * unexpected (it is a valid frame, only not on that connection).
     */
    private static void decodesOrFailsCleanly(byte[] bytes, int version) {
        Frame f;
        try {
            f = FrameCodec.decode(bytes, 0, bytes.length, version);
        } catch (ProtocolException e) {
            if (e.code() == ErrorCode.UNEXPECTED_FRAME) {
                assertThat(version).isLessThan(Frame.Credit.SINCE_VERSION);
                assertThat(bytes[0] & 0xFF).isEqualTo(Frame.FrameType.CREDIT);
            } else {
                assertThat(e.code()).isIn(ErrorCode.MALFORMED_FRAME, ErrorCode.UNKNOWN_FRAME_TYPE);
            }
            assertThat(e.getMessage()).isNotBlank();
            return;
        }
        if (!(f instanceof Frame.Error)) { // error messages are cut to 200 chars when written
            byte[] again = FrameCodec.encode(f);
            assertThat(FrameCodec.decode(again, 0, again.length, version)).isEqualTo(f);
        }
    }

    // ---- version 3: credit

    @Provide
    Arbitrary<Frame> framesV3() {
        return FrameArbitraries.framesV3();
    }

    @Property(tries = 2000)
    void everyVersion3FrameDecodesToWhatWasEncoded(@ForAll("framesV3") Frame frame) {
        byte[] bytes = FrameCodec.encode(frame);

        assertThat(FrameCodec.decode(bytes, 0, bytes.length, 3)).isEqualTo(frame);
    }

    @Property(tries = 3000)
    void aVersion3FrameWithFlippedBitsEitherDecodesOrIsRefusedCleanly(@ForAll("framesV3") Frame frame,
                                                                      @ForAll @Size(min = 1, max = 4) int[] flips) {
        byte[] b = FrameCodec.encode(frame);
        for (int f : flips) {
            int bit = Math.floorMod(f, b.length * 8);
            b[bit / 8] ^= (byte) (1 << (bit % 8));
        }
        decodesOrFailsCleanly(b, 3);
    }

    @Property(tries = 2000)
    void aTruncatedVersion3FrameIsRefusedWithMalformedFrame(@ForAll("framesV3") Frame frame,
                                                            @ForAll @IntRange(min = 0, max = 100_000) int cut) {
        byte[] full = FrameCodec.encode(frame);
        byte[] truncated = Arrays.copyOf(full, cut % full.length);
        try {
            FrameCodec.decode(truncated, 0, truncated.length, 3);
            throw new AssertionError("a strict prefix of " + frame + " decoded");
        } catch (ProtocolException e) {
            assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_FRAME);
        }
    }

    @Provide
    Arbitrary<long[]> outOfRangeCredit() {
        // records past the maximum (up to values that read back as negative longs), or batches past it
        Arbitrary<long[]> badRecords = Combinators.combine(
                Arbitraries.longs().between(Frame.Credit.MAX_RECORDS + 1, Long.MAX_VALUE)
                        .edgeCases(c -> c.add(Frame.Credit.MAX_RECORDS + 1)),
                Arbitraries.longs().between(0, Frame.Credit.MAX_BATCHES)).as((r, b) -> new long[] {r, b});
        Arbitrary<long[]> negativeRecords = Arbitraries.longs().between(Long.MIN_VALUE, -1)
                .map(r -> new long[] {r, 1});
        Arbitrary<long[]> badBatches = Combinators.combine(Arbitraries.longs().between(0, Frame.Credit.MAX_RECORDS),
                Arbitraries.longs().between(Frame.Credit.MAX_BATCHES + 1L, Long.MAX_VALUE)
                        .edgeCases(c -> c.add(Frame.Credit.MAX_BATCHES + 1L))).as((r, b) -> new long[] {r, b});
        return Arbitraries.oneOf(badRecords, negativeRecords, badBatches);
    }

    @Property(tries = 1000)
    void creditOutsideItsBoundsIsRefusedAsMalformedInEveryFrameThatCarriesIt(
            @ForAll("outOfRangeCredit") long[] credit, @ForAll @IntRange(min = 0, max = 2) int carrier) {
        WireWriter w = new WireWriter(64);
        if (carrier == 0) {
            w.u8(Frame.FrameType.CREDIT);
        } else if (carrier == 1) {
            w.u8(Frame.FrameType.ACK).varlong(7).varlong(0); // batch 7, no streams
        } else {
            w.u8(Frame.FrameType.WELCOME).u16(3).string("130100").varlong(1_780_000_000_000L).varlong(0);
        }
        w.varlong(credit[0]).varlong(credit[1]);
        byte[] bytes = w.toByteArray();

        ProtocolException e = catchProtocolException(bytes, 3);
        assertThat(e).as("credit %s / %s", Long.toUnsignedString(credit[0]), Long.toUnsignedString(credit[1]))
                .isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_FRAME);
        assertThat(e.getMessage()).contains("credit");
    }

    private static ProtocolException catchProtocolException(byte[] bytes, int version) {
        try {
            FrameCodec.decode(bytes, 0, bytes.length, version);
            return null;
        } catch (ProtocolException e) {
            return e;
        }
    }

    private static ProtocolException catchProtocolException(byte[] bytes) {
        try {
            FrameCodec.decode(bytes);
            return null;
        } catch (ProtocolException e) {
            return e;
        }
    }
}
