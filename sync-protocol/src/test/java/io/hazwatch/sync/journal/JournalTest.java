package io.hazwatch.sync.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.hazwatch.sync.model.AlarmEvent;
import io.hazwatch.sync.model.AlarmLimit;
import io.hazwatch.sync.model.Lane;
import io.hazwatch.sync.model.Payload;
import io.hazwatch.sync.model.PointValue;
import io.hazwatch.sync.model.Reading;
import io.hazwatch.sync.model.RecordSink;
import io.hazwatch.sync.model.StreamKey;
import io.hazwatch.sync.model.SyncRecord;
import io.hazwatch.sync.ranges.RangeSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The custody journal on a real MVStore file (docs/journal.md). Crash behaviour with a killed process is
 * covered by the multi-process crash tests in deploy-images; here the journal is closed and reopened.
 */
class JournalTest {
    private static final String EDGE = "130102-E0042-01";
    private static final String OTHER = "130102-E0007-01";
    private static final long T = 1_780_000_000_000L;

    @TempDir
    Path dir;

    private final List<Journal> open = new ArrayList<>();

    @AfterEach
    void closeAll() {
        open.forEach(Journal::close);
    }

    private Journal journal(String origin) {
        Journal j = Journal.open(dir.resolve("journal.mv.db"), origin);
        open.add(j);
        return j;
    }

    private Journal reopen(Journal j, String origin) {
        j.close();
        open.remove(j);
        return journal(origin);
    }

    // ---- numbering at the origin

    @Test
    void localRecordsAreNumberedFromZeroPerLane() {
        Journal j = journal(EDGE);
        RecordSink sink = j.localSink();

        List<SyncRecord> current = sink.append(Lane.CURRENT, readings(3, 0));
        List<SyncRecord> alarms = sink.append(Lane.ALARM, List.of(alarm(0)));
        List<SyncRecord> more = sink.append(Lane.CURRENT, readings(2, 3));

        assertThat(current).extracting(SyncRecord::seq).containsExactly(0L, 1L, 2L);
        assertThat(alarms).extracting(SyncRecord::seq).containsExactly(0L);
        assertThat(more).extracting(SyncRecord::seq).containsExactly(3L, 4L);
        assertThat(current).allSatisfy(r -> {
            assertThat(r.origin()).isEqualTo(EDGE);
            assertThat(r.lane()).isEqualTo(Lane.CURRENT);
        });
        assertThat(current.get(1).payload()).isEqualTo(readings(3, 0).get(1));
    }

    @Test
    void numberingContinuesAfterReopenEvenWhenEverythingWasForwardedAndRemoved() {
        Journal j = journal(EDGE);
        j.localSink().append(Lane.CURRENT, readings(5, 0));
        j.localSink().append(Lane.ALARM, List.of(alarm(0), alarm(1)));
        for (Lane lane : Lane.values()) {
            j.remove(lane, positions(j.next(lane, -1, 100)));
        }
        await().until(() -> j.pendingCount() == 0);

        Journal again = reopen(j, EDGE);

        assertThat(again.pendingCount()).isZero();
        assertThat(again.localSink().append(Lane.CURRENT, readings(1, 5))).extracting(SyncRecord::seq)
                .containsExactly(5L);
        assertThat(again.localSink().append(Lane.ALARM, List.of(alarm(2)))).extracting(SyncRecord::seq)
                .containsExactly(2L);
        assertThat(again.localSink().append(Lane.BACKFILL, readings(1, 0))).extracting(SyncRecord::seq)
                .containsExactly(0L);
    }

    @Test
    void appendingNothingReturnsNothingAndNumbersNothing() {
        Journal j = journal(EDGE);

        assertThat(j.localSink().append(Lane.CURRENT, List.of())).isEmpty();
        assertThat(j.localSink().append(Lane.CURRENT, readings(1, 0))).extracting(SyncRecord::seq).containsExactly(0L);
    }

    @Test
    void aJournalWithoutALocalOriginHasNoLocalSink() {
        Journal relay = journal(null);

        assertThatThrownBy(relay::localSink).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no local origin");
    }

