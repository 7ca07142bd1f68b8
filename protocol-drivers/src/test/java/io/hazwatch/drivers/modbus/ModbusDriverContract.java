package io.hazwatch.drivers.modbus;

import io.hazwatch.drivers.DriverContract;
import io.hazwatch.drivers.spi.ChannelSpec;
import io.hazwatch.drivers.spi.DeviceSpec;
import io.hazwatch.drivers.spi.Driver;
import io.hazwatch.drivers.spi.DriverClosedException;
import io.hazwatch.drivers.spi.DriverConfigException;
import io.hazwatch.drivers.spi.DriverState;
import io.hazwatch.drivers.spi.Quality;
import io.hazwatch.drivers.spi.Sample;
import io.hazwatch.drivers.spi.Writable;
import io.hazwatch.drivers.spi.WriteResult;
import io.hazwatch.sims.TankSnapshot;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static io.hazwatch.sims.TankFarmRegisters.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Every Modbus driver kind against a simulator it shares no code with: the {@link DriverContract} every
 * driver passes (connect, read, a refused address bad for that point only, device exception 4, a
 * timeout, a cut link and its recovery, close twice), and what only Modbus has: every data type and
 * table of the tank map, exception 3 for reads over a device's own limit, writes of every function
 * code. Each transport runs it with its own simulator and link. The simulators tick manually, so what
 * a driver reads equals their snapshot.
 */
abstract class ModbusDriverContract extends DriverContract {

    static final Clock SIM_CLOCK = Clock.fixed(Instant.parse("2024-06-01T06:00:00Z"), ZoneOffset.UTC);
    static final int TANKS = 2;
    static final int TIMEOUT_MS = 250;

    /** The simulated device behind the driver, whatever carries its frames. */
    interface SimulatedDevice extends AutoCloseable {
        TankSnapshot snapshot(int tank);

        void advance(int ticks);

        void triggerLeak(int tank);

        void setResponseDelay(Duration delay);

        void setForcedException(int code);

        void setReadLimit(int registers);

        int scratchRegister(int address);

        boolean scratchCoil(int address);

        /** Cuts the link the way this transport loses it (device off, cable pulled). */
        void cutLink();

        /** Brings the link back where it was. */
        void restoreLink();

        @Override
        void close();
    }

    protected SimulatedDevice sim;

    /** Starts the simulator (two tanks, manual ticks, {@link #SIM_CLOCK}, seed 2024, unit 1). */
    abstract SimulatedDevice startDevice();

    /** The connection properties that reach it. */
    abstract Map<String, Object> connection();

    @Override
    protected void startSimulator() {
        sim = startDevice();
        sim.advance(120);
    }

    @Override
    protected void stopSimulator() {
        if (sim != null) {
            sim.close();
        }
    }

    @Override
    protected void dropLink() {
        sim.cutLink();
    }

    @Override
    protected void restoreLink() {
        sim.restoreLink();
    }

    @Override
    protected DeviceSpec device(List<ChannelSpec> channels) {
        return spec(channels, Map.of());
    }

    @Override
    protected List<ChannelSpec> goodChannels() {
        return tankChannels(0);
    }

    @Override
    protected ChannelSpec refusedChannel() {
        return ch("beyond", "address", TANKS * TANK_STRIDE, "type", "float32");
    }

    @Override
    protected Quality refusedQuality() {
        return Quality.BAD_DEVICE_EXCEPTION;
    }

    @Override
    protected Map<String, Object> expectedValues() {
        return expected(0);
    }

    @Override
    protected Fault deviceException() {
        return new Fault.Injected("every request answered with exception 4", () -> sim.setForcedException(4),
                () -> sim.setForcedException(0), names(goodChannels()), Quality.BAD_DEVICE_EXCEPTION,
                "Modbus exception 4 \\(server device failure\\)");
    }

