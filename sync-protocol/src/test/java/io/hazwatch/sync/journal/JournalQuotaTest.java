package io.hazwatch.sync.journal;

import static org.assertj.core.api.Assertions.assertThat;

import io.hazwatch.sync.model.AlarmEvent;
import io.hazwatch.sync.model.AlarmLimit;
import io.hazwatch.sync.model.Lane;
import io.hazwatch.sync.model.PointValue;
import io.hazwatch.sync.model.Reading;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A journal over its disk quota evicts telemetry in the documented order (BACKFILL, then CURRENT,
 * oldest first) and never an alarm.
 */
class JournalQuotaTest {
    @TempDir
    Path dir;

    @Test
    void overItsQuotaAJournalEvictsTheOldestTelemetryAndKeepsEveryAlarm() {
        // the quota: about a third of what is appended, whatever the journal form's size per record
        long total;
        try (Journal scratch = Journal.open(dir.resolve("scratch.mv.db"), "E1", 0)) {
            fill(scratch);
            total = scratch.pendingBytes();
        }
        long quota = total * 37 / 100;
        try (Journal j = Journal.open(dir.resolve("j.mv.db"), "E1", quota)) {
            int alarms = fill(j);

            assertThat(j.evicted()).as("records evicted").isPositive();
            assertThat(j.pendingBytes()).isLessThanOrEqualTo(quota);
            assertThat(j.pendingCount(Lane.ALARM)).as("alarms are never evicted").isEqualTo(alarms);
            // BACKFILL goes first: what is left of it is at most the last append, made after the last eviction
            assertThat(j.pendingCount(Lane.BACKFILL)).as("backfill left").isLessThanOrEqualTo(100);
            List<Pending> backfill = j.next(Lane.BACKFILL, -1, Integer.MAX_VALUE);
            backfill.forEach(p -> assertThat(p.record().seq()).isGreaterThanOrEqualTo(39 * 100));
            List<Pending> current = j.next(Lane.CURRENT, -1, Integer.MAX_VALUE);
            assertThat(current).isNotEmpty();
            // what is left of CURRENT is its newest part: the last reading appended is still there
            assertThat(current.get(current.size() - 1).record().seq()).isEqualTo(40 * 200 - 1);
            assertThat(current.get(0).record().seq()).isGreaterThan(0);
        }
    }

    @Test
    void aJournalWithinItsQuotaEvictsNothing() {
        try (Journal j = Journal.open(dir.resolve("j.mv.db"), "E1", 10_000_000)) {
            j.localSink().append(Lane.CURRENT, readings(0, 1000));
            assertThat(j.evicted()).isZero();
            assertThat(j.pendingCount(Lane.CURRENT)).isEqualTo(1000);
        }
    }

    /** 40 rounds of 100 BACKFILL readings, 200 CURRENT readings and an alarm; returns the alarms. */
    private static int fill(Journal j) {
        int alarms = 0;
        for (int b = 0; b < 40; b++) {
            j.localSink().append(Lane.BACKFILL, readings(b * 100, 100));
            j.localSink().append(Lane.CURRENT, readings(100_000 + b * 200, 200));
            j.localSink().append(Lane.ALARM, List.of(new AlarmEvent("E1/farm/gas", b, AlarmLimit.HH, 2, true,
                    60, 50)));
            alarms++;
        }
        return alarms;
    }

    private static List<Reading> readings(int from, int n) {
        List<Reading> out = new ArrayList<>(n);
        for (int i = from; i < from + n; i++) {
            out.add(new Reading("E1/farm/tank" + (i % 7) + ".level", 1_780_000_000_000L + i, PointValue.of(i * 0.5), 0));
        }
        return out;
    }
}