    @Test
    void appendsFromManyThreadsAtOnceGetDistinctContiguousSequenceNumbers() throws Exception {
        Journal j = journal(EDGE);
        RecordSink sink = j.localSink();
        int threads = 8;
        int appendsEach = 100;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        ConcurrentLinkedQueue<Long> seqs = new ConcurrentLinkedQueue<>();
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < appendsEach; i++) {
                        sink.append(Lane.CURRENT, readings(2, 0)).forEach(r -> seqs.add(r.seq()));
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        int n = threads * appendsEach * 2;
        assertThat(new TreeSet<>(seqs)).hasSize(n).first().isEqualTo(0L);
        assertThat(new TreeSet<>(seqs).last()).isEqualTo(n - 1L);
        assertThat(j.pendingCount(Lane.CURRENT)).isEqualTo(n);
        assertThat(j.commits()).isBetween(1L, (long) threads * appendsEach);
    }

    // ---- receiving from children

    @Test
    void acceptStoresNewRecordsAndCompletesWithTheRangesNowHeld() {
        Journal j = journal(null);

        Map<StreamKey, RangeSet> held = join(j.accept(List.of(rec(EDGE, Lane.CURRENT, 0), rec(EDGE, Lane.CURRENT, 1),
                rec(EDGE, Lane.CURRENT, 5), rec(EDGE, Lane.ALARM, 0))));

        assertThat(held).containsOnlyKeys(new StreamKey(EDGE, Lane.CURRENT), new StreamKey(EDGE, Lane.ALARM));
        assertThat(held.get(new StreamKey(EDGE, Lane.CURRENT)).toString()).isEqualTo("[0..1, 5]");
        assertThat(held.get(new StreamKey(EDGE, Lane.ALARM)).toString()).isEqualTo("[0]");
        assertThat(j.pendingCount()).isEqualTo(4);
        assertThat(j.duplicatesDropped()).isZero();
    }

    @Test
    void acceptDropsRecordsAlreadyHeldSameOriginLaneAndSequence() {
        Journal j = journal(null);
        join(j.accept(List.of(rec(EDGE, Lane.CURRENT, 0), rec(EDGE, Lane.CURRENT, 1))));

        Map<StreamKey, RangeSet> held = join(j.accept(List.of(rec(EDGE, Lane.CURRENT, 1), rec(EDGE, Lane.CURRENT, 2),
                rec(EDGE, Lane.ALARM, 1), rec(OTHER, Lane.CURRENT, 1))));

        assertThat(j.pendingCount(Lane.CURRENT)).as("0, 1, 2 of EDGE and 1 of OTHER").isEqualTo(4);
        assertThat(j.pendingCount(Lane.ALARM)).isEqualTo(1);
        assertThat(j.duplicatesDropped()).isEqualTo(1);
        assertThat(held.get(new StreamKey(EDGE, Lane.CURRENT))).isEqualTo(RangeSet.of(0, 2));
        assertThat(held.get(new StreamKey(OTHER, Lane.CURRENT))).isEqualTo(RangeSet.of(1, 1));

        List<Pending> current = j.next(Lane.CURRENT, -1, 100);
        assertThat(current).extracting(p -> p.record().origin() + "#" + p.record().seq())
                .containsExactly(EDGE + "#0", EDGE + "#1", EDGE + "#2", OTHER + "#1");
    }

    @Test
    void aBatchThatWasEntirelyHeldStoresNothingAndStillReportsItsRanges() {
        Journal j = journal(null);
        join(j.accept(List.of(rec(EDGE, Lane.CURRENT, 0), rec(EDGE, Lane.CURRENT, 1))));

        Map<StreamKey, RangeSet> held = join(j.accept(List.of(rec(EDGE, Lane.CURRENT, 0), rec(EDGE, Lane.CURRENT, 1))));

        assertThat(held).containsEntry(new StreamKey(EDGE, Lane.CURRENT), RangeSet.of(0, 1));
        assertThat(j.pendingCount()).isEqualTo(2);
        assertThat(j.duplicatesDropped()).isEqualTo(2);
    }

