package io.hazwatch.edge;

import io.hazwatch.drivers.spi.ConfigProblem;
import io.hazwatch.drivers.spi.Driver;
import io.hazwatch.drivers.spi.DriverConfigException;
import io.hazwatch.drivers.spi.DriverFactory;
import io.hazwatch.edge.config.DeviceConfig;
import io.hazwatch.edge.config.EdgeConfig;
import io.hazwatch.edge.internal.DevicePoller;
import io.hazwatch.edge.internal.RecordAppender;
import io.hazwatch.sync.model.AlarmEvent;
import io.hazwatch.sync.model.RecordSink;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An edge agent: polls every configured device at its own interval, turns samples into readings, raises
 * and clears alarms at the edge, and appends both to a {@link RecordSink} (its node's journal): alarm
 * events on the ALARM lane before the readings of the same polls on the CURRENT lane. At every start it
 * first publishes its point catalogue on the META lane, so the province knows each point's unit, type
 * and alarm limits (a catalogue is a few records per point and start; publishing it whole each time
 * keeps the edge without state of its own, and the province keeps the latest).
 *
 * <p>Lifecycle: {@link #create} makes the drivers (no device is contacted yet), {@link #start} starts
 * polling, {@link #close} stops polling, closes the drivers and journals what was already read. Owns
 * two threads: a scheduler that only starts reads (drivers complete them on their own I/O threads)
 * and the appender, the one thread that evaluates alarms and writes to the sink. The sink, the clock
 * and the drivers' factories are the caller's; the drivers are the agent's.
 */
public final class EdgeAgent implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EdgeAgent.class);

    private enum State { CREATED, RUNNING, CLOSED }

    private final EdgeConfig config;
    private final Clock clock;
    private final List<Driver> drivers;
    private final List<DevicePoller> pollers;
    private final RecordAppender appender;
    private final ScheduledExecutorService scheduler;
    private State state = State.CREATED;

    private EdgeAgent(EdgeConfig config, List<Driver> drivers, RecordSink sink, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.drivers = List.copyOf(drivers);
        this.appender = new RecordAppender(sink, "edge-append-" + config.node().id());
        List<DevicePoller> ps = new ArrayList<>();
        for (int i = 0; i < config.devices().size(); i++) {
            DeviceConfig device = config.devices().get(i);
            ps.add(new DevicePoller(device, drivers.get(i), p -> config.pointId(device, p), clock, appender));
        }
        this.pollers = List.copyOf(ps);
        ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "edge-poll-" + config.node().id());
            t.setDaemon(true);
            return t;
        });
        s.setRemoveOnCancelPolicy(true);
        s.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.scheduler = s;
    }

    /** Creates an agent with the drivers installed on the class path. */
    public static EdgeAgent create(EdgeConfig config, RecordSink sink, Clock clock) throws DriverConfigException {
        return create(config, DriverFactory.installed(), sink, clock);
    }

    /**
     * Creates an agent and one driver per device; nothing is contacted until {@link #start()}.
     *
     * @throws DriverConfigException when a device's driver type is not among {@code factories} or a
     *                               factory refuses its device (every problem of every device)
     */
    public static EdgeAgent create(EdgeConfig config, List<DriverFactory> factories, RecordSink sink, Clock clock)
            throws DriverConfigException {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(sink, "sink");
        Objects.requireNonNull(clock, "clock");
        Map<String, DriverFactory> byType = factories.stream()
                .collect(Collectors.toMap(DriverFactory::type, Function.identity(), (a, b) -> a));
        List<Driver> drivers = new ArrayList<>();
        List<ConfigProblem> problems = new ArrayList<>();
        for (DeviceConfig device : config.devices()) {
            DriverFactory factory = byType.get(device.driver());
            if (factory == null) {
                problems.add(new ConfigProblem(device.location(), "device '" + device.name() + "': no driver of type '"
                        + device.driver() + "' is installed"));
                continue;
            }
            try {
                drivers.add(factory.create(device.toDeviceSpec(), clock));
            } catch (DriverConfigException e) {
                problems.addAll(e.problems());
            }
        }
        if (!problems.isEmpty()) {
            drivers.forEach(Driver::close);
            throw new DriverConfigException(problems);
        }
        return new EdgeAgent(config, drivers, sink, clock);
    }

    public EdgeConfig config() {
        return config;
    }

    /**
     * Publishes the point catalogue (one {@link io.hazwatch.sync.model.PointInfo} per configured point,
     * on the META lane, at every start: see {@link PointCatalogue}) and starts polling: each device is
     * read at a fixed rate of its {@code pollIntervalMs}, the first read at once.
     *
     * @throws IllegalStateException when started twice or after close
     */
    public synchronized void start() {
        if (state != State.CREATED) {
            throw new IllegalStateException("agent is " + state.name().toLowerCase());
        }
        state = State.RUNNING;
        // the catalogue goes first in the appender's queue, so it is journaled before any reading
        appender.publish(PointCatalogue.of(config, clock.millis()));
        appender.start();
        for (DevicePoller p : pollers) {
            scheduler.scheduleAtFixedRate(p::tick, 0, p.device().pollIntervalMs(), TimeUnit.MILLISECONDS);
        }
        log.info("edge {} polling {} devices, {} points", config.node().id(), pollers.size(), config.pointCount());
    }

    /** A snapshot; any thread. */
    public AgentStatus status() {
        boolean running;
        synchronized (this) {
            running = state == State.RUNNING;
        }
        List<DeviceStatus> devices = pollers.stream().map(DevicePoller::status).toList();
        List<AlarmEvent> alarms = pollers.stream().flatMap(p -> p.activeAlarms().stream())
                .sorted(Comparator.comparingInt(AlarmEvent::level).thenComparing(AlarmEvent::point)
                        .thenComparing(AlarmEvent::limit))
                .toList();
        return new AgentStatus(config.node().id(), clock.millis(), running, devices, alarms, appender.appended(),
                appender.failures());
    }

    /**
     * Stops polling, closes the drivers (reads still running are abandoned) and journals the reads that
     * had completed, waiting at most a few seconds for the journal. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        scheduler.shutdownNow();
        try {
            if (!scheduler.awaitTermination(2, TimeUnit.SECONDS)) {
                log.warn("edge {}: poll scheduler did not stop in 2 s", config.node().id());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pollers.forEach(DevicePoller::close);
        for (Driver d : drivers) {
            try {
                d.close();
            } catch (RuntimeException e) {
                log.warn("edge {}: closing driver of {} failed", config.node().id(), d.device().name(), e);
            }
        }
        appender.close(Duration.ofSeconds(5));
        log.info("edge {} stopped: {}", config.node().id(), status().summary());
    }
}
