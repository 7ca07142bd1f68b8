package io.hazwatch.drivers.modbus;

import io.hazwatch.drivers.spi.Driver;
import io.hazwatch.drivers.spi.DriverConfigException;
import io.hazwatch.drivers.spi.DriverState;
import io.hazwatch.drivers.spi.Quality;
import io.hazwatch.sims.TankFarmOptions;
import io.hazwatch.sims.TankFarmSimulator;
import io.hazwatch.sims.TankSnapshot;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The contract over Modbus TCP, against the tank-farm simulator on a loopback ephemeral port. */
class ModbusTcpContractTest extends ModbusDriverContract {

    /** The TCP simulator; a cut link is the simulator stopped, restored on the same port. */
    static final class TcpDevice implements SimulatedDevice {
        private final boolean rtuOverTcp;
        TankFarmSimulator sim;
        private final TankFarmOptions options;
        private final int port;

        TcpDevice(boolean rtuOverTcp) {
            this.rtuOverTcp = rtuOverTcp;
            TankFarmOptions o = TankFarmOptions.builder().tanks(TANKS).seed(2024).clock(SIM_CLOCK).manualTicks().build();
            this.sim = start(o);
            this.port = sim.port();
            this.options = o.withPort(port);
        }

        private TankFarmSimulator start(TankFarmOptions o) {
            return rtuOverTcp ? TankFarmSimulator.startRtuOverTcp(o) : TankFarmSimulator.start(o);
        }

        int port() {
            return port;
        }

        @Override
        public TankSnapshot snapshot(int tank) {
            return sim.snapshot(tank);
        }

        @Override
        public void advance(int ticks) {
            sim.advance(ticks);
        }

        @Override
        public void triggerLeak(int tank) {
            sim.triggerLeak(tank);
        }

        @Override
        public void setResponseDelay(Duration delay) {
            sim.setResponseDelay(delay);
        }

        @Override
        public void setForcedException(int code) {
            sim.setForcedException(code);
        }

        @Override
        public void setReadLimit(int registers) {
            sim.setReadLimit(registers);
        }

        @Override
        public int scratchRegister(int address) {
            return sim.scratchRegister(address);
        }

        @Override
        public boolean scratchCoil(int address) {
            return sim.scratchCoil(address);
        }

        @Override
        public void cutLink() {
            sim.close();
        }

        @Override
        public void restoreLink() {
            sim = start(options);
            sim.advance(120);
        }

        @Override
        public void close() {
            sim.close();
        }
    }

    private TcpDevice tcp;

    @Override
    protected String driverType() {
        return "modbus-tcp";
    }

    @Override
    SimulatedDevice startDevice() {
        tcp = new TcpDevice(false);
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
    void a_connection_dropped_by_the_device_between_polls_is_reopened_without_a_bad_sample()
            throws DriverConfigException {
        Driver driver = driver(tankChannels(0), Map.of());
        assertThat(allGood(read(driver))).isTrue();
        await().until(() -> tcp.sim.connectionCount() == 1);
        tcp.sim.dropConnections();
        await().until(() -> tcp.sim.connectionCount() == 0);
        assertThat(allGood(read(driver))).isTrue();
    }

    @Test
    void a_driver_that_was_never_used_opens_no_connection_and_closes_cleanly() throws DriverConfigException {
        Driver driver = driver(tankChannels(0), Map.of());
        assertThat(driver.state()).isEqualTo(DriverState.DISCONNECTED);
        assertThat(tcp.sim.connectionCount()).as("creating a driver does not connect").isZero();
        driver.close();
        assertThat(driver.state()).isEqualTo(DriverState.CLOSED);
    }
}
