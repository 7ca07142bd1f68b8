package io.hazwatch.drivers.modbus;

import io.hazwatch.drivers.modbus.testing.Peers;
import io.hazwatch.drivers.modbus.testing.PtyPair;
import io.hazwatch.drivers.spi.Quality;
import io.hazwatch.sims.SerialLineOptions;
import io.hazwatch.sims.TankFarmOptions;
import io.hazwatch.sims.TankFarmRtuSimulator;
import io.hazwatch.sims.TankSnapshot;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The contract on a serial line: the driver on one end of a socat pty pair, the simulator (j2mod's
 * serial slave) on the other. A cut link is socat killed, so both ptys vanish as a pulled USB adapter
 * does; restoring it makes a new pair under the same links, which both sides open again by themselves.
 */
abstract class SerialContract extends ModbusDriverContract {

    @TempDir
    Path dir;
    PtyPair pty;
    TankFarmRtuSimulator rtu;

    abstract SerialLineOptions line(String device);

    /** One farm per unit id on the simulator's end of the pair. */
    TankFarmRtuSimulator startFarms(int... unitIds) {
        List<TankFarmOptions> farms = new java.util.ArrayList<>();
        for (int unit : unitIds) {
            farms.add(TankFarmOptions.builder().tanks(TANKS).seed(2024 + unit - 1).unitId(unit).clock(SIM_CLOCK)
                    .manualTicks().build());
        }
        return TankFarmRtuSimulator.start(line(pty.b().toString()), farms);
    }

    @Override
    SimulatedDevice startDevice() {
        Peers.assumeSocat();
        pty = PtyPair.open(dir);
        rtu = startFarms(1);
        return new SimulatedDevice() {
            @Override
            public TankSnapshot snapshot(int tank) {
                return rtu.snapshot(1, tank);
            }

            @Override
            public void advance(int ticks) {
                rtu.advance(ticks);
            }

            @Override
            public void triggerLeak(int tank) {
                rtu.triggerLeak(1, tank);
            }

            @Override
            public void setResponseDelay(Duration delay) {
                rtu.setResponseDelay(delay, delay);
            }

            @Override
            public void setForcedException(int code) {
                rtu.setForcedException(code);
            }

            @Override
            public void setReadLimit(int registers) {
                rtu.setReadLimit(registers);
            }

            @Override
            public int scratchRegister(int address) {
                return rtu.scratchRegister(1, address);
            }

            @Override
            public boolean scratchCoil(int address) {
                return rtu.scratchCoil(1, address);
            }

            @Override
            public void cutLink() {
                pty.unplug();
            }

            @Override
            public void restoreLink() {
                pty.plugIn();
            }

            @Override
            public void close() {
                rtu.close();
                pty.close();
            }
        };
    }

    @Override
    Map<String, Object> connection() {
        SerialLineOptions line = line(pty.a().toString());
        Map<String, Object> props = new HashMap<>();
        props.put("port", line.device());
        props.put("baudRate", line.baudRate());
        props.put("dataBits", line.dataBits());
        props.put("parity", line.parity().name().toLowerCase(java.util.Locale.ROOT));
        props.put("stopBits", line.stopBits());
        return props;
    }

    @Override
    protected Set<Quality> qualitiesWhileLinkDown() {
        return Set.of(Quality.BAD_COMM_FAIL);
    }
}
