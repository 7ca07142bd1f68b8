package io.hazwatch.sync.ranges;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * The receiver's de-duplication memory (ARCHITECTURE.md 3.2): a set of sequence numbers kept as sorted,
 * disjoint, non-adjacent closed ranges.
 */
class RangeSetTest {

    @Test
    void anEmptySetHoldsNothingAndReportsMinusOneAsItsBounds() {
        RangeSet s = new RangeSet();

        assertThat(s.isEmpty()).isTrue();
        assertThat(s.cardinality()).isZero();
        assertThat(s.rangeCount()).isZero();
        assertThat(s.min()).isEqualTo(-1);
        assertThat(s.max()).isEqualTo(-1);
        assertThat(s.contains(0)).isFalse();
        assertThat(s.containsAll(0, 0)).isFalse();
        assertThat(s.toString()).isEqualTo("[]");
    }

    @Test
    void inOrderSequencesCollapseIntoOneRange() {
        RangeSet s = new RangeSet();
        for (long v = 0; v < 10_000; v++) {
            s.add(v);
        }

        assertThat(s.rangeCount()).isEqualTo(1);
        assertThat(s.lo(0)).isZero();
        assertThat(s.hi(0)).isEqualTo(9_999);
        assertThat(s.cardinality()).isEqualTo(10_000);
        assertThat(s).isEqualTo(RangeSet.of(0, 9_999));
    }

    @Test
    void outOfOrderSequencesLeaveGapsThatCloseWhenTheMissingValuesArrive() {
        RangeSet s = new RangeSet();
        s.add(10);
        s.add(0);
        s.add(5);
        assertThat(s.toString()).isEqualTo("[0, 5, 10]");

        s.add(1, 4);
        assertThat(s.toString()).isEqualTo("[0..5, 10]");

        s.add(6, 9);
        assertThat(s.toString()).isEqualTo("[0..10]");
        assertThat(s.rangeCount()).isEqualTo(1);
    }

    @Test
    void aRangeAdjacentOnEitherSideMergesWithItsNeighbours() {
        RangeSet s = RangeSet.of(0, 4);
        s.add(10, 14);

        s.add(5, 9); // touches 4 on the left and 10 on the right

        assertThat(s.rangeCount()).isEqualTo(1);
        assertThat(s.toString()).isEqualTo("[0..14]");
    }

    @Test
    void aRangeOverlappingSeveralRangesSwallowsThemAll() {
        RangeSet s = new RangeSet();
        s.add(0, 1);
        s.add(5, 6);
        s.add(10, 11);
        s.add(20, 21);
        s.add(30, 31);

        s.add(4, 22);

        assertThat(s.toString()).isEqualTo("[0..1, 4..22, 30..31]");
        assertThat(s.cardinality()).isEqualTo(2 + 19 + 2);
    }

    @Test
    void aRangeInsideAnExistingRangeChangesNothing() {
        RangeSet s = RangeSet.of(0, 100);
        s.add(200, 300);

        s.add(10, 20);
        s.add(250);

        assertThat(s.toString()).isEqualTo("[0..100, 200..300]");
    }

    @Test
    void aRangeBeforeTheFirstIsInsertedInFront() {
        RangeSet s = RangeSet.of(100, 200);
        s.add(300, 400);

        s.add(10, 20);

        assertThat(s.toString()).isEqualTo("[10..20, 100..200, 300..400]");
        assertThat(s.min()).isEqualTo(10);
        assertThat(s.max()).isEqualTo(400);
    }

    @Test
    void manyDisjointRangesGrowTheBackingArray() {
        RangeSet s = new RangeSet();
        for (long v = 0; v < 2_000; v += 2) {
            s.add(v);
        }

        assertThat(s.rangeCount()).isEqualTo(1_000);
        assertThat(s.contains(998)).isTrue();
        assertThat(s.contains(999)).isFalse();

        for (long v = 1; v < 2_000; v += 2) {
            s.add(v);
        }
        assertThat(s.rangeCount()).isEqualTo(1);
        assertThat(s.cardinality()).isEqualTo(2_000);
    }

    @Test
    void containsAndContainsAllLookInsideTheRightRange() {
        RangeSet s = RangeSet.of(0, 9);
        s.add(20, 29);

        assertThat(s.contains(0)).isTrue();
        assertThat(s.contains(9)).isTrue();
        assertThat(s.contains(10)).isFalse();
        assertThat(s.contains(19)).isFalse();
        assertThat(s.contains(20)).isTrue();
        assertThat(s.contains(30)).isFalse();

        assertThat(s.containsAll(0, 9)).isTrue();
        assertThat(s.containsAll(22, 25)).isTrue();
        assertThat(s.containsAll(5, 22)).as("spans the gap 10..19").isFalse();
        assertThat(s.containsAll(25, 30)).isFalse();
        assertThat(s.containsAll(10, 12)).isFalse();
    }

