package io.hazwatch.province;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hazwatch.sync.model.PointValue;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The block payload: exact round trips of every value type and column shape, and refusal of what does not parse. */
class ReadingBlockCodecTest {
    static final long T0 = 1_780_000_000_000L;

    private static ReadingColumns roundTrip(ReadingColumns in) {
        ReadingColumns out = ReadingBlockCodec.decode(ReadingBlockCodec.encode(in));
        assertSame(in, out);
        return out;
    }

    static void assertSame(ReadingColumns in, ReadingColumns out) {
        assertThat(out.size()).isEqualTo(in.size());
        for (int i = 0; i < in.size(); i++) {
            assertThat(out.seq(i)).as("seq %d", i).isEqualTo(in.seq(i));
            assertThat(out.ts(i)).as("ts %d", i).isEqualTo(in.ts(i));
            assertThat(out.quality(i)).as("quality %d", i).isEqualTo(in.quality(i));
            assertThat(out.received(i)).as("received %d", i).isEqualTo(in.received(i));
            assertSameValue(out.value(i), in.value(i), i);
        }
    }

    /** Doubles by their bits: NaN payloads and -0.0 must survive, which equals() on a record would blur. */
    static void assertSameValue(PointValue actual, PointValue expected, int i) {
        if (expected instanceof PointValue.DoubleValue d) {
            assertThat(actual).as("value %d", i).isInstanceOf(PointValue.DoubleValue.class);
            assertThat(Double.doubleToRawLongBits(((PointValue.DoubleValue) actual).value()))
                    .as("bits of value %d", i).isEqualTo(Double.doubleToRawLongBits(d.value()));
        } else {
            assertThat(actual).as("value %d", i).isEqualTo(expected);
        }
    }

    @Test
    void everyValueTypeComesBackExactlyIncludingNaNInfinitiesAndExtremes() {
        List<PointValue> values = List.of(
                PointValue.of(1.5), PointValue.of(Double.NaN), PointValue.of(Double.longBitsToDouble(0x7FF8_0000_DEAD_BEEFL)),
                PointValue.of(Double.POSITIVE_INFINITY), PointValue.of(Double.NEGATIVE_INFINITY), PointValue.of(-0.0),
                PointValue.of(0.0), PointValue.of(Double.MIN_VALUE), PointValue.of(Double.MAX_VALUE), PointValue.of(1.5),
                PointValue.of(Long.MIN_VALUE), PointValue.of(Long.MAX_VALUE), PointValue.of(0L), PointValue.of(-1L),
                PointValue.of(true), PointValue.of(false), PointValue.NONE,
                PointValue.of(""), PointValue.of("tank 1 überlauf 水位 \uD83D\uDCA7"), PointValue.of("tank 1 überlauf 水位 \uD83D\uDCA7"),
                PointValue.of("x".repeat(5000)), PointValue.of(""));
        ReadingColumns c = new ReadingColumns(4);
        for (int i = 0; i < values.size(); i++) {
            c.add(100 + i * 3L, T0 + i * 997L, values.get(i), i % 2 == 0 ? 0 : 0x80 | 17, T0 + 5000);
        }
        roundTrip(c);
    }

    @Test
    void extremeSequencesAndTimesComeBackExactly() {
        ReadingColumns c = new ReadingColumns(1);
        c.add(0, Long.MIN_VALUE, PointValue.of(1L), 255, Long.MAX_VALUE);
        c.add(Long.MAX_VALUE, Long.MAX_VALUE, PointValue.of(2L), 0, Long.MIN_VALUE);
        c.add(1, 0, PointValue.of(3L), 1, 0);
        c.add(Long.MAX_VALUE - 1, -1, PointValue.of(4L), 16, -1);
        roundTrip(c);
    }

    @Test
    void aSingleReadingIsABlock() {
        ReadingColumns c = new ReadingColumns(1);
        c.add(7, T0, PointValue.of(42.125), 0, T0 + 30);
        roundTrip(c);
    }

    @Test
    void aSteadyPointCostsAFewBytesPerReading() {
        ReadingColumns c = new ReadingColumns(200);
        double level = 12.5;
        for (int i = 0; i < 200; i++) {
            level += (i % 7 - 3) * 0.001;
            c.add(1000 + i * 40L, T0 + i * 1000L + (i % 3), PointValue.of((float) level), 0, T0 + 999_999);
        }
        byte[] payload = ReadingBlockCodec.encode(c);
        roundTrip(c);
        assertThat(payload.length).as("bytes for 200 float readings").isLessThan(200 * 6);
    }

    @Test
    void anEmptyOrOversizedBlockIsRefusedAtEncoding() {
        assertThatThrownBy(() -> ReadingBlockCodec.encode(new ReadingColumns(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 0");
        ReadingColumns big = new ReadingColumns(ReadingBlockCodec.MAX_READINGS + 1);
        for (int i = 0; i <= ReadingBlockCodec.MAX_READINGS; i++) {
            big.add(i, T0, PointValue.NONE, 0, T0);
        }
        assertThatThrownBy(() -> ReadingBlockCodec.encode(big)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(String.valueOf(ReadingBlockCodec.MAX_READINGS + 1));
    }

    @Test
    void everyTruncationOfAPayloadIsRefusedNotMisread() {
        ReadingColumns c = new ReadingColumns(4);
        c.add(1, T0, PointValue.of(1.25), 0, T0);
        c.add(2, T0 + 7, PointValue.of("abc"), 1, T0);
        c.add(5, T0 + 9, PointValue.of(-9L), 0, T0 + 1);
        byte[] payload = ReadingBlockCodec.encode(c);
        for (int len = 0; len < payload.length; len++) {
            byte[] cut = Arrays.copyOf(payload, len);
            assertThatThrownBy(() -> ReadingBlockCodec.decode(cut)).as("payload cut to %d bytes", len)
                    .isInstanceOf(BlockFormatException.class);
        }
        byte[] longer = Arrays.copyOf(payload, payload.length + 1);
        assertThatThrownBy(() -> ReadingBlockCodec.decode(longer)).isInstanceOf(BlockFormatException.class)
                .hasMessageContaining("1 bytes left over");
    }

    @Test
    void anUnknownFormatOrCodingIsRefusedByName() {
        ReadingColumns c = new ReadingColumns(1);
        c.add(1, T0, PointValue.of(true), 0, T0);
        byte[] payload = ReadingBlockCodec.encode(c);
        byte[] format = payload.clone();
        format[0] = 9;
        assertThatThrownBy(() -> ReadingBlockCodec.decode(format)).isInstanceOf(BlockFormatException.class)
                .hasMessageContaining("unknown block format 9");
        byte[] mode = payload.clone();
        mode[2] = 7; // the sequence column's coding
        assertThatThrownBy(() -> ReadingBlockCodec.decode(mode)).isInstanceOf(BlockFormatException.class)
                .hasMessageContaining("coding 7 of the sequence column");
    }
}
