package io.hazwatch.sims.opcua;

import io.hazwatch.sims.SimulatorCli;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class OpcUaCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = new CommandLine(new SimulatorCli());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }

    @Test
    void opcua_help_lists_every_option_and_exits_zero() {
        assertThat(run("opcua", "--help")).isZero();
        assertThat(out.toString()).contains("--port", "--items", "--seed", "--tanks", "--pki-dir", "--user",
                "--no-anonymous", "--tick-ms", "--duration");
    }

    @Test
    void opcua_starts_reports_its_endpoint_and_certificate_and_stops() {
        int exit = run("opcua", "--port", "0", "--items", "5", "--seed", "3", "--pki-dir", dir.toString(),
                "--duration", "0");

        assertThat(exit).isZero();
        assertThat(out.toString())
                .containsPattern("opcua listening on opc\\.tcp://127\\.0\\.0\\.1:\\d+/hazwatch, 4 tanks, 5 bench items, seed 3")
                .contains("opcua server certificate: " + dir.resolve("own").resolve("server.der").toAbsolutePath())
                .contains("opcua stopped");
    }

    @Test
    void bad_arguments_exit_with_code_2_and_say_what_is_wrong() {
        assertThat(run("opcua", "--tanks", "0", "--duration", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("tanks must be 1..100");
        assertThat(run("opcua", "--user", "nopassword", "--duration", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("--user must be NAME:PASSWORD");
    }
}
