package io.hazwatch.drivers.modbus;

import io.hazwatch.drivers.spi.ChannelSpec;
import io.hazwatch.drivers.spi.DeviceSpec;
import io.hazwatch.drivers.spi.Driver;
import io.hazwatch.drivers.spi.DriverClosedException;
import io.hazwatch.drivers.spi.DriverConfigException;
import io.hazwatch.drivers.spi.DriverFactory;
import io.hazwatch.drivers.spi.DriverState;
import io.hazwatch.drivers.spi.Quality;
import io.hazwatch.drivers.spi.Sample;
import io.hazwatch.drivers.spi.Writable;
import io.hazwatch.drivers.spi.WriteResult;
import io.hazwatch.sims.TankSnapshot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
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
import java.util.function.Function;
import java.util.stream.Collectors;

import static io.hazwatch.sims.TankFarmRegisters.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * What every Modbus driver kind must do against a simulator it shares no code with: connect, read,
 * a bad address bad for that point only, device exceptions, timeouts, a cut link and its recovery,
 * writes, and close twice. Each transport runs it with its own simulator and link (Netty's habit of
 * one contract suite over every transport). The simulators tick manually, so what a driver reads equals
 * their snapshot.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
abstract class ModbusDriverContract {

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

    private final List<Driver> drivers = new ArrayList<>();
    protected SimulatedDevice sim;

    /** The {@code driver:} value under test. */
    abstract String driverType();

    /** Starts the simulator (two tanks, manual ticks, {@link #SIM_CLOCK}, seed 2024, unit 1). */
    abstract SimulatedDevice startSimulator();

    /** The connection properties that reach it. */
    abstract Map<String, Object> connection();

    /** The quality every channel gets while the link is cut. */
    abstract Set<Quality> qualitiesWhileCut();

    @BeforeEach
    void startDevice() {
        sim = startSimulator();
        sim.advance(120);
    }

