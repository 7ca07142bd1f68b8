package io.hazwatch.sims.serial;

import io.hazwatch.sims.serial.internal.GnssModel;
import io.hazwatch.sims.serial.internal.LineChecksums;
import io.hazwatch.sims.serial.internal.SimSerialPort;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A GNSS displacement solver that prints its solutions on a serial line, NMEA style (DOMAIN 2.6 T10 and
 * 6.1: the solver, not the receiver, produces ΔN/ΔE/ΔU). Per epoch and station one proprietary sentence
 *
 * <pre>{@code $PHZDSP,<station>,<dN mm>,<dE mm>,<dU mm>,<quality>*hh<CR><LF>}</pre>
 *
 * e.g. {@code $PHZDSP,GN01,3.1,-0.4,-2.2,4*3D}, with the NMEA XOR checksum; quality 4 = RTK fixed,
 * 5 = RTK float. With {@link GnssOptions#withGga()} a {@code $GNGGA} sentence of the reference station
 * precedes them, as solver software relays it. Byte layout: docs/drivers-serial.md.
 *
 * <p>Threading: every method is safe from any thread; epochs are written whole, one at a time.
 * Fault injection: {@link #corruptNextChecksums(int)} and {@link #setSilent(boolean)}.
 */
public final class GnssSolverSimulator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GnssSolverSimulator.class);
    private static final DateTimeFormatter HHMMSS = DateTimeFormatter.ofPattern("HHmmss.SS", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private final GnssOptions options;
    private final SimSerialPort port;
    private final GnssModel model;
    private final ScheduledExecutorService ticker;
    private final Map<String, GnssSolution> latest = new ConcurrentHashMap<>();
    private final AtomicInteger corruptLeft = new AtomicInteger();
    private final AtomicLong linesWritten = new AtomicLong();
    private volatile boolean silent;
    private volatile boolean closed;

    private GnssSolverSimulator(GnssOptions options, SimSerialPort port) {
        this.options = options;
        this.port = port;
        this.model = new GnssModel(options.stations(), options.seed(), options.solutionInterval(),
                options.clock().instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        if (options.interval().isZero()) {
            this.ticker = null;
        } else {
            this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "gnss-sim-" + port.device());
                t.setDaemon(true);
                return t;
            });
            long period = options.interval().toNanos();
            ticker.scheduleAtFixedRate(this::tick, period, period, TimeUnit.NANOSECONDS);
        }
    }

    /**
     * Opens the port and, unless epochs are manual, starts printing.
     *
     * @throws UncheckedIOException when the port does not exist or cannot be opened
     */
    public static GnssSolverSimulator start(GnssOptions options) {
        SimSerialPort port = SimSerialPort.open(options.device(), options.baud(), 100);
        LOG.info("GNSS solver on {} at {} baud, stations {}", options.device(), options.baud(), options.stations());
        return new GnssSolverSimulator(options, port);
    }

    private void tick() {
        try {
            emitEpoch();
        } catch (RuntimeException e) {
            LOG.error("GNSS epoch failed", e); // a scheduled task that throws is never run again
        }
    }

    /** Solves one epoch and prints it (unless silent); returns the solutions, one per station. */
    public synchronized List<GnssSolution> emitEpoch() {
        List<GnssModel.Solution> solved = model.step();
        Instant time = model.time();
        StringBuilder out = new StringBuilder();
        if (options.withGga()) {
            out.append(sentence("GNGGA," + HHMMSS.format(time)
                    + ",3845.12345,N,11530.56789,E,4,18,0.7,123.456,M,-8.1,M,1.0,0000")).append("\r\n");
        }
        List<GnssSolution> solutions = new ArrayList<>(solved.size());
        for (GnssModel.Solution s : solved) {
            double n = round1(s.northMm());
            double e = round1(s.eastMm());
            double u = round1(s.upMm());
            String body = String.format(Locale.ROOT, "PHZDSP,%s,%.1f,%.1f,%.1f,%d", s.station(), n, e, u, s.quality());
            String line = sentence(body);
            GnssSolution solution = new GnssSolution(s.station(), model.epoch(), time, n, e, u, s.quality(), line);
            latest.put(s.station(), solution);
            solutions.add(solution);
            out.append(line).append("\r\n");
        }
        if (!silent && !closed) {
            if (port.write(out.toString())) {
                linesWritten.addAndGet(solutions.size() + (options.withGga() ? 1 : 0));
            } else {
                LOG.debug("GNSS epoch {} not fully written to {}", model.epoch(), port.device());
            }
        }
        return List.copyOf(solutions);
    }

    /** "$" + body + "*" + checksum; the checksum is spoiled while corruptions are pending. */
    private String sentence(String body) {
        String checksum = LineChecksums.nmea(body);
        if (corruptLeft.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
            checksum = LineChecksums.spoil(checksum);
        }
        return "$" + body + "*" + checksum;
    }

    /** The last solution of {@code station}, if an epoch was solved. */
    public Optional<GnssSolution> latest(String station) {
        return Optional.ofNullable(latest.get(station));
    }

    /** The next {@code sentences} sentences (GGA included) carry a wrong checksum. */
    public void corruptNextChecksums(int sentences) {
        corruptLeft.set(sentences);
    }

    /** While silent, epochs are solved but nothing is written (a cable pulled at the solver's end). */
    public void setSilent(boolean value) {
        silent = value;
    }

    /** From the next epoch on, {@code station} moves {@code mmPerEpoch} more per epoch (a slope failing). */
    public synchronized void startSlide(String station, double mmPerEpoch) {
        model.slide(station, mmPerEpoch);
    }

    public GnssOptions options() {
        return options;
    }

    /** Sentences written so far. */
    public long linesWritten() {
        return linesWritten.get();
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
        synchronized (this) {
            port.close();
        }
        LOG.info("GNSS solver on {} closed", options.device());
    }

    private static double round1(double mm) {
        return Math.round(mm * 10) / 10.0 + 0.0; // + 0.0 turns -0.0 into 0.0
    }

    @Override
    public String toString() {
        return "GnssSolverSimulator[" + options.device() + ", stations " + options.stations() + "]";
    }
}