    @Test
    void missingInListsTheHolesOfAWindow() {
        RangeSet s = new RangeSet();
        s.add(5, 9);
        s.add(15, 19);

        assertThat(s.missingIn(0, 24).toString()).isEqualTo("[0..4, 10..14, 20..24]");
        assertThat(s.missingIn(5, 19).toString()).isEqualTo("[10..14]");
        assertThat(s.missingIn(6, 8).isEmpty()).isTrue();
        assertThat(s.missingIn(12, 16).toString()).isEqualTo("[12..14]");
        assertThat(new RangeSet().missingIn(3, 7)).isEqualTo(RangeSet.of(3, 7));
    }

    @Test
    void flatArraysRoundTripAndMayBeGivenUnsortedAndOverlapping() {
        RangeSet s = new RangeSet();
        s.add(0, 3);
        s.add(7);
        s.add(100, 1_000_000);

        long[] flat = s.toFlatArray();
        assertThat(flat).containsExactly(0, 3, 7, 7, 100, 1_000_000);
        assertThat(RangeSet.ofFlat(flat)).isEqualTo(s);

        assertThat(RangeSet.ofFlat(new long[] {50, 60, 0, 10, 55, 70, 11, 11}).toString())
                .isEqualTo("[0..11, 50..70]");
        assertThat(RangeSet.ofFlat(new long[0]).isEmpty()).isTrue();
    }

    @Test
    void aFlatArrayOfOddLengthIsRefused() {
        assertThatThrownBy(() -> RangeSet.ofFlat(new long[] {1, 2, 3}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("even length");
    }

    @Test
    void negativeOrInvertedRangesAreRefused() {
        RangeSet s = new RangeSet();

        assertThatThrownBy(() -> s.add(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> s.add(5, 4)).isInstanceOf(IllegalArgumentException.class);
        assertThat(s.isEmpty()).isTrue();
    }

    @Test
    void aCopyIsIndependentOfItsOriginal() {
        RangeSet s = RangeSet.of(0, 9);
        RangeSet c = s.copy();

        c.add(20);
        s.add(10);

        assertThat(s.toString()).isEqualTo("[0..10]");
        assertThat(c.toString()).isEqualTo("[0..9, 20]");
    }

    @Test
    void addAllIsTheUnion() {
        RangeSet a = RangeSet.of(0, 9);
        a.add(30, 39);
        RangeSet b = RangeSet.of(10, 12);
        b.add(35, 50);

        a.addAll(b);

        assertThat(a.toString()).isEqualTo("[0..12, 30..50]");
        assertThat(b.toString()).as("argument untouched").isEqualTo("[10..12, 35..50]");
    }

    @Test
    void equalSetsHaveEqualHashCodesWhateverTheOrderTheyWereBuiltIn() {
        RangeSet a = new RangeSet();
        RangeSet b = new RangeSet();
        for (long v = 0; v < 100; v++) {
            a.add(v);
            b.add(99 - v);
        }

        assertThat(a).isEqualTo(b);
        assertThat(a.hashCode()).isEqualTo(b.hashCode());
        assertThat(a).isNotEqualTo(RangeSet.of(0, 98));
    }

    @Test
    void rangesEndingAtTheLargestSequenceStillMergeWithTheirNeighbours() {
        RangeSet s = RangeSet.of(Long.MAX_VALUE - 1, Long.MAX_VALUE);

        s.add(Long.MAX_VALUE - 5, Long.MAX_VALUE - 2);
        assertThat(s.rangeCount()).isEqualTo(1);

        s.add(Long.MAX_VALUE);
        assertThat(s.rangeCount()).isEqualTo(1);
        assertThat(s.toString()).isEqualTo("[" + (Long.MAX_VALUE - 5) + ".." + Long.MAX_VALUE + "]");

        RangeSet t = RangeSet.of(0, 3);
        t.add(10, Long.MAX_VALUE);
        t.add(4, 9);
        assertThat(t).isEqualTo(RangeSet.of(0, Long.MAX_VALUE));
    }

    @Test
    void missingInAWindowCoveredUpToTheLargestSequenceIsEmpty() {
        RangeSet s = RangeSet.of(0, Long.MAX_VALUE);

        assertThat(s.missingIn(0, 5).isEmpty()).isTrue();
        assertThat(RangeSet.of(10, Long.MAX_VALUE).missingIn(0, Long.MAX_VALUE)).isEqualTo(RangeSet.of(0, 9));
    }
}