    @Override
    protected Fault slowDevice() {
        // the first request times out; the rest of the cycle, and the reads during the backoff, say why
        return new Fault.Injected("answers after " + 4 * TIMEOUT_MS + " ms",
                () -> sim.setResponseDelay(Duration.ofMillis(4 * TIMEOUT_MS)),
                () -> sim.setResponseDelay(Duration.ZERO),
                names(goodChannels()), Quality.BAD_TIMEOUT, "no answer within " + TIMEOUT_MS
                + " ms|an earlier request timed out|did not answer within " + TIMEOUT_MS + " ms");
    }

    @Override
    protected Set<Quality> qualitiesWhileLinkDown() {
        return Set.of(Quality.BAD_COMM_FAIL);
    }

    /** What the channels of {@link #tankChannels(int) tank {@code t}} read now: float32 rounding, register scaling. */
    Map<String, Object> expected(int t) {
        TankSnapshot snap = sim.snapshot(t);
        String p = "t" + t + ".";
        Map<String, Object> v = new LinkedHashMap<>();
        v.put(p + "level", (double) (float) snap.levelM());
        v.put(p + "ullage", (double) (float) snap.ullageM());
        v.put(p + "temperature", Math.round(snap.temperatureC() / 0.1) * 0.1);
        v.put(p + "pressure", (double) (float) snap.pressureKPa());
        v.put(p + "radar_status", (long) snap.radarStatus());
        v.put(p + "echo_lost", snap.echoLost());
        v.put(p + "gas_status", (long) snap.gasStatus());
        v.put(p + "al1", snap.al1());
        v.put(p + "al2", snap.al2());
        v.put(p + "gas_id", 1L);
        v.put(p + "gas", (double) (float) snap.gasLel());
        v.put(p + "gas_x10", Math.round(snap.gasLel() / 0.1) * 0.1);
        v.put(p + "unit", 3L);
        v.put(p + "sensor_temperature", Math.round(snap.sensorTemperatureC()));
        v.put(p + "reserved", 0L);
        v.put(p + "level_input", (double) (float) snap.levelM());
        v.put(p + "al1_discrete", snap.al1());
        v.put(p + "al2_coil", snap.al2());
        return v;
    }

