package io.hazwatch.sims.internal;

import io.hazwatch.sims.TankFarmOptions;
import io.hazwatch.sims.TankFarmRegisters;
import io.hazwatch.sims.TankSnapshot;

import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The seeded model of a whole tank farm plus its register image. Every step simulates one second.
 *
 * <p>Threading: all methods are safe from any thread; steps, triggers and snapshots are serialised on
 * this object, and the register image is published as an immutable {@link RegisterImage} after each
 * step, so a reader sees either the previous or the next step, never half of one.
 */
public final class TankFarmModel {

    private final List<TankModel> tanks;
    private final Instant start;
    private final ZoneId zone;
    private long tick;
    private volatile RegisterImage image;

    public TankFarmModel(TankFarmOptions options) {
        Objects.requireNonNull(options, "options");
        this.start = options.clock().instant().truncatedTo(ChronoUnit.SECONDS);
        this.zone = options.zone();
        SplittableRandom root = new SplittableRandom(options.seed());
        List<TankModel> list = new ArrayList<>(options.tanks());
        for (int t = 0; t < options.tanks(); t++) {
            // one stream per tank for the spontaneous process and one for triggered leaks, so a
            // trigger on one tank never changes the value sequence of another
            SplittableRandom tankRandom = root.split();
            SplittableRandom triggerRandom = root.split();
            list.add(new TankModel(t, tankRandom, triggerRandom, options.leakRatePerHour(),
                    options.echoLossRatePerHour(), start, zone));
        }
        this.tanks = List.copyOf(list);
        this.image = encode();
    }

    public int tankCount() {
        return tanks.size();
    }

    /** Steps the model {@code count} simulated seconds and publishes the new register image. */
    public synchronized void advance(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("cannot step backwards: " + count);
        }
        for (int i = 0; i < count; i++) {
            tick++;
            Instant time = start.plusSeconds(tick);
            for (TankModel tank : tanks) {
                tank.step(tick, time, zone);
            }
        }
        if (count > 0) {
            image = encode();
        }
    }

    public synchronized long ticks() {
        return tick;
    }

    public synchronized Instant simulatedTime() {
        return start.plusSeconds(tick);
    }

    public synchronized TankSnapshot snapshot(int tank) {
        return tanks.get(checkTank(tank)).snapshot();
    }

    /** Starts a leak on {@code tank} at the current tick; it shows from the next step on. */
    public synchronized void triggerLeak(int tank) {
        tanks.get(checkTank(tank)).triggerLeak(tick);
    }

    /** The registers and bits as of the latest step. */
    public RegisterImage image() {
        return image;
    }

    private int checkTank(int tank) {
        if (tank < 0 || tank >= tanks.size()) {
            throw new IndexOutOfBoundsException("tank " + tank + " of " + tanks.size());
        }
        return tank;
    }

    private RegisterImage encode() {
        short[] registers = new short[tanks.size() * TankFarmRegisters.TANK_STRIDE];
        boolean[] bits = new boolean[tanks.size() * TankFarmRegisters.BITS_PER_TANK];
        for (TankModel model : tanks) {
            TankSnapshot s = model.snapshot();
            int base = TankFarmRegisters.base(s.tank());
            RegisterEncoding.putFloat32Abcd(registers, base + TankFarmRegisters.LEVEL, s.levelM());
            RegisterEncoding.putFloat32Abcd(registers, base + TankFarmRegisters.ULLAGE, s.ullageM());
            RegisterEncoding.putInt16Scaled(registers, base + TankFarmRegisters.TEMPERATURE, s.temperatureC(), 0.1);
            RegisterEncoding.putFloat32Abcd(registers, base + TankFarmRegisters.PRESSURE, s.pressureKPa());
            RegisterEncoding.putUint16(registers, base + TankFarmRegisters.RADAR_STATUS, s.radarStatus());
            RegisterEncoding.putUint16(registers, base + TankFarmRegisters.GAS_STATUS, s.gasStatus());
            RegisterEncoding.putUint16(registers, base + TankFarmRegisters.GAS_ID, s.gasId());
            RegisterEncoding.putFloat32Cdab(registers, base + TankFarmRegisters.GAS_CONCENTRATION, s.gasLel());
            RegisterEncoding.putUint16Scaled(registers, base + TankFarmRegisters.GAS_CONCENTRATION_X10, s.gasLel(), 0.1);
            RegisterEncoding.putUint16(registers, base + TankFarmRegisters.GAS_FAULT_CODE, s.gasFaultCode());
            RegisterEncoding.putUint16(registers, base + TankFarmRegisters.GAS_UNIT, s.gasUnit());
            RegisterEncoding.putInt16(registers, base + TankFarmRegisters.GAS_SENSOR_TEMPERATURE,
                    Math.round(s.sensorTemperatureC()));
            // RESERVED and RESERVED + 1 stay 0

            int bitBase = s.tank() * TankFarmRegisters.BITS_PER_TANK;
            bits[bitBase + TankFarmRegisters.BIT_AL1] = s.al1();
            bits[bitBase + TankFarmRegisters.BIT_AL2] = s.al2();
            bits[bitBase + TankFarmRegisters.BIT_HEARTBEAT] = s.heartbeat();
            bits[bitBase + TankFarmRegisters.BIT_GAS_FAULT] = (s.gasStatus() & TankFarmRegisters.GAS_FAULT) != 0;
            bits[bitBase + TankFarmRegisters.BIT_ECHO_LOST] = s.echoLost();
            bits[bitBase + TankFarmRegisters.BIT_RADAR_FAULT] = (s.radarStatus() & TankFarmRegisters.RADAR_FAULT) != 0;
        }
        return new RegisterImage(registers, bits);
    }
}