    @Test
    void duplicatesAreStillDroppedAfterTheForwardedCopiesWereRemovedAndTheJournalReopened() {
        Journal j = journal(null);
        join(j.accept(List.of(rec(EDGE, Lane.CURRENT, 0), rec(EDGE, Lane.CURRENT, 1))));
        j.remove(Lane.CURRENT, positions(j.next(Lane.CURRENT, -1, 10)));
        Journal again = reopen(j, null);

        join(again.accept(List.of(rec(EDGE, Lane.CURRENT, 0), rec(EDGE, Lane.CURRENT, 1), rec(EDGE, Lane.CURRENT, 2))));

        assertThat(again.next(Lane.CURRENT, -1, 10)).extracting(p -> p.record().seq()).containsExactly(2L);
        assertThat(again.duplicatesDropped()).isEqualTo(2);
    }

    @Test
    void heldListsTheStreamsOfTheOriginsThatPassTheFilter() {
        Journal j = journal(null);
        join(j.accept(List.of(rec(EDGE, Lane.CURRENT, 0), rec(OTHER, Lane.CURRENT, 3), rec("130104-E0001-01", Lane.ALARM, 0))));

        Map<StreamKey, RangeSet> county102 = join(j.held(o -> o.startsWith("130102")));

        assertThat(county102).containsOnlyKeys(new StreamKey(EDGE, Lane.CURRENT), new StreamKey(OTHER, Lane.CURRENT));
        assertThat(county102.get(new StreamKey(OTHER, Lane.CURRENT))).isEqualTo(RangeSet.of(3, 3));
        assertThat(join(j.held(o -> false))).isEmpty();
    }

    @Test
    void theRangesHandedOutAreCopiesTheJournalDoesNotChangeLater() {
        Journal j = journal(null);
        RangeSet first = join(j.accept(List.of(rec(EDGE, Lane.CURRENT, 0)))).get(new StreamKey(EDGE, Lane.CURRENT));

        join(j.accept(List.of(rec(EDGE, Lane.CURRENT, 1))));

        assertThat(first).isEqualTo(RangeSet.of(0, 0));
    }

    // ---- sending to the parent

    @Test
    void nextReturnsEachLanesPendingRecordsInArrivalOrder() {
        Journal j = journal(EDGE);
        j.localSink().append(Lane.CURRENT, readings(3, 0));
        j.localSink().append(Lane.ALARM, List.of(alarm(0)));
        join(j.accept(List.of(rec(OTHER, Lane.CURRENT, 9), rec(OTHER, Lane.ALARM, 4))));
        j.localSink().append(Lane.CURRENT, readings(2, 3));

        List<Pending> current = j.next(Lane.CURRENT, -1, 100);
        List<Pending> alarms = j.next(Lane.ALARM, -1, 100);

        assertThat(current).extracting(p -> p.record().origin() + "#" + p.record().seq()).containsExactly(
                EDGE + "#0", EDGE + "#1", EDGE + "#2", OTHER + "#9", EDGE + "#3", EDGE + "#4");
        assertThat(alarms).extracting(p -> p.record().origin() + "#" + p.record().seq())
                .containsExactly(EDGE + "#0", OTHER + "#4");
        assertThat(current).extracting(Pending::position).isSorted().doesNotHaveDuplicates();
        // one position counter for the whole journal: the alarm sits between CURRENT #2 and OTHER's #9
        assertThat(alarms.get(0).position()).isGreaterThan(current.get(2).position())
                .isLessThan(current.get(3).position());
        assertThat(j.next(Lane.BACKFILL, -1, 100)).isEmpty();
    }

    @Test
    void nextPagesThroughALaneFromAPosition() {
        Journal j = journal(EDGE);
        j.localSink().append(Lane.CURRENT, readings(10, 0));

        List<Pending> first = j.next(Lane.CURRENT, -1, 4);
        List<Pending> second = j.next(Lane.CURRENT, first.get(3).position(), 4);
        List<Pending> third = j.next(Lane.CURRENT, second.get(3).position(), 4);

        assertThat(first).extracting(p -> p.record().seq()).containsExactly(0L, 1L, 2L, 3L);
        assertThat(second).extracting(p -> p.record().seq()).containsExactly(4L, 5L, 6L, 7L);
        assertThat(third).extracting(p -> p.record().seq()).containsExactly(8L, 9L);
    }

