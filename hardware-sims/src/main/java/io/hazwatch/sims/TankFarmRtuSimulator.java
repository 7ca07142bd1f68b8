package io.hazwatch.sims;

import io.hazwatch.sims.internal.ImageProcessImage;
import io.hazwatch.sims.internal.ModbusSerialSlave;
import io.hazwatch.sims.internal.ScratchBlock;
import io.hazwatch.sims.internal.SlaveBehaviour;
import io.hazwatch.sims.internal.TankFarmModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Tank farms behind a Modbus serial line (RTU or ASCII) instead of TCP: the same model and register
 * map as {@link TankFarmSimulator} (docs/simulators.md), served by j2mod's serial slave on one port.
 * Each farm answers its own unit id, so several farms on one port behave like several instruments on
 * one RS-485 pair. A request for a unit id no farm has gets no answer, as on a real bus.
 *
 * <p>The port may be a real one or one end of a socat pty pair. The simulator opens it in its own
 * thread and re-opens it when it disappears and comes back (a pulled USB adapter, a restarted socat).
 * The {@code bindAddress} and {@code port} of the farm options are not used.
 *
 * <p>Threading: every method is safe from any thread. {@link #close()} is idempotent.
 */
public final class TankFarmRtuSimulator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TankFarmRtuSimulator.class);

    private final SerialLineOptions line;
    private final Map<Integer, TankFarmModel> models;
    private final Map<Integer, ScratchBlock> scratch;
    private final SlaveBehaviour behaviour;
    private final ModbusSerialSlave slave;
    private final ScheduledExecutorService ticker;
    private volatile boolean closed;

    private TankFarmRtuSimulator(SerialLineOptions line, Map<Integer, TankFarmModel> models,
                                 Map<Integer, ScratchBlock> scratch, SlaveBehaviour behaviour, ModbusSerialSlave slave,
                                 ScheduledExecutorService ticker) {
        this.line = line;
        this.models = models;
        this.scratch = scratch;
        this.behaviour = behaviour;
        this.slave = slave;
        this.ticker = ticker;
    }

    /** One farm on {@code line}, answering {@code farm.unitId()}. */
    public static TankFarmRtuSimulator start(SerialLineOptions line, TankFarmOptions farm) {
        return start(line, List.of(farm));
    }

    /**
     * Several farms on one line, one per unit id; each farm ticks as its options say (on one shared tick
     * thread, or manually with {@link #advance(int)}).
     *
     * @throws IllegalArgumentException if two farms share a unit id, or a unit id is outside 1..247
     *                                  (Modbus over Serial Line v1.02, 2.2)
     */
    public static TankFarmRtuSimulator start(SerialLineOptions line, List<TankFarmOptions> farms) {
        Objects.requireNonNull(line, "line");
        if (farms.isEmpty()) {
            throw new IllegalArgumentException("at least one farm");
        }
        Map<Integer, TankFarmModel> models = new LinkedHashMap<>();
        Map<Integer, ScratchBlock> scratch = new LinkedHashMap<>();
        Map<Integer, ImageProcessImage> images = new LinkedHashMap<>();
        for (TankFarmOptions farm : farms) {
            int unit = farm.unitId();
            if (unit < 1 || unit > 247) {
                throw new IllegalArgumentException("a serial unit id must be 1..247, got " + unit);
            }
            if (models.containsKey(unit)) {
                throw new IllegalArgumentException("two farms with unit id " + unit);
            }
            TankFarmModel model = new TankFarmModel(farm);
            ScratchBlock block = new ScratchBlock(TankFarmRegisters.SCRATCH_BASE, TankFarmRegisters.SCRATCH_SIZE);
            models.put(unit, model);
            scratch.put(unit, block);
            images.put(unit, new ImageProcessImage(model::image, block));
        }
        SlaveBehaviour behaviour = new SlaveBehaviour(images);
        ModbusSerialSlave slave = new ModbusSerialSlave(ModbusSerialSlave.Line.of(line), behaviour,
                "tank-farm-" + line.encoding().name().toLowerCase(Locale.ROOT));
        ScheduledExecutorService ticker = null;
        for (TankFarmOptions farm : farms) {
            if (farm.manualTicks()) {
                continue;
            }
            if (ticker == null) {
                ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "tank-farm-serial:" + line.device() + "-tick");
                    t.setDaemon(true);
                    return t;
                });
            }
            TankFarmModel model = models.get(farm.unitId());
            long period = farm.tickInterval().toNanos();
            ticker.scheduleAtFixedRate(() -> tick(model), period, period, TimeUnit.NANOSECONDS);
        }
        LOG.info("tank farms {} on {} ({})", models.keySet(), line.device(), line.describe());
        return new TankFarmRtuSimulator(line, Map.copyOf(models), Map.copyOf(scratch), behaviour, slave, ticker);
    }

    private static void tick(TankFarmModel model) {
        try {
            model.advance(1);
        } catch (RuntimeException e) {
            LOG.error("tank farm model step failed", e); // a task that throws is never run again
        }
    }

    public SerialLineOptions line() {
        return line;
    }

    /** The unit ids served, ascending. */
    public List<Integer> unitIds() {
        return models.keySet().stream().sorted().toList();
    }

    /** Steps every farm {@code ticks} simulated seconds now. */
    public void advance(int ticks) {
        models.values().forEach(m -> m.advance(ticks));
    }

    /** The values tank {@code tank} of the farm at {@code unitId} publishes now. */
    public TankSnapshot snapshot(int unitId, int tank) {
        return model(unitId).snapshot(tank);
    }

    /** Starts a gas leak on {@code tank} of the farm at {@code unitId}, as {@link TankFarmSimulator#triggerLeak}. */
    public void triggerLeak(int unitId, int tank) {
        model(unitId).triggerLeak(tank);
    }

    /** Every response is delayed by a random time in {@code min .. max}, after the inter-frame gap. */
    public void setResponseDelay(Duration min, Duration max) {
        behaviour.setResponseDelay(min, max);
    }

    /** Every request is answered with Modbus exception {@code code}; 0 restores normal answers. */
    public void setForcedException(int code) {
        behaviour.setForcedException(code);
    }

    /** Register reads longer than {@code registers} are answered with exception 3. */
    public void setReadLimit(int registers) {
        behaviour.setReadLimit(registers);
    }

    /** Fault injection: the next {@code count} responses carry a wrong CRC (RTU) or LRC (ASCII). */
    public void corruptNextResponses(int count) {
        slave.corruptNextResponses(count);
    }

    /** Requests addressed to a farm here, answered or not. */
    public long requestCount() {
        return behaviour.requestCount();
    }

    /** True while the port is open (false while it is missing and the simulator waits for it). */
    public boolean isPortOpen() {
        return slave.isOpen();
    }

    /** Scratch holding register {@code address} of the farm at {@code unitId}. */
    public int scratchRegister(int unitId, int address) {
        return scratchOf(unitId).register(address);
    }

    /** Scratch coil {@code address} of the farm at {@code unitId}. */
    public boolean scratchCoil(int unitId, int address) {
        return scratchOf(unitId).coil(address);
    }

    private TankFarmModel model(int unitId) {
        TankFarmModel model = models.get(unitId);
        if (model == null) {
            throw new IllegalArgumentException("no farm with unit id " + unitId + "; units " + unitIds());
        }
        return model;
    }

    private ScratchBlock scratchOf(int unitId) {
        model(unitId);
        return scratch.get(unitId);
    }

    public boolean isClosed() {
        return closed;
    }

    /** Idempotent: stops ticking and closes the port. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (ticker != null) {
            ticker.shutdownNow();
        }
        slave.close();
        LOG.info("tank farms on {} closed", line.device());
    }

    @Override
    public String toString() {
        return "TankFarmRtuSimulator[" + line.device() + " " + line.describe() + ", units " + unitIds() + "]";
    }
}
