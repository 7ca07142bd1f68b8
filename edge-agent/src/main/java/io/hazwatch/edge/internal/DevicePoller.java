package io.hazwatch.edge.internal;

import io.hazwatch.drivers.spi.Driver;
import io.hazwatch.drivers.spi.Quality;
import io.hazwatch.drivers.spi.Sample;
import io.hazwatch.edge.DeviceStatus;
import io.hazwatch.edge.alarm.AlarmEvaluator;
import io.hazwatch.edge.config.DeviceConfig;
import io.hazwatch.edge.config.PointConfig;
import io.hazwatch.sync.model.AlarmEvent;
import io.hazwatch.sync.model.PointValue;
import io.hazwatch.sync.model.Reading;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls one device: on each {@link #tick()} starts one {@link Driver#readAll()} unless the previous
 * poll is still running, in which case the tick is skipped and counted. A poll runs from the tick until
 * {@link #release()}, which the appender calls once the poll's records are durable, so a device has at
 * most one read and one batch in flight and a slow journal slows polling instead of filling memory.
 *
 * <p>Threading: {@link #tick()} is called by the scheduler; the read's completion runs on the driver's
 * I/O thread and only hands the samples on; {@link #convert} (readings, alarm evaluation) runs on the
 * appender thread only, so each point's {@link AlarmEvaluator} has one writer. {@link #status()} may be
 * called from any thread.
 */
public final class DevicePoller {
    private static final Logger log = LoggerFactory.getLogger(DevicePoller.class);

    private record Slot(String pointId, Optional<AlarmEvaluator> evaluator) {
    }

    private final DeviceConfig device;
    private final Driver driver;
    private final Clock clock;
    private final Consumer<ReadResult> completions;
    private final Map<String, Slot> slots = new LinkedHashMap<>();
    private final AtomicBoolean busy = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicLong polls = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final Map<String, AlarmEvent> activeAlarms = new ConcurrentHashMap<>();
    private final Set<String> unknownChannels = new HashSet<>();
    private volatile long lastPollMillis;
    private volatile long lastReadDurationMillis;
    // written by the appender thread only
    private volatile long goodSamples;
    private volatile long badSamples;

    /**
     * @param pointIds the point id of each of the device's points ({@code site/device/point})
     * @param appender journals this device's polls and releases it
     */
    public DevicePoller(DeviceConfig device, Driver driver, Function<PointConfig, String> pointIds, Clock clock,
                        RecordAppender appender) {
        this(device, driver, pointIds, clock, (Consumer<ReadResult>) appender::submit);
    }

    /** @param completions receives each completed read; must not block */
    DevicePoller(DeviceConfig device, Driver driver, Function<PointConfig, String> pointIds, Clock clock,
                 Consumer<ReadResult> completions) {
        this.device = Objects.requireNonNull(device, "device");
        this.driver = Objects.requireNonNull(driver, "driver");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.completions = Objects.requireNonNull(completions, "completions");
        for (PointConfig p : device.points()) {
            String id = pointIds.apply(p);
            slots.put(p.name(), new Slot(id, p.alarms().map(spec -> new AlarmEvaluator(id, spec))));
        }
    }

    public DeviceConfig device() {
        return device;
    }

    /** Starts a poll unless one is running. Never throws: a scheduled task that throws is never run again. */
    public void tick() {
        if (closed.get()) {
            return;
        }
        if (!busy.compareAndSet(false, true)) {
            skipped.incrementAndGet();
            log.debug("device {}: previous poll still running, tick skipped", device.name());
            return;
        }
        polls.incrementAndGet();
        long started = clock.millis();
        lastPollMillis = started;
        CompletionStage<List<Sample>> read;
        try {
            read = driver.readAll();
        } catch (RuntimeException e) {
            log.error("device {}: driver {} failed to start a read", device.name(), device.driver(), e);
            handOn(failedSamples(e), started);
            return;
        }
        read.whenComplete((samples, failure) -> {
            if (closed.get()) {
                busy.set(false);
                return;
            }
            if (failure != null) {
                log.warn("device {}: read failed: {}", device.name(), failure.toString());
                handOn(failedSamples(failure), started);
            } else {
                handOn(samples, started);
            }
        });
    }

    private void handOn(List<Sample> samples, long started) {
        long completed = clock.millis();
        lastReadDurationMillis = completed - started;
        try {
            completions.accept(new ReadResult(this, samples, started, completed));
        } catch (RuntimeException e) {
            log.warn("device {}: poll result not taken: {}", device.name(), e.toString());
            busy.set(false);
        }
    }

    /** A read that failed as a whole (a driver fault, not a device fault): every point is bad. */
    private List<Sample> failedSamples(Throwable failure) {
        long now = clock.millis();
        List<Sample> out = new ArrayList<>(slots.size());
        for (String channel : slots.keySet()) {
            out.add(Sample.bad(channel, now, Quality.BAD_COMM_FAIL, "driver failure: " + failure));
        }
        return out;
    }

    /**
     * Turns a read's samples into readings and runs each point's alarm evaluator. Appender thread only.
     */
    Batch convert(ReadResult result) {
        List<Reading> readings = new ArrayList<>(result.samples().size());
        List<AlarmEvent> alarms = new ArrayList<>(0);
        long good = 0;
        long bad = 0;
        for (Sample s : result.samples()) {
            Slot slot = slots.get(s.channel());
            if (slot == null) {
                if (unknownChannels.add(s.channel())) {
                    log.warn("device {}: driver returned a sample of unknown channel '{}'; ignored", device.name(),
                            s.channel());
                }
                continue;
            }
            Reading reading = new Reading(slot.pointId(), s.timestampMillis(), PointValue.ofObject(s.value()),
                    s.quality().code());
            readings.add(reading);
            if (s.quality().isGood()) {
                good++;
            } else {
                bad++;
            }
            if (slot.evaluator().isPresent()) {
                for (AlarmEvent e : slot.evaluator().get().evaluate(reading)) {
                    alarms.add(e);
                    String key = e.point() + "#" + e.limit();
                    if (e.raised()) {
                        activeAlarms.put(key, e);
                    } else {
                        activeAlarms.remove(key);
                    }
                }
            }
        }
        goodSamples += good;
        badSamples += bad;
        return new Batch(alarms, readings);
    }

    /** Ends the running poll: the next tick may start one. */
    void release() {
        busy.set(false);
    }

    /** Whether a poll is running (read or append). */
    public boolean busy() {
        return busy.get();
    }

    /** Stops polling; a read completing after this is dropped. Does not close the driver. */
    public void close() {
        closed.set(true);
    }

    public List<AlarmEvent> activeAlarms() {
        return List.copyOf(activeAlarms.values());
    }

    public DeviceStatus status() {
        return new DeviceStatus(device.name(), device.driver(), driver.state(), device.pollIntervalMs(), polls.get(),
                skipped.get(), goodSamples, badSamples, lastPollMillis, lastReadDurationMillis);
    }
}
