package io.hazwatch.edge.probe;

import io.hazwatch.edge.probe.ProbeTestSupport.Run;
import io.hazwatch.sims.TankFarmOptions;
import io.hazwatch.sims.TankFarmRegisters;
import io.hazwatch.sims.TankFarmSimulator;
import io.hazwatch.sims.TankSnapshot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;

import static io.hazwatch.edge.probe.ProbeTestSupport.edge;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code edge probe modbus} against the tank-farm simulator, in this JVM, with captured output. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ModbusProbeCommandTest {

    private TankFarmSimulator sim;
    private String port;

    @BeforeAll
    void startSimulator() {
        sim = TankFarmSimulator.start(TankFarmOptions.builder().tanks(2).seed(7).manualTicks()
                .clock(Clock.fixed(Instant.parse("2024-06-01T06:00:00Z"), ZoneOffset.UTC)).build());
        sim.advance(60);
        port = Integer.toString(sim.port());
    }

    @AfterAll
    void stopSimulator() {
        sim.close();
    }

    /** The cells of the row for {@code address} in the table whose header starts with {@code type}. */
    static List<String> row(String out, String type, int address) {
        List<String> lines = out.lines().toList();
        int header = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(" addr  " + type + " ABCD")) {
                header = i;
            }
        }
        assertThat(header).as("table %s in%n%s", type, out).isNotNegative();
        for (int i = header + 1; i < lines.size() && !lines.get(i).isBlank(); i++) {
            List<String> cells = Arrays.asList(lines.get(i).trim().split("\\s+"));
            if (cells.get(0).equals(Integer.toString(address))) {
                return cells.subList(1, cells.size());
            }
        }
        throw new AssertionError("no row " + address + " in table " + type + ":\n" + out);
    }

    @Test
    void scan_finds_the_one_unit_the_simulator_answers_as() {
        Run run = edge("probe", "modbus", "scan", "--host", "127.0.0.1", "--port", port, "--units", "1-5");

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("scanning 127.0.0.1:" + port + ", units 1-5, holding 0, 300 ms each")
                .containsPattern("unit   1: answers: holding 0 = 0x[0-9A-F]{4} \\(\\d+\\)")
                .doesNotContain("unit   2")
                .containsPattern("1 of 5 units answer: 1 \\(\\d+\\.\\d s\\)");
    }

    @Test
    void scan_in_verbose_mode_says_why_the_other_units_are_silent_and_exits_one_when_none_answers() {
        Run run = edge("probe", "modbus", "scan", "--host", "127.0.0.1", "--port", port, "--units", "2,3", "-v");

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.out()).contains("unit   2: no answer (the gateway says Modbus exception 11 (gateway target"
                + " device failed to respond))").contains("no unit answers on 127.0.0.1:" + port + " (tried 2 in ");
    }

    @Test
    void scan_of_a_port_nobody_listens_on_says_it_cannot_connect() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Run run = edge("probe", "modbus", "scan", "--host", "127.0.0.1", "--port", Integer.toString(closed));

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err()).startsWith("cannot connect to 127.0.0.1:" + closed);
    }

    @Test
    void read_shows_every_register_and_the_level_and_gas_floats_in_the_order_that_makes_sense() {
        Run run = edge("probe", "modbus", "read", "--host", "127.0.0.1", "--port", port, "--unit", "1",
                "--table", "holding", "--address", "0", "--count", "20");

        TankSnapshot t0 = sim.snapshot(0);
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("127.0.0.1:" + port + " unit 1, holding 0..19 (FC03)");
        // level is float32 ABCD at 0; gas is float32 CDAB at 12 (docs/simulators.md)
        assertThat(row(run.out(), "float32", TankFarmRegisters.LEVEL).get(0)).isEqualTo(Float.toString((float) t0.levelM()));
        assertThat(row(run.out(), "float32", TankFarmRegisters.GAS_CONCENTRATION).get(1))
                .isEqualTo(Float.toString((float) t0.gasLel()));
        assertThat(row(run.out(), "int32", 0)).hasSize(4);
        assertThat(row(run.out(), "uint32", 0)).hasSize(4);
        assertThat(row(run.out(), "float64", 16)).hasSize(4);
        // the register table: temperature at 4 is int16 in 0.1 °C
        String temperatureRow = run.out().lines().filter(l -> l.startsWith("    4  40005  0x")).findFirst().orElseThrow();
        assertThat(temperatureRow.trim().split("\\s+")[4])
                .isEqualTo(Long.toString(Math.round(t0.temperatureC() * 10)));
    }

    @Test
    void read_of_an_address_past_the_last_tank_reports_the_modbus_exception() {
        Run run = edge("probe", "modbus", "read", "--host", "127.0.0.1", "--port", port, "--address", "40",
                "--count", "2");

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("127.0.0.1:" + port + " unit 1, holding 40..41 (FC03): the device answered"
                + " Modbus exception 2 (illegal data address)" + System.lineSeparator());
    }

    @Test
    void read_of_coils_lists_bits_with_their_plc_numbers() {
        Run run = edge("probe", "modbus", "read", "--host", "127.0.0.1", "--port", port, "--table", "coil",
                "--address", "0", "--count", "8");

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).containsPattern("\\n    0  00001  [01]\\n");
    }

    @Test
    void a_count_over_125_registers_is_a_usage_error() {
        Run run = edge("probe", "modbus", "read", "--host", "127.0.0.1", "--address", "0", "--count", "126");

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("--count must be 1..125 for holding, got 126");
    }

    @Test
    void every_probe_command_has_help() {
        for (String[] command : new String[][]{{"probe"}, {"probe", "modbus"}, {"probe", "modbus", "scan"},
                {"probe", "modbus", "read"}, {"probe", "serial", "watch"}, {"probe", "opcua", "browse"},
                {"validate"}}) {
            String[] args = Arrays.copyOf(command, command.length + 1);
            args[command.length] = "--help";
            Run run = edge(args);
            assertThat(run.code()).as(String.join(" ", args)).isZero();
            assertThat(run.out()).as(String.join(" ", args)).startsWith("Usage: edge " + String.join(" ", command));
        }
        assertThat(edge("--help").out()).contains("probe");
        assertThat(edge("probe").code()).isEqualTo(2);
    }
}
