package io.hazwatch.drivers.serial;

import io.hazwatch.drivers.DriverContract;
import io.hazwatch.drivers.modbus.testing.Peers;
import io.hazwatch.drivers.modbus.testing.PtyPair;
import io.hazwatch.drivers.spi.ChannelSpec;
import io.hazwatch.drivers.spi.DeviceSpec;
import io.hazwatch.drivers.spi.Quality;
import io.hazwatch.sims.serial.RainGaugeOptions;
import io.hazwatch.sims.serial.RainGaugeSimulator;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static io.hazwatch.drivers.serial.SerialTestSupport.ch;
import static io.hazwatch.drivers.serial.SerialTestSupport.props;

/**
 * The driver contract over a serial line: a polled rain gauge (request mode, CRC-16/MODBUS) on one end
 * of a socat pty pair, the driver on the other. A cut link is socat killed, as a pulled USB adapter;
 * restoring it makes a new pair under the same links and switches the gauge on again.
 */
class SerialLineDriverContractTest extends DriverContract {

    private static final Clock SIM_CLOCK = Clock.fixed(Instant.parse("2024-07-01T00:00:00Z"), ZoneOffset.UTC);
    private static final int BAUD = 19200;
    private static final int RESPONSE_TIMEOUT_MS = 500;

    @TempDir
    Path dir;

    private PtyPair pty;
    private RainGaugeSimulator gauge;

    @Override
    protected String driverType() {
        return "serial-line";
    }

    @Override
    protected void startSimulator() {
        Peers.assumeSocat();
        pty = PtyPair.open(dir);
        gauge = startGauge();
    }

    /** A polled gauge after ten minutes of 2 mm/min: 100 tips of 0.2 mm. */
    private RainGaugeSimulator startGauge() {
        RainGaugeSimulator sim = RainGaugeSimulator.start(new RainGaugeOptions(pty.b().toString(), BAUD, 3,
                Duration.ZERO, 1, true, 2, SIM_CLOCK));
        sim.startBurst(2.0, 10);
        sim.advance(10);
        return sim;
    }

    @Override
    protected void stopSimulator() {
        if (gauge != null) {
            gauge.close();
        }
        if (pty != null) {
            pty.close();
        }
    }

    @Override
    protected void dropLink() {
        pty.unplug();
    }

    @Override
    protected void restoreLink() {
        gauge.close(); // its end of the line died with socat
        pty.plugIn();
        gauge = startGauge();
    }

    @Override
    protected DeviceSpec device(List<ChannelSpec> channels) {
        return SerialTestSupport.device(props("device", pty.a().toString(), "baud", BAUD, "mode", "request",
                "request", "R?\\r\\n", "checksum", "crc16-modbus", "match", "^R,",
                "responseTimeoutMs", RESPONSE_TIMEOUT_MS, "backoffMinMs", 100, "backoffMaxMs", 200),
                channels.toArray(new ChannelSpec[0]));
    }

    @Override
    protected List<ChannelSpec> goodChannels() {
        return List.of(ch("rain", "field", 1, "type", "long", "scale", 0.1), ch("tips", "field", 2, "type", "long"));
    }

    @Override
    protected ChannelSpec refusedChannel() {
        return ch("battery", "field", 7, "type", "long"); // the gauge's line has three fields
    }

    @Override
    protected Quality refusedQuality() {
        return Quality.BAD_CONFIG;
    }

    @Override
    protected Map<String, Object> expectedValues() {
        return Map.of("rain", gauge.snapshot().totalTenthsMm() * 0.1, "tips", gauge.snapshot().tips());
    }

    @Override
    protected Fault deviceException() {
        return new Fault.NotApplicable("an ASCII line instrument has no exception reply: it prints a line or nothing",
                Optional.of(new Fault.Injected("the gauge's next line carries a wrong CRC",
                        () -> gauge.corruptNextChecksums(1), () -> { }, Set.of("rain", "tips"), Quality.BAD_COMM_FAIL,
                        "checksum BAD")));
    }

    @Override
    protected Fault slowDevice() {
        return new Fault.Injected("the gauge stays silent", () -> gauge.setSilent(true), () -> gauge.setSilent(false),
                Set.of("rain", "tips"), Quality.BAD_TIMEOUT, "no answer to request .* within " + RESPONSE_TIMEOUT_MS
                + " ms");
    }

    @Override
    protected Set<Quality> qualitiesWhileLinkDown() {
        return Set.of(Quality.BAD_COMM_FAIL);
    }
}
