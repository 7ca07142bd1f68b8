package io.hazwatch.sims.serial;

import io.hazwatch.sims.serial.internal.LineChecksums;
import io.hazwatch.sims.serial.internal.RainModel;
import io.hazwatch.sims.serial.internal.SimSerialPort;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A tipping-bucket rain gauge with an ASCII serial output (DOMAIN 2.6 T12, 6.1). It prints
 *
 * <pre>{@code R,<total 0.1 mm>,<tips>*<CRC-16/MODBUS hex><CR><LF>}</pre>
 *
 * e.g. {@code R,01440,00720*5B43}: 144.0 mm in 720 tips of 0.2 mm since the last clear; the CRC
 * covers everything before {@code *}, printed high byte first (as HJ 212 loggers do). Unsolicited it
 * prints after every step; polled it answers {@code R?<CR><LF>} with that line, and {@code CLR<CR><LF>}
 * clears the counters and answers the cleared line. Byte layout: docs/drivers-serial.md.
 *
 * <p>Threading: every method is safe from any thread. Fault injection:
 * {@link #corruptNextChecksums(int)}, {@link #setSilent(boolean)}.
 */
public final class RainGaugeSimulator implements AutoCloseable {

    /** The query a polled gauge answers. */
    public static final String QUERY = "R?";
    /** The command that clears the counters. */
    public static final String CLEAR = "CLR";

    private static final Logger LOG = LoggerFactory.getLogger(RainGaugeSimulator.class);
    private static final int POLL_MILLIS = 50;

    private final RainGaugeOptions options;
    private final SimSerialPort port;
    private final RainModel model;
    private final ScheduledExecutorService ticker;
    private final Thread listener;
    private final AtomicInteger corruptLeft = new AtomicInteger();
    private final AtomicLong linesWritten = new AtomicLong();
    private final AtomicLong queriesAnswered = new AtomicLong();
    private Instant time;
    private volatile boolean silent;
    private volatile boolean closed;

    private RainGaugeSimulator(RainGaugeOptions options, SimSerialPort port) {
        this.options = options;
        this.port = port;
        this.model = new RainModel(options.seed(), options.bucketTenthsMm());
        this.time = options.clock().instant().truncatedTo(ChronoUnit.MINUTES);
        if (options.polled()) {
            listener = new Thread(this::listen, "rain-gauge-listen-" + port.device());
            listener.setDaemon(true);
            listener.start();
        } else {
            listener = null;
        }
        if (options.interval().isZero()) {
            ticker = null;
        } else {
            ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "rain-gauge-" + port.device());
                t.setDaemon(true);
                return t;
            });
            long period = options.interval().toNanos();
            ticker.scheduleAtFixedRate(this::tick, period, period, TimeUnit.NANOSECONDS);
        }
    }

    /**
     * Opens the port and starts stepping (unless steps are manual) and, when polled, listening.
     *
     * @throws UncheckedIOException when the port does not exist or cannot be opened
     */
    public static RainGaugeSimulator start(RainGaugeOptions options) {
        SimSerialPort port = SimSerialPort.open(options.device(), options.baud(), POLL_MILLIS);
        LOG.info("rain gauge on {} at {} baud, {}", options.device(), options.baud(),
                options.polled() ? "polled" : "unsolicited");
        return new RainGaugeSimulator(options, port);
    }

    private void tick() {
        try {
            advance(options.stepMinutes());
            if (!options.polled()) {
                emit();
            }
        } catch (RuntimeException e) {
            LOG.error("rain gauge step failed", e); // a scheduled task that throws is never run again
        }
    }

    /** Steps the weather {@code minutes} simulated minutes; prints nothing. */
    public synchronized void advance(int minutes) {
        for (int i = 0; i < minutes; i++) {
            model.minute();
        }
        time = time.plus(Duration.ofMinutes(minutes));
    }

    /** Prints the current line now (unless silent) and returns what it reports. */
    public synchronized RainSnapshot emit() {
        RainSnapshot now = snapshot();
        write(now);
        return now;
    }

    /** What the gauge reports now; the line carries the right checksum. */
    public synchronized RainSnapshot snapshot() {
        String body = String.format(Locale.ROOT, "R,%05d,%05d", model.totalTenthsMm(), model.tips());
        return new RainSnapshot(model.tips(), model.totalTenthsMm(), time,
                body + "*" + LineChecksums.crc16Modbus(body));
    }

    /** The next {@code minutes} minutes rain {@code mmPerMinute} (0..8), whatever the weather. */
    public synchronized void startBurst(double mmPerMinute, int minutes) {
        model.burst(mmPerMinute, minutes);
    }

    /** The next {@code lines} lines carry a wrong checksum. */
    public void corruptNextChecksums(int lines) {
        corruptLeft.set(lines);
    }

    /** While silent nothing is written, queries included. */
    public void setSilent(boolean value) {
        silent = value;
    }

    public RainGaugeOptions options() {
        return options;
    }

    public long linesWritten() {
        return linesWritten.get();
    }

    public long queriesAnswered() {
        return queriesAnswered.get();
    }

    private void write(RainSnapshot snapshot) {
        if (silent || closed) {
            return;
        }
        String line = snapshot.line();
        if (corruptLeft.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
            int star = line.lastIndexOf('*');
            line = line.substring(0, star + 1) + LineChecksums.spoil(line.substring(star + 1));
        }
        if (port.write(line + "\r\n")) {
            linesWritten.incrementAndGet();
        }
    }

    /** Polled mode: answers queries line by line. */
    private void listen() {
        byte[] buffer = new byte[256];
        StringBuilder pending = new StringBuilder();
        while (!closed) {
            int n = port.read(buffer);
            if (n < 0) {
                if (!closed) {
                    LOG.warn("rain gauge: reading {} failed; no more queries answered", port.device());
                }
                return;
            }
            pending.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
            int end;
            while ((end = pending.indexOf("\n")) >= 0) {
                String command = pending.substring(0, end).trim();
                pending.delete(0, end + 1);
                answer(command);
            }
            if (pending.length() > 1024) {
                pending.setLength(0); // noise without line ends
            }
        }
    }

    private synchronized void answer(String command) {
        if (command.equals(QUERY)) {
            write(snapshot());
            queriesAnswered.incrementAndGet();
        } else if (command.equals(CLEAR)) {
            model.clear();
            write(snapshot());
            queriesAnswered.incrementAndGet();
        } else if (!command.isEmpty()) {
            LOG.debug("rain gauge: unknown command '{}'", command);
        }
    }

    /** Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (ticker != null) {
            ticker.shutdownNow();
        }
        if (listener != null) {
            try {
                listener.join(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            port.close();
        }
        LOG.info("rain gauge on {} closed", options.device());
    }

    @Override
    public String toString() {
        return "RainGaugeSimulator[" + options.device() + (options.polled() ? ", polled" : ", unsolicited") + "]";
    }
}
