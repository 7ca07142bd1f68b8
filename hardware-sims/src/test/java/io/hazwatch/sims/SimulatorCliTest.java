package io.hazwatch.sims;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SimulatorCliTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = new CommandLine(new SimulatorCli());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }

    @Test
    void tank_farm_help_lists_every_option_and_exits_zero() {
        assertThat(run("tank-farm", "--help")).isZero();
        assertThat(out.toString()).contains("--port", "--tanks", "--seed", "--unit-id", "--leak-rate-per-hour",
                "--count", "--bind", "--duration");
    }

    @Test
    void count_starts_several_simulators_in_one_process_each_with_its_own_seed() {
        int exit = run("tank-farm", "--count", "3", "--port", "0", "--tanks", "2", "--seed", "40", "--duration", "0");
        assertThat(exit).isZero();
        assertThat(out.toString())
                .contains("tank-farm #0 listening on 127.0.0.1:", "tank-farm #2 listening on 127.0.0.1:")
                .contains("seed 40", "seed 41", "seed 42")
                .contains("2 tanks")
                .contains("tank-farm stopped");
    }

    @Test
    void bad_arguments_exit_with_code_2_and_say_what_is_wrong() {
        assertThat(run("tank-farm", "--tanks", "0", "--duration", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("tanks");
        assertThat(run("tank-farm", "--port", "65535", "--count", "2")).isEqualTo(2);
        assertThat(err.toString()).contains("65535");
    }

    @Test
    void running_without_a_simulator_name_is_a_usage_error() {
        assertThat(run()).isEqualTo(2);
        assertThat(err.toString()).contains("tank-farm");
    }

    @Test
    void tank_farm_rtu_help_lists_every_serial_option() {
        assertThat(run("tank-farm-rtu", "--help")).isZero();
        assertThat(out.toString()).contains("--device", "--baud", "--parity", "--data-bits", "--stop-bits",
                "--encoding", "--unit-id", "--response-delay-ms");
    }

    @Test
    void tank_farm_rtu_refuses_impossible_line_settings_with_code_2() {
        assertThat(run("tank-farm-rtu", "--device", "/dev/null", "--data-bits", "7", "--duration", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("8 data bits");
        assertThat(run("tank-farm-rtu", "--device", "/dev/null", "--unit-id", "1,1", "--duration", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("unit id 1");
    }

    @Test
    void tank_farm_takes_a_response_delay_range_and_rtu_over_tcp() {
        assertThat(run("tank-farm", "--port", "0", "--response-delay-ms", "5-25", "--rtu-over-tcp", "--duration", "0"))
                .isZero();
        assertThat(out.toString()).contains("RTU over TCP");
        assertThat(run("tank-farm", "--port", "0", "--response-delay-ms", "25-5", "--duration", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("--response-delay-ms");
    }
}
