package io.hazwatch.drivers.plc4x;

import io.hazwatch.drivers.DriverContract;
import io.hazwatch.drivers.spi.ChannelSpec;
import io.hazwatch.drivers.spi.DeviceSpec;
import io.hazwatch.drivers.spi.Quality;
import io.hazwatch.sims.TankFarmOptions;
import io.hazwatch.sims.TankFarmRegisters;
import io.hazwatch.sims.TankFarmSimulator;
import io.hazwatch.sims.TankSnapshot;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.hazwatch.drivers.plc4x.Plc4xConfigValidationTest.ch;

/**
 * The driver contract through the PLC4X bridge: Apache PLC4X's own Modbus TCP driver (a peer no one
 * here wrote) against the tank-farm simulator. A cut link is the simulator switched off, restored on
 * the same port. PLC4X addresses are 1-based: wire address 0 is {@code holding-register:1}.
 */
class Plc4xDriverContractTest extends DriverContract {

    private static final Clock SIM_CLOCK = Clock.fixed(Instant.parse("2024-06-01T06:00:00Z"), ZoneOffset.UTC);
    private static final int TIMEOUT_MS = 500;

    private TankFarmSimulator sim;
    private TankFarmOptions options;

    @Override
    protected String driverType() {
        return "plc4x";
    }

    @Override
    protected void startSimulator() {
        sim = TankFarmSimulator.start(TankFarmOptions.builder().tanks(2).seed(2024).clock(SIM_CLOCK).manualTicks()
                .build());
        options = sim.options().withPort(sim.port());
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
        sim.close();
    }

    @Override
    protected void restoreLink() {
        sim = TankFarmSimulator.start(options);
        sim.advance(120);
    }

    private static String hr(int wireAddress, String type) {
        return "holding-register:" + (wireAddress + 1) + ":" + type;
    }

    @Override
    protected DeviceSpec device(List<ChannelSpec> channels) {
        String connection = "modbus-tcp://127.0.0.1:" + options.port() + "?default-unit-identifier=1";
        return Plc4xConfigValidationTest.device(Map.of("connection", connection, "timeoutMs", TIMEOUT_MS,
                "backoffMinMs", 100, "backoffMaxMs", 200), channels.toArray(new ChannelSpec[0]));
    }

    @Override
    protected List<ChannelSpec> goodChannels() {
        return List.of(
                ch("level", "tag", hr(TankFarmRegisters.LEVEL, "REAL")),
                ch("pressure", "tag", hr(TankFarmRegisters.PRESSURE, "REAL")),
                ch("gas_status", "tag", hr(TankFarmRegisters.GAS_STATUS, "WORD")),
                ch("gas_x10", "tag", hr(TankFarmRegisters.GAS_CONCENTRATION_X10, "UINT")));
    }

    @Override
    protected ChannelSpec refusedChannel() {
        return ch("tank6.level", "tag", hr(TankFarmRegisters.base(5), "REAL")); // the farm has two tanks
    }

    @Override
    protected Quality refusedQuality() {
        return Quality.BAD_DEVICE_EXCEPTION; // PLC4X response code INVALID_ADDRESS
    }

    @Override
    protected Map<String, Object> expectedValues() {
        TankSnapshot t0 = sim.snapshot(0);
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("level", (double) (float) t0.levelM());
        v.put("pressure", (double) (float) t0.pressureKPa());
        v.put("gas_status", (long) t0.gasStatus());
        v.put("gas_x10", Math.round(t0.gasLel() / 0.1));
        return v;
    }

    @Override
    protected Fault deviceException() {
        return new Fault.Injected("every request answered with Modbus exception 4", () -> sim.setForcedException(4),
                () -> sim.setForcedException(0), names(goodChannels()), Quality.BAD_DEVICE_EXCEPTION,
                "PLC4X response code REMOTE_ERROR");
    }

    @Override
    protected Fault slowDevice() {
        return new Fault.Injected("answers after " + 3 * TIMEOUT_MS + " ms",
                () -> sim.setResponseDelay(Duration.ofMillis(3 * TIMEOUT_MS)),
                () -> sim.setResponseDelay(Duration.ZERO),
                names(goodChannels()), Quality.BAD_TIMEOUT, "no answer within " + TIMEOUT_MS + " ms");
    }

    @Override
    protected Set<Quality> qualitiesWhileLinkDown() {
        return Set.of(Quality.BAD_COMM_FAIL);
    }
}
