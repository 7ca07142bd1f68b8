package io.hazwatch.sync.link;

import static io.hazwatch.sync.link.LinkFixtures.EDGE;
import static io.hazwatch.sync.link.LinkFixtures.FAST;
import static io.hazwatch.sync.link.LinkFixtures.all;
import static io.hazwatch.sync.link.LinkFixtures.held;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hazwatch.sync.journal.CustodyStore;
import io.hazwatch.sync.journal.Pending;
import io.hazwatch.sync.model.StreamKey;
import io.hazwatch.sync.model.SyncRecord;
import io.hazwatch.sync.ranges.RangeSet;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;
import io.hazwatch.sync.link.LinkFixtures.ChildNode;
import io.hazwatch.sync.link.LinkFixtures.ParentNode;
import io.hazwatch.sync.model.AlarmEvent;
import io.hazwatch.sync.model.AlarmLimit;
import io.hazwatch.sync.model.Lane;
import io.hazwatch.sync.model.PointValue;
import io.hazwatch.sync.model.Reading;
import io.hazwatch.sync.model.Rollup;
import io.hazwatch.sync.rollup.RollupProducer;
import io.hazwatch.sync.wire.Compression;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A link with chosen points drains alarms, then the chosen points' raw readings, then the rollups, then
 * every other raw reading; in the end the parent holds everything exactly once. A parent that predates
 * rollup records (protocol version 2) is never sent one.
 */
class UplinkChosenPointsTest {
    private static final long T0 = Rollup.minuteOf(LinkFixtures.T);
    private static final int POINTS = 20;
    private static final int MINUTES = 3;

    @TempDir
    Path dir;

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    /** One batch in flight at a time, so the order of arrival is the order of sending. */
    private static final LinkProfile ONE_AT_A_TIME = new LinkProfile("one-at-a-time", 0, Duration.ZERO, 1,
            Long.MAX_VALUE, 50, Duration.ZERO, Compression.ZSTD);

    @Test
    void chosenPointsAndRollupsReachTheParentBeforeTheRestAndEverythingArrivesOnce() throws Exception {
        List<List<SyncRecord>> arrivals = java.util.Collections.synchronizedList(new ArrayList<>());
        ParentNode parent = closeLater(ParentNode.start(dir.resolve("parent.mv.db"), 0, j -> new CustodyStore() {
            @Override
            public CompletionStage<Map<StreamKey, RangeSet>> accept(List<SyncRecord> records) {
                arrivals.add(List.copyOf(records));
                return j.accept(records);
            }

            @Override
            public CompletionStage<Map<StreamKey, RangeSet>> held(Predicate<String> originFilter) {
                return j.held(originFilter);
            }
        }));
        PointSelection chosen = PointSelection.of(List.of("site/dev/p3", "*/p1?"));
        ChildNode child = closeLater(new ChildNode(dir.resolve("edge.mv.db"), EDGE, EDGE, List.of(new ParentAddress(
                LinkFixtures.PARENT, "127.0.0.1", parent.address.getPort(), Optional.of(ONE_AT_A_TIME), chosen)), FAST));
        long rollups = backlog(child);
        long raw = (long) POINTS * MINUTES * 60;

        child.uplink.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> child.journal.pendingCount() == 0);

        List<Pending> current = all(parent.journal, Lane.CURRENT);
        List<Pending> rolled = all(parent.journal, Lane.ROLLUP);
        assertThat(current).hasSize((int) raw);
        assertThat(rolled).hasSize((int) rollups);
        assertThat(all(parent.journal, Lane.ALARM)).hasSize(1);
        assertThat(held(parent.journal)).isEqualTo(held(child.journal));

        // batch by batch, in the order they arrived (records within one batch arrive together)
        int firstAlarm = -1;
        int lastChosen = -1;
        int firstRollup = Integer.MAX_VALUE;
        int lastRollup = -1;
        int firstOther = Integer.MAX_VALUE;
        int firstChosen = Integer.MAX_VALUE;
        for (int b = 0; b < arrivals.size(); b++) {
            for (SyncRecord r : arrivals.get(b)) {
                if (r.lane() == Lane.ALARM && firstAlarm < 0) {
                    firstAlarm = b;
                } else if (r.lane() == Lane.ROLLUP) {
                    firstRollup = Math.min(firstRollup, b);
                    lastRollup = b;
                } else if (r.lane() == Lane.CURRENT && chosen.test(r.payload().point())) {
                    firstChosen = Math.min(firstChosen, b);
                    lastChosen = b;
                } else if (r.lane() == Lane.CURRENT) {
                    firstOther = Math.min(firstOther, b);
                }
            }
        }
        assertThat(firstAlarm).as("the alarm in the first batch").isZero();
        // an alarm travels in a batch of its own (section 8), so the chosen points fill the next one
        assertThat(firstChosen).as("chosen points' raw readings right behind it").isEqualTo(firstAlarm + 1);
        assertThat(lastChosen).as("chosen points' raw readings before the rollups").isLessThanOrEqualTo(firstRollup);
        assertThat(lastRollup).as("rollups before the other points' raw readings").isLessThanOrEqualTo(firstOther);
        assertThat(firstOther).as("the other points' raw readings come last").isGreaterThan(lastChosen);
    }

    @Test
    void aParentSpeakingVersionTwoIsSentEverythingButTheRollups() throws Exception {
        ParentNode parent = closeLater(ParentNode.start(dir.resolve("parent.mv.db")));
        ChildNode child = closeLater(new ChildNode(dir.resolve("edge.mv.db"), EDGE, EDGE,
                List.of(parent.parentAddress()), FAST.withMaxVersion(2)));
        long rollups = backlog(child);

        child.uplink.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> child.journal.pendingCount(Lane.CURRENT) == 0
                && child.journal.pendingCount(Lane.ALARM) == 0);

        assertThat(all(parent.journal, Lane.CURRENT)).hasSize(POINTS * MINUTES * 60);
        assertThat(all(parent.journal, Lane.ROLLUP)).isEmpty();
        assertThat(child.journal.pendingCount(Lane.ROLLUP)).as("rollups wait for a parent that takes them")
                .isEqualTo(rollups);
    }

    /** Three minutes of every point at 1 Hz and an alarm, journaled through a rollup producer; returns rollups made. */
    private static long backlog(ChildNode child) {
        // a wall clock well past the backlog: the last minute closes at the flush
        Clock later = Clock.fixed(Instant.ofEpochMilli(T0 + 3_600_000L), ZoneOffset.UTC);
        RollupProducer sink = new RollupProducer(child.journal.localSink(), later, Duration.ofSeconds(5));
        for (int s = 0; s < MINUTES * 60; s++) {
            List<Reading> poll = new ArrayList<>(POINTS);
            for (int p = 0; p < POINTS; p++) {
                poll.add(new Reading("site/dev/p" + p, T0 + s * 1000L, PointValue.of(p + (s % 10) / 10.0), 0));
            }
            sink.append(Lane.CURRENT, poll);
        }
        sink.flush();
        child.journal.localSink().append(Lane.ALARM, List.of(new AlarmEvent("site/dev/gas", T0, AlarmLimit.HH, 1, true,
                9.5, 9.0)));
        assertThat(sink.made()).isEqualTo((long) POINTS * MINUTES);
        return sink.made();
    }

    private <T extends AutoCloseable> T closeLater(T c) {
        toClose.add(c);
        return c;
    }
}
