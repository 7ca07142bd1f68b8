package io.hazwatch.sync.ranges;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.NavigableSet;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;

/**
 * RangeSet against the obvious model, a {@code TreeSet<Long>} of every value added. Values live in a
 * small window so that merges, gaps and adjacency happen all the time; the window sits either at zero or
 * right below {@code Long.MAX_VALUE}, where {@code hi + 1} would overflow.
 */
class RangeSetPropertiesTest {
    private static final long WINDOW = 300;

    @Provide
    Arbitrary<Long> base() {
        return Arbitraries.of(0L, Long.MAX_VALUE - WINDOW);
    }

    @Provide
    Arbitrary<List<Tuple2<Long, Long>>> adds() {
        Arbitrary<Long> lo = Arbitraries.longs().between(0, WINDOW);
        Arbitrary<Long> len = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.just(0L)),
                Tuple.of(3, Arbitraries.longs().between(0, 5)),
                Tuple.of(1, Arbitraries.longs().between(0, 60)));
        return Combinators.combine(lo, len).as((l, n) -> Tuple.of(l, Math.min(WINDOW, l + n)))
                .list().ofMaxSize(80);
    }

    @Property(tries = 500)
    void behavesLikeASetOfLongs(@ForAll("base") long base, @ForAll("adds") List<Tuple2<Long, Long>> adds) {
        RangeSet s = new RangeSet();
        NavigableSet<Long> model = new TreeSet<>();
        for (Tuple2<Long, Long> a : adds) {
            s.add(base + a.get1(), base + a.get2());
            for (long v = a.get1(); v <= a.get2(); v++) {
                model.add(base + v);
            }
            assertInvariants(s);
        }

        assertThat(s.cardinality()).isEqualTo(model.size());
        assertThat(s.isEmpty()).isEqualTo(model.isEmpty());
        assertThat(s.min()).isEqualTo(model.isEmpty() ? -1 : model.first());
        assertThat(s.max()).isEqualTo(model.isEmpty() ? -1 : model.last());
        for (long v = 0; v <= WINDOW; v++) {
            assertThat(s.contains(base + v)).as("contains %d", v).isEqualTo(model.contains(base + v));
        }
        assertThat(s.rangeCount()).isEqualTo(countRuns(model));
        assertThat(RangeSet.ofFlat(s.toFlatArray())).isEqualTo(s);
    }

    @Property(tries = 300)
    void containsAllAndMissingInAgreeWithTheModel(@ForAll("adds") List<Tuple2<Long, Long>> adds,
                                                  @ForAll("adds") List<Tuple2<Long, Long>> windows) {
        RangeSet s = new RangeSet();
        NavigableSet<Long> model = new TreeSet<>();
        for (Tuple2<Long, Long> a : adds) {
            s.add(a.get1(), a.get2());
            for (long v = a.get1(); v <= a.get2(); v++) {
                model.add(v);
            }
        }
        for (Tuple2<Long, Long> w : windows) {
            long lo = w.get1();
            long hi = w.get2();
            boolean all = true;
            NavigableSet<Long> missing = new TreeSet<>();
            for (long v = lo; v <= hi; v++) {
                if (!model.contains(v)) {
                    all = false;
                    missing.add(v);
                }
            }
            assertThat(s.containsAll(lo, hi)).as("containsAll(%d, %d)", lo, hi).isEqualTo(all);
            RangeSet m = s.missingIn(lo, hi);
            assertThat(m.cardinality()).isEqualTo(missing.size());
            for (long v = lo; v <= hi; v++) {
                assertThat(m.contains(v)).isEqualTo(missing.contains(v));
            }
            RangeSet in = s.within(lo, hi);
            assertThat(in.cardinality()).as("within(%d, %d)", lo, hi).isEqualTo((hi - lo + 1) - missing.size());
            for (long v = lo - 2; v <= hi + 2; v++) {
                assertThat(in.contains(v)).isEqualTo(v >= lo && v <= hi && model.contains(v));
            }
        }
    }

    @Property(tries = 300)
    void theOrderOfAddsDoesNotMatter(@ForAll("adds") List<Tuple2<Long, Long>> adds) {
        RangeSet forward = new RangeSet();
        RangeSet backward = new RangeSet();
        for (int i = 0; i < adds.size(); i++) {
            forward.add(adds.get(i).get1(), adds.get(i).get2());
            Tuple2<Long, Long> b = adds.get(adds.size() - 1 - i);
            backward.add(b.get1(), b.get2());
        }

        assertThat(forward).isEqualTo(backward);
        assertThat(forward.hashCode()).isEqualTo(backward.hashCode());
    }

    private static void assertInvariants(RangeSet s) {
        for (int i = 0; i < s.rangeCount(); i++) {
            assertThat(s.lo(i)).isLessThanOrEqualTo(s.hi(i));
            if (i > 0) {
                // sorted, disjoint and not adjacent; written without +1 so it cannot overflow
                assertThat(s.lo(i) - 1).as("range %d of %s", i, s).isGreaterThan(s.hi(i - 1));
            }
        }
    }

    private static int countRuns(NavigableSet<Long> model) {
        int runs = 0;
        Long prev = null;
        for (long v : model) {
            if (prev == null || v != prev + 1) {
                runs++;
            }
            prev = v;
        }
        return runs;
    }
}
