package io.hazwatch.sync.journal;

import static org.assertj.core.api.Assertions.assertThat;

import io.hazwatch.sync.model.AlarmEvent;
import io.hazwatch.sync.model.AlarmLimit;
import io.hazwatch.sync.model.Lane;
import io.hazwatch.sync.model.PointValue;
import io.hazwatch.sync.model.Reading;
import io.hazwatch.sync.model.Rollup;
import io.hazwatch.sync.model.SyncRecord;
import io.hazwatch.sync.rollup.RollupProducer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Disk quota reached at an edge that makes rollups: eviction follows the documented order (BACKFILL,
 * raw readings already summarised by a journaled rollup, then rollups, then the rest), every alarm
 * survives, and every raw minute evicted is covered by a rollup still in the journal.
 */
class JournalRollupEvictionTest {
    private static final String EDGE = "E1";
    private static final int POINTS = 10;
    private static final long T0 = Rollup.minuteOf(1_780_000_000_000L);

    @TempDir
    Path dir;

    @Test
    void overItsQuotaAnEdgeDropsOnlyRawMinutesItsRollupsSummariseAndKeepsEveryAlarm() {
        try (Journal j = Journal.open(dir.resolve("j.mv.db"), EDGE, 400_000)) {
            RollupProducer sink = new RollupProducer(j.localSink(), Clock.systemUTC(), Duration.ofSeconds(5));
            int alarms = fill(j, sink, 40);

            assertThat(j.evicted()).as("records evicted").isPositive();
            assertThat(j.pendingCount(Lane.ALARM)).as("alarms are never evicted").isEqualTo(alarms);
            // BACKFILL goes first: at most the last one appended, after the last eviction, is left
            assertThat(j.next(Lane.BACKFILL, -1, Integer.MAX_VALUE)).as("backfill left")
                    .allMatch(p -> p.record().seq() == 39);
            assertThat(j.pendingCount(Lane.ROLLUP)).as("no rollup evicted while summarised raw was left")
                    .isEqualTo(sink.made());

            Set<String> rolledUp = new HashSet<>();
            for (Pending p : j.next(Lane.ROLLUP, -1, Integer.MAX_VALUE)) {
                Rollup r = (Rollup) p.record().payload();
                rolledUp.add(r.point() + "@" + r.minuteStartMillis());
            }
            Set<Long> left = new HashSet<>();
            List<Pending> raw = j.next(Lane.CURRENT, -1, Integer.MAX_VALUE);
            raw.forEach(p -> left.add(p.record().seq()));
            long appended = 40L * 60 * POINTS;
            long evictedRaw = 0;
            for (long seq = 0; seq < appended; seq++) {
                if (!left.contains(seq)) {
                    evictedRaw++;
                    Reading r = reading(seq);
                    assertThat(rolledUp).as("rollup of evicted raw reading #" + seq)
                            .contains(r.point() + "@" + Rollup.minuteOf(r.timestampMillis()));
                }
            }
            assertThat(evictedRaw).isPositive();
            // oldest first: what is left of the raw readings is their newest part, without holes
            long first = raw.get(0).record().seq();
            assertThat(raw).hasSize((int) (appended - first));
        }
    }

    @Test
    void aQuotaTooSmallForTheRollupsDropsThemOnlyOnceNoSummarisedRawIsLeft() {
        try (Journal j = Journal.open(dir.resolve("j.mv.db"), EDGE, 30_000)) {
            RollupProducer sink = new RollupProducer(j.localSink(), Clock.systemUTC(), Duration.ofSeconds(5));
            int alarms = fill(j, sink, 40);

            assertThat(j.pendingCount(Lane.ALARM)).as("alarms are never evicted").isEqualTo(alarms);
            assertThat(j.pendingCount(Lane.ROLLUP)).as("rollups evicted").isLessThan(sink.made());
            List<Pending> rollups = j.next(Lane.ROLLUP, -1, Integer.MAX_VALUE);
            long newestRolled = T0 + 38 * 60_000L;
            // rollups go oldest first: the newest minute's rollups are still there, the oldest are not
            assertThat(rollups).extracting(p -> p.record().payload().timestampMillis()).contains(newestRolled)
                    .doesNotContain(T0);
            // raw left is only what was not yet summarised when the rollups had to go: the last two minutes
            for (Pending p : j.next(Lane.CURRENT, -1, Integer.MAX_VALUE)) {
                assertThat(Rollup.minuteOf(p.record().payload().timestampMillis())).isGreaterThanOrEqualTo(newestRolled);
            }
        }
    }

    @Test
    void rawSummarisedByRollupsAlreadyForwardedIsStillEvictedFirstAfterARestart() {
        Path file = dir.resolve("j.mv.db");
        try (Journal j = Journal.open(file, EDGE, 0)) {
            RollupProducer sink = new RollupProducer(j.localSink(), Clock.systemUTC(), Duration.ofSeconds(5));
            fill(j, sink, 10);
            // the parent took the rollups: they leave the journal, their minutes stay summarised
            long[] positions = j.next(Lane.ROLLUP, -1, Integer.MAX_VALUE).stream().mapToLong(Pending::position).toArray();
            j.remove(Lane.ROLLUP, positions);
        }
        try (Journal j = Journal.open(file, EDGE, 60_000)) {
            j.localSink().append(Lane.ALARM, List.of(alarm(99)));
            List<Pending> raw = j.next(Lane.CURRENT, -1, Integer.MAX_VALUE);
            assertThat(raw).isNotEmpty();
            assertThat(j.pendingCount(Lane.ROLLUP)).isZero();
            // the open minute (9) has no rollup: it survives while summarised minutes were dropped
            assertThat(raw.stream().map(p -> Rollup.minuteOf(p.record().payload().timestampMillis())))
                    .contains(T0 + 9 * 60_000L);
            assertThat(raw.get(0).record().seq()).isPositive();
        }
    }

