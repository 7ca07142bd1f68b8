package io.hazwatch.drivers.modbus.internal;

import io.hazwatch.drivers.modbus.ModbusChannel;
import io.hazwatch.drivers.modbus.ModbusDeviceConfig;
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
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Modbus TCP {@link Driver}: reads every channel of one device with as few requests as the
 * {@link ReadPlanner} allows.
 *
 * <p>Threading: {@link #readAll()} only queues a read cycle on the driver's own single I/O thread and
 * returns; the cycle runs the blocking transactions one at a time and completes the stage on that
 * thread, so dependent actions attached with the non-async methods run there too and must not block.
 * The plan, the link and the backoff belong to the I/O thread alone.
 *
 * <p>Connection state machine: {@code DISCONNECTED -> CONNECTING -> CONNECTED}; a failed connect goes
 * to {@code BACKING_OFF}, where reads answer {@link Quality#BAD_COMM_FAIL} at once until the backoff
 * ({@code backoffMinMs} doubling to {@code backoffMaxMs}) has passed and a later read tries again; a
 * broken connection or a timeout goes back to {@code DISCONNECTED} and the next read reconnects;
 * {@link #close()} goes to {@code CLOSED} for good.
 *
 * <p>Splitting: a merged request answered with exception 2 (illegal data address) is split and the
 * parts retried in the same cycle, until only the channels whose own addresses fail are left with
 * {@link Quality#BAD_DEVICE_EXCEPTION}; the split plan is kept for later cycles.
 */
public final class ModbusTcpDriver implements Driver {

    private static final Logger LOG = LoggerFactory.getLogger(ModbusTcpDriver.class);
    private static final long CLOSE_GRACE_MS = 1000;

    private final DeviceSpec device;
    private final ModbusDeviceConfig config;
    private final Clock clock;
    private final ModbusLink link;
    private final ExecutorService io;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile DriverState state = DriverState.DISCONNECTED;
    private volatile Thread ioThread;

    // I/O thread only
    private List<ReadRequest> plan;
    private final Backoff backoff;
    private long nextConnectAttemptMillis;
    private String lastConnectError = "";
    private boolean connectFailureLogged;

    public ModbusTcpDriver(DeviceSpec device, ModbusDeviceConfig config, Clock clock, ModbusLink link) {
        this.device = Objects.requireNonNull(device, "device");
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.link = Objects.requireNonNull(link, "link");
        this.backoff = new Backoff(config.backoffMinMs(), config.backoffMaxMs());
        List<ChannelSpan> spans = new ArrayList<>();
        for (int i = 0; i < config.channels().size(); i++) {
            ModbusChannel ch = config.channels().get(i);
            spans.add(new ChannelSpan(i, ch.table(), ch.address(), ch.quantity()));
        }
        this.plan = new ReadPlanner(config.maxRegistersPerRead(), config.maxGap()).plan(spans);
        String threadName = "modbus-tcp-" + config.name();
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

    /** The requests the next cycle will send, for status pages and tests. Safe from any thread. */
    public List<ReadRequest> currentPlan() {
        if (Thread.currentThread() == ioThread) {
            return List.copyOf(plan);
        }
        CompletableFuture<List<ReadRequest>> copy = new CompletableFuture<>();
        try {
            io.execute(() -> copy.complete(List.copyOf(plan)));
        } catch (RejectedExecutionException e) {
            throw new DriverClosedException(config.name());
        }
        return copy.join();
    }

    @Override
    public CompletionStage<List<Sample>> readAll() {
        CompletableFuture<List<Sample>> result = new CompletableFuture<>();
        if (closed.get()) {
            result.completeExceptionally(new DriverClosedException(config.name()));
            return result;
        }
        try {
            io.execute(() -> runCycle(result));
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(new DriverClosedException(config.name()));
        }
        return result;
    }

    /** Idempotent. Reads queued but not started fail with {@link DriverClosedException}. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        state = DriverState.CLOSED;
        try {
            io.execute(link::close);
        } catch (RejectedExecutionException e) {
            LOG.debug("device {}: I/O thread already stopped", config.name(), e);
        }
        io.shutdown();
        if (Thread.currentThread() != ioThread) {
            try {
                if (!io.awaitTermination(config.timeoutMs() + CLOSE_GRACE_MS, TimeUnit.MILLISECONDS)) {
                    LOG.warn("device {}: I/O thread still busy after close", config.name());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        LOG.info("device {}: driver closed", config.name());
    }

    private void runCycle(CompletableFuture<List<Sample>> result) {
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
    }

    private List<Sample> cycle() {
        List<ModbusChannel> channels = config.channels();
        Sample[] samples = new Sample[channels.size()];
        boolean reused = link.isConnected();
        if (!reused) {
            Optional<String> failure = connect();
            if (failure.isPresent()) {
                fillAll(samples, Quality.BAD_COMM_FAIL, failure.get());
                return List.of(samples);
            }
        }
        boolean answered = false;
        int i = 0;
        while (i < plan.size()) {
            ReadRequest request = plan.get(i);
            ReadOutcome outcome = link.read(request.table(), request.start(), request.quantity());
            long now = clock.millis();
            if (outcome instanceof ReadOutcome.Registers registers) {
                int[] values = registers.values();
                for (ChannelSpan member : request.members()) {
                    samples[member.channel()] = registerSample(channels.get(member.channel()), values,
                            member.start() - request.start(), now);
                }
                answered = true;
                i++;
            } else if (outcome instanceof ReadOutcome.Bits bits) {
                boolean[] values = bits.values();
                for (ChannelSpan member : request.members()) {
                    samples[member.channel()] = Sample.good(channels.get(member.channel()).name(), now,
                            values[member.start() - request.start()]);
                }
                answered = true;
                i++;
            } else if (outcome instanceof ReadOutcome.DeviceException exception) {
                answered = true;
                Optional<List<ReadRequest>> parts = exception.isIllegalDataAddress() ? ReadPlanner.split(request)
                        : Optional.empty();
                if (parts.isPresent()) {
                    LOG.info("device {}: {} answered {}; splitting into {} and {}", config.name(), request,
                            exception.describe(), parts.get().get(0), parts.get().get(1));
                    List<ReadRequest> next = new ArrayList<>(plan.subList(0, i));
                    next.addAll(parts.get());
                    next.addAll(plan.subList(i + 1, plan.size()));
                    plan = next;
                    continue; // retry the first part at the same index
                }
                String reason = exception.describe() + " reading " + request;
                for (ChannelSpan member : request.members()) {
                    samples[member.channel()] = Sample.bad(channels.get(member.channel()).name(), now,
                            Quality.BAD_DEVICE_EXCEPTION, reason);
                }
                i++;
            } else if (outcome instanceof ReadOutcome.Timeout timeout) {
                setState(DriverState.DISCONNECTED);
                LOG.warn("device {}: no answer within {} ms reading {}: {}", config.name(), config.timeoutMs(),
                        request, timeout.message());
                fillRequests(samples, i, i + 1, now, Quality.BAD_TIMEOUT,
                        "no answer within " + config.timeoutMs() + " ms reading " + request);
                fillRequests(samples, i + 1, plan.size(), now, Quality.BAD_TIMEOUT,
                        "not read: an earlier request timed out in this cycle");
                break;
            } else if (outcome instanceof ReadOutcome.CommFailure failure) {
                setState(DriverState.DISCONNECTED);
                if (reused && !answered) {
                    // devices close idle connections; one fresh connection before calling it a failure
                    reused = false;
                    LOG.debug("device {}: reused connection failed ({}); reconnecting", config.name(),
                            failure.message());
                    Optional<String> reconnect = connect();
                    if (reconnect.isEmpty()) {
                        continue;
                    }
                    fillAll(samples, Quality.BAD_COMM_FAIL, reconnect.get());
                    break;
                }
                LOG.warn("device {}: connection to {}:{} failed reading {}: {}", config.name(), config.host(),
                        config.port(), request, failure.message());
                fillRequests(samples, i, i + 1, now, Quality.BAD_COMM_FAIL,
                        "connection to " + config.host() + ":" + config.port() + " failed: " + failure.message());
                fillRequests(samples, i + 1, plan.size(), now, Quality.BAD_COMM_FAIL,
                        "not read: the connection failed in this cycle");
                break;
            }
        }
        return List.of(samples);
    }

    /** Connects unless backing off; empty on success, else the reason every sample carries. */
    private Optional<String> connect() {
        long now = clock.millis();
        long wait = nextConnectAttemptMillis - now;
        // a clock that jumped back must not stretch the backoff beyond its maximum
        if (state == DriverState.BACKING_OFF && wait > 0 && wait <= backoff.maxMillis()) {
            return Optional.of("reconnecting to " + config.host() + ":" + config.port() + " in " + wait
                    + " ms after: " + lastConnectError);
        }
        setState(DriverState.CONNECTING);
        try {
            link.connect();
        } catch (IOException e) {
            long delay = backoff.nextDelayMillis();
            nextConnectAttemptMillis = clock.millis() + delay;
            lastConnectError = String.valueOf(e.getMessage());
            setState(DriverState.BACKING_OFF);
            if (connectFailureLogged) {
                LOG.debug("device {}: cannot connect to {}:{}: {}; next attempt in {} ms", config.name(),
                        config.host(), config.port(), lastConnectError, delay);
            } else {
                connectFailureLogged = true;
                LOG.warn("device {}: cannot connect to {}:{}: {}; next attempt in {} ms", config.name(),
                        config.host(), config.port(), lastConnectError, delay);
            }
            return Optional.of("cannot connect to " + config.host() + ":" + config.port() + ": "
                    + lastConnectError + "; next attempt in " + delay + " ms");
        }
        backoff.reset();
        connectFailureLogged = false;
        setState(DriverState.CONNECTED);
        LOG.info("device {}: connected to {}:{} (unit {})", config.name(), config.host(), config.port(),
                config.unitId());
        return Optional.empty();
    }

    private Sample registerSample(ModbusChannel channel, int[] values, int at, long now) {
        Object value = ValueDecoder.decode(channel, values, at);
        if (value instanceof Double d && !Double.isFinite(d)) {
            return Sample.bad(channel.name(), now, Quality.BAD_OUT_OF_RANGE, "decoded " + d);
        }
        return Sample.good(channel.name(), now, value);
    }

    private void fillAll(Sample[] samples, Quality quality, String reason) {
        long now = clock.millis();
        List<ModbusChannel> channels = config.channels();
        for (int c = 0; c < samples.length; c++) {
            samples[c] = Sample.bad(channels.get(c).name(), now, quality, reason);
        }
    }

    private void fillRequests(Sample[] samples, int from, int to, long now, Quality quality, String reason) {
        List<ModbusChannel> channels = config.channels();
        for (ReadRequest request : plan.subList(from, to)) {
            for (ChannelSpan member : request.members()) {
                samples[member.channel()] = Sample.bad(channels.get(member.channel()).name(), now, quality, reason);
            }
        }
    }

    private void setState(DriverState next) {
        if (!closed.get()) {
            state = next;
        }
    }

    @Override
    public String toString() {
        return "ModbusTcpDriver[" + config.name() + " " + config.host() + ":" + config.port() + ", " + state + ", "
                + config.channels().size() + " channels]";
    }
}
