package io.hazwatch.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hazwatch.sims.link.LinkSimulator;
import io.hazwatch.sync.journal.CustodyStore;
import io.hazwatch.sync.journal.Journal;
import io.hazwatch.sync.journal.Pending;
import io.hazwatch.sync.link.LinkProfile;
import io.hazwatch.sync.link.LinkTransport;
import io.hazwatch.sync.link.ParentAddress;
import io.hazwatch.sync.link.SyncServer;
import io.hazwatch.sync.link.Uplink;
import io.hazwatch.sync.link.UplinkOptions;
import io.hazwatch.sync.model.AlarmEvent;
import io.hazwatch.sync.model.AlarmLimit;
import io.hazwatch.sync.model.Lane;
import io.hazwatch.sync.model.PointValue;
import io.hazwatch.sync.model.Reading;
import io.hazwatch.sync.model.StreamKey;
import io.hazwatch.sync.model.SyncRecord;
import io.hazwatch.sync.ranges.RangeSet;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alarm path over a satellite hop with the window full of bulk: the child's uplink has a whole
 * VSAT window of telemetry batches unacknowledged (the parent holds them back from its journal), and
 * an alarm raised then is acknowledged by the parent while every one of those batches is still
 * outstanding: alarms do not wait for window room, for pacing, or behind bulk in the parent's commits.
 */
class AlarmOvertakesFullWindowTest {
    private static final String EDGE = "130682-E0001-01";
    private static final Duration BULK = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    /** A real journal behind a gate that holds every batch without an alarm until released. */
    static final class BulkGate implements CustodyStore {
        private final Journal journal;
        private final List<Runnable> held = new ArrayList<>();
        private boolean released;

        BulkGate(Journal journal) {
            this.journal = journal;
        }

        @Override
        public synchronized CompletionStage<Map<StreamKey, RangeSet>> accept(List<SyncRecord> records) {
            if (released || records.stream().anyMatch(r -> r.lane() == Lane.ALARM)) {
                return journal.accept(records);
            }
            CompletableFuture<Map<StreamKey, RangeSet>> f = new CompletableFuture<>();
            held.add(() -> journal.accept(records).whenComplete((v, e) -> {
                if (e != null) {
                    f.completeExceptionally(e);
                } else {
                    f.complete(v);
                }
            }));
            return f;
        }

        @Override
        public CompletionStage<Map<StreamKey, RangeSet>> held(Predicate<String> originFilter) {
            return journal.held(originFilter);
        }

        synchronized int heldBatches() {
            return held.size();
        }

        synchronized void release() {
            released = true;
            held.forEach(Runnable::run);
            held.clear();
        }
    }

    @Test
    void anAlarmRaisedWithAWindowFullOfBulkOverVsatIsAcknowledgedBeforeAnyOfThatBulk() throws Exception {
        LinkProfile vsat = LinkProfile.VSAT_256K;
        int backlog = 60_000;
        try (Journal parentJournal = Journal.open(dir.resolve("parent.mv.db"), null);
             LinkTransport parentLoop = LinkTransport.create(2);
             Journal childJournal = Journal.open(dir.resolve("child.mv.db"), EDGE);
             LinkTransport childLoop = LinkTransport.create(1)) {
            BulkGate gate = new BulkGate(parentJournal);
            try (SyncServer server = new SyncServer("130682", id -> Optional.of(o -> o.equals(EDGE)), gate,
                    parentLoop, Clock.systemUTC(), Duration.ofSeconds(30))) {
                InetSocketAddress bound = server.bind("127.0.0.1", 0);
                try (LinkSimulator link = LinkSimulator.start(io.hazwatch.sims.link.LinkProfile.VSAT_256K, bound);
                     Uplink uplink = new Uplink(EDGE, List.of(new ParentAddress("130682", "127.0.0.1", link.port(),
                             Optional.of(vsat))), childJournal, UplinkOptions.defaults(), childLoop,
                             Clock.systemUTC())) {
                    for (int from = 0; from < backlog; from += 1_000) {
                        List<Reading> poll = new ArrayList<>(1_000);
                        for (int i = from; i < from + 1_000; i++) {
                            poll.add(new Reading(EDGE + "/tank-farm/p" + (i % 100), 1_780_000_000_000L + i,
                                    PointValue.of((i % 100) + (i / 100) * 0.01), 0));
                        }
                        childJournal.localSink().append(Lane.CURRENT, poll);
                    }
                    uplink.start();
                    await().atMost(BULK).until(() -> gate.heldBatches() == vsat.windowBatches());
                    long outstanding = uplink.status().inFlightRecords();
                    assertThat(outstanding).as("bulk records unacknowledged: a full window")
                            .isEqualTo((long) vsat.windowBatches() * vsat.batchRecords());

                    childJournal.localSink().append(Lane.ALARM, List.of(new AlarmEvent(EDGE + "/tank-farm/gas",
                            System.currentTimeMillis(), AlarmLimit.HH, 1, true, 57.0, 50.0)));

                    // acknowledged: the child deleted it; the window of bulk is still all outstanding
                    await().atMost(BULK).until(() -> childJournal.pendingCount(Lane.ALARM) == 0);
                    assertThat(gate.heldBatches()).isEqualTo(vsat.windowBatches());
                    assertThat(parentJournal.pendingCount(Lane.CURRENT)).isZero();
                    assertThat(parentJournal.pendingCount(Lane.ALARM)).isEqualTo(1);

                    gate.release();
                    await().atMost(BULK).until(() -> childJournal.pendingCount() == 0);
                    List<Pending> current = parentJournal.next(Lane.CURRENT, -1, Integer.MAX_VALUE);
                    long alarmAt = parentJournal.next(Lane.ALARM, -1, 1).get(0).position();
                    assertThat(current).hasSize(backlog);
                    assertThat(current).allSatisfy(p -> assertThat(p.position()).isGreaterThan(alarmAt));
                }
            }
        }
    }
}
