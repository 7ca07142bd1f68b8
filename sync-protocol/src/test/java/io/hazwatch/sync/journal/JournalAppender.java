package io.hazwatch.sync.journal;

import io.hazwatch.sync.model.Lane;
import io.hazwatch.sync.model.PointValue;
import io.hazwatch.sync.model.Reading;
import io.hazwatch.sync.model.SyncRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The process {@link JournalKillTest} kills: appends batches to a journal as fast as it takes them and,
 * after each append has returned (so is durable), prints {@code OK <lane> <last seq>}. Every alarm
 * batch is followed by a bulk one, so both kinds of commit group are in flight when the kill comes.
 */
public final class JournalAppender {
    private JournalAppender() {
    }

    public static void main(String[] args) {
        Journal j = Journal.open(Path.of(args[0]), "130102-E0042-01");
        long t = System.currentTimeMillis();
        for (int round = 0; ; round++) {
            List<Reading> batch = new ArrayList<>(250);
            for (int i = 0; i < 250; i++) {
                batch.add(new Reading("T101/LT-" + (i % 40) + "/level", t++, PointValue.of(i * 0.5), 0));
            }
            report(j.localSink().append(Lane.CURRENT, batch));
            if (round % 5 == 0) {
                report(j.localSink().append(Lane.ALARM, List.of(new io.hazwatch.sync.model.AlarmEvent(
                        "T101/GT-01/gas", t, io.hazwatch.sync.model.AlarmLimit.HH, 1, true, 30.0, 25.0))));
            }
        }
    }

    private static void report(List<SyncRecord> appended) {
        SyncRecord last = appended.get(appended.size() - 1);
        System.out.println("OK " + last.lane().code() + " " + last.seq());
        System.out.flush();
    }
}
