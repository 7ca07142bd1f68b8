package io.hazwatch.sims;

import java.time.Instant;

/**
 * The engineering values one tank publishes after the latest model step, before register encoding:
 * a reader sees them after float32 rounding ({@code levelM}, {@code ullageM}, {@code pressureKPa},
 * {@code gasLel}) or scaling and rounding ({@code temperatureC} to 0.1 °C, {@code gasLel} x10 to an
 * integer, {@code sensorTemperatureC} to whole degrees).
 *
 * @param tank               0-based tank index
 * @param tick               model steps taken so far (one simulated second each)
 * @param simulatedTime      simulated time of the step
 * @param levelM             measured level, m (with gauge noise; frozen while the echo is lost)
 * @param ullageM            tank height minus level, m
 * @param temperatureC       product temperature, °C
 * @param pressureKPa        tank pressure (gauge), kPa
 * @param radarStatus        radar status word ({@link TankFarmRegisters#RADAR_ECHO_LOST}, ...)
 * @param gasStatus          gas detector status word ({@link TankFarmRegisters#GAS_AL1}, ...)
 * @param gasId              gas id, 1 = CH4
 * @param gasLel             gas concentration, %LEL
 * @param gasFaultCode       detector fault code, 0 = none
 * @param gasUnit            unit code, 3 = %LEL
 * @param sensorTemperatureC detector housing temperature, °C
 */
public record TankSnapshot(int tank, long tick, Instant simulatedTime, double levelM, double ullageM,
                           double temperatureC, double pressureKPa, int radarStatus, int gasStatus,
                           int gasId, double gasLel, int gasFaultCode, int gasUnit, double sensorTemperatureC) {

    public boolean al1() {
        return (gasStatus & TankFarmRegisters.GAS_AL1) != 0;
    }

    public boolean al2() {
        return (gasStatus & TankFarmRegisters.GAS_AL2) != 0;
    }

    public boolean heartbeat() {
        return (gasStatus & TankFarmRegisters.GAS_HEARTBEAT) != 0;
    }

    public boolean echoLost() {
        return (radarStatus & TankFarmRegisters.RADAR_ECHO_LOST) != 0;
    }
}