    static ChannelSpec ch(String name, Object... keyValues) {
        Map<String, Object> props = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            props.put((String) keyValues[i], keyValues[i + 1]);
        }
        return new ChannelSpec(name, props, "contract:" + name);
    }

    /** Every value of the fixed register map for one tank, as an integrator would configure it. */
    static List<ChannelSpec> tankChannels(int t) {
        int b = base(t);
        String p = "t" + t + ".";
        return List.of(
                ch(p + "level", "address", b + LEVEL, "type", "float32", "deadband", 0.0005),
                ch(p + "ullage", "address", b + ULLAGE, "type", "float32", "order", "ABCD"),
                ch(p + "temperature", "address", b + TEMPERATURE, "type", "int16", "scale", 0.1),
                ch(p + "pressure", "address", b + PRESSURE, "type", "float32"),
                ch(p + "radar_status", "address", b + RADAR_STATUS, "type", "uint16"),
                ch(p + "echo_lost", "address", b + RADAR_STATUS, "type", "bool", "bit", 0),
                ch(p + "gas_status", "address", b + GAS_STATUS, "type", "uint16"),
                ch(p + "al1", "address", b + GAS_STATUS, "type", "uint16", "bit", 6),
                ch(p + "al2", "address", b + GAS_STATUS, "type", "bool", "bit", 7),
                ch(p + "gas_id", "address", b + GAS_ID, "type", "uint16"),
                ch(p + "gas", "address", b + GAS_CONCENTRATION, "type", "float32", "order", "CDAB"),
                ch(p + "gas_x10", "address", b + GAS_CONCENTRATION_X10, "type", "uint16", "scale", 0.1),
                ch(p + "unit", "address", b + GAS_UNIT, "type", "uint16"),
                ch(p + "sensor_temperature", "address", b + GAS_SENSOR_TEMPERATURE, "type", "int16"),
                ch(p + "reserved", "address", b + RESERVED, "type", "uint32"),
                ch(p + "level_input", "table", "input", "address", b + LEVEL, "type", "float32"),
                ch(p + "al1_discrete", "table", "discrete", "address", t * BITS_PER_TANK + BIT_AL1),
                ch(p + "al2_coil", "table", "coil", "address", t * BITS_PER_TANK + BIT_AL2));
    }

    DeviceSpec spec(List<ChannelSpec> channels, Map<String, Object> extra) {
        Map<String, Object> props = new HashMap<>(connection());
        props.put("timeoutMs", TIMEOUT_MS);
        props.put("backoffMinMs", 50);
        props.put("backoffMaxMs", 200);
        props.putAll(extra);
        return new DeviceSpec("farm", driverType(), props, channels, "contract");
    }

    Driver driver(List<ChannelSpec> channels, Map<String, Object> extra) throws DriverConfigException {
        return driver(spec(channels, extra));
    }

    static boolean allGood(List<Sample> samples) {
        return samples.stream().allMatch(s -> s.quality() == Quality.GOOD);
    }

    static WriteResult write(Driver driver, String channel, Object value) {
        return ((Writable) driver).write(channel, value).toCompletableFuture().orTimeout(20, TimeUnit.SECONDS).join();
    }

    static void assertWritten(WriteResult result) {
        assertThat(result.quality()).as(result.target() + ": " + result.reason()).isEqualTo(Quality.GOOD);
    }

    @Test
    void reads_every_value_of_two_tanks_in_every_type_and_table_as_the_simulator_publishes_them()
            throws DriverConfigException {
        sim.triggerLeak(1);
        sim.advance(60); // tank 1 now in AL1 and AL2
        List<ChannelSpec> channels = new ArrayList<>(tankChannels(0));
        channels.addAll(tankChannels(1));
        Driver driver = driver(channels, Map.of());

        Map<String, Sample> v = byName(read(driver));

        assertThat(v).hasSize(channels.size());
        Map<String, Object> expected = new LinkedHashMap<>(expected(0));
        expected.putAll(expected(1));
        expected.forEach((channel, value) -> {
            Sample s = v.get(channel);
            assertThat(s.quality()).as(channel + " " + s.reason()).isEqualTo(Quality.GOOD);
            assertThat(s.value()).as(channel).isEqualTo(value);
        });
        assertThat(v.get("t1.al2").value()).as("the triggered leak shows in the status bits").isEqualTo(true);
        assertThat(driver.state()).isEqualTo(DriverState.CONNECTED);
    }

    @Test
    void a_device_that_refuses_reads_longer_than_its_own_limit_with_exception_3_still_has_every_channel_read()
            throws DriverConfigException {
        sim.setReadLimit(8);
        List<ChannelSpec> channels = new ArrayList<>(tankChannels(0));
        channels.addAll(tankChannels(1));
        Driver driver = driver(channels, Map.of());
        List<Sample> first = read(driver);
        assertThat(first).allSatisfy(s -> assertThat(s.quality()).as(s.channel() + " " + s.reason())
                .isEqualTo(Quality.GOOD));
        assertThat(((io.hazwatch.drivers.modbus.internal.ModbusDriver) driver).currentPlan())
                .filteredOn(r -> r.table().isRegisterTable())
                .allSatisfy(r -> assertThat(r.quantity()).isLessThanOrEqualTo(8));
        assertThat(allGood(read(driver))).isTrue();
    }

    @Test
    void writes_of_every_function_code_land_in_the_device_and_read_back() throws DriverConfigException {
        int s = SCRATCH_BASE;
        Driver driver = driver(List.of(
                ch("setpoint", "address", s, "type", "float32", "order", "CDAB"),
                ch("count", "address", s + 2, "type", "int16"),
                ch("scaled", "address", s + 3, "type", "uint16", "scale", 0.1, "writeMultiple", true),
                ch("tag", "address", s + 4, "type", "string", "length", 4),
                ch("total", "address", s + 8, "type", "uint32"),
                ch("pump", "table", "coil", "address", s),
                ch("valve", "table", "coil", "address", s + 1, "writeMultiple", true)), Map.of());

        assertWritten(write(driver, "setpoint", 42.5));          // FC16, 2 registers
        assertWritten(write(driver, "count", -7L));              // FC06
        assertWritten(write(driver, "scaled", 12.3));            // FC16 forced, raw 123
        assertWritten(write(driver, "tag", "TK-1"));             // FC16 string
        assertWritten(write(driver, "total", 4_000_000_000L));   // FC16 uint32
        assertWritten(write(driver, "pump", true));              // FC05
        assertWritten(write(driver, "valve", true));             // FC15

        assertThat(sim.scratchRegister(s + 2)).isEqualTo(0xFFF9);
        assertThat(sim.scratchRegister(s + 3)).isEqualTo(123);
        assertThat(sim.scratchRegister(s + 4)).isEqualTo(0x544B);
        assertThat(sim.scratchCoil(s)).isTrue();
        assertThat(sim.scratchCoil(s + 1)).isTrue();
        Map<String, Sample> back = byName(read(driver));
        assertThat(back.values()).allMatch(x -> x.quality() == Quality.GOOD);
        assertThat(back.get("setpoint").value()).isEqualTo(42.5);
        assertThat(back.get("count").value()).isEqualTo(-7L);
        assertThat((Double) back.get("scaled").value()).isCloseTo(12.3, within(1e-9));
        assertThat(back.get("tag").value()).isEqualTo("TK-1");
        assertThat(back.get("total").value()).isEqualTo(4_000_000_000L);
        assertThat(back.get("pump").value()).isEqualTo(true);

        ModbusWriter raw = (ModbusWriter) driver;
        assertWritten(raw.writeRegisters(s + 20, 1, 2, 3).toCompletableFuture().join());
        assertWritten(raw.writeCoils(s + 20, true, false, true).toCompletableFuture().join());
        assertWritten(raw.writeRegister(s + 23, 0xBEEF).toCompletableFuture().join());
        assertWritten(raw.writeCoil(s + 23, true).toCompletableFuture().join());
        assertThat(new int[]{sim.scratchRegister(s + 20), sim.scratchRegister(s + 22), sim.scratchRegister(s + 23)})
                .containsExactly(1, 3, 0xBEEF);
        assertThat(new boolean[]{sim.scratchCoil(s + 20), sim.scratchCoil(s + 21), sim.scratchCoil(s + 22),
                sim.scratchCoil(s + 23)}).containsExactly(true, false, true, true);
    }

    @Test
    void a_write_the_device_refuses_or_the_channel_cannot_take_is_a_bad_result_and_one_after_close_fails()
            throws DriverConfigException {
        Driver driver = driver(List.of(
                ch("gas_id", "address", GAS_ID, "type", "uint16"),
                ch("level_input", "table", "input", "address", LEVEL, "type", "float32"),
                ch("small", "address", SCRATCH_BASE, "type", "int16")), Map.of());

        WriteResult readOnly = write(driver, "gas_id", 7L);
        assertThat(readOnly.quality()).isEqualTo(Quality.BAD_DEVICE_EXCEPTION);
        assertThat(readOnly.reason()).contains("Modbus exception 1 (illegal function)");
        assertThat(write(driver, "level_input", 1.0).quality()).isEqualTo(Quality.BAD_CONFIG);
        assertThat(write(driver, "small", 40_000L).quality()).isEqualTo(Quality.BAD_OUT_OF_RANGE);
        assertThat(write(driver, "nope", 1L).quality()).isEqualTo(Quality.BAD_CONFIG);
        assertThat(allGood(read(driver))).isTrue();

        driver.close();
        assertThatThrownBy(() -> write(driver, "small", 1L)).as("a write after close")
                .isInstanceOf(CompletionException.class).hasCauseInstanceOf(DriverClosedException.class);
    }
}
