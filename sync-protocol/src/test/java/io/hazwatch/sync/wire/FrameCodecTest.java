package io.hazwatch.sync.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.hazwatch.sync.model.AlarmEvent;
import io.hazwatch.sync.model.AlarmLimit;
import io.hazwatch.sync.model.Lane;
import io.hazwatch.sync.model.PointValue;
import io.hazwatch.sync.model.Reading;
import io.hazwatch.sync.model.StreamKey;
import io.hazwatch.sync.model.SyncRecord;
import io.hazwatch.sync.ranges.RangeSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The v1 codec on chosen examples: golden byte vectors that pin the wire format, one round trip per
 * frame type, and the refusals the decoder owes hostile input (docs/sync-protocol.md).
 */
class FrameCodecTest {
    private static final String EDGE = "130102-E0042-01";

    // ---- golden vectors: an accidental wire change fails here

    @Test
    void helloEncodesToTheGoldenBytes() {
        assertThat(hex(FrameCodec.encode(GoldenVectors.HELLO))).isEqualTo(hex(GoldenVectors.load("hello.hex")));
    }

    @Test
    void theGoldenHelloBytesDecodeToTheHello() {
        assertThat(FrameCodec.decode(GoldenVectors.load("hello.hex"))).isEqualTo(GoldenVectors.HELLO);
    }

    @Test
    void batchEncodesToTheGoldenBytes() {
        assertThat(hex(FrameCodec.encode(GoldenVectors.BATCH))).isEqualTo(hex(GoldenVectors.load("batch.hex")));
    }

    @Test
    void theGoldenBatchBytesDecodeToTheBatch() {
        assertThat(FrameCodec.decode(GoldenVectors.load("batch.hex"))).isEqualTo(GoldenVectors.BATCH);
    }

    // ---- one round trip per frame type

    @Test
    void helloRoundTrips() {
        Frame.Hello h = new Frame.Hello(1, 3, "130102", -1L);
        assertThat(FrameCodec.decode(FrameCodec.encode(h))).isEqualTo(h);
    }

    @Test
    void welcomeWithResumePointsForSeveralStreamsRoundTrips() {
        Map<StreamKey, RangeSet> held = new LinkedHashMap<>();
        RangeSet gappy = RangeSet.of(0, 999);
        gappy.add(1_500, 1_600);
        gappy.add(Long.MAX_VALUE - 1, Long.MAX_VALUE);
        held.put(new StreamKey(EDGE, Lane.CURRENT), gappy);
        held.put(new StreamKey(EDGE, Lane.ALARM), RangeSet.of(0, 0));
        held.put(new StreamKey("130102-E0007-01", Lane.BACKFILL), new RangeSet());
        Frame.Welcome w = new Frame.Welcome(1, "130102", 1_780_000_000_000L, held);

        Frame back = FrameCodec.decode(FrameCodec.encode(w));

        assertThat(back).isEqualTo(w);
        assertThat(((Frame.Welcome) back).held().get(new StreamKey(EDGE, Lane.CURRENT)).toString())
                .isEqualTo("[0..999, 1500..1600, " + (Long.MAX_VALUE - 1) + ".." + Long.MAX_VALUE + "]");
    }

    @Test
    void welcomeListingSeveralStreamsWithEmptyOriginsAndNoRangesRoundTrips() {
        // the smallest a stream can be on the wire: empty origin, lane, zero ranges = 3 bytes
        Map<StreamKey, RangeSet> held = new LinkedHashMap<>();
        for (Lane lane : Lane.values()) {
            held.put(new StreamKey("", lane), new RangeSet());
        }
        Frame.Welcome w = new Frame.Welcome(1, "p", 0, held);

        assertThat(FrameCodec.decode(FrameCodec.encode(w))).isEqualTo(w);
        Frame.Ack a = new Frame.Ack(3, held);
        assertThat(FrameCodec.decode(FrameCodec.encode(a))).isEqualTo(a);
    }

