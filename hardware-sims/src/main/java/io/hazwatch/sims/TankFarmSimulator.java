package io.hazwatch.sims;

import io.hazwatch.sims.internal.ImageProcessImage;
import io.hazwatch.sims.internal.ModbusTcpSlaveServer;
import io.hazwatch.sims.internal.ScratchBlock;
import io.hazwatch.sims.internal.SlaveBehaviour;
import io.hazwatch.sims.internal.TankFarmModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A hazardous-chemical tank farm behind a Modbus TCP slave: per tank a radar level gauge, temperature
 * and pressure transmitters and a combustible-gas detector, laid out as in {@link TankFarmRegisters}
 * (docs/simulators.md).
 *
 * <p>The model is seeded and steps one simulated second per tick: on its own tick thread every
 * {@link TankFarmOptions#tickInterval()}, or only on {@link #advance(int)} when the interval is zero.
 * With manual ticks, values read over Modbus equal {@link #snapshot(int)} exactly (after encoding).
 *
 * <p>{@link #startRtuOverTcp} serves the same map with RTU frames on the socket instead of MBAP
 * headers, as an RS-485 device behind a serial device server in transparent mode.
 *
 * <p>Threading: every method is safe from any thread. {@link #close()} is idempotent, stops the
 * ticking, closes the port and drops every client connection (as a powered-off device would).
 */
public final class TankFarmSimulator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TankFarmSimulator.class);

    private final TankFarmOptions options;
    private final TankFarmModel model;
    private final ModbusTcpSlaveServer server;
    private final SlaveBehaviour behaviour;
    private final ScratchBlock scratch;
    private final ScheduledExecutorService ticker;
    private volatile boolean closed;

    private TankFarmSimulator(TankFarmOptions options, TankFarmModel model, ModbusTcpSlaveServer server,
                              SlaveBehaviour behaviour, ScratchBlock scratch, ScheduledExecutorService ticker) {
        this.options = options;
        this.model = model;
        this.server = server;
        this.behaviour = behaviour;
        this.scratch = scratch;
        this.ticker = ticker;
    }

    /**
     * Builds the model, binds the port and starts ticking (unless ticks are manual).
     *
     * @throws UncheckedIOException if the address cannot be bound (port in use, unknown interface)
     */
    public static TankFarmSimulator start(TankFarmOptions options) {
        return start(options, false);
    }

    /**
     * Like {@link #start(TankFarmOptions)}, but the socket carries RTU frames (unit id, PDU, CRC-16)
     * instead of MBAP headers: Modbus RTU over TCP, as behind a serial device server.
     */
    public static TankFarmSimulator startRtuOverTcp(TankFarmOptions options) {
        return start(options, true);
    }

    private static TankFarmSimulator start(TankFarmOptions options, boolean rtuOverTcp) {
        TankFarmModel model = new TankFarmModel(options);
        ScratchBlock scratch = new ScratchBlock(TankFarmRegisters.SCRATCH_BASE, TankFarmRegisters.SCRATCH_SIZE);
        SlaveBehaviour behaviour = new SlaveBehaviour(Map.of(options.unitId(),
                new ImageProcessImage(model::image, scratch)));
        ModbusTcpSlaveServer server;
        try {
            InetSocketAddress address = new InetSocketAddress(InetAddress.getByName(options.bindAddress()),
                    options.port());
            server = new ModbusTcpSlaveServer(address, behaviour, rtuOverTcp, rtuOverTcp ? "tank-farm-rtu-tcp"
                    : "tank-farm");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + options.bindAddress() + ":" + options.port(), e);
        }
        ScheduledExecutorService ticker = null;
        if (!options.manualTicks()) {
            String threadName = "tank-farm:" + server.port() + "-tick";
            ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, threadName);
                t.setDaemon(true);
                return t;
            });
            long periodNanos = options.tickInterval().toNanos();
            ticker.scheduleAtFixedRate(() -> tick(model), periodNanos, periodNanos, TimeUnit.NANOSECONDS);
        }
        LOG.info("tank farm with {} tanks, seed {}, on {}:{} unit {}", options.tanks(), options.seed(),
                options.bindAddress(), server.port(), options.unitId());
        return new TankFarmSimulator(options, model, server, behaviour, scratch, ticker);
    }

    /** Starts with {@link TankFarmOptions#builder()} defaults: loopback, ephemeral port, 4 tanks. */
    public static TankFarmSimulator start() {
        return start(TankFarmOptions.builder().build());
    }

    private static void tick(TankFarmModel model) {
        try {
            model.advance(1);
        } catch (RuntimeException e) {
            // a scheduled task that throws is never run again; log and keep ticking
            LOG.error("tank farm model step failed", e);
        }
    }

    public TankFarmOptions options() {
        return options;
    }

    /** The bound TCP port (the real one when the options asked for port 0). */
    public int port() {
        return server.port();
    }

    /** The address the simulator listens on, as configured. */
    public String host() {
        return options.bindAddress();
    }

    public int unitId() {
        return options.unitId();
    }

    public int tankCount() {
        return model.tankCount();
    }

    /** Model steps taken so far; one simulated second each. */
    public long ticks() {
        return model.ticks();
    }

    public Instant simulatedTime() {
        return model.simulatedTime();
    }

    /**
     * Steps the model {@code ticks} simulated seconds now, on the caller's thread. Meant for manual
     * ticking; with a tick thread running the steps simply add up.
     */
    public void advance(int ticks) {
        model.advance(ticks);
    }

    /** The values tank {@code tank} publishes now. */
    public TankSnapshot snapshot(int tank) {
        return model.snapshot(tank);
    }

    /**
     * Starts a gas leak on {@code tank} at the current tick, from the next step on: a rise with time
     * constant 10-20 s to a peak of 60-80 %LEL (crossing AL1 = 25 and AL2 = 50 %LEL within about a
     * minute), then a decay over minutes.
     */
    public void triggerLeak(int tank) {
        model.triggerLeak(tank);
    }

    /** Fault injection: every response is delayed by {@code delay} ({@link Duration#ZERO} for none). */
    public void setResponseDelay(Duration delay) {
        behaviour.setResponseDelay(delay, delay);
    }

    /** Every response is delayed by a random time in {@code min .. max}, drawn per response. */
    public void setResponseDelay(Duration min, Duration max) {
        behaviour.setResponseDelay(min, max);
    }

    /**
     * Fault injection: every request is answered with Modbus exception {@code code} (e.g. 4, server
     * device failure, or 6, busy); 0 restores normal answers.
     */
    public void setForcedException(int code) {
        behaviour.setForcedException(code);
    }

    /**
     * Behaves like a device whose own limit is below the standard's 125: register reads longer than
     * {@code registers} are answered with exception 3 (illegal data value).
     */
    public void setReadLimit(int registers) {
        behaviour.setReadLimit(registers);
    }

    /** Requests answered so far, exceptions included. */
    public long requestCount() {
        return behaviour.requestCount();
    }

    /** Scratch holding register {@code address} (see {@link TankFarmRegisters#SCRATCH_BASE}), 0..65535. */
    public int scratchRegister(int address) {
        return scratch.register(address);
    }

    /** Scratch coil {@code address}. */
    public boolean scratchCoil(int address) {
        return scratch.coil(address);
    }

    /** Fault injection: closes every client connection now; the simulator keeps listening. */
    public void dropConnections() {
        server.dropConnections();
    }

    /** Client connections open now. */
    public int connectionCount() {
        return server.connectionCount();
    }

    public boolean isClosed() {
        return closed;
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
        server.close();
        LOG.info("tank farm on port {} closed", server.port());
    }

    @Override
    public String toString() {
        return "TankFarmSimulator[" + options.bindAddress() + ":" + port() + ", unit " + options.unitId() + ", "
                + options.tanks() + " tanks, seed " + options.seed() + "]";
    }
}
