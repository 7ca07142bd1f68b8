package io.hazwatch.edge.testing;

import io.hazwatch.sync.model.AlarmEvent;
import io.hazwatch.sync.model.Lane;
import io.hazwatch.sync.model.Payload;
import io.hazwatch.sync.model.Reading;
import io.hazwatch.sync.model.RecordSink;
import io.hazwatch.sync.model.SyncRecord;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A journal in memory: numbers records per lane from 1 and keeps them in append order. Can be told to
 * fail its next appends, as a full disk would.
 */
public final class InMemorySink implements RecordSink {
    private final String origin;
    private final List<SyncRecord> records = new ArrayList<>();
    private final Map<Lane, Long> nextSeq = new EnumMap<>(Lane.class);
    private int failuresToInject;
    private Lane failOnlyOn;
    private int appendCalls;

    public InMemorySink(String origin) {
        this.origin = origin;
    }

    @Override
    public synchronized List<SyncRecord> append(Lane lane, List<? extends Payload> payloads) {
        appendCalls++;
        if (failuresToInject > 0 && (failOnlyOn == null || failOnlyOn == lane)) {
            failuresToInject--;
            throw new IllegalStateException("injected journal failure");
        }
        List<SyncRecord> out = new ArrayList<>();
        for (Payload p : payloads) {
            long seq = nextSeq.merge(lane, 1L, Long::sum);
            out.add(new SyncRecord(origin, lane, seq, p));
        }
        records.addAll(out);
        return out;
    }

    public synchronized void failNextAppends(int n) {
        failuresToInject = n;
        failOnlyOn = null;
    }

    /** Fails the next {@code n} appends on {@code lane}; appends on other lanes succeed. */
    public synchronized void failNextAppends(Lane lane, int n) {
        failuresToInject = n;
        failOnlyOn = lane;
    }

    public synchronized int appendCalls() {
        return appendCalls;
    }

    public synchronized List<SyncRecord> records() {
        return List.copyOf(records);
    }

    public synchronized List<Reading> readings() {
        return records.stream().filter(r -> r.payload() instanceof Reading).map(r -> (Reading) r.payload()).toList();
    }

    public synchronized List<AlarmEvent> alarms() {
        return records.stream().filter(r -> r.payload() instanceof AlarmEvent).map(r -> (AlarmEvent) r.payload())
                .toList();
    }

    /** Index in append order of the first record about {@code point} on {@code lane}; -1 if none. */
    public synchronized int firstIndexOf(Lane lane, String point) {
        for (int i = 0; i < records.size(); i++) {
            if (records.get(i).lane() == lane && records.get(i).payload().point().equals(point)) {
                return i;
            }
        }
        return -1;
    }
}
