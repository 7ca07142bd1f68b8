package io.hazwatch.drivers.modbus;

import io.hazwatch.drivers.spi.Driver;
import io.hazwatch.drivers.spi.DriverConfigException;
import io.hazwatch.drivers.spi.Quality;
import io.hazwatch.drivers.spi.Sample;
import io.hazwatch.sims.SerialLineOptions;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The contract over Modbus ASCII (7E1) on a socat pty pair. */
class ModbusAsciiContractTest extends SerialContract {

    @Override
    protected String driverType() {
        return "modbus-ascii";
    }

    @Override
    SerialLineOptions line(String device) {
        return SerialLineOptions.ascii(device, 9600);
    }

    @Test
    void a_damaged_answer_is_bad_comm_fail_with_an_lrc_error_and_the_next_read_is_good() throws DriverConfigException {
        Driver driver = driver(tankChannels(0), Map.of());
        assertThat(allGood(read(driver))).isTrue();
        rtu.corruptNextResponses(1);
        List<Sample> damaged = read(driver);
        assertThat(damaged).filteredOn(s -> s.quality() == Quality.BAD_COMM_FAIL).isNotEmpty()
                .allSatisfy(s -> assertThat(s.reason()).containsAnyOf("LRC error", "unit"));
        assertThat(allGood(read(driver))).isTrue();
    }
}