    @Test
    void removedRecordsAreGoneAndStayGoneAfterReopen() {
        Journal j = journal(EDGE);
        j.localSink().append(Lane.CURRENT, readings(6, 0));
        List<Pending> all = j.next(Lane.CURRENT, -1, 100);

        j.remove(Lane.CURRENT, new long[] {all.get(0).position(), all.get(2).position(), all.get(5).position()});
        Journal again = reopen(j, EDGE); // close right after remove: queued work must not be dropped

        assertThat(again.next(Lane.CURRENT, -1, 100)).extracting(p -> p.record().seq()).containsExactly(1L, 3L, 4L);
        assertThat(again.pendingCount()).isEqualTo(3);
    }

    @Test
    void recordsAndHeldRangesSurviveCloseAndReopenUnchanged() {
        Journal j = journal(EDGE);
        List<SyncRecord> mine = new ArrayList<>(j.localSink().append(Lane.CURRENT, readings(50, 0)));
        mine.addAll(j.localSink().append(Lane.ALARM, List.of(alarm(0))));
        List<SyncRecord> theirs = List.of(rec(OTHER, Lane.BACKFILL, 100), rec(OTHER, Lane.BACKFILL, 102));
        join(j.accept(theirs));

        Journal again = reopen(j, EDGE);

        List<SyncRecord> back = new ArrayList<>();
        for (Lane lane : Lane.values()) {
            again.next(lane, -1, 1_000).forEach(p -> back.add(p.record()));
        }
        List<SyncRecord> expected = new ArrayList<>(mine);
        expected.addAll(theirs);
        assertThat(back).containsExactlyInAnyOrderElementsOf(expected);
        Map<StreamKey, RangeSet> held = join(again.held(o -> true));
        assertThat(held).containsEntry(new StreamKey(EDGE, Lane.CURRENT), RangeSet.of(0, 49))
                .containsEntry(new StreamKey(EDGE, Lane.ALARM), RangeSet.of(0, 0))
                .containsEntry(new StreamKey(OTHER, Lane.BACKFILL), RangeSet.ofFlat(new long[] {100, 100, 102, 102}));
    }

    @Test
    void positionsAfterReopenComeAfterEveryRecordStillPending() {
        Journal j = journal(EDGE);
        j.localSink().append(Lane.BACKFILL, readings(3, 0));
        long last = j.next(Lane.BACKFILL, -1, 10).get(2).position();

        Journal again = reopen(j, EDGE);
        again.localSink().append(Lane.ALARM, List.of(alarm(0)));

        assertThat(again.next(Lane.ALARM, -1, 1).get(0).position()).isGreaterThan(last);
    }

    @Test
    void listenersHearOfNewPendingRecordsAfterTheyAreCommitted() {
        Journal j = journal(EDGE);
        AtomicInteger calls = new AtomicInteger();
        AtomicLong commitsSeen = new AtomicLong(-1);
        j.addListener(() -> {
            calls.incrementAndGet();
            commitsSeen.set(j.commits());
        });

        j.localSink().append(Lane.CURRENT, readings(1, 0));
        await().until(() -> calls.get() == 1);
        assertThat(commitsSeen.get()).isGreaterThanOrEqualTo(1);

        join(j.accept(List.of(rec(OTHER, Lane.CURRENT, 0))));
        await().until(() -> calls.get() == 2);

        join(j.accept(List.of(rec(OTHER, Lane.CURRENT, 0)))); // duplicate: nothing new pending
        j.remove(Lane.CURRENT, positions(j.next(Lane.CURRENT, -1, 1))); // removal: nothing new pending
        join(j.held(o -> true)); // the writer runs listeners before it takes the next group: a fence
        assertThat(calls.get()).isEqualTo(2);
    }

