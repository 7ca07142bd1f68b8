package io.hazwatch.sims;

/**
 * The fixed register map of the tank-farm simulator; docs/simulators.md documents it for field
 * engineers. Other modules rely on these numbers exactly: add, never renumber.
 *
 * <p>Every tank {@code t} (0-based) owns {@link #TANK_STRIDE} holding registers (FC03) starting at
 * {@code t * TANK_STRIDE}; input registers (FC04) mirror them. Addresses are 0-based wire addresses.
 * A read that touches a register past the last tank is answered with exception 2 (illegal data
 * address).
 *
 * <p>Extension, not part of the fixed map: discrete inputs (FC02) and coils (FC01), both read-only,
 * expose {@link #BITS_PER_TANK} status bits per tank starting at {@code t * BITS_PER_TANK}.
 *
 * <p>Extension for write tests: {@link #SCRATCH_SIZE} holding registers and as many coils from
 * {@link #SCRATCH_BASE} keep what a master writes (FC05, FC06, FC15, FC16) and read it back; they are
 * above the map of the largest farm (1000 tanks) and not part of the model.
 */
public final class TankFarmRegisters {

    /** Registers per tank. */
    public static final int TANK_STRIDE = 20;
    /** Tank height in metres; ullage = height - level. */
    public static final double TANK_HEIGHT_M = 20.0;

    /** float32 ABCD, metres. */
    public static final int LEVEL = 0;
    /** float32 ABCD, metres. */
    public static final int ULLAGE = 2;
    /** int16, 0.1 °C per count, signed. */
    public static final int TEMPERATURE = 4;
    /** float32 ABCD, kPa. */
    public static final int PRESSURE = 5;
    /** bitfield16: {@link #RADAR_ECHO_LOST}, {@link #RADAR_FAULT}. */
    public static final int RADAR_STATUS = 7;
    /** bitfield16, see the {@code GAS_*} bit masks. */
    public static final int GAS_STATUS = 10;
    /** uint16, {@link #GAS_ID_CH4}. */
    public static final int GAS_ID = 11;
    /** float32 CDAB (low word first), %LEL. */
    public static final int GAS_CONCENTRATION = 12;
    /** uint16, 0.1 %LEL per count. */
    public static final int GAS_CONCENTRATION_X10 = 14;
    /** uint16, 0 = no fault. */
    public static final int GAS_FAULT_CODE = 15;
    /** enum16, {@link #UNIT_PERCENT_LEL}. */
    public static final int GAS_UNIT = 16;
    /** int16, whole °C. */
    public static final int GAS_SENSOR_TEMPERATURE = 17;
    /** Two reserved registers, always 0. */
    public static final int RESERVED = 18;

    public static final int RADAR_ECHO_LOST = 1;
    public static final int RADAR_FAULT = 1 << 1;

    public static final int GAS_WARM_UP = 1;
    public static final int GAS_FAULT = 1 << 1;
    public static final int GAS_CALIBRATION = 1 << 2;
    public static final int GAS_INHIBIT = 1 << 3;
    public static final int GAS_AL1 = 1 << 6;
    public static final int GAS_AL2 = 1 << 7;
    public static final int GAS_HEARTBEAT = 1 << 11;

    public static final int GAS_ID_CH4 = 1;
    /** Unit codes of the gas-unit register: 0 ppm, 1 ppb, 2 %VOL, 3 %LEL, 4 mA. */
    public static final int UNIT_PERCENT_LEL = 3;

    /** First-level gas alarm threshold, %LEL (GB/T 50493: AL at most 25 %LEL). */
    public static final double AL1_LEL = 25.0;
    /** Second-level gas alarm threshold, %LEL (GB/T 50493: AH at most 50 %LEL). */
    public static final double AL2_LEL = 50.0;

    /** Status bits per tank in the discrete-input and coil tables. */
    public static final int BITS_PER_TANK = 8;
    public static final int BIT_AL1 = 0;
    public static final int BIT_AL2 = 1;
    public static final int BIT_HEARTBEAT = 2;
    public static final int BIT_GAS_FAULT = 3;
    public static final int BIT_ECHO_LOST = 4;
    public static final int BIT_RADAR_FAULT = 5;

    /** First address of the writable scratch block (holding registers and coils). */
    public static final int SCRATCH_BASE = 60_000;
    /** Registers and coils in the scratch block. */
    public static final int SCRATCH_SIZE = 100;

    private TankFarmRegisters() {
    }

    /** First register of tank {@code tank}. */
    public static int base(int tank) {
        return tank * TANK_STRIDE;
    }
}
