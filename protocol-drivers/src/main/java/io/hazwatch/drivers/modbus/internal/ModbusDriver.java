package io.hazwatch.drivers.modbus.internal;

import io.hazwatch.drivers.modbus.ModbusChannel;
import io.hazwatch.drivers.modbus.ModbusDeviceConfig;
import io.hazwatch.drivers.modbus.ModbusEndpoint;
import io.hazwatch.drivers.modbus.ModbusReadResult;
import io.hazwatch.drivers.modbus.ModbusReader;
import io.hazwatch.drivers.modbus.ModbusTable;
import io.hazwatch.drivers.modbus.ModbusWriter;
import io.hazwatch.drivers.spi.DeviceSpec;
import io.hazwatch.drivers.spi.Driver;
import io.hazwatch.drivers.spi.DriverClosedException;
import io.hazwatch.drivers.spi.DriverState;
import io.hazwatch.drivers.spi.Quality;
import io.hazwatch.drivers.spi.Sample;
import io.hazwatch.drivers.spi.Writable;
import io.hazwatch.drivers.spi.WriteResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The Modbus {@link Driver} of every kind (TCP, RTU, RTU over TCP, ASCII): reads every channel of one
 * device with as few requests as the {@link ReadPlanner} allows, writes channels or raw addresses, and
 * reads raw addresses of any unit on its connection or line ({@link ModbusReader}).
 * What differs between the kinds is the {@link ModbusLink} and the {@link IoLane}.
 *
 * <p>Threading: {@link #readAll()} and the writes only queue a task on the lane and return; the task
 * runs the blocking transactions and completes the stage on the lane's thread, so dependent actions
 * attached with the non-async methods run there and must not block (on a serial line they would hold
 * up every device on it). The plan, what the device refused, the backoff and the deadband memory
 * belong to the lane alone.
 *
 * <p>State machine: {@code DISCONNECTED -> CONNECTING -> CONNECTED}. A failed connect, or a device that
 * did not answer in time, goes to {@code BACKING_OFF}: reads answer at once, without touching the
 * device, with {@link Quality#BAD_COMM_FAIL} (or {@link Quality#BAD_TIMEOUT} after a timeout) until the
 * backoff ({@code backoffMinMs} doubling to {@code backoffMaxMs}, reset by an answer) has passed. A broken
 * connection or port goes back to {@code DISCONNECTED} and the next read reconnects. {@link #close()}
 * goes to {@code CLOSED} for good.
 *
 * <p>Splitting: a merged request answered with exception 2 (illegal data address) or 3 (illegal data
 * value) is split in two and the parts retried in the same cycle, until only the channels whose own
 * addresses fail are left with {@link Quality#BAD_DEVICE_EXCEPTION}. What was learnt ({@link Refusals}:
 * the unread gap between the parts for exception 2, a lower per-read limit for exception 3, the
 * addresses of a channel refused on its own) shapes every later plan.
 */
public final class ModbusDriver implements Driver, Writable, ModbusWriter, ModbusReader {

    private static final Logger LOG = LoggerFactory.getLogger(ModbusDriver.class);
    private static final long CLOSE_GRACE_MS = 1000;

    private final DeviceSpec device;
    private final ModbusDeviceConfig config;
    private final Clock clock;
    private final ModbusLink link;
    private final IoLane lane;
    private final Map<String, Integer> channelIndex = new HashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile DriverState state = DriverState.DISCONNECTED;

    // lane only
    private final ReadPlanner planner;
    private final List<ChannelSpan> spans = new ArrayList<>();
    private final Refusals refusals = new Refusals();
    private List<ReadRequest> plan;
    private boolean planStale;
    private final Backoff backoff;
    private long nextAttemptMillis;
    private Quality waitQuality = Quality.BAD_COMM_FAIL;
    private String lastFailure = "";
    private boolean failureLogged;
    private final Object[] lastReported;

    /** A driver on a lane of its own (Modbus TCP, and tests). */
    public ModbusDriver(DeviceSpec device, ModbusDeviceConfig config, Clock clock, ModbusLink link) {
        this(device, config, clock, link, IoLane.own("modbus-" + config.name()));
    }

    /** A driver on {@code lane}, which it releases when closed. */
    public ModbusDriver(DeviceSpec device, ModbusDeviceConfig config, Clock clock, ModbusLink link, IoLane lane) {
        this.device = Objects.requireNonNull(device, "device");
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.link = Objects.requireNonNull(link, "link");
        this.lane = Objects.requireNonNull(lane, "lane");
        this.backoff = new Backoff(config.backoffMinMs(), config.backoffMaxMs());
        for (int i = 0; i < config.channels().size(); i++) {
            ModbusChannel ch = config.channels().get(i);
            spans.add(new ChannelSpan(i, ch.table(), ch.address(), ch.quantity()));
            channelIndex.putIfAbsent(ch.name(), i);
        }
        this.planner = new ReadPlanner(config.maxRegistersPerRead(), config.maxBitsPerRead(), config.maxGap());
        this.plan = planner.plan(spans);
        this.lastReported = new Object[config.channels().size()];
    }

    @Override
    public DeviceSpec device() {
        return device;
    }

    public ModbusDeviceConfig config() {
        return config;
    }

    @Override
    public DriverState state() {
        return state;
    }

    /** The requests the next cycle will send, for status pages and tests. Safe from any thread. */
    public List<ReadRequest> currentPlan() {
        return onLane(() -> List.copyOf(currentPlanOnLane()));
    }

    /** What the device refused so far, in words. Safe from any thread. */
    public String refusals() {
        return onLane(refusals::toString);
    }

    private <T> T onLane(Supplier<T> supplier) {
        if (lane.inLane()) {
            return supplier.get();
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            lane.execute(() -> result.complete(supplier.get()));
        } catch (RejectedExecutionException e) {
            throw new DriverClosedException(config.name());
        }
        return result.join();
    }

    @Override
    public CompletionStage<List<Sample>> readAll() {
        return submit(this::cycle);
    }

    @Override
    public CompletionStage<WriteResult> write(String channel, Object value) {
        Objects.requireNonNull(channel, "channel");
        return submit(() -> {
            Integer index = channelIndex.get(channel);
            if (index == null) {
                return WriteResult.bad(channel, Quality.BAD_CONFIG, "device '" + config.name() + "' has no channel '"
                        + channel + "'");
            }
            ModbusChannel ch = config.channels().get(index);
            ValueEncoder.Encoded encoded = ValueEncoder.encode(ch, value);
            if (encoded instanceof ValueEncoder.Refused refused) {
                return WriteResult.bad(channel, refused.quality(), refused.reason());
            }
            return runWrite(channel, ((ValueEncoder.Command) encoded).command());
        });
    }

    @Override
    public CompletionStage<WriteResult> writeCoil(int address, boolean value) {
        return writeRaw(new WriteCommand.SingleCoil(address, value));
    }

    @Override
    public CompletionStage<WriteResult> writeRegister(int address, int value) {
        return writeRaw(new WriteCommand.SingleRegister(address, value));
    }

    @Override
    public CompletionStage<WriteResult> writeCoils(int address, boolean... values) {
        return writeRaw(new WriteCommand.MultipleCoils(address, values));
    }

    @Override
    public CompletionStage<WriteResult> writeRegisters(int address, int... values) {
        return writeRaw(new WriteCommand.MultipleRegisters(address, values));
    }

    @Override
    public CompletionStage<ModbusReadResult> read(ModbusTable table, int address, int count) {
        return read(config.unitId(), table, address, count);
    }

    @Override
    public CompletionStage<ModbusReadResult> read(int unitId, ModbusTable table, int address, int count) {
        Objects.requireNonNull(table, "table");
        // Modbus over Serial Line v1.02, 2.2: 1..247 address a device on a line, 0 is a broadcast nobody answers
        boolean line = config.kind().isSerialLine();
        if (unitId < (line ? 1 : 0) || unitId > (line ? 247 : 255)) {
            throw new IllegalArgumentException("unit id " + unitId + " outside " + (line ? "1..247" : "0..255"));
        }
        Pdu.readRequest(table, address, count); // throws for a count or range the function code does not allow
        return submit(() -> runRawRead(unitId, table, address, count));
    }

    private CompletionStage<WriteResult> writeRaw(WriteCommand command) {
        return submit(() -> runWrite(command.describe(), command));
    }

    /** Queues {@code work} on the lane; the stage fails only with {@link DriverClosedException}. */
    private <T> CompletionStage<T> submit(Supplier<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        if (closed.get()) {
            result.completeExceptionally(new DriverClosedException(config.name()));
            return result;
        }
        try {
            lane.execute(() -> {
                if (closed.get()) {
                    result.completeExceptionally(new DriverClosedException(config.name()));
                    return;
                }
                try {
                    result.complete(work.get());
                } catch (RuntimeException e) {
                    LOG.error("device {}: transaction failed", config.name(), e);
                    result.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(new DriverClosedException(config.name()));
        }
        return result;
    }

    /**
     * Idempotent. Tasks queued but not started fail with {@link DriverClosedException}; waits (off the
     * lane) for a running one to finish, then gives the lane back.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        state = DriverState.CLOSED;
        CompletableFuture<Void> linkClosed = new CompletableFuture<>();
        try {
            lane.execute(() -> {
                link.close();
                linkClosed.complete(null);
            });
        } catch (RejectedExecutionException e) {
            linkClosed.complete(null);
        }
        if (!lane.inLane()) {
            try {
                linkClosed.get(config.timeoutMs() + CLOSE_GRACE_MS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                LOG.warn("device {}: I/O still busy after close", config.name());
            }
        }
        lane.release();
        LOG.info("device {}: driver closed", config.name());
    }

    private List<ReadRequest> currentPlanOnLane() {
        if (planStale) {
            plan = planner.plan(spans, refusals);
            planStale = false;
        }
        return plan;
    }

    private List<Sample> cycle() {
        List<ModbusChannel> channels = config.channels();
        Sample[] samples = new Sample[channels.size()];
        Optional<String> waiting = backingOff();
        if (waiting.isPresent()) {
            fillAll(samples, waitQuality, waiting.get());
            return List.of(samples);
        }
        boolean reused = link.isConnected();
        if (!reused) {
            Optional<String> failure = connect();
            if (failure.isPresent()) {
                fillAll(samples, Quality.BAD_COMM_FAIL, failure.get());
                return List.of(samples);
            }
        }
        Deque<ReadRequest> queue = new ArrayDeque<>(currentPlanOnLane());
        boolean answered = false;
        while (!queue.isEmpty()) {
            ReadRequest request = queue.peekFirst();
            ReadOutcome outcome = link.read(request.table(), request.start(), request.quantity());
            long now = clock.millis();
            if (outcome instanceof ReadOutcome.Registers registers) {
                queue.removeFirst();
                answered = true;
                int[] values = registers.values();
                for (ChannelSpan member : request.members()) {
                    samples[member.channel()] = registerSample(member.channel(), values,
                            member.start() - request.start(), now);
                }
            } else if (outcome instanceof ReadOutcome.Bits bits) {
                queue.removeFirst();
                answered = true;
                boolean[] values = bits.values();
                for (ChannelSpan member : request.members()) {
                    samples[member.channel()] = good(member.channel(), now, values[member.start() - request.start()]);
                }
            } else if (outcome instanceof ReadOutcome.DeviceException exception) {
                queue.removeFirst();
                answered = true;
                if (learn(request, exception, queue)) {
                    continue;
                }
                fill(samples, request, now, Quality.BAD_DEVICE_EXCEPTION, exception.describe() + " reading " + request);
            } else if (outcome instanceof ReadOutcome.Garbled garbled) {
                queue.removeFirst();
                LOG.debug("device {}: damaged answer reading {}: {}", config.name(), request, garbled.message());
                fill(samples, request, now, Quality.BAD_COMM_FAIL, "damaged answer reading " + request + ": "
                        + garbled.message());
            } else if (outcome instanceof ReadOutcome.Timeout) {
                queue.removeFirst();
                String reason = "no answer within " + config.timeoutMs() + " ms reading " + request;
                fill(samples, request, now, Quality.BAD_TIMEOUT, reason);
                for (ReadRequest rest : queue) {
                    fill(samples, rest, now, Quality.BAD_TIMEOUT, "not read: an earlier request timed out in this cycle");
                }
                backOff(Quality.BAD_TIMEOUT, "device at " + config.endpoint().describe() + " unit " + config.unitId()
                        + " did not answer within " + config.timeoutMs() + " ms");
                break;
            } else if (outcome instanceof ReadOutcome.CommFailure failure) {
                setState(DriverState.DISCONNECTED);
                if (reused && !answered) {
                    // devices close idle connections; one fresh connection before calling it a failure
                    reused = false;
                    LOG.debug("device {}: reused connection failed ({}); reconnecting", config.name(), failure.message());
                    Optional<String> reconnect = connect();
                    if (reconnect.isEmpty()) {
                        continue;
                    }
                    fillAll(samples, Quality.BAD_COMM_FAIL, reconnect.get());
                    return List.of(samples);
                }
                LOG.warn("device {}: {} failed reading {}: {}", config.name(), config.endpoint().describe(), request,
                        failure.message());
                for (ReadRequest rest : queue) {
                    fill(samples, rest, now, Quality.BAD_COMM_FAIL, rest == request
                            ? config.endpoint().describe() + " failed: " + failure.message()
                            : "not read: the connection failed in this cycle");
                }
                break;
            }
        }
        if (answered) {
            answeredNow();
        }
        return List.of(samples);
    }

    /**
     * Exceptions 2 and 3 on a merged request: split it, queue the parts first and remember what was
     * refused. True when the parts were queued (the members get their samples from them).
     */
    private boolean learn(ReadRequest request, ReadOutcome.DeviceException exception, Deque<ReadRequest> queue) {
        boolean address = exception.isIllegalDataAddress();
        if (!address && !exception.isIllegalDataValue()) {
            return false;
        }
        Optional<List<ReadRequest>> parts = ReadPlanner.split(request);
        if (parts.isEmpty()) {
            if (address) {
                refusals.refuse(request.table(), request.start(), request.end());
                planStale = true;
            }
            return false;
        }
        ReadRequest first = parts.get().get(0);
        ReadRequest second = parts.get().get(1);
        if (address) {
            refusals.refuse(request.table(), first.end() + 1, second.start() - 1);
        } else {
            refusals.lowerLimit(request.table(), Math.max(first.quantity(), second.quantity()));
        }
        planStale = true;
        LOG.info("device {}: {} answered {}; splitting into {} and {}", config.name(), request, exception.describe(),
                first, second);
        queue.addFirst(second);
        queue.addFirst(first);
        return true;
    }

    private WriteResult runWrite(String target, WriteCommand command) {
        Optional<String> waiting = backingOff();
        if (waiting.isPresent()) {
            return WriteResult.bad(target, waitQuality, "not written: " + waiting.get());
        }
        boolean reused = link.isConnected();
        if (!reused) {
            Optional<String> failure = connect();
            if (failure.isPresent()) {
                return WriteResult.bad(target, Quality.BAD_COMM_FAIL, "not written: " + failure.get());
            }
        }
        WriteOutcome outcome = link.write(command);
        if (outcome instanceof ReadOutcome.CommFailure && reused) {
            // a connection the device closed while idle: Modbus writes set absolute values, so once more is safe
            setState(DriverState.DISCONNECTED);
            Optional<String> reconnect = connect();
            if (reconnect.isPresent()) {
                return WriteResult.bad(target, Quality.BAD_COMM_FAIL, "not written: " + reconnect.get());
            }
            outcome = link.write(command);
        }
        if (outcome instanceof WriteOutcome.Written) {
            answeredNow();
            LOG.info("device {}: wrote {} ({})", config.name(), target, command.describe());
            return WriteResult.good(target);
        }
        if (outcome instanceof ReadOutcome.DeviceException e) {
            answeredNow();
            return WriteResult.bad(target, Quality.BAD_DEVICE_EXCEPTION, e.describe() + " on " + command.describe());
        }
        if (outcome instanceof ReadOutcome.Timeout) {
            backOff(Quality.BAD_TIMEOUT, "device at " + config.endpoint().describe() + " unit " + config.unitId()
                    + " did not answer within " + config.timeoutMs() + " ms");
            return WriteResult.bad(target, Quality.BAD_TIMEOUT, "no answer within " + config.timeoutMs() + " ms to "
                    + command.describe() + "; the write may or may not have happened");
        }
        if (outcome instanceof ReadOutcome.Garbled g) {
            return WriteResult.bad(target, Quality.BAD_COMM_FAIL, "damaged answer to " + command.describe() + ": "
                    + g.message() + "; the write may or may not have happened");
        }
        setState(DriverState.DISCONNECTED);
        return WriteResult.bad(target, Quality.BAD_COMM_FAIL, config.endpoint().describe() + " failed: "
                + ((ReadOutcome.CommFailure) outcome).message());
    }

    /** A probe's read: connects if needed, never backs off, keeps the backoff of the driver's own reads as it is. */
    private ModbusReadResult runRawRead(int unit, ModbusTable table, int address, int count) {
        if (!link.isConnected()) {
            boolean backingOff = state == DriverState.BACKING_OFF;
            if (!backingOff) {
                setState(DriverState.CONNECTING);
            }
            try {
                link.connect();
            } catch (IOException e) {
                if (!backingOff) {
                    setState(DriverState.DISCONNECTED);
                }
                boolean tcp = config.endpoint() instanceof ModbusEndpoint.Tcp
                        || config.endpoint() instanceof ModbusEndpoint.RtuOverTcp;
                return new ModbusReadResult.Unreachable((tcp ? "cannot connect to " : "cannot open ")
                        + config.endpoint().describe() + ": " + e.getMessage());
            }
            if (!backingOff) {
                setState(DriverState.CONNECTED);
            }
        }
        ReadOutcome outcome = link.read(unit, table, address, count);
        if (!link.isConnected() && state != DriverState.BACKING_OFF) {
            setState(DriverState.DISCONNECTED);
        }
        if (outcome instanceof ReadOutcome.Registers r) {
            return new ModbusReadResult.Registers(r.values());
        }
        if (outcome instanceof ReadOutcome.Bits b) {
            return new ModbusReadResult.Bits(b.values());
        }
        if (outcome instanceof ReadOutcome.DeviceException e) {
            return new ModbusReadResult.DeviceException(e.code());
        }
        if (outcome instanceof ReadOutcome.Timeout) {
            return new ModbusReadResult.Timeout("no answer within " + config.timeoutMs() + " ms");
        }
        if (outcome instanceof ReadOutcome.Garbled g) {
            return new ModbusReadResult.Damaged(g.message());
        }
        return new ModbusReadResult.LinkFailure(config.endpoint().describe() + " failed: "
                + ((ReadOutcome.CommFailure) outcome).message());
    }

    /** The reason every sample carries while the backoff runs, or empty when the device may be tried. */
    private Optional<String> backingOff() {
        if (state != DriverState.BACKING_OFF) {
            return Optional.empty();
        }
        long wait = nextAttemptMillis - clock.millis();
        // a clock that jumped back must not stretch the backoff beyond its maximum
        if (wait > 0 && wait <= backoff.maxMillis()) {
            return Optional.of(lastFailure + "; next attempt in " + wait + " ms");
        }
        return Optional.empty();
    }

    /** Connects; empty on success, else the reason every sample carries. */
    private Optional<String> connect() {
        setState(DriverState.CONNECTING);
        try {
            link.connect();
        } catch (IOException e) {
            long delay = backOff(Quality.BAD_COMM_FAIL, "cannot connect to " + config.endpoint().describe() + ": "
                    + e.getMessage());
            return Optional.of(lastFailure + "; next attempt in " + delay + " ms");
        }
        setState(DriverState.CONNECTED);
        LOG.debug("device {}: connected to {} (unit {})", config.name(), config.endpoint().describe(), config.unitId());
        return Optional.empty();
    }

    /** Enters {@code BACKING_OFF}; returns the delay. */
    private long backOff(Quality quality, String reason) {
        long delay = backoff.nextDelayMillis();
        nextAttemptMillis = clock.millis() + delay;
        waitQuality = quality;
        lastFailure = reason;
        setState(DriverState.BACKING_OFF);
        if (failureLogged) {
            LOG.debug("device {}: {}; next attempt in {} ms", config.name(), reason, delay);
        } else {
            failureLogged = true;
            LOG.warn("device {}: {}; next attempt in {} ms", config.name(), reason, delay);
        }
        return delay;
    }

    private void answeredNow() {
        if (failureLogged) {
            LOG.info("device {}: answering again at {}", config.name(), config.endpoint().describe());
        }
        failureLogged = false;
        backoff.reset();
        setState(DriverState.CONNECTED);
    }

    private Sample registerSample(int index, int[] values, int at, long now) {
        ModbusChannel channel = config.channels().get(index);
        Object value = ValueDecoder.decode(channel, values, at);
        if (value instanceof Double d && !Double.isFinite(d)) {
            lastReported[index] = null;
            return Sample.bad(channel.name(), now, Quality.BAD_OUT_OF_RANGE, "decoded " + d);
        }
        return good(index, now, value);
    }

    /**
     * A good sample, after the deadband: a number that moved less than the deadband from the last value
     * reported is reported as that value again, so slow noise does not show while a real change (even a
     * slow drift, once it adds up to the deadband) does.
     */
    private Sample good(int index, long now, Object value) {
        ModbusChannel channel = config.channels().get(index);
        Object reported = value;
        Object last = lastReported[index];
        if (channel.deadband() > 0 && value instanceof Number n && last instanceof Number l
                && Math.abs(n.doubleValue() - l.doubleValue()) < channel.deadband()) {
            reported = last;
        }
        lastReported[index] = reported;
        return Sample.good(channel.name(), now, reported);
    }

    private void fill(Sample[] samples, ReadRequest request, long now, Quality quality, String reason) {
        for (ChannelSpan member : request.members()) {
            lastReported[member.channel()] = null;
            samples[member.channel()] = Sample.bad(config.channels().get(member.channel()).name(), now, quality, reason);
        }
    }

    private void fillAll(Sample[] samples, Quality quality, String reason) {
        long now = clock.millis();
        List<ModbusChannel> channels = config.channels();
        for (int c = 0; c < samples.length; c++) {
            lastReported[c] = null;
            samples[c] = Sample.bad(channels.get(c).name(), now, quality, reason);
        }
    }

    private void setState(DriverState next) {
        if (!closed.get()) {
            state = next;
        }
    }

    @Override
    public String toString() {
        return "ModbusDriver[" + config.name() + " " + config.kind().type() + " " + config.endpoint().describe()
                + " unit " + config.unitId() + ", " + state + ", " + config.channels().size() + " channels]";
    }
}
