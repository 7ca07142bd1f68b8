package io.hazwatch.drivers.modbus;

import io.hazwatch.drivers.modbus.internal.SerialBusRegistry;
import io.hazwatch.drivers.spi.Driver;
import io.hazwatch.drivers.spi.DriverConfigException;
import io.hazwatch.drivers.spi.Quality;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contract over RTU frames on TCP, against the tank-farm simulator serving RTU over TCP (j2mod's
 * slave-side RTU-over-TCP transport), as a serial device server in transparent mode would.
 */
class ModbusRtuOverTcpContractTest extends ModbusDriverContract {

    private ModbusTcpContractTest.TcpDevice tcp;

    @Override
    protected String driverType() {
        return "modbus-rtu-tcp";
    }

    @Override
    SimulatedDevice startDevice() {
        tcp = new ModbusTcpContractTest.TcpDevice(true);
        return tcp;
    }

    @Override
    Map<String, Object> connection() {
        return Map.of("host", "127.0.0.1", "port", tcp.port());
    }

    @Override
    protected Set<Quality> qualitiesWhileLinkDown() {
        return Set.of(Quality.BAD_COMM_FAIL);
    }

    @Test
    void devices_behind_one_device_server_share_one_connection_and_close_it_with_the_last() throws DriverConfigException {
        int before = SerialBusRegistry.shared().lineCount();
        Driver first = driver(tankChannels(0), Map.of());
        Driver second = driver(tankChannels(1), Map.of());
        assertThat(allGood(read(first))).isTrue();
        assertThat(allGood(read(second))).isTrue();
        assertThat(SerialBusRegistry.shared().lineCount()).isEqualTo(before + 1);
        assertThat(tcp.sim.connectionCount()).isEqualTo(1);
        first.close();
        assertThat(allGood(read(second))).as("the line stays open for the other device").isTrue();
        second.close();
        assertThat(SerialBusRegistry.shared().lineCount()).isEqualTo(before);
    }
}
