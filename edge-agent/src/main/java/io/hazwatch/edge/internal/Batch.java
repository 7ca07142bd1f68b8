package io.hazwatch.edge.internal;

import io.hazwatch.sync.model.AlarmEvent;
import io.hazwatch.sync.model.Reading;
import java.util.List;

/** What one read of one device produced: alarm events and readings. */
record Batch(List<AlarmEvent> alarms, List<Reading> readings) {
    Batch {
        alarms = List.copyOf(alarms);
        readings = List.copyOf(readings);
    }
}
