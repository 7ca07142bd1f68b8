package io.hazwatch.drivers.serial.internal;

import io.hazwatch.drivers.serial.Escapes;
import io.hazwatch.drivers.serial.LineChannel;
import io.hazwatch.drivers.serial.LineFramer;
import io.hazwatch.drivers.serial.SerialLineDeviceConfig;
import io.hazwatch.drivers.serial.SerialLineDeviceConfig.Mode;
import io.hazwatch.drivers.serial.SerialLineStats;
import io.hazwatch.drivers.serial.internal.LineParser.ChannelReading;
import io.hazwatch.drivers.serial.internal.LineParser.ParsedLine;
import io.hazwatch.drivers.spi.DeviceSpec;
import io.hazwatch.drivers.spi.Driver;
import io.hazwatch.drivers.spi.DriverClosedException;
import io.hazwatch.drivers.spi.DriverState;
import io.hazwatch.drivers.spi.Quality;
import io.hazwatch.drivers.spi.Sample;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code serial-line} {@link Driver}: an ASCII instrument on a serial port that either talks by itself
 * (unsolicited) or answers a query (request mode).
 *
 * <p>Threading: one I/O thread per driver owns the port, the framer and the latest reading of every
 * channel (single writer). {@link #readAll()} only queues the read; the I/O thread completes it between
 * two port reads (each waits at most {@value #POLL_MILLIS} ms), so dependent actions attached with the
 * non-async methods run on that thread and must not block.
 *
 * <p>Unsolicited: the thread keeps reading after the first {@code readAll()} opened the port; a read
 * returns the latest reading of every channel stamped with the time its line arrived. A channel whose
 * last line is older than {@code maxAgeMs} is {@link Quality#BAD_TIMEOUT} ("no line for 12 s").
 *
 * <p>Request mode: a read writes the request and completes when every channel has been fed by a line
 * that arrived after it, or after {@code responseTimeoutMs} with the channels not answered
 * {@link Quality#BAD_TIMEOUT}. Reads that arrive while a request is out share its answer.
 *
 * <p>Port state machine: {@code DISCONNECTED -> CONNECTING -> CONNECTED}; a failed open goes to
 * {@code BACKING_OFF} (reads answer {@link Quality#BAD_COMM_FAIL} at once) and is retried after
 * {@code backoffMinMs}, doubling to {@code backoffMaxMs}, without waiting for a read; a failed read or
 * write closes the port and goes to {@code BACKING_OFF} with the shortest delay; {@link #close()} goes
 * to {@code CLOSED} for good.
 */
public final class SerialLineDriver implements Driver {

    static final int POLL_MILLIS = 50;
    private static final Logger LOG = LoggerFactory.getLogger(SerialLineDriver.class);
    private static final long JOIN_MILLIS = 2_000;

    private final DeviceSpec device;
    private final SerialLineDeviceConfig config;
    private final Clock clock;
    private final LineTransport transport;
    private final LineParser parser;
    private final LineFramer framer;
    private final LinkedBlockingQueue<CompletableFuture<List<Sample>>> reads = new LinkedBlockingQueue<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread ioThread;
    private volatile DriverState state = DriverState.DISCONNECTED;

    private final AtomicLong frames = new AtomicLong();
    private final AtomicLong checksumFailures = new AtomicLong();
    private final AtomicLong ignoredFrames = new AtomicLong();
    private final AtomicLong overlongFrames = new AtomicLong();
    private final AtomicLong reopens = new AtomicLong();

    // I/O thread only
    private final Latest[] latest;
    private final byte[] buffer = new byte[1024];
    private boolean started;
    private boolean everOpened;
    private long openedAtMillis;
    private long nextOpenAttemptMillis;
    private long backoffMillis;
    private String lastFailure = "";
    private Pending pending;
    private CompletableFuture<List<Sample>> carried;
    private boolean failureLogged;

    /** The latest reading of one channel and when its line arrived. */
    private record Latest(long arrivedMillis, ChannelReading reading) {
    }

    /** A request written to the instrument and the reads waiting for its answer. */
    private record Pending(long sentMillis, long deadlineMillis, List<CompletableFuture<List<Sample>>> waiting) {
    }

    public SerialLineDriver(DeviceSpec device, SerialLineDeviceConfig config, Clock clock, LineTransport transport) {
        this.device = Objects.requireNonNull(device, "device");
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.transport = Objects.requireNonNull(transport, "transport");
        this.parser = new LineParser(config.checksum(), config.checksumSeparator(), config.channels());
        this.framer = new LineFramer(config.framing());
        this.latest = new Latest[config.channels().size()];
        this.backoffMillis = config.backoffMinMs();
        this.ioThread = new Thread(this::loop, "serial-line-" + config.name());
        ioThread.setDaemon(true);
        ioThread.start();
    }

    @Override
    public DeviceSpec device() {
        return device;
    }

    @Override
    public DriverState state() {
        return state;
    }

    /** Counters since creation; safe from any thread. */
    public SerialLineStats stats() {
        return new SerialLineStats(frames.get(), checksumFailures.get(), overlongFrames.get(), ignoredFrames.get(),
                reopens.get());
    }

    @Override
    public CompletionStage<List<Sample>> readAll() {
        CompletableFuture<List<Sample>> result = new CompletableFuture<>();
        if (closed.get()) {
            result.completeExceptionally(new DriverClosedException(config.name()));
            return result;
        }
        reads.add(result);
        if (closed.get() && reads.remove(result)) {
            result.completeExceptionally(new DriverClosedException(config.name()));
        }
        return result;
    }

    /** Idempotent; waits up to two seconds for the I/O thread to close the port. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        state = DriverState.CLOSED;
        if (Thread.currentThread() != ioThread) {
            try {
                ioThread.join(JOIN_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (ioThread.isAlive()) {
                LOG.warn("device {}: I/O thread still busy after close", config.name());
            }
        }
        LOG.info("device {}: driver closed", config.name());
    }

    private void loop() {
        try {
            while (!closed.get()) {
                step();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("device {}: I/O loop failed", config.name(), e);
        } finally {
            transport.close();
            failAll();
        }
    }

    /** One turn: take new reads, open the port when due, read what arrived, settle a request. */
    private void step() throws InterruptedException {
        List<CompletableFuture<List<Sample>>> fresh = new ArrayList<>();
        if (carried != null) {
            fresh.add(carried);
            carried = null;
        }
        reads.drainTo(fresh);
        if (!fresh.isEmpty()) {
            started = true;
        }
        long wait = nextOpenAttemptMillis - clock.millis();
        // a clock that jumped back must not stretch the backoff beyond its maximum
        if (started && !transport.isOpen() && (wait <= 0 || wait > config.backoffMaxMs())) {
            open();
        }
        for (CompletableFuture<List<Sample>> read : fresh) {
            accept(read);
        }
        if (transport.isOpen()) {
            receive();
        } else {
            // nothing to read: wait for a read or the next open attempt
            carried = reads.poll(POLL_MILLIS, TimeUnit.MILLISECONDS); // served first in the next turn
        }
        settlePending();
    }

    private void open() {
        setState(DriverState.CONNECTING);
        try {
            transport.open();
        } catch (IOException e) {
            transport.close();
            backOff("cannot open " + transport.describe() + ": " + e.getMessage());
            return;
        }
        framer.reset();
        openedAtMillis = clock.millis();
        backoffMillis = config.backoffMinMs();
        failureLogged = false;
        if (everOpened) {
            reopens.incrementAndGet();
        }
        everOpened = true;
        setState(DriverState.CONNECTED);
        LOG.info("device {}: listening on {}", config.name(), transport.describe());
    }

    private void backOff(String reason) {
        boolean firstFailure = !failureLogged;
        failureLogged = true;
        lastFailure = reason;
        long delay = backoffMillis;
        backoffMillis = backoffMillis > config.backoffMaxMs() / 2 ? config.backoffMaxMs() : backoffMillis * 2;
        nextOpenAttemptMillis = clock.millis() + delay;
        setState(DriverState.BACKING_OFF);
        if (firstFailure) {
            LOG.warn("device {}: {}; next attempt in {} ms", config.name(), reason, delay);
        } else {
            LOG.debug("device {}: {}; next attempt in {} ms", config.name(), reason, delay);
        }
        failPending(reason);
    }

    private void accept(CompletableFuture<List<Sample>> read) {
        if (!transport.isOpen()) {
            read.complete(allBad(Quality.BAD_COMM_FAIL, lastFailure.isEmpty() ? transport.describe() + " is not open"
                    : lastFailure));
            return;
        }
        if (config.mode() == Mode.UNSOLICITED) {
            read.complete(snapshot(clock.millis()));
            return;
        }
        if (pending != null) {
            pending.waiting().add(read);
            return;
        }
        String request = config.request().orElseThrow();
        long now = clock.millis();
        try {
            transport.write(request.getBytes(StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            List<CompletableFuture<List<Sample>>> waiting = new ArrayList<>();
            waiting.add(read);
            pending = new Pending(now, now, waiting);
            portFailed("writing the request failed: " + e.getMessage());
            return;
        }
        List<CompletableFuture<List<Sample>>> waiting = new ArrayList<>();
        waiting.add(read);
        pending = new Pending(now, now + config.responseTimeoutMs(), waiting);
    }

    private void receive() {
        int n;
        try {
            n = transport.read(buffer);
        } catch (IOException e) {
            portFailed(e.getMessage());
            return;
        }
        if (n == 0) {
            return;
        }
        long before = framer.overlongFrames();
        List<String> complete = framer.feed(buffer, 0, n);
        overlongFrames.addAndGet(framer.overlongFrames() - before);
        long now = clock.millis();
        for (String frame : complete) {
            frames.incrementAndGet();
            ParsedLine line = parser.parse(frame);
            if (!line.verdict().usable()) {
                checksumFailures.incrementAndGet();
                LOG.debug("device {}: checksum {} in '{}'", config.name(), line.verdict().describe(),
                        Escapes.escape(frame));
            }
            if (line.readings().isEmpty()) {
                ignoredFrames.incrementAndGet();
                continue;
            }
            line.readings().forEach((channel, reading) -> latest[channel] = new Latest(now, reading));
        }
    }

    private void portFailed(String reason) {
        transport.close();
        backoffMillis = config.backoffMinMs();
        backOff(transport.describe() + " failed: " + reason);
    }

    /** Completes the request out when every channel is answered or its time is up. */
    private void settlePending() {
        if (pending == null) {
            return;
        }
        long now = clock.millis();
        boolean answered = true;
        for (Latest l : latest) {
            if (l == null || l.arrivedMillis() < pending.sentMillis()) {
                answered = false;
                break;
            }
        }
        if (!answered && now < pending.deadlineMillis()) {
            return;
        }
        List<Sample> samples = new ArrayList<>(latest.length);
        String reason = "no answer to request '" + Escapes.escape(config.request().orElse("")) + "' within "
                + config.responseTimeoutMs() + " ms";
        for (int c = 0; c < latest.length; c++) {
            Latest l = latest[c];
            if (l == null || l.arrivedMillis() < pending.sentMillis()) {
                samples.add(Sample.bad(name(c), now, Quality.BAD_TIMEOUT, reason));
            } else {
                samples.add(sample(c, l));
            }
        }
        List<Sample> result = List.copyOf(samples);
        Pending done = pending;
        pending = null;
        done.waiting().forEach(f -> f.complete(result));
    }

    private void failPending(String reason) {
        if (pending != null) {
            List<Sample> bad = allBad(Quality.BAD_COMM_FAIL, reason);
            Pending done = pending;
            pending = null;
            done.waiting().forEach(f -> f.complete(bad));
        }
    }

    /** Unsolicited: the latest reading per channel, or why there is none. */
    private List<Sample> snapshot(long now) {
        List<Sample> samples = new ArrayList<>(latest.length);
        for (int c = 0; c < latest.length; c++) {
            Latest l = latest[c];
            if (l == null) {
                samples.add(Sample.bad(name(c), now, Quality.BAD_TIMEOUT, "no line for this channel since "
                        + transport.describe() + " was opened " + seconds(now - openedAtMillis) + " s ago"));
            } else if (now - l.arrivedMillis() > config.maxAgeMs()) {
                samples.add(Sample.bad(name(c), now, Quality.BAD_TIMEOUT, "no line for " + seconds(now - l.arrivedMillis())
                        + " s (maxAgeMs " + config.maxAgeMs() + ")"));
            } else {
                samples.add(sample(c, l));
            }
        }
        return List.copyOf(samples);
    }

    private Sample sample(int channel, Latest l) {
        ChannelReading reading = l.reading();
        if (reading instanceof ChannelReading.Value v) {
            return Sample.good(name(channel), l.arrivedMillis(), v.value());
        }
        ChannelReading.Bad bad = (ChannelReading.Bad) reading;
        String reason = bad.reason();
        if (bad.quality() == Quality.BAD_COMM_FAIL && reason.startsWith("checksum")) {
            reason += " (" + checksumFailures.get() + " checksum failures since start)";
        }
        return Sample.bad(name(channel), l.arrivedMillis(), bad.quality(), reason);
    }

    private List<Sample> allBad(Quality quality, String reason) {
        long now = clock.millis();
        List<Sample> samples = new ArrayList<>(latest.length);
        for (int c = 0; c < latest.length; c++) {
            samples.add(Sample.bad(name(c), now, quality, reason));
        }
        return List.copyOf(samples);
    }

    private String name(int channel) {
        List<LineChannel> channels = config.channels();
        return channels.get(channel).name();
    }

    private static String seconds(long millis) {
        long tenths = Math.max(0, millis) / 100;
        return tenths % 10 == 0 ? Long.toString(tenths / 10) : (tenths / 10) + "." + (tenths % 10);
    }

    private void failAll() {
        DriverClosedException closedException = new DriverClosedException(config.name());
        if (pending != null) {
            pending.waiting().forEach(f -> f.completeExceptionally(closedException));
            pending = null;
        }
        if (carried != null) {
            carried.completeExceptionally(closedException);
            carried = null;
        }
        CompletableFuture<List<Sample>> read;
        while ((read = reads.poll()) != null) {
            read.completeExceptionally(closedException);
        }
    }

    private void setState(DriverState next) {
        if (!closed.get()) {
            state = next;
        }
    }

    @Override
    public String toString() {
        return "SerialLineDriver[" + config.name() + " " + config.port().describe() + ", " + config.mode().configName()
                + ", " + state + ", " + config.channels().size() + " channels]";
    }
}
