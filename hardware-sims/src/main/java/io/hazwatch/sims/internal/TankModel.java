package io.hazwatch.sims.internal;

import io.hazwatch.sims.TankFarmRegisters;
import io.hazwatch.sims.TankSnapshot;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * One storage tank with a radar level gauge, a temperature and a pressure transmitter and a
 * combustible-gas point detector (DOMAIN.md 3.6 C1-C3, C8, C15; behaviour per 6.4). Steps one
 * simulated second at a time. Not thread-safe: {@link TankFarmModel} serialises access.
 */
final class TankModel {

    private static final double SECONDS_PER_HOUR = 3600.0;
    private static final double MIN_LEVEL_M = 2.0;
    private static final double MAX_LEVEL_M = 18.0;
    /** Gauge noise: Gaussian, clipped to +-2 mm. */
    private static final double LEVEL_NOISE_SIGMA_M = 0.0008;
    private static final double LEVEL_NOISE_LIMIT_M = 0.002;
    private static final double TEMP_NOISE_SIGMA_C = 0.04;
    private static final double TEMP_NOISE_LIMIT_C = 0.1;
    /** Product temperature follows ambient with this first-order lag. */
    private static final double TEMP_LAG_S = 3 * SECONDS_PER_HOUR;
    private static final double DIURNAL_AMPLITUDE_C = 7.0;
    private static final double WARMEST_HOUR = 15.0;
    /** Alarms clear this far below their threshold (hysteresis). */
    private static final double ALARM_DEADBAND_LEL = 2.0;
    private static final double MAX_LEL = 100.0;

    private enum Phase { REST, FILL, DRAIN }

    private final int index;
    private final RandomGenerator random;
    private final RandomGenerator triggerRandom;
    private final double leakPerSecond;
    private final double echoLossPerSecond;
    private final double ambientMeanC;
    private final double gasBaselineLel;
    private final double pressureBaseKPa;
    private final List<GasPlume> plumes = new ArrayList<>();

    private Phase phase = Phase.REST;
    private double trueLevelM;
    private double targetLevelM;
    private double rateMPerS;
    private long restRemainingS;
    private double productTempC;
    private long echoLostRemainingS;
    private boolean al1;
    private boolean al2;

    private TankSnapshot published;

    TankModel(int index, RandomGenerator random, RandomGenerator triggerRandom, double leakRatePerHour,
              double echoLossRatePerHour, Instant start, ZoneId zone) {
        this.index = index;
        this.random = random;
        this.triggerRandom = triggerRandom;
        this.leakPerSecond = leakRatePerHour / SECONDS_PER_HOUR;
        this.echoLossPerSecond = echoLossRatePerHour / SECONDS_PER_HOUR;
        this.ambientMeanC = random.nextDouble(12.0, 24.0);
        this.gasBaselineLel = random.nextDouble(0.3, 1.2);
        this.pressureBaseKPa = random.nextDouble(0.5, 1.5);
        this.trueLevelM = random.nextDouble(4.0, 16.0);
        this.restRemainingS = random.nextLong(0, 30 * 60);
        this.productTempC = ambientC(start, zone) + random.nextDouble(-2.0, 2.0);
        publish(0, start, zone, trueLevelM);
    }

    TankSnapshot snapshot() {
        return published;
    }

    /** Advances one simulated second, to {@code tick} at {@code time}. */
    void step(long tick, Instant time, ZoneId zone) {
        advanceSchedule();
        if (echoLostRemainingS > 0) {
            echoLostRemainingS--;
        } else if (random.nextDouble() < echoLossPerSecond) {
            echoLostRemainingS = random.nextLong(5, 31);
        }
        double noise = clip(random.nextGaussian() * LEVEL_NOISE_SIGMA_M, LEVEL_NOISE_LIMIT_M);
        // while the echo is lost the gauge holds its last reading (DOMAIN.md 6.4)
        double measuredLevel = echoLostRemainingS > 0 ? published.levelM() : trueLevelM + noise;
        double ambient = ambientC(time, zone);
        productTempC += (ambient - productTempC) / TEMP_LAG_S;
        if (random.nextDouble() < leakPerSecond) {
            plumes.add(new GasPlume(tick, random.nextDouble(30.0, 80.0), random.nextDouble(10.0, 60.0),
                    random.nextDouble(120.0, 600.0)));
        }
        plumes.removeIf(p -> p.finishedAt(tick));
        publish(tick, time, zone, measuredLevel);
    }

