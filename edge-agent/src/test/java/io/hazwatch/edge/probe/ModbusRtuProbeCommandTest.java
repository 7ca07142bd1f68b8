package io.hazwatch.edge.probe;

import io.hazwatch.sims.testing.SocatPty;
import io.hazwatch.edge.probe.ProbeTestSupport.Run;
import io.hazwatch.sims.SerialLineOptions;
import io.hazwatch.sims.TankFarmOptions;
import io.hazwatch.sims.TankFarmRegisters;
import io.hazwatch.sims.TankFarmRtuSimulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static io.hazwatch.edge.probe.ModbusProbeCommandTest.row;
import static io.hazwatch.edge.probe.ProbeTestSupport.edge;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code edge probe modbus --device}: the probe on one end of a socat pty pair, through the RTU driver,
 * and two tank farms (units 1 and 3) sharing the simulator's end, as two instruments on one RS-485 bus.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ModbusRtuProbeCommandTest {

    private Path dir;
    private SocatPty pty;
    private TankFarmRtuSimulator bus;
    private String device;

    @BeforeAll
    void startBus(@TempDir Path tempDir) throws IOException {
        dir = tempDir;
        if (!SocatPty.isInstalled()) {
            return; // each case skips, saying why
        }
        pty = SocatPty.start(dir);
        Clock clock = Clock.fixed(Instant.parse("2024-06-01T06:00:00Z"), ZoneOffset.UTC);
        bus = TankFarmRtuSimulator.start(SerialLineOptions.rtu(pty.b().toString(), 9600), List.of(
                TankFarmOptions.builder().tanks(2).seed(7).unitId(1).clock(clock).manualTicks().build(),
                TankFarmOptions.builder().tanks(2).seed(8).unitId(3).clock(clock).manualTicks().build()));
        bus.advance(60);
        device = pty.a().toString();
    }

    @BeforeEach
    void needsTheBus() {
        assumeTrue(pty != null, SocatPty.MISSING);
    }

    @AfterAll
    void stopBus() {
        if (bus != null) {
            bus.close();
        }
        if (pty != null) {
            pty.close();
        }
    }

    @Test
    void scan_asks_each_unit_once_and_finds_the_two_on_the_bus() {
        long before = bus.requestCount();

        Run run = edge("probe", "modbus", "scan", "--device", device, "--baud", "9600", "--units", "1-4",
                "--timeout-ms", "200", "-v");

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("scanning " + device + " (9600 8N1 RTU), units 1-4, holding 0, 200 ms each")
                .containsPattern("unit   1: answers: holding 0 = 0x[0-9A-F]{4} \\(\\d+\\)")
                .contains("unit   2: no answer: no answer within 200 ms")
                .containsPattern("unit   3: answers: holding 0 = 0x[0-9A-F]{4} \\(\\d+\\)")
                .contains("unit   4: no answer: no answer within 200 ms")
                .containsPattern("2 of 4 units answer: 1, 3 \\(\\d+\\.\\d s\\)");
        assertThat(bus.requestCount() - before).as("one request to each unit that is there").isEqualTo(2);
    }

    @Test
    void read_shows_the_level_of_the_unit_asked_for_and_not_that_of_its_neighbour() {
        Run run = edge("probe", "modbus", "read", "--device", device, "--baud", "9600", "--parity", "none",
                "--stop-bits", "1", "--unit", "3", "--address", "0", "--count", "4");

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).startsWith(device + " (9600 8N1 RTU) unit 3, holding 0..3 (FC03)");
        assertThat(row(run.out(), "float32", TankFarmRegisters.LEVEL).get(0))
                .isEqualTo(Float.toString((float) bus.snapshot(3, 0).levelM()))
                .isNotEqualTo(Float.toString((float) bus.snapshot(1, 0).levelM()));
    }

    @Test
    void read_of_a_unit_nobody_has_times_out_and_an_address_past_the_map_is_the_units_exception() {
        Run silent = edge("probe", "modbus", "read", "--device", device, "--baud", "9600", "--unit", "9",
                "--address", "0", "--count", "2", "--timeout-ms", "200");
        Run refused = edge("probe", "modbus", "read", "--device", device, "--baud", "9600", "--unit", "1",
                "--address", "40", "--count", "2");

        assertThat(silent.code()).isEqualTo(1);
        assertThat(silent.err()).isEqualTo(device + " (9600 8N1 RTU) unit 9, holding 0..1 (FC03): no answer within"
                + " 200 ms" + System.lineSeparator());
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.err()).contains("unit 1, holding 40..41 (FC03): the device answered Modbus exception 2"
                + " (illegal data address)");
    }

    @Test
    void a_port_that_does_not_exist_stops_the_scan_at_once() {
        String missing = dir.resolve("ttyUSB9").toString();

        Run run = edge("probe", "modbus", "scan", "--device", missing, "--baud", "19200");

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err()).startsWith("cannot open " + missing + " (19200 8N1 RTU): ").contains("does not exist");
        assertThat(run.out()).doesNotContain("unit   2");
    }

    @Test
    void host_and_device_together_a_device_without_baud_and_settings_a_bus_cannot_have_are_usage_errors() {
        Run both = edge("probe", "modbus", "scan", "--host", "127.0.0.1", "--device", device, "--baud", "9600");
        Run noBaud = edge("probe", "modbus", "read", "--device", device, "--address", "0");
        Run broadcast = edge("probe", "modbus", "scan", "--device", device, "--baud", "9600", "--units", "0-3");
        Run parity = edge("probe", "modbus", "read", "--device", device, "--baud", "9600", "--parity", "mark",
                "--address", "0");
        Run slow = edge("probe", "modbus", "scan", "--device", device, "--baud", "10");

        assertThat(both.code()).isEqualTo(2);
        assertThat(both.err()).contains("mutually exclusive");
        assertThat(noBaud.code()).isEqualTo(2);
        assertThat(noBaud.err()).contains("--baud");
        assertThat(broadcast.code()).isEqualTo(2);
        assertThat(broadcast.err()).contains("--units: unit ids on a serial line are 1..247");
        assertThat(parity.code()).isEqualTo(2);
        assertThat(parity.err()).contains("--parity must be none, even or odd, got 'mark'");
        assertThat(slow.code()).as("the driver's own limits, in the command's words").isEqualTo(2);
        assertThat(slow.err()).contains("--baud must be 50..4000000, got 10");
    }
}