    @AfterEach
    void stopEverything() {
        drivers.forEach(Driver::close);
        if (sim != null) {
            sim.close();
        }
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

    Driver driver(List<ChannelSpec> channels, Map<String, Object> extra) throws DriverConfigException {
        Map<String, Object> props = new HashMap<>(connection());
        props.put("timeoutMs", TIMEOUT_MS);
        props.put("backoffMinMs", 50);
        props.put("backoffMaxMs", 200);
        props.putAll(extra);
        DeviceSpec spec = new DeviceSpec("farm", driverType(), props, channels, "contract");
        DriverFactory factory = DriverFactory.installed().stream().filter(f -> f.type().equals(driverType()))
                .findFirst().orElseThrow();
        assertThat(factory.validate(spec)).isEmpty();
        Driver driver = factory.create(spec, Clock.systemUTC());
        drivers.add(driver);
        return driver;
    }

    static List<Sample> read(Driver driver) {
        return driver.readAll().toCompletableFuture().orTimeout(20, TimeUnit.SECONDS).join();
    }

    static Map<String, Sample> byName(List<Sample> samples) {
        return samples.stream().collect(Collectors.toMap(Sample::channel, Function.identity(), (a, b) -> a,
                LinkedHashMap::new));
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
    void reads_every_value_of_two_tanks_as_the_simulator_publishes_them() throws DriverConfigException {
        sim.triggerLeak(1);
        sim.advance(60); // tank 1 now in AL1 and AL2
        List<ChannelSpec> channels = new ArrayList<>(tankChannels(0));
        channels.addAll(tankChannels(1));
        Driver driver = driver(channels, Map.of());

        List<Sample> samples = read(driver);

        assertThat(samples).hasSize(channels.size());
        assertThat(samples).allSatisfy(s -> assertThat(s.quality()).as(s.channel() + " " + s.reason())
                .isEqualTo(Quality.GOOD));
        Map<String, Sample> v = byName(samples);
        for (int t = 0; t < TANKS; t++) {
            TankSnapshot snap = sim.snapshot(t);
            String p = "t" + t + ".";
            assertThat(v.get(p + "level").value()).isEqualTo((double) (float) snap.levelM());
            assertThat(v.get(p + "level_input").value()).isEqualTo((double) (float) snap.levelM());
            assertThat(v.get(p + "ullage").value()).isEqualTo((double) (float) snap.ullageM());
            assertThat((Double) v.get(p + "temperature").value()).isCloseTo(snap.temperatureC(), within(0.05 + 1e-9));
            assertThat(v.get(p + "pressure").value()).isEqualTo((double) (float) snap.pressureKPa());
            assertThat(v.get(p + "radar_status").value()).isEqualTo((long) snap.radarStatus());
            assertThat(v.get(p + "echo_lost").value()).isEqualTo(snap.echoLost());
            assertThat(v.get(p + "gas_status").value()).isEqualTo((long) snap.gasStatus());
            assertThat(v.get(p + "al1").value()).isEqualTo(snap.al1());
            assertThat(v.get(p + "al2").value()).isEqualTo(snap.al2());
            assertThat(v.get(p + "gas_id").value()).isEqualTo(1L);
            assertThat(v.get(p + "gas").value()).isEqualTo((double) (float) snap.gasLel());
            assertThat((Double) v.get(p + "gas_x10").value()).isCloseTo(snap.gasLel(), within(0.05 + 1e-9));
            assertThat(v.get(p + "unit").value()).isEqualTo(3L);
            assertThat(v.get(p + "sensor_temperature").value()).isEqualTo(Math.round(snap.sensorTemperatureC()));
            assertThat(v.get(p + "reserved").value()).isEqualTo(0L);
            assertThat(v.get(p + "al1_discrete").value()).isEqualTo(snap.al1());
            assertThat(v.get(p + "al2_coil").value()).isEqualTo(snap.al2());
        }
        assertThat(v.get("t1.al2").value()).as("the triggered leak shows in the status bits").isEqualTo(true);
        assertThat(driver.state()).isEqualTo(DriverState.CONNECTED);
    }

    @Test
    void a_channel_past_the_last_tank_is_bad_device_exception_for_that_point_only_and_the_refusal_is_remembered()
            throws DriverConfigException {
        List<ChannelSpec> channels = new ArrayList<>(tankChannels(0));
        channels.addAll(tankChannels(1));
        channels.add(ch("beyond", "address", TANKS * TANK_STRIDE, "type", "float32"));
        Driver driver = driver(channels, Map.of());

        for (int cycle = 0; cycle < 2; cycle++) {
            Map<String, Sample> v = byName(read(driver));
            Sample beyond = v.remove("beyond");
            assertThat(beyond.quality()).isEqualTo(Quality.BAD_DEVICE_EXCEPTION);
            assertThat(beyond.reason()).contains("Modbus exception 2 (illegal data address)");
            assertThat(beyond.value()).isNull();
            assertThat(v.values()).allSatisfy(s -> assertThat(s.quality()).as(s.channel()).isEqualTo(Quality.GOOD));
            assertThat(v.get("t1.level").value()).isEqualTo((double) (float) sim.snapshot(1).levelM());
        }
        assertThat(((io.hazwatch.drivers.modbus.internal.ModbusDriver) driver).currentPlan())
                .as("the refused channel keeps a request of its own")
                .anySatisfy(r -> assertThat(r.start()).isEqualTo(TANKS * TANK_STRIDE));
    }

    @Test
    void a_device_exception_marks_every_channel_bad_with_its_code_and_reads_recover_when_it_clears()
            throws DriverConfigException {
        Driver driver = driver(tankChannels(0), Map.of());
        assertThat(allGood(read(driver))).isTrue();
        sim.setForcedException(4);
        assertThat(read(driver)).allSatisfy(s -> {
            assertThat(s.quality()).isEqualTo(Quality.BAD_DEVICE_EXCEPTION);
            assertThat(s.reason()).contains("Modbus exception 4 (server device failure)");
        });
        assertThat(driver.state()).as("the device answered").isEqualTo(DriverState.CONNECTED);
        sim.setForcedException(0);
        assertThat(allGood(read(driver))).isTrue();
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
    void a_response_slower_than_the_timeout_gives_bad_timeout_and_reads_recover_when_the_device_is_fast_again()
            throws DriverConfigException {
        Driver driver = driver(tankChannels(0), Map.of());
        assertThat(allGood(read(driver))).isTrue();

        sim.setResponseDelay(Duration.ofMillis(4 * TIMEOUT_MS));
        List<Sample> slow = read(driver);
        assertThat(slow).allSatisfy(s -> assertThat(s.quality()).isEqualTo(Quality.BAD_TIMEOUT));
        assertThat(slow.get(0).reason()).contains("no answer within " + TIMEOUT_MS + " ms");
        assertThat(driver.state()).isEqualTo(DriverState.BACKING_OFF);

        sim.setResponseDelay(Duration.ZERO);
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50)).until(() -> allGood(read(driver)));
        assertThat(byName(read(driver)).get("t0.pressure").value()).isEqualTo((double) (float) sim.snapshot(0).pressureKPa());
    }

    @Test
    void a_cut_link_gives_every_channel_a_bad_quality_and_reads_recover_when_it_is_restored()
            throws DriverConfigException {
        Driver driver = driver(tankChannels(0), Map.of());
        assertThat(allGood(read(driver))).isTrue();

        sim.cutLink();
        List<Sample> down = read(driver);
        assertThat(down).allSatisfy(s -> {
            assertThat(s.quality()).isIn(qualitiesWhileCut());
            assertThat(s.value()).isNull();
        });
        assertThat(read(driver)).as("reads while the link is down still answer")
                .allSatisfy(s -> assertThat(s.quality()).isIn(qualitiesWhileCut()));

        sim.restoreLink();
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50)).until(() -> allGood(read(driver)));
        assertThat(driver.state()).isEqualTo(DriverState.CONNECTED);
        assertThat(byName(read(driver)).get("t0.level").value()).isEqualTo((double) (float) sim.snapshot(0).levelM());
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
    void a_write_the_device_refuses_or_the_channel_cannot_take_is_a_bad_result_not_an_exception()
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
    }

    @Test
    void closing_twice_is_harmless_and_reads_and_writes_after_close_fail_with_driver_closed()
            throws DriverConfigException {
        Driver driver = driver(tankChannels(0), Map.of());
        assertThat(allGood(read(driver))).isTrue();
        driver.close();
        driver.close();
        assertThat(driver.state()).isEqualTo(DriverState.CLOSED);
        assertThatThrownBy(() -> read(driver)).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(DriverClosedException.class);
        assertThatThrownBy(() -> write(driver, "t0.level", 1.0)).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(DriverClosedException.class);
    }
}
