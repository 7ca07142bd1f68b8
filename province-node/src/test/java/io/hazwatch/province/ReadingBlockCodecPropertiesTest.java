package io.hazwatch.province;

import io.hazwatch.sync.model.PointValue;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/** Any block of readings decodes to exactly what was encoded. */
class ReadingBlockCodecPropertiesTest {

    record Row(long seq, long ts, PointValue value, int quality, long received) { }

    @Property(tries = 500)
    void anyBlockRoundTripsExactly(@ForAll("rows") @Size(min = 1, max = 300) List<Row> rows) {
        ReadingColumns in = new ReadingColumns(rows.size());
        rows.forEach(r -> in.add(r.seq(), r.ts(), r.value(), r.quality(), r.received()));
        ReadingBlockCodecTest.assertSame(in, ReadingBlockCodec.decode(ReadingBlockCodec.encode(in)));
    }

    @Provide
    Arbitrary<List<Row>> rows() {
        return Combinators.combine(longs(), longs(), values(), Arbitraries.integers().between(0, 255), longs())
                .as(Row::new).list();
    }

    /** Steady series, small deltas and any long at all, so every column coding gets its turn. */
    private static Arbitrary<Long> longs() {
        return Arbitraries.oneOf(Arbitraries.longs(), Arbitraries.longs().between(0, 3),
                Arbitraries.longs().between(1_780_000_000_000L, 1_780_000_000_100L),
                Arbitraries.of(Long.MIN_VALUE, Long.MAX_VALUE, 0L, -1L));
    }

    private static Arbitrary<PointValue> values() {
        Arbitrary<PointValue> doubles = Arbitraries.oneOf(Arbitraries.doubles(),
                Arbitraries.longs().map(Double::longBitsToDouble), // every bit pattern, NaN payloads included
                Arbitraries.of(Double.NaN, -0.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MAX_VALUE),
                Arbitraries.floats().map(f -> (double) f)).map(PointValue::of);
        Arbitrary<PointValue> longs = Arbitraries.oneOf(Arbitraries.longs(), Arbitraries.longs().between(-5, 5))
                .map(PointValue::of);
        Arbitrary<PointValue> bools = Arbitraries.of(true, false).map(PointValue::of);
        // strings that UTF-8 can carry (no lone surrogates): the wire delivers nothing else
        Arbitrary<PointValue> texts = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(40)
                        .filter(s -> s.codePoints().noneMatch(cp -> cp >= 0xD800 && cp <= 0xDFFF)),
                Arbitraries.of("", "ON", "OFF", "水位 \uD83D\uDCA7")).map(PointValue::of);
        return Arbitraries.oneOf(doubles, longs, bools, texts, Arbitraries.just(PointValue.NONE));
    }
}
