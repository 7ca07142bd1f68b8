package io.hazwatch.sync.link;

import static org.assertj.core.api.Assertions.assertThat;

import io.hazwatch.sync.model.Lane;
import io.hazwatch.sync.model.PointValue;
import io.hazwatch.sync.model.Reading;
import io.hazwatch.sync.model.SyncRecord;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

/**
 * The drain order of a connection splits the journal without overlap, chosen points or not: every
 * pending record belongs to exactly one segment, so within a connection nothing is sent twice and
 * nothing is left out (except ROLLUP and META under a parent that predates them, where they stay).
 */
class SegmentsPropertiesTest {

    @Provide
    Arbitrary<List<String>> selections() {
        return Arbitraries.of("site/dev/p1", "site/dev/p2", "*/p1*", "site/*", "?ite/dev/p3", "*").list().ofMaxSize(3)
                .uniqueElements();
    }

    @Property(tries = 1000)
    void everyRecordBelongsToExactlyOneSegment(@ForAll("selections") List<String> patterns,
                                               @ForAll @LongRange(min = 0, max = 100) long liveFrom,
                                               @ForAll @LongRange(min = 0, max = 200) long position,
                                               @ForAll Lane lane,
                                               @ForAll("points") String point,
                                               @ForAll boolean rollups) {
        PointSelection chosen = PointSelection.of(patterns);
        SyncRecord r = new SyncRecord("o", lane, 0, new Reading(point, 0, PointValue.of(1.0), 0));
        long owners = Uplink.segmentsFrom(liveFrom, chosen, rollups).stream()
                .filter(s -> s.contains(r, position)).count();
        assertThat(owners).isEqualTo((lane == Lane.ROLLUP || lane == Lane.META) && !rollups ? 0 : 1);
    }

    @Provide
    Arbitrary<String> points() {
        return Arbitraries.of("site/dev/p1", "site/dev/p2", "site/dev/p10", "x/dev/p3", "site/dev/p3", "other");
    }
}