    @Test
    void aRelayDropsRawReadingsItHoldsRollupsOfBeforeTheRawOfAnOriginThatMakesNone() throws Exception {
        // the quota: 85 % of what the relay takes in, so that dropping E1's two summarised minutes (a third
        // of it) is enough, whatever the journal form's size per record
        long total;
        try (Journal scratch = Journal.open(dir.resolve("scratch.mv.db"), null, 0)) {
            feedRelay(scratch);
            total = scratch.pendingBytes();
        }
        try (Journal relay = Journal.open(dir.resolve("relay.mv.db"), null, total * 85 / 100)) {
            feedRelay(relay);

            assertThat(relay.evicted()).isPositive();
            assertThat(relay.pendingCount(Lane.ALARM)).isEqualTo(1);
            assertThat(relay.pendingCount(Lane.ROLLUP)).as("rollups kept").isEqualTo(2 * POINTS);
            List<Pending> raw = relay.next(Lane.CURRENT, -1, Integer.MAX_VALUE);
            assertThat(raw.stream().filter(p -> p.record().origin().equals("E2")))
                    .as("raw of the origin without rollups kept, although older").hasSize(3 * 60 * POINTS);
            assertThat(raw.stream().filter(p -> p.record().origin().equals("E1")))
                    .as("E1's last minute, which no rollup covers yet, kept")
                    .filteredOn(p -> p.record().payload().timestampMillis() >= T0 + 120_000).hasSize(60 * POINTS);
            assertThat(raw).filteredOn(p -> p.record().origin().equals("E1")
                    && p.record().payload().timestampMillis() < T0 + 120_000)
                    .as("only E1's summarised minutes lost raw readings").hasSizeLessThan(120 * POINTS);
        }
    }

    /**
     * E2 makes no rollups; E1's rollups of its first two minutes came ahead of its raw readings, which
     * arrive a minute a batch, as a child sends them.
     */
    private static void feedRelay(Journal relay) throws Exception {
        relay.accept(rawOf("E2", 3)).toCompletableFuture().get();
        List<SyncRecord> rollups = new ArrayList<>();
        for (int m = 0; m < 2; m++) {
            for (int p = 0; p < POINTS; p++) {
                long minute = T0 + m * 60_000L;
                rollups.add(new SyncRecord("E1", Lane.ROLLUP, m * POINTS + p, new Rollup("E1/farm/p" + p, minute,
                        60, 10, 11.5, 10.7, 11, minute + 59_000, 0, 0)));
            }
        }
        relay.accept(rollups).toCompletableFuture().get();
        relay.accept(List.of(new SyncRecord("E1", Lane.ALARM, 0, alarm(0)))).toCompletableFuture().get();
        List<SyncRecord> raw = rawOf("E1", 3);
        for (int m = 0; m < 3; m++) {
            relay.accept(raw.subList(m * 60 * POINTS, (m + 1) * 60 * POINTS)).toCompletableFuture().get();
        }
    }

    private static List<SyncRecord> rawOf(String origin, int minutes) {
        List<SyncRecord> out = new ArrayList<>();
        for (long seq = 0; seq < minutes * 60L * POINTS; seq++) {
            Reading r = reading(seq);
            out.add(new SyncRecord(origin, Lane.CURRENT, seq, new Reading(r.point().replace(EDGE + "/", origin + "/"),
                    r.timestampMillis(), r.value(), 0)));
        }
        return out;
    }

    /** Minutes of readings of every point at 1 Hz, one append a minute, an alarm and some backfill each. */
    private static int fill(Journal j, RollupProducer sink, int minutes) {
        int alarms = 0;
        long seq = 0;
        for (int m = 0; m < minutes; m++) {
            List<Reading> minute = new ArrayList<>(60 * POINTS);
            for (int s = 0; s < 60; s++) {
                for (int p = 0; p < POINTS; p++) {
                    minute.add(reading(seq++));
                }
            }
            sink.append(Lane.CURRENT, minute);
            j.localSink().append(Lane.BACKFILL, List.of(reading(m)));
            j.localSink().append(Lane.ALARM, List.of(alarm(m)));
            alarms++;
        }
        return alarms;
    }

    /** The reading with this CURRENT sequence: point seq % POINTS, second seq / POINTS. */
    private static Reading reading(long seq) {
        long second = seq / POINTS;
        return new Reading(EDGE + "/farm/p" + (seq % POINTS), T0 + second * 1000, PointValue.of(10 + (second % 7) * 0.25), 0);
    }

    private static AlarmEvent alarm(int m) {
        return new AlarmEvent(EDGE + "/farm/gas", T0 + m * 60_000L, AlarmLimit.HH, 2, true, 60, 50);
    }
}