    @Test
    void batchWithEveryValueKindAndAlarmsRoundTrips() {
        Frame.Batch b = new Frame.Batch(Long.MAX_VALUE, List.of(
                rec(Lane.CURRENT, 0, new Reading("a/b/c", 0, PointValue.of(Double.NaN), 0)),
                rec(Lane.CURRENT, 1, new Reading("a/b/c", -5, PointValue.of(-0.0), 1)),
                rec(Lane.CURRENT, 2, new Reading("a/b/d", Long.MIN_VALUE, PointValue.of(Long.MIN_VALUE), 255)),
                rec(Lane.BACKFILL, 7, new Reading("a/b/e", Long.MAX_VALUE, PointValue.of(false), 0)),
                rec(Lane.META, 3, new Reading("a/b/f", 1, PointValue.of("液位 ✓ 𝄞"), 0)),
                rec(Lane.ROLLUP, 4, new Reading("a/b/g", 1, PointValue.NONE, 21)),
                rec(Lane.ALARM, Long.MAX_VALUE,
                        new AlarmEvent("a/b/c", 2, AlarmLimit.LL, 4, false, Double.NEGATIVE_INFINITY, -1e300)),
                rec(Lane.ALARM, 9, new AlarmEvent("a/b/c", 2, AlarmLimit.FAULT, 2, true, Double.NaN, 0))));

        assertThat(FrameCodec.decode(FrameCodec.encode(b))).isEqualTo(b);
    }

    @Test
    void anEmptyBatchRoundTrips() {
        Frame.Batch b = new Frame.Batch(0, List.of());
        assertThat(FrameCodec.encode(b)).containsExactly(0x03, 0x00, 0x00, 0x00);
        assertThat(FrameCodec.decode(FrameCodec.encode(b))).isEqualTo(b);
    }

    @Test
    void aBatchWritesEachOriginAndPointNameOnce() {
        String point = "tankfarm/T101/LT-01/level";
        List<SyncRecord> records = new java.util.ArrayList<>();
        for (int i = 0; i < 100; i++) {
            records.add(rec(Lane.CURRENT, i, new Reading(point, 1_780_000_000_000L + i, PointValue.of(i), 0)));
        }
        byte[] bytes = FrameCodec.encode(new Frame.Batch(1, records));

        assertThat(countOccurrences(bytes, point.getBytes(java.nio.charset.StandardCharsets.UTF_8))).isEqualTo(1);
        assertThat(countOccurrences(bytes, EDGE.getBytes(java.nio.charset.StandardCharsets.UTF_8))).isEqualTo(1);
    }

    @Test
    void ackRoundTrips() {
        Frame.Ack a = new Frame.Ack(12345, Map.of(new StreamKey(EDGE, Lane.CURRENT), RangeSet.of(0, 41)));
        assertThat(FrameCodec.decode(FrameCodec.encode(a))).isEqualTo(a);
    }

    @Test
    void everyErrorCodeRoundTripsByItsPermanentNumber() {
        for (ErrorCode code : ErrorCode.values()) {
            Frame.Error e = new Frame.Error(code, "why: " + code);
            byte[] bytes = FrameCodec.encode(e);
            assertThat(((bytes[1] & 0xFF) << 8) | (bytes[2] & 0xFF)).isEqualTo(code.code());
            assertThat(FrameCodec.decode(bytes)).isEqualTo(e);
        }
    }

    @Test
    void errorCodeNumbersArePermanent() {
        assertThat(ErrorCode.MALFORMED_FRAME.code()).isEqualTo(1);
        assertThat(ErrorCode.FRAME_TOO_LARGE.code()).isEqualTo(2);
        assertThat(ErrorCode.UNKNOWN_FRAME_TYPE.code()).isEqualTo(3);
        assertThat(ErrorCode.UNSUPPORTED_VERSION.code()).isEqualTo(4);
        assertThat(ErrorCode.NOT_REGISTERED.code()).isEqualTo(5);
        assertThat(ErrorCode.ORIGIN_NOT_IN_SUBTREE.code()).isEqualTo(6);
        assertThat(ErrorCode.UNEXPECTED_FRAME.code()).isEqualTo(7);
        assertThat(ErrorCode.STORE_FAILURE.code()).isEqualTo(8);
        assertThat(ErrorCode.SHUTTING_DOWN.code()).isEqualTo(9);
        assertThat(ErrorCode.values()).hasSize(9);
    }