    /**
     * Starts a leak now whose peak (60-80 %LEL) crosses both alarm levels; it rises within a minute
     * (rise tau 10-20 s) and decays over minutes.
     */
    void triggerLeak(long tick) {
        plumes.add(new GasPlume(tick, triggerRandom.nextDouble(60.0, 80.0), triggerRandom.nextDouble(10.0, 20.0),
                triggerRandom.nextDouble(120.0, 600.0)));
    }

    private void advanceSchedule() {
        switch (phase) {
            case REST -> {
                if (restRemainingS > 0) {
                    restRemainingS--;
                    return;
                }
                boolean fill = trueLevelM < 8.0 || (trueLevelM <= 12.0 && random.nextBoolean());
                phase = fill ? Phase.FILL : Phase.DRAIN;
                targetLevelM = fill
                        ? random.nextDouble(Math.max(trueLevelM + 2.0, 10.0), MAX_LEVEL_M)
                        : random.nextDouble(MIN_LEVEL_M, Math.min(trueLevelM - 2.0, 10.0));
                // DOMAIN.md 3.6 C1: slow ramps of 0.5-2 m/h
                rateMPerS = random.nextDouble(0.5, 2.0) / SECONDS_PER_HOUR;
            }
            case FILL -> {
                trueLevelM = Math.min(trueLevelM + rateMPerS, targetLevelM);
                if (trueLevelM >= targetLevelM) {
                    rest();
                }
            }
            case DRAIN -> {
                trueLevelM = Math.max(trueLevelM - rateMPerS, targetLevelM);
                if (trueLevelM <= targetLevelM) {
                    rest();
                }
            }
        }
    }

    private void rest() {
        phase = Phase.REST;
        restRemainingS = random.nextLong(20 * 60, 2 * 60 * 60);
    }

    private void publish(long tick, Instant time, ZoneId zone, double measuredLevel) {
        double ambient = ambientC(time, zone);
        double temperature = productTempC + clip(random.nextGaussian() * TEMP_NOISE_SIGMA_C, TEMP_NOISE_LIMIT_C);
        // pressure of an atmospheric tank tracks the vapour space temperature, plus breathing
        double pressure = pressureBaseKPa + 0.12 * (productTempC - 20.0)
                + 0.05 * Math.sin(2 * Math.PI * tick / 900.0) + random.nextGaussian() * 0.01;
        pressure = Math.max(-1.0, Math.min(6.0, pressure));
        double gas = gasBaselineLel + random.nextDouble(-0.5, 0.5);
        gas = Math.max(0.0, Math.min(2.0, gas));
        for (GasPlume plume : plumes) {
            gas += plume.valueAt(tick);
        }
        gas = Math.min(MAX_LEL, gas);
        al1 = al1 ? gas >= TankFarmRegisters.AL1_LEL - ALARM_DEADBAND_LEL : gas >= TankFarmRegisters.AL1_LEL;
        al2 = al2 ? gas >= TankFarmRegisters.AL2_LEL - ALARM_DEADBAND_LEL : gas >= TankFarmRegisters.AL2_LEL;
        int gasStatus = (al1 ? TankFarmRegisters.GAS_AL1 : 0)
                | (al2 ? TankFarmRegisters.GAS_AL2 : 0)
                // heartbeat toggles every 2 s (Midas register 40001 bit 11)
                | ((tick / 2) % 2 == 1 ? TankFarmRegisters.GAS_HEARTBEAT : 0);
        int radarStatus = echoLostRemainingS > 0 ? TankFarmRegisters.RADAR_ECHO_LOST : 0;
        published = new TankSnapshot(index, tick, time, measuredLevel, TankFarmRegisters.TANK_HEIGHT_M - measuredLevel,
                temperature, pressure, radarStatus, gasStatus, TankFarmRegisters.GAS_ID_CH4, gas, 0,
                TankFarmRegisters.UNIT_PERCENT_LEL, ambient + 2.0);
    }

    private double ambientC(Instant time, ZoneId zone) {
        ZonedDateTime local = time.atZone(zone);
        double hour = local.toLocalTime().toSecondOfDay() / SECONDS_PER_HOUR;
        return ambientMeanC + DIURNAL_AMPLITUDE_C * Math.cos(2 * Math.PI * (hour - WARMEST_HOUR) / 24.0);
    }

    private static double clip(double value, double limit) {
        return Math.max(-limit, Math.min(limit, value));
    }
}
