package io.hazwatch.drivers.modbus;

import io.hazwatch.drivers.modbus.internal.SerialBusRegistry;
import io.hazwatch.drivers.spi.DeviceSpec;
import io.hazwatch.drivers.spi.Driver;
import io.hazwatch.drivers.spi.DriverConfigException;
import io.hazwatch.drivers.spi.Quality;
import io.hazwatch.drivers.spi.Sample;
import io.hazwatch.sims.SerialLineOptions;
import io.hazwatch.sims.TankFarmRtuSimulator;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The contract over Modbus RTU on a socat pty pair, plus what only a shared serial line has. */
class ModbusRtuContractTest extends SerialContract {

    @Override
    protected String driverType() {
        return "modbus-rtu";
    }

    @Override
    SerialLineOptions line(String device) {
        return SerialLineOptions.rtu(device, 9600);
    }

    @Test
    void a_damaged_answer_is_bad_comm_fail_for_its_request_only_and_the_next_read_is_good()
            throws DriverConfigException {
        Driver driver = driver(tankChannels(0), Map.of());
        assertThat(allGood(read(driver))).isTrue();
        rtu.corruptNextResponses(1);
        List<Sample> damaged = read(driver);
        assertThat(damaged).filteredOn(s -> s.quality() == Quality.BAD_COMM_FAIL).isNotEmpty()
                .allSatisfy(s -> assertThat(s.reason()).contains("CRC error"));
        assertThat(damaged).as("the other requests of the cycle were still read")
                .anyMatch(s -> s.quality() == Quality.GOOD);
        assertThat(allGood(read(driver))).isTrue();
    }

    @Test
    void several_units_on_one_port_share_one_line_and_take_turns_when_read_at_once() throws DriverConfigException {
        rtu.close();
        rtu = startFarms(1, 2, 3);
        rtu.advance(30);
        int linesBefore = SerialBusRegistry.shared().lineCount();
        List<Driver> units = new ArrayList<>();
        for (int unit = 1; unit <= 3; unit++) {
            units.add(driver(tankChannels(0), Map.of("unitId", unit)));
        }
        assertThat(SerialBusRegistry.shared().lineCount()).isEqualTo(linesBefore + 1);

        List<CompletableFuture<List<Sample>>> all = new ArrayList<>();
        for (int round = 0; round < 5; round++) {
            for (Driver d : units) {
                all.add(d.readAll().toCompletableFuture());
            }
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).orTimeout(30, TimeUnit.SECONDS).join();
        for (int i = 0; i < all.size(); i++) {
            int unit = 1 + i % 3;
            Map<String, Sample> v = byName(all.get(i).join());
            assertThat(v.values()).allMatch(s -> s.quality() == Quality.GOOD);
            assertThat(v.get("t0.level").value()).as("unit " + unit + " answers with its own farm")
                    .isEqualTo((double) (float) rtu.snapshot(unit, 0).levelM());
        }
    }

    @Test
    void a_unit_nobody_answers_times_out_without_disturbing_the_others_on_the_line() throws DriverConfigException {
        Driver present = driver(tankChannels(0), Map.of());
        Driver absent = driver(tankChannels(0), Map.of("unitId", 9, "backoffMinMs", 60_000, "backoffMaxMs", 60_000));
        assertThat(read(absent)).allMatch(s -> s.quality() == Quality.BAD_TIMEOUT);
        assertThat(allGood(read(present))).isTrue();
        assertThat(read(absent)).as("left alone during its backoff").allSatisfy(s ->
                assertThat(s.reason()).contains("did not answer", "next attempt in"));
    }

    @Test
    void a_second_device_on_the_port_with_other_line_settings_is_refused_with_the_device_named()
            throws DriverConfigException {
        driver(tankChannels(0), Map.of());
        Map<String, Object> props = new HashMap<>(connection());
        props.put("baudRate", 19200);
        DeviceSpec other = new DeviceSpec("other", "modbus-rtu", props, tankChannels(0), "farm.yaml:30");
        assertThatThrownBy(() -> new ModbusRtuDriverFactory().create(other, Clock.systemUTC()))
                .isInstanceOfSatisfying(DriverConfigException.class, e -> assertThat(e.getMessage())
                        .contains("farm.yaml:30", "device 'other'", "already in use", "9600 8N1"));
    }

    @Test
    void a_port_that_does_not_exist_is_bad_comm_fail_with_the_path_in_the_reason() throws DriverConfigException {
        Driver driver = driver(tankChannels(0), Map.of("port", dir.resolve("nothing-here").toString()));
        assertThat(read(driver)).allSatisfy(s -> {
            assertThat(s.quality()).isEqualTo(Quality.BAD_COMM_FAIL);
            assertThat(s.reason()).contains("nothing-here");
        });
    }
}
