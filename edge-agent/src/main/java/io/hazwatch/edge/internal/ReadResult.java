package io.hazwatch.edge.internal;

import io.hazwatch.drivers.spi.Sample;
import java.util.List;

/** The samples of one completed read of one device, on their way to the appender. */
record ReadResult(DevicePoller poller, List<Sample> samples, long startedMillis, long completedMillis) {
    ReadResult {
        samples = List.copyOf(samples);
    }
}
