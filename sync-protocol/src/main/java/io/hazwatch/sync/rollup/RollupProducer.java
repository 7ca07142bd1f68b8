package io.hazwatch.sync.rollup;

import io.hazwatch.sync.model.Lane;
import io.hazwatch.sync.model.Payload;
import io.hazwatch.sync.model.Reading;
import io.hazwatch.sync.model.RecordSink;
import io.hazwatch.sync.model.Rollup;
import io.hazwatch.sync.model.SyncRecord;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The origin's record sink with rollups: every CURRENT reading goes to the journal first (durable, as
 * before), then into a {@link RollupAggregator}; each minute it closes is appended to the journal as a
 * ROLLUP record of this origin, numbered on its own stream like any other record. A timer closes the
 * minutes of points that have gone silent once the wall clock is {@code grace} past their end, so a
 * point that stops reporting still gets its last minute summarised.
 *
 * <p>Rollups of one point are appended in minute order (one lock covers the aggregator and the
 * append), which is what lets a journal treat "a rollup of this minute or a later one" as "this minute
 * is summarised" when it evicts raw readings.
 */
public final class RollupProducer implements RecordSink, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RollupProducer.class);

    private final RecordSink journal;
    private final Clock clock;
    private final Duration grace;
    private final RollupAggregator aggregator = new RollupAggregator();
    private final Object lock = new Object();
    private final AtomicLong made = new AtomicLong();
    private ScheduledExecutorService timer;

    /**
     * @param journal the origin's journal sink
     * @param grace how long after a minute's end the wall clock waits for its stragglers before closing it
     */
    public RollupProducer(RecordSink journal, Clock clock, Duration grace) {
        this.journal = journal;
        this.clock = clock;
        this.grace = grace;
    }

    /** Starts the wall-clock flush, checking every {@code every}. */
    public synchronized void start(Duration every) {
        if (timer != null) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rollup-flush");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::flushSafely, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public List<SyncRecord> append(Lane lane, List<? extends Payload> payloads) {
        List<SyncRecord> out = journal.append(lane, payloads);
        if (lane == Lane.CURRENT) {
            synchronized (lock) {
                List<Rollup> closed = new ArrayList<>();
                for (Payload p : payloads) {
                    if (p instanceof Reading r) {
                        closed.addAll(aggregator.add(r));
                    }
                }
                appendRollups(closed);
            }
        }
        return out;
    }

    /** Closes, and journals, every minute that ended at least {@code grace} ago by the wall clock. */
    public void flush() {
        synchronized (lock) {
            appendRollups(aggregator.closeBefore(Rollup.minuteOf(clock.millis() - grace.toMillis())));
        }
    }

    /** Rollups journaled since start. */
    public long made() {
        return made.get();
    }

    /** Readings left out of rollups because their minute had already closed. */
    public long lateReadings() {
        synchronized (lock) {
            return aggregator.lateReadings();
        }
    }

    private void appendRollups(List<Rollup> rollups) {
        if (!rollups.isEmpty()) {
            journal.append(Lane.ROLLUP, rollups);
            made.addAndGet(rollups.size());
        }
    }

    private void flushSafely() {
        try {
            flush();
        } catch (RuntimeException e) {
            log.warn("rollups: flush failed: {}", e.toString());
        }
    }

    /**
     * Stops the timer. Minutes still open are not journaled: they are incomplete, and after a restart
     * the minute's rollup covers the readings from the restart on (its count says how many).
     */
    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }
}
