package io.hazwatch.sims.link;

import io.hazwatch.sims.SimulatorCli;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class LinkCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = new CommandLine(new SimulatorCli());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }

    @Test
    void link_help_lists_every_option_and_exits_zero() {
        assertThat(run("link", "--help")).isZero();
        assertThat(out.toString()).contains("--listen", "--upstream", "--profile", "--bandwidth-kbps", "--delay-ms",
                "--jitter-ms", "--buffer-kb", "--outage-every", "--outage-for", "--hard-outages", "--seed",
                "--duration", "vsat-256k", "tiantong");
    }

    @Test
    void a_preset_with_overrides_starts_reports_and_stops() {
        int exit = run("link", "--listen", "0", "--upstream", "127.0.0.1:9", "--profile", "tiantong",
                "--bandwidth-kbps", "19.2", "--delay-ms", "100", "--outage-every", "60s", "--outage-for", "10s",
                "--duration", "0");

        assertThat(exit).isZero();
        assertThat(out.toString())
                .contains("link listening on 127.0.0.1:", "-> 127.0.0.1:9")
                .contains("tiantong+custom: 19.2 kbit/s, 100 ms one-way, jitter 50 ms, buffer 8 KiB")
                .contains("fade outage of 10s every 60s")
                .contains("link stopped: UP");
    }

    @Test
    void bad_arguments_exit_with_code_2_and_say_what_is_wrong() {
        assertThat(run("link", "--upstream", "127.0.0.1:9", "--profile", "lte", "--duration", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("lte", "vsat-256k");
        assertThat(run("link", "--upstream", "127.0.0.1:9", "--outage-every", "60s", "--duration", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("--outage-for");
        assertThat(run("link", "--upstream", "127.0.0.1", "--duration", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("HOST:PORT");
        assertThat(run("link", "--upstream", "127.0.0.1:9", "--outage-every", "10s", "--outage-for", "10s",
                "--duration", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("does not fit");
    }

    @Test
    void durations_read_as_units_or_bare_seconds_or_iso_8601() {
        LinkCommand.DurationConverter c = new LinkCommand.DurationConverter();
        assertThat(c.convert("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(c.convert("10s")).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.convert("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.convert("30")).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.convert("PT1H")).isEqualTo(Duration.ofHours(1));
    }
}