    @Test
    void aRecordIsNeverOfferedForSendingBeforeItIsCommitted() throws Exception {
        // Custody (ARCHITECTURE.md 3.1): what next() returns may be forwarded, acknowledged upstream and
        // deleted here. If it could be seen before its group committed, a power cut would leave the parent
        // holding a record this journal never made durable, and this origin would later give the same
        // (origin, lane, seq) to a different payload, which every receiver would then drop as a duplicate.
        Journal j = journal(EDGE);
        List<Reading> big = readings(20_000, 0);
        java.util.concurrent.atomic.AtomicBoolean appended = new java.util.concurrent.atomic.AtomicBoolean();
        CompletableFuture<Long> commitsWhenFirstSeen = CompletableFuture.supplyAsync(() -> {
            // watch as closely as possible; stop watching once the append has returned
            while (j.next(Lane.CURRENT, -1, 1).isEmpty()) {
                if (appended.get() && j.next(Lane.CURRENT, -1, 1).isEmpty()) {
                    return -1L;
                }
                Thread.onSpinWait();
            }
            return j.commits();
        });

        j.localSink().append(Lane.CURRENT, big);
        appended.set(true);

        assertThat(commitsWhenFirstSeen.get(30, TimeUnit.SECONDS)).as("commits when the first record was visible")
                .isGreaterThanOrEqualTo(1);
    }

    // ---- failure

    @Test
    void aClosedJournalRefusesWorkWithAJournalException() {
        Journal j = journal(EDGE);
        RecordSink sink = j.localSink();
        j.close();

        assertThatThrownBy(() -> sink.append(Lane.CURRENT, readings(1, 0))).isInstanceOf(JournalException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(() -> join(j.accept(List.of(rec(OTHER, Lane.CURRENT, 0)))))
                .isInstanceOf(JournalException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> join(j.held(o -> true))).isInstanceOf(JournalException.class);
    }

    @Test
    void workQueuedBeforeCloseIsDoneNotDropped() throws Exception {
        Journal j = journal(null);
        List<CompletableFuture<Map<StreamKey, RangeSet>>> futures = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            futures.add(j.accept(List.of(rec(EDGE, Lane.CURRENT, i))).toCompletableFuture());
        }
        j.close();

        long done = futures.stream().filter(f -> !f.isCompletedExceptionally()).count();
        assertThat(futures).allSatisfy(f -> assertThat(f).isDone());
        Journal again = reopen(j, null);
        assertThat(again.pendingCount()).as("every accept that completed normally is on disk").isEqualTo(done);
        assertThat(done).isEqualTo(200);
    }

    @Test
    void closingTwiceIsHarmless() {
        Journal j = journal(EDGE);
        j.close();
        j.close();
        assertThatThrownBy(() -> j.localSink().append(Lane.CURRENT, readings(1, 0))).isInstanceOf(JournalException.class);
    }

    @Test
    void aFileThatIsNotAJournalIsRefusedWithAJournalExceptionNamingIt() throws Exception {
        Path garbage = dir.resolve("garbage.mv.db");
        Files.write(garbage, "this is not an MVStore file, just text that happens to be here".repeat(100).getBytes());

        assertThatThrownBy(() -> Journal.open(garbage, EDGE)).isInstanceOf(JournalException.class)
                .hasMessageContaining("garbage.mv.db");
    }

    @Test
    void aJournalFileOpenInThisProcessCannotBeOpenedTwice() {
        journal(EDGE);

        assertThatThrownBy(() -> Journal.open(dir.resolve("journal.mv.db"), EDGE)).isInstanceOf(JournalException.class)
                .hasMessageContaining("journal.mv.db");
    }

    // ---- helpers

    private static <T> T join(java.util.concurrent.CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new CompletionException(e.getCause());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static long[] positions(List<Pending> ps) {
        return ps.stream().mapToLong(Pending::position).toArray();
    }

    private static List<Reading> readings(int n, int from) {
        List<Reading> out = new ArrayList<>(n);
        for (int i = from; i < from + n; i++) {
            out.add(new Reading("T101/LT-01/level", T + i, PointValue.of(i * 0.25), 0));
        }
        return out;
    }

    private static AlarmEvent alarm(int i) {
        return new AlarmEvent("T101/LT-01/level", T + i, AlarmLimit.HH, 1, true, 9.5, 9.0);
    }

    private static SyncRecord rec(String origin, Lane lane, long seq) {
        Payload p = lane == Lane.ALARM ? alarm((int) seq) : new Reading("p/" + seq, T + seq, PointValue.of(seq), 0);
        return new SyncRecord(origin, lane, seq, p);
    }
}
