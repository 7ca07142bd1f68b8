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
import io.hazwatch.sims.TankFarmOptions;
import io.hazwatch.sims.TankFarmSimulator;
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
 * The driver against the real tank-farm simulator on a loopback ephemeral port: a peer that shares no
 * codec with the driver. The simulator ticks manually, so the values read equal its snapshot.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ModbusTcpDriverSimulatorTest {

    private static final Clock SIM_CLOCK = Clock.fixed(Instant.parse("2024-06-01T06:00:00Z"), ZoneOffset.UTC);

    private final DriverFactory factory = DriverFactory.installed().stream()
            .filter(f -> f.type().equals("modbus-tcp")).findFirst().orElseThrow();
    private final List<Driver> drivers = new ArrayList<>();
    private TankFarmSimulator sim;

    @BeforeEach
    void startSimulator() {
        sim = TankFarmSimulator.start(TankFarmOptions.builder().tanks(2).seed(2024).clock(SIM_CLOCK).manualTicks()
                .build());
        sim.advance(120);
    }

    @AfterEach
    void stopEverything() {
        drivers.forEach(Driver::close);
        sim.close();
    }

    private static ChannelSpec ch(String name, Object... keyValues) {
        Map<String, Object> props = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            props.put((String) keyValues[i], keyValues[i + 1]);
        }
        return new ChannelSpec(name, props, "sim-test:" + name);
    }

    /** Every value of the fixed register map for one tank, as an integrator would configure it. */
    private static List<ChannelSpec> tankChannels(int t) {
        int b = base(t);
        String p = "t" + t + ".";
        return List.of(
                ch(p + "level", "address", b + LEVEL, "type", "float32"),
                ch(p + "ullage", "address", b + ULLAGE, "type", "float32", "order", "ABCD"),
                ch(p + "temperature", "address", b + TEMPERATURE, "type", "int16", "scale", 0.1),
                ch(p + "pressure", "address", b + PRESSURE, "type", "float32"),
                ch(p + "radar_status", "address", b + RADAR_STATUS, "type", "uint16"),
                ch(p + "echo_lost", "address", b + RADAR_STATUS, "type", "bool", "bit", 0),
                ch(p + "gas_status", "address", b + GAS_STATUS, "type", "uint16"),
                ch(p + "al1", "address", b + GAS_STATUS, "type", "uint16", "bit", 6),
                ch(p + "al2", "address", b + GAS_STATUS, "type", "bool", "bit", 7),
                ch(p + "heartbeat", "address", b + GAS_STATUS, "type", "uint16", "bit", 11),
                ch(p + "gas_id", "address", b + GAS_ID, "type", "uint16"),
                ch(p + "gas", "address", b + GAS_CONCENTRATION, "type", "float32", "order", "CDAB"),
                ch(p + "gas_x10", "address", b + GAS_CONCENTRATION_X10, "type", "uint16", "scale", 0.1),
                ch(p + "fault_code", "address", b + GAS_FAULT_CODE, "type", "uint16"),
                ch(p + "unit", "address", b + GAS_UNIT, "type", "uint16"),
                ch(p + "sensor_temperature", "address", b + GAS_SENSOR_TEMPERATURE, "type", "int16"),
                ch(p + "level_input", "table", "input", "address", b + LEVEL, "type", "float32"),
                ch(p + "al1_discrete", "table", "discrete", "address", t * BITS_PER_TANK + BIT_AL1),
                ch(p + "al2_coil", "table", "coil", "address", t * BITS_PER_TANK + BIT_AL2));
    }

    private Driver driver(List<ChannelSpec> channels, Map<String, Object> extra) throws DriverConfigException {
        Map<String, Object> props = new HashMap<>(extra);
        props.put("host", "127.0.0.1");
        props.put("port", sim.port());
        DeviceSpec spec = new DeviceSpec("farm", "modbus-tcp", props, channels, "sim-test");
        assertThat(factory.validate(spec)).isEmpty();
        Driver driver = factory.create(spec, Clock.systemUTC());
        drivers.add(driver);
        return driver;
    }

    private static List<Sample> read(Driver driver) {
        return driver.readAll().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
    }

    private static Map<String, Sample> byName(List<Sample> samples) {
        return samples.stream().collect(Collectors.toMap(Sample::channel, Function.identity(), (a, b) -> a,
                LinkedHashMap::new));
    }

    private static boolean allGood(List<Sample> samples) {
        return samples.stream().allMatch(s -> s.quality() == Quality.GOOD);
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
        for (int t = 0; t < 2; t++) {
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
            assertThat(v.get(p + "heartbeat").value()).isEqualTo(snap.heartbeat());
            assertThat(v.get(p + "gas_id").value()).isEqualTo(1L);
            assertThat(v.get(p + "gas").value()).isEqualTo((double) (float) snap.gasLel());
            assertThat((Double) v.get(p + "gas_x10").value()).isCloseTo(snap.gasLel(), within(0.05 + 1e-9));
            assertThat(v.get(p + "fault_code").value()).isEqualTo(0L);
            assertThat(v.get(p + "unit").value()).isEqualTo(3L);
            assertThat(v.get(p + "sensor_temperature").value()).isEqualTo(Math.round(snap.sensorTemperatureC()));
            assertThat(v.get(p + "al1_discrete").value()).isEqualTo(snap.al1());
            assertThat(v.get(p + "al2_coil").value()).isEqualTo(snap.al2());
        }
        assertThat(v.get("t1.al2").value()).as("the triggered leak shows in the status bits").isEqualTo(true);
        assertThat(v.get("t0.al1").value()).isEqualTo(false);
        assertThat(driver.state()).isEqualTo(DriverState.CONNECTED);
    }

    @Test
    void a_channel_past_the_last_tank_is_bad_device_exception_while_every_other_channel_stays_good()
            throws DriverConfigException {
        List<ChannelSpec> channels = new ArrayList<>(tankChannels(0));
        channels.addAll(tankChannels(1));
        channels.add(ch("beyond", "address", 2 * TANK_STRIDE, "type", "float32"));
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
    }

    @Test
    void a_stopped_simulator_gives_bad_comm_fail_and_the_driver_recovers_when_it_restarts_on_the_same_port()
            throws DriverConfigException {
        Driver driver = driver(tankChannels(0), Map.of("timeoutMs", 500, "backoffMinMs", 50, "backoffMaxMs", 200));
        assertThat(allGood(read(driver))).isTrue();
        int port = sim.port();
        TankFarmOptions options = sim.options();

        sim.close();
        List<Sample> down = read(driver);
        assertThat(down).allSatisfy(s -> {
            assertThat(s.quality()).isEqualTo(Quality.BAD_COMM_FAIL);
            assertThat(s.reason()).contains("127.0.0.1:" + port);
            assertThat(s.value()).isNull();
        });
        assertThat(driver.state()).isEqualTo(DriverState.BACKING_OFF);
        assertThat(read(driver)).as("reads while backing off still answer")
                .allMatch(s -> s.quality() == Quality.BAD_COMM_FAIL);

        sim = TankFarmSimulator.start(options.withPort(port));
        sim.advance(5);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> allGood(read(driver)));
        assertThat(driver.state()).isEqualTo(DriverState.CONNECTED);
        assertThat(byName(read(driver)).get("t0.level").value()).isEqualTo((double) (float) sim.snapshot(0).levelM());
    }

    @Test
    void a_response_slower_than_the_timeout_gives_bad_timeout_and_reads_recover_when_the_device_is_fast_again()
            throws DriverConfigException {
        Driver driver = driver(tankChannels(0), Map.of("timeoutMs", 200));
        assertThat(allGood(read(driver))).isTrue();

        sim.setResponseDelay(Duration.ofMillis(1500));
        List<Sample> slow = read(driver);
        assertThat(slow).allSatisfy(s -> assertThat(s.quality()).isEqualTo(Quality.BAD_TIMEOUT));
        assertThat(slow.get(0).reason()).contains("no answer within 200 ms");

        sim.setResponseDelay(Duration.ZERO);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> allGood(read(driver)));
    }

    @Test
    void a_connection_dropped_by_the_device_between_polls_is_reopened_without_a_bad_sample()
            throws DriverConfigException {
        Driver driver = driver(tankChannels(0), Map.of());
        assertThat(allGood(read(driver))).isTrue();
        await().until(() -> sim.connectionCount() == 1);
        sim.dropConnections();
        await().until(() -> sim.connectionCount() == 0);
        assertThat(allGood(read(driver))).isTrue();
    }

    @Test
    void closing_twice_is_harmless_and_reads_after_close_fail_with_driver_closed() throws DriverConfigException {
        Driver driver = driver(tankChannels(0), Map.of());
        assertThat(allGood(read(driver))).isTrue();
        driver.close();
        driver.close();
        assertThat(driver.state()).isEqualTo(DriverState.CLOSED);
        assertThatThrownBy(() -> read(driver)).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(DriverClosedException.class);
        await().until(() -> sim.connectionCount() == 0);
    }

    @Test
    void a_driver_that_was_never_used_closes_cleanly() throws DriverConfigException {
        Driver driver = driver(tankChannels(0), Map.of());
        assertThat(driver.state()).isEqualTo(DriverState.DISCONNECTED);
        assertThat(sim.connectionCount()).as("creating a driver does not connect").isZero();
        driver.close();
        assertThat(driver.state()).isEqualTo(DriverState.CLOSED);
    }
}
