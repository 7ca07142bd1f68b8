package io.hazwatch.drivers.plc4x;

import io.hazwatch.drivers.spi.Driver;
import io.hazwatch.drivers.spi.DriverConfigException;
import io.hazwatch.drivers.spi.DriverFactory;
import io.hazwatch.drivers.spi.DriverState;
import io.hazwatch.drivers.spi.Quality;
import io.hazwatch.drivers.spi.Sample;
import io.hazwatch.sims.TankFarmOptions;
import io.hazwatch.sims.TankFarmRegisters;
import io.hazwatch.sims.TankFarmSimulator;
import io.hazwatch.sims.TankSnapshot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.hazwatch.drivers.plc4x.Plc4xConfigValidationTest.ch;
import static io.hazwatch.drivers.plc4x.Plc4xConfigValidationTest.device;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Apache PLC4X's own Modbus TCP driver (a peer no one here wrote) reads the tank-farm simulator through
 * the bridge; the simulator ticks by hand, so what PLC4X reads equals its snapshot. Each PLC4X
 * connection takes about two seconds to close, so the tests share drivers where they can. A device that
 * goes away and comes back, and closing twice, are cases of {@link Plc4xDriverContractTest}.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class Plc4xDriverSimulatorTest {

    private static final Clock SIM_CLOCK = Clock.fixed(Instant.parse("2024-06-01T06:00:00Z"), ZoneOffset.UTC);

    private final DriverFactory factory = DriverFactory.installed().stream()
            .filter(f -> f.type().equals("plc4x")).findFirst().orElseThrow();
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
        // a PLC4X connection takes about two seconds to close: close them side by side
        CompletableFuture.allOf(drivers.stream().map(d -> CompletableFuture.runAsync(d::close))
                .toArray(CompletableFuture[]::new)).join();
        sim.close();
    }

    private Driver driver(String query, io.hazwatch.drivers.spi.ChannelSpec... channels) throws DriverConfigException {
        String connection = "modbus-tcp://127.0.0.1:" + sim.port() + (query.isEmpty() ? "" : "?" + query);
        Driver driver = factory.create(device(Map.of("connection", connection, "timeoutMs", 1500,
                "backoffMinMs", 100, "backoffMaxMs", 200), channels), Clock.systemUTC());
        drivers.add(driver);
        return driver;
    }

    private static List<Sample> read(Driver driver) {
        return driver.readAll().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
    }

    /** PLC4X Modbus addresses are 1-based: wire address 0 is holding-register:1. */
    private static String hr(int wireAddress, String type) {
        return "holding-register:" + (wireAddress + 1) + ":" + type;
    }

    @Test
    void plc4x_reads_level_temperature_gas_and_gas_status_equal_to_the_simulator_snapshot()
            throws DriverConfigException {
        sim.triggerLeak(1);
        sim.advance(90); // tank 1 past AL1 and AL2
        int t1 = TankFarmRegisters.base(1);
        Driver driver = driver("default-unit-identifier=1",
                ch("t0.level", "tag", hr(TankFarmRegisters.LEVEL, "REAL")),
                ch("t0.temperature", "tag", hr(TankFarmRegisters.TEMPERATURE, "INT"), "scale", 0.1),
                ch("t1.gas", "tag", hr(t1 + TankFarmRegisters.GAS_CONCENTRATION, "REAL")
                        + "{byte-order: 'LITTLE_ENDIAN_BYTE_SWAP'}"),
                ch("t1.gas-status", "tag", hr(t1 + TankFarmRegisters.GAS_STATUS, "WORD")),
                ch("t1.gas-x10", "tag", hr(t1 + TankFarmRegisters.GAS_CONCENTRATION_X10, "UINT")));

        List<Sample> samples = read(driver);

        TankSnapshot t0 = sim.snapshot(0);
        TankSnapshot tank1 = sim.snapshot(1);
        assertThat(samples).extracting(Sample::quality).containsOnly(Quality.GOOD);
        assertThat(samples.get(0).value()).isEqualTo((double) (float) t0.levelM());
        assertThat((Double) samples.get(1).value()).isCloseTo(Math.round(t0.temperatureC() * 10) / 10.0,
                org.assertj.core.api.Assertions.within(1e-9));
        assertThat(samples.get(2).value()).isEqualTo((double) (float) tank1.gasLel());
        assertThat(samples.get(3).value()).isEqualTo((long) tank1.gasStatus());
        assertThat(tank1.al1() && tank1.al2()).isTrue();
        assertThat(samples.get(4).value()).isEqualTo(Math.round(tank1.gasLel() * 10));
        assertThat(driver.state()).isEqualTo(DriverState.CONNECTED);
    }

    @Test
    void an_address_past_the_last_tank_makes_only_its_point_bad_and_a_wrong_unit_is_a_device_exception()
            throws DriverConfigException {
        Driver good = driver("",
                ch("level", "tag", hr(TankFarmRegisters.LEVEL, "REAL")),
                ch("nowhere", "tag", hr(TankFarmRegisters.base(5), "REAL")));
        Driver wrongUnit = driver("default-unit-identifier=9&request-timeout=1000",
                ch("level", "tag", hr(TankFarmRegisters.LEVEL, "REAL")));

        List<Sample> samples = read(good);
        List<Sample> other = read(wrongUnit);

        assertThat(samples.get(0).quality()).isEqualTo(Quality.GOOD);
        assertThat(samples.get(1).quality()).isEqualTo(Quality.BAD_DEVICE_EXCEPTION);
        assertThat(samples.get(1).reason()).isEqualTo("PLC4X response code INVALID_ADDRESS for tag '"
                + hr(TankFarmRegisters.base(5), "REAL") + "'");
        assertThat(other.get(0).quality()).isEqualTo(Quality.BAD_DEVICE_EXCEPTION);
        assertThat(other.get(0).reason()).startsWith("PLC4X response code REMOTE_ERROR");
    }
}
