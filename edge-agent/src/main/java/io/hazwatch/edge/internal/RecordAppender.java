package io.hazwatch.edge.internal;

import io.hazwatch.sync.model.AlarmEvent;
import io.hazwatch.sync.model.Lane;
import io.hazwatch.sync.model.Payload;
import io.hazwatch.sync.model.PointInfo;
import io.hazwatch.sync.model.Reading;
import io.hazwatch.sync.model.RecordSink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread of an edge agent that writes to its {@link RecordSink}. It takes completed reads from
 * every device, turns them into readings and alarm events (see {@link DevicePoller#convert}), and
 * appends everything that accumulated in one go: the point catalogue on {@link Lane#META} when one was
 * {@linkplain #publish published}, alarm events on {@link Lane#ALARM}, then readings on
 * {@link Lane#CURRENT}, so an alarm is durable no later than the readings that caused it.
 * Only then are the devices released for their next poll.
 *
 * <p>The queue holds at most one read per device (a device is not polled again before it is released),
 * so it needs no bound of its own. A failed append is retried with backoff (100 ms doubling to 5 s),
 * without appending again what was already durable; the devices stay busy meanwhile, so their ticks
 * are skipped rather than queued. {@link #close} makes one last attempt and then gives up, logging what
 * was lost.
 */
public final class RecordAppender implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RecordAppender.class);
    private static final long FIRST_BACKOFF_MS = 100;
    private static final long MAX_BACKOFF_MS = 5_000;

    private sealed interface Work permits Completed, Catalogue, Stop {
    }

    private record Catalogue(List<PointInfo> entries) implements Work {
    }

    private record Completed(ReadResult result) implements Work {
    }

    private record Stop() implements Work {
    }

    private final RecordSink sink;
    private final BlockingQueue<Work> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CountDownLatch stopSignal = new CountDownLatch(1);
    private final AtomicLong appended = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();

    public RecordAppender(RecordSink sink, String threadName) {
        this.sink = Objects.requireNonNull(sink, "sink");
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
    }

    public void start() {
        if (started.compareAndSet(false, true)) {
            thread.start();
        }
    }

    /**
     * Takes a completed read; any thread, never blocks.
     *
     * @throws IllegalStateException after {@link #close}
     */
    public void submit(ReadResult result) {
        if (stopping.get()) {
            throw new IllegalStateException("appender closed");
        }
        queue.add(new Completed(result));
    }

    /**
     * Takes the edge's point catalogue, to be journaled on {@link Lane#META} ahead of whatever is
     * submitted after it; any thread, never blocks.
     *
     * @throws IllegalStateException after {@link #close}
     */
    public void publish(List<PointInfo> catalogue) {
        if (stopping.get()) {
            throw new IllegalStateException("appender closed");
        }
        queue.add(new Catalogue(List.copyOf(catalogue)));
    }

    /** Records made durable so far. */
    public long appended() {
        return appended.get();
    }

    /** Appends that failed (each retried until close). */
    public long failures() {
        return failures.get();
    }

    private void run() {
        boolean stop = false;
        while (!stop) {
            List<Work> work = new ArrayList<>();
            try {
                work.add(queue.take());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                log.warn("appender interrupted; stopping");
                return;
            }
            queue.drainTo(work);
            List<ReadResult> results = new ArrayList<>(work.size());
            List<PointInfo> catalogue = new ArrayList<>();
            for (Work w : work) {
                if (w instanceof Completed c) {
                    results.add(c.result());
                } else if (w instanceof Catalogue cat) {
                    catalogue.addAll(cat.entries());
                } else {
                    stop = true;
                }
            }
            try {
                deliver(catalogue, results);
            } catch (RuntimeException e) {
                // a conversion bug must not stop every device's journaling
                log.error("appender failed on a batch of {} reads; devices released", results.size(), e);
                results.forEach(r -> r.poller().release());
            }
        }
    }

    private void deliver(List<PointInfo> catalogue, List<ReadResult> results) {
        if (results.isEmpty() && catalogue.isEmpty()) {
            return;
        }
        List<AlarmEvent> alarms = new ArrayList<>();
        List<Reading> readings = new ArrayList<>();
        for (ReadResult r : results) {
            Batch b = r.poller().convert(r);
            alarms.addAll(b.alarms());
            readings.addAll(b.readings());
        }
        // in this order: the catalogue (published before any read), alarms, then the readings they came with
        List<Lane> lanes = List.of(Lane.META, Lane.ALARM, Lane.CURRENT);
        List<List<? extends Payload>> appends = List.of(catalogue, alarms, readings);
        int next = 0;
        long backoff = FIRST_BACKOFF_MS;
        while (next < appends.size()) {
            if (appends.get(next).isEmpty()) {
                next++;
                continue;
            }
            try {
                appended.addAndGet(sink.append(lanes.get(next), appends.get(next)).size());
                next++;
            } catch (RuntimeException e) {
                failures.incrementAndGet();
                if (stopping.get()) {
                    log.error("journal append failed while closing: {} catalogue entries, {} alarm events and {}"
                                    + " readings not journaled", next <= 0 ? catalogue.size() : 0,
                            next <= 1 ? alarms.size() : 0, readings.size(), e);
                    break;
                }
                log.warn("journal append failed ({}); retrying in {} ms", e.toString(), backoff);
                if (awaitStop(backoff)) {
                    continue; // one last attempt, then give up (above)
                }
                backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
            }
        }
        results.forEach(r -> r.poller().release());
    }

    /** Waits up to {@code millis}; true when close was asked for meanwhile. */
    private boolean awaitStop(long millis) {
        try {
            return stopSignal.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    /**
     * Journals what was submitted before this call, then stops the thread; waits at most
     * {@code timeout}. Idempotent.
     */
    public void close(Duration timeout) {
        if (!stopping.compareAndSet(false, true)) {
            return;
        }
        queue.add(new Stop());
        stopSignal.countDown();
        if (!started.get()) {
            return;
        }
        try {
            thread.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            log.warn("appender still busy {} after close; leaving it", timeout);
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }
}