    @Test
    void anErrorWithAnUnknownCodeNumberDecodesAsMalformedFrameKeepingItsMessage() {
        byte[] bytes = FrameCodec.encode(new Frame.Error(ErrorCode.STORE_FAILURE, "x"));
        bytes[1] = 0x01;
        bytes[2] = 0x2C; // 300: no such code

        Frame.Error e = (Frame.Error) FrameCodec.decode(bytes);
        assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_FRAME);
        assertThat(e.message()).isEqualTo("x");
    }

    @Test
    void anErrorMessageLongerThan200CharactersIsCutTo200() {
        Frame.Error e = new Frame.Error(ErrorCode.STORE_FAILURE, "x".repeat(5000));

        Frame.Error back = (Frame.Error) FrameCodec.decode(FrameCodec.encode(e));

        assertThat(back.message()).isEqualTo("x".repeat(200));
    }

    @Test
    void pingAndPongRoundTripIncludingNegativeValues() {
        Frame.Ping ping = new Frame.Ping(-1, Long.MIN_VALUE, 50_000);
        Frame.Pong pong = new Frame.Pong(Long.MAX_VALUE, 0);

        assertThat(FrameCodec.decode(FrameCodec.encode(ping))).isEqualTo(ping);
        assertThat(FrameCodec.decode(FrameCodec.encode(pong))).isEqualTo(pong);
        assertThat(FrameCodec.encode(new Frame.Ping(1, 2, 3))).containsExactly(0x06, 1, 2, 3);
        assertThat(FrameCodec.encode(new Frame.Pong(1, 2))).containsExactly(0x07, 1, 2);
    }

    @Test
    void aRecordRoundTripsThroughItsJournalForm() {
        SyncRecord r = rec(Lane.ALARM, 17, new AlarmEvent("x/y/z", 99, AlarmLimit.H, 2, true, 1.5, 1.0));
        assertThat(FrameCodec.decodeRecord(FrameCodec.encodeRecord(r))).isEqualTo(r);
    }

    @Test
    void decodingASliceReadsOnlyThatSlice() {
        byte[] ping = FrameCodec.encode(new Frame.Ping(5, 6, 7));
        byte[] padded = new byte[ping.length + 10];
        System.arraycopy(ping, 0, padded, 4, ping.length);

        assertThat(FrameCodec.decode(padded, 4, ping.length)).isEqualTo(new Frame.Ping(5, 6, 7));
    }

    // ---- refusals

    @Test
    void anEmptyBodyIsMalformed() {
        assertRefused(new byte[0], ErrorCode.MALFORMED_FRAME, "truncated u8");
    }

    @Test
    void anUnknownFrameTypeIsRefusedWithItsOwnCode() {
        assertRefused(bytes(0x7F), ErrorCode.UNKNOWN_FRAME_TYPE, "0x7f");
        assertRefused(bytes(0x00), ErrorCode.UNKNOWN_FRAME_TYPE, "0x0");
        assertRefused(bytes(0x08), ErrorCode.UNKNOWN_FRAME_TYPE, "0x8");
    }

    @Test
    void trailingBytesAfterAFrameAreMalformed() {
        assertRefused(bytes(0x07, 1, 2, 0), ErrorCode.MALFORMED_FRAME, "trailing");
    }

    @Test
    void aBodyOverTheMaximumFrameSizeIsRefusedBeforeItIsRead() {
        byte[] big = new byte[FrameCodec.MAX_FRAME_BYTES + 1];
        big[0] = 0x07;
        assertRefused(big, ErrorCode.FRAME_TOO_LARGE, String.valueOf(FrameCodec.MAX_FRAME_BYTES));
    }

    @Test
    void aBatchClaiming2To31RecordsInTwentyBytesIsRefusedWithoutAllocatingForThem() {
        WireWriter w = new WireWriter(32);
        w.u8(0x03).varlong(1).varlong(1).string("a").varlong(1L << 31);
        while (w.size() < 20) {
            w.u8(0);
        }
        assertThat(w.size()).isEqualTo(20);

        // were the count trusted, the list for 2^31 records would be an OutOfMemoryError, not this
        assertRefused(w.toByteArray(), ErrorCode.MALFORMED_FRAME, "record count 2147483648");
    }

    @Test
    void aBatchClaimingMoreRecordsThanAnyBatchMayCarryIsRefused() {
        WireWriter w = new WireWriter(1 << 20);
        w.u8(0x03).varlong(1).varlong(1).string("a").varlong(FrameCodec.MAX_BATCH_RECORDS + 1L);
        for (int i = 0; i < 10 * (FrameCodec.MAX_BATCH_RECORDS + 1); i++) {
            w.u8(0);
        }
        assertRefused(w.toByteArray(), ErrorCode.MALFORMED_FRAME, "record count");
    }

    @Test
    void aStringTableClaiming2To31StringsIsRefused() {
        byte[] b = new WireWriter(16).u8(0x03).varlong(1).varlong(1L << 31).u8(0).u8(0).toByteArray();
        assertRefused(b, ErrorCode.MALFORMED_FRAME, "string table count");
    }

    @Test
    void aStringLengthOf2To31IsRefused() {
        byte[] b = new WireWriter(16).u8(0x01).u16(1).u16(1).varlong(1L << 31).u8('a').toByteArray();
        assertRefused(b, ErrorCode.MALFORMED_FRAME, "string byte count");
    }

    @Test
    void aStringRunningJustPastTheEndOfTheFrameIsRefusedAsTruncated() {
        // declared length 2 with 1 byte left: the length prefix itself must not count as string bytes
        byte[] b = new WireWriter(16).u8(0x02).u16(0).varlong(2).u8(0).toByteArray();
        assertRefused(b, ErrorCode.MALFORMED_FRAME, "truncated string");
    }

    @Test
    void aStringInASliceIsNotReadFromBytesAfterTheSlice() {
        byte[] hello = FrameCodec.encode(new Frame.Hello(1, 1, "abc", 0));
        byte[] buffer = java.util.Arrays.copyOf(hello, hello.length + 16); // zeros after the slice
        int cut = 1 + 2 + 2 + 1 + 2; // type, versions, length 3, and only 2 of the 3 bytes of "abc"

        ProtocolException e = catchThrowableOfType(ProtocolException.class, () -> FrameCodec.decode(buffer, 0, cut));
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("truncated string");
    }

    @Test
    void aStringLongerThanTheProtocolMaximumIsRefusedEvenWhenTheBytesAreThere() {
        WireWriter w = new WireWriter(2048).u8(0x01).u16(1).u16(1).varlong(WireReader.MAX_STRING_BYTES + 1);
        for (int i = 0; i <= WireReader.MAX_STRING_BYTES; i++) {
            w.u8('a');
        }
        w.varlong(0);
        assertRefused(w.toByteArray(), ErrorCode.MALFORMED_FRAME, "string byte count");
    }

    @Test
    void invalidUtf8InAStringIsRefused() {
        byte[] b = new WireWriter(16).u8(0x01).u16(1).u16(1).varlong(2).u8(0xC3).u8(0x28).varlong(0).toByteArray();
        assertRefused(b, ErrorCode.MALFORMED_FRAME, "invalid UTF-8");
    }

    @Test
    void aVarintLongerThanTenBytesIsRefused() {
        byte[] b = bytes(0x07, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01, 0x00);
        assertRefused(b, ErrorCode.MALFORMED_FRAME, "varint");
        byte[] overflowing = bytes(0x07, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02, 0x00);
        assertRefused(overflowing, ErrorCode.MALFORMED_FRAME, "longer than 64 bits");
    }

    @Test
    void aWelcomeClaiming2To31StreamsIsRefused() {
        byte[] b = new WireWriter(16).u8(0x02).u16(1).string("p").varlong(0).varlong(1L << 31).toByteArray();
        assertRefused(b, ErrorCode.MALFORMED_FRAME, "stream count");
    }

    @Test
    void anAckClaiming2To31RangesInOneStreamIsRefused() {
        byte[] b = new WireWriter(16).u8(0x04).varlong(1).varlong(1).string("o").u8(2).varlong(1L << 31)
                .varlong(0).varlong(0).toByteArray();
        assertRefused(b, ErrorCode.MALFORMED_FRAME, "range count");
    }

    @Test
    void rangesThatOverflowOrRunBackwardsAreRefused() {
        // second range starts at prevHi + 1 + (2^64 - 1), i.e. wraps to prevHi
        byte[] backwards = new WireWriter(32).u8(0x04).varlong(1).varlong(1).string("o").u8(2).varlong(2)
                .varlong(10).varlong(0).varlong(-1L).varlong(0).toByteArray();
        assertRefused(backwards, ErrorCode.MALFORMED_FRAME, "range overflow");

        byte[] huge = new WireWriter(32).u8(0x04).varlong(1).varlong(1).string("o").u8(2).varlong(1)
                .varlong(Long.MAX_VALUE).varlong(5).toByteArray();
        assertRefused(huge, ErrorCode.MALFORMED_FRAME, "range overflow");
    }

    @Test
    void aStreamListedTwiceIsRefused() {
        byte[] b = new WireWriter(32).u8(0x04).varlong(1).varlong(2)
                .string("o").u8(2).varlong(0)
                .string("o").u8(2).varlong(0).toByteArray();
        assertRefused(b, ErrorCode.MALFORMED_FRAME, "listed twice");
    }

    @Test
    void anUnknownLaneCodeIsRefusedInStreamsAndInRecords() {
        byte[] stream = new WireWriter(16).u8(0x04).varlong(1).varlong(1).string("o").u8(5).varlong(0).toByteArray();
        assertRefused(stream, ErrorCode.MALFORMED_FRAME, "lane code 5");

        byte[] record = goldenBatchWithRecordByte(1, 5); // first record's lane byte
        assertRefused(record, ErrorCode.MALFORMED_FRAME, "lane code 5");
    }

    @Test
    void aRecordReferringPastTheStringTableIsRefused() {
        assertRefused(goldenBatchWithRecordByte(0, 5), ErrorCode.MALFORMED_FRAME, "origin index");
        assertRefused(goldenBatchWithRecordByte(4, 9), ErrorCode.MALFORMED_FRAME, "point index");
    }

    @Test
    void anUnknownRecordKindIsRefused() {
        assertRefused(goldenBatchWithRecordByte(3, 5), ErrorCode.MALFORMED_FRAME, "record kind 5"); // 3 rollup, 4 point info (version 3)
    }

    @Test
    void alarmFieldsOutOfRangeAreRefused() {
        // first record of the golden batch is the alarm: origin, lane, seq, kind, point, ts(6), limit, level, raised
        assertRefused(goldenBatchWithRecordByte(11, 5), ErrorCode.MALFORMED_FRAME, "alarm limit code 5");
        assertRefused(goldenBatchWithRecordByte(12, 0), ErrorCode.MALFORMED_FRAME, "alarm level 0");
        assertRefused(goldenBatchWithRecordByte(12, 5), ErrorCode.MALFORMED_FRAME, "alarm level 5");
        assertRefused(goldenBatchWithRecordByte(13, 2), ErrorCode.MALFORMED_FRAME, "raised 2");
    }

    @Test
    void anUnknownValueTypeOrABadBooleanIsRefused() {
        Frame.Batch b = new Frame.Batch(1, List.of(rec(Lane.CURRENT, 0, new Reading("p", 0, PointValue.of(true), 0))));
        byte[] bytes = FrameCodec.encode(b);
        int boolByte = bytes.length - 1;

        bytes[boolByte] = 2;
        assertRefused(bytes, ErrorCode.MALFORMED_FRAME, "boolean byte 2");
        bytes[boolByte] = 1;
        bytes[boolByte - 1] = 9;
        assertRefused(bytes, ErrorCode.MALFORMED_FRAME, "value type 9");
    }

    @Test
    void aNegativeSequenceIsRefused() {
        WireWriter w = new WireWriter(64).u8(0x03).varlong(1).varlong(2).string("o").string("p").varlong(1);
        w.varlong(0).u8(2).varlong(-1L); // origin 0, lane CURRENT, seq 2^64 - 1
        w.u8(1).varlong(1).zigzag(0).u8(0).u8(0);
        assertRefused(w.toByteArray(), ErrorCode.MALFORMED_FRAME, "negative sequence");
    }

    // ---- helpers

    /** The golden batch with one byte of its first record replaced; {@code offset} counts from the record. */
    private static byte[] goldenBatchWithRecordByte(int offset, int value) {
        byte[] b = GoldenVectors.load("batch.hex");
        int firstRecord = indexAfterStringTable(b);
        b[firstRecord + offset] = (byte) value;
        return b;
    }

    private static int indexAfterStringTable(byte[] b) {
        WireReader r = new WireReader(b);
        r.u8();
        r.varlong();
        long n = r.varlong();
        for (int i = 0; i < n; i++) {
            r.string();
        }
        r.varlong(); // record count
        return r.position();
    }

    private static void assertRefused(byte[] bytes, ErrorCode code, String messagePart) {
        ProtocolException e = catchThrowableOfType(ProtocolException.class, () -> FrameCodec.decode(bytes));
        assertThat(e).as("decoding %s", bytes.length > 64 ? bytes.length + " bytes" : hex(bytes)).isNotNull();
        assertThat(e.code()).isEqualTo(code);
        assertThat(e.getMessage()).contains(messagePart);
        assertThat(e.getStackTrace()).as("decode errors are stackless").isEmpty();
    }

    private static SyncRecord rec(Lane lane, long seq, io.hazwatch.sync.model.Payload p) {
        return new SyncRecord(EDGE, lane, seq, p);
    }

    private static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    private static String hex(byte[] b) {
        return HexFormat.ofDelimiter(" ").formatHex(b);
    }

    private static int countOccurrences(byte[] hay, byte[] needle) {
        int n = 0;
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int k = 0; k < needle.length; k++) {
                if (hay[i + k] != needle[k]) {
                    continue outer;
                }
            }
            n++;
        }
        return n;
    }

    @Test
    void aModelValueTheEncoderCannotWriteIsRefusedAtTheSender() {
        String tooLong = "x".repeat(WireReader.MAX_STRING_BYTES + 1);
        assertThatThrownBy(() -> FrameCodec.encode(new Frame.Hello(1, 1, tooLong, 0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("longer than " + WireReader.MAX_STRING_BYTES);
    }
}
