package io.hazwatch.drivers.plc4x.internal;

import io.hazwatch.drivers.plc4x.Plc4xChannel;
import io.hazwatch.drivers.plc4x.Plc4xDeviceConfig;
import io.hazwatch.drivers.plc4x.internal.Plc4xLink.ReadResult;
import io.hazwatch.drivers.plc4x.internal.Plc4xLink.TagOutcome;
import io.hazwatch.drivers.spi.DeviceSpec;
import io.hazwatch.drivers.spi.Driver;
import io.hazwatch.drivers.spi.DriverClosedException;
import io.hazwatch.drivers.spi.DriverState;
import io.hazwatch.drivers.spi.Quality;
import io.hazwatch.drivers.spi.Sample;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code plc4x} {@link Driver}: reads every channel of one device as the tags of one PLC4X read request.
 *
 * <p>Threading: {@link #readAll()} queues a cycle on the driver's single I/O thread, which connects,
 * waits for PLC4X's answer (at most {@code timeoutMs}) and completes the stage; dependent actions
 * attached with the non-async methods run there and must not block.
 *
 * <p>State machine: {@code DISCONNECTED -> CONNECTING -> CONNECTED}; a failed connect goes to
 * {@code BACKING_OFF}, where reads answer {@link Quality#BAD_COMM_FAIL} at once until
 * {@code backoffMinMs} (doubling to {@code backoffMaxMs}) has passed; a timeout or a failed request
 * drops the connection and goes to {@code DISCONNECTED}, and the next read reconnects; a connection
 * PLC4X reports as no longer connected is reopened before the read. {@link #close()} goes to
 * {@code CLOSED} for good.
 *
 * <p>Each tag has its own PLC4X response code. PLC4X's Modbus driver merges nearby tags into one request,
 * so one bad address fails every tag merged with it; tags a device refuses in a request of several are
 * therefore read again one by one, in the same cycle and from then on, so that a bad address makes
 * only its own channel bad.
 */
public final class Plc4xDriver implements Driver {

    private static final Logger LOG = LoggerFactory.getLogger(Plc4xDriver.class);
    private static final long CLOSE_GRACE_MS = 3_000;

    private final DeviceSpec device;
    private final Plc4xDeviceConfig config;
    private final Clock clock;
    private final Plc4xLink link;
    private final List<String> tags;
    private final ExecutorService io;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile DriverState state = DriverState.DISCONNECTED;
    private volatile Thread ioThread;

    // I/O thread only
    /** Channel indexes read in one PLC4X request each; starts as one group, split after device exceptions. */
    private List<List<Integer>> plan;
    private long nextConnectAttemptMillis;
    private long backoffMillis;
    private String lastConnectError = "";
    private boolean connectFailureLogged;

    public Plc4xDriver(DeviceSpec device, Plc4xDeviceConfig config, Clock clock, Plc4xLink link) {
        this.device = Objects.requireNonNull(device, "device");
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.link = Objects.requireNonNull(link, "link");
        this.tags = config.channels().stream().map(Plc4xChannel::tag).toList();
        this.backoffMillis = config.backoffMinMs();
        this.plan = List.of(java.util.stream.IntStream.range(0, config.channels().size()).boxed().toList());
        String threadName = "plc4x-" + config.name();
        this.io = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            ioThread = t;
            return t;
        });
    }

    @Override
    public DeviceSpec device() {
        return device;
    }

    @Override
    public DriverState state() {
        return state;
    }

    @Override
    public CompletionStage<List<Sample>> readAll() {
        CompletableFuture<List<Sample>> result = new CompletableFuture<>();
        if (closed.get()) {
            result.completeExceptionally(new DriverClosedException(config.name()));
            return result;
        }
        try {
            io.execute(() -> {
                if (closed.get()) {
                    result.completeExceptionally(new DriverClosedException(config.name()));
                    return;
                }
                try {
                    result.complete(cycle());
                } catch (RuntimeException e) {
                    LOG.error("device {}: read cycle failed", config.name(), e);
                    result.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(new DriverClosedException(config.name()));
        }
        return result;
    }

    /** Idempotent; waits for a read in progress and for PLC4X to close the connection. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        state = DriverState.CLOSED;
        try {
            io.execute(() -> {
                if (link instanceof PlcConnectionLink plc) {
                    plc.closeAndWait(CLOSE_GRACE_MS);
                } else {
                    link.close();
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("device {}: I/O thread already stopped", config.name(), e);
        }
        io.shutdown();
        if (Thread.currentThread() != ioThread) {
            try {
                if (!io.awaitTermination(config.timeoutMs() + CLOSE_GRACE_MS + 1_000, TimeUnit.MILLISECONDS)) {
                    LOG.warn("device {}: I/O thread still busy after close", config.name());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        LOG.info("device {}: driver closed", config.name());
    }

    private List<Sample> cycle() {
        if (!link.isConnected()) {
            String failure = connect();
            if (failure != null) {
                return allBad(Quality.BAD_COMM_FAIL, failure);
            }
        }
        List<Plc4xChannel> channels = config.channels();
        Sample[] samples = new Sample[channels.size()];
        int g = 0;
        while (g < plan.size()) {
            List<Integer> group = plan.get(g);
            ReadResult result = link.read(group.stream().map(tags::get).toList(), config.timeoutMs());
            long now = clock.millis();
            if (result instanceof ReadResult.Timeout timeout) {
                setState(DriverState.DISCONNECTED);
                LOG.warn("device {}: {} reading {}", config.name(), timeout.message(), config.safeConnection());
                fill(samples, g, now, Quality.BAD_TIMEOUT, timeout.message() + " from " + config.safeConnection());
                break;
            }
            if (result instanceof ReadResult.Failure failure) {
                setState(DriverState.DISCONNECTED);
                LOG.warn("device {}: read from {} failed: {}", config.name(), config.safeConnection(),
                        failure.message());
                fill(samples, g, now, Quality.BAD_COMM_FAIL, "read from " + config.safeConnection() + " failed: "
                        + failure.message());
                break;
            }
            List<TagOutcome> outcomes = ((ReadResult.Answered) result).tags();
            List<Integer> refused = new ArrayList<>();
            List<Integer> rest = new ArrayList<>();
            for (int i = 0; i < group.size(); i++) {
                TagOutcome outcome = outcomes.get(i);
                boolean deviceRefused = outcome instanceof TagOutcome.Bad bad
                        && bad.quality() == Quality.BAD_DEVICE_EXCEPTION;
                (deviceRefused ? refused : rest).add(group.get(i));
                samples[group.get(i)] = sample(channels.get(group.get(i)), outcome, now);
            }
            if (group.size() > 1 && !refused.isEmpty()) {
                // PLC4X merges nearby tags into one request, and a device exception then fails all of them:
                // read the refused tags one by one, now and from now on, so only the truly bad stay bad
                List<List<Integer>> next = new ArrayList<>(plan.subList(0, g));
                if (!rest.isEmpty()) {
                    next.add(List.copyOf(rest));
                }
                refused.forEach(c -> next.add(List.of(c)));
                next.addAll(plan.subList(g + 1, plan.size()));
                LOG.info("device {}: tags {} refused in a request of {}; reading them one by one", config.name(),
                        refused.stream().map(tags::get).toList(), group.size());
                plan = next;
                g += rest.isEmpty() ? 0 : 1;
                continue;
            }
            g++;
        }
        return List.of(samples);
    }

    /** Marks every channel of groups {@code from..} bad. */
    private void fill(Sample[] samples, int from, long now, Quality quality, String reason) {
        List<Plc4xChannel> channels = config.channels();
        for (List<Integer> group : plan.subList(from, plan.size())) {
            for (int c : group) {
                samples[c] = Sample.bad(channels.get(c).name(), now, quality, reason);
            }
        }
    }

    /** Connects unless backing off; null on success, else the reason every sample carries. */
    private String connect() {
        long now = clock.millis();
        long wait = nextConnectAttemptMillis - now;
        if (state == DriverState.BACKING_OFF && wait > 0 && wait <= config.backoffMaxMs()) {
            return "reconnecting to " + config.safeConnection() + " in " + wait + " ms after: " + lastConnectError;
        }
        setState(DriverState.CONNECTING);
        try {
            link.connect();
        } catch (IOException e) {
            long delay = backoffMillis;
            backoffMillis = backoffMillis > config.backoffMaxMs() / 2 ? config.backoffMaxMs() : backoffMillis * 2;
            nextConnectAttemptMillis = clock.millis() + delay;
            lastConnectError = String.valueOf(e.getMessage());
            setState(DriverState.BACKING_OFF);
            if (connectFailureLogged) {
                LOG.debug("device {}: cannot connect to {}: {}; next attempt in {} ms", config.name(),
                        config.safeConnection(), lastConnectError, delay);
            } else {
                connectFailureLogged = true;
                LOG.warn("device {}: cannot connect to {}: {}; next attempt in {} ms", config.name(),
                        config.safeConnection(), lastConnectError, delay);
            }
            return "cannot connect to " + config.safeConnection() + ": " + lastConnectError + "; next attempt in "
                    + delay + " ms";
        }
        backoffMillis = config.backoffMinMs();
        connectFailureLogged = false;
        setState(DriverState.CONNECTED);
        LOG.info("device {}: connected to {}", config.name(), config.safeConnection());
        return null;
    }

    private static Sample sample(Plc4xChannel channel, TagOutcome outcome, long now) {
        if (outcome instanceof TagOutcome.Bad bad) {
            return Sample.bad(channel.name(), now, bad.quality(), bad.reason() + " for tag '" + channel.tag() + "'");
        }
        Object value = ((TagOutcome.Value) outcome).value();
        if (channel.scaled()) {
            if (!(value instanceof Double || value instanceof Long)) {
                return Sample.bad(channel.name(), now, Quality.BAD_CONFIG, "tag '" + channel.tag() + "' gave "
                        + value.getClass().getSimpleName() + " " + value + "; scale and offset need a number");
            }
            value = ((Number) value).doubleValue() * channel.scale() + channel.offset();
        }
        if (value instanceof Double d && !Double.isFinite(d)) {
            return Sample.bad(channel.name(), now, Quality.BAD_OUT_OF_RANGE, "decoded " + d);
        }
        return Sample.good(channel.name(), now, value);
    }

    private List<Sample> allBad(Quality quality, String reason) {
        long now = clock.millis();
        return config.channels().stream().map(c -> Sample.bad(c.name(), now, quality, reason)).toList();
    }

    private void setState(DriverState next) {
        if (!closed.get()) {
            state = next;
        }
    }

    @Override
    public String toString() {
        return "Plc4xDriver[" + config.name() + " " + config.safeConnection() + ", " + state + ", "
                + config.channels().size() + " channels]";
    }
}
