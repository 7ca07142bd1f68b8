package io.hazwatch.sims.serial;

import io.hazwatch.sims.testing.SocatPty;
import io.hazwatch.sims.SimulatorCli;
import io.hazwatch.sims.serial.internal.LineChecksums;
import io.hazwatch.sims.serial.internal.SimSerialPort;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The GNSS and rain-gauge simulators as a reader on the other end of a socat pty sees them: the bytes,
 * the checksums (checked here with a regex and this module's own checksum code), the polled protocol.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SerialSimulatorsTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2024-07-01T00:00:00Z"), ZoneOffset.UTC);
    private static final Pattern PHZDSP = Pattern.compile(
            "\\$(PHZDSP,(GN0[12]),(-?\\d+\\.\\d),(-?\\d+\\.\\d),(-?\\d+\\.\\d),([045]))\\*([0-9A-F]{2})");

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private SocatPty pty() throws IOException {
        assumeTrue(SocatPty.isInstalled(), SocatPty.MISSING);
        SocatPty pty = SocatPty.start(dir);
        open.add(pty);
        return pty;
    }

    /** Reads CR LF lines from {@code port} until {@code count} have arrived. */
    private static List<String> lines(SimSerialPort port, int count) {
        List<String> lines = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        byte[] buffer = new byte[512];
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            int n = port.read(buffer);
            pending.append(new String(buffer, 0, Math.max(n, 0), StandardCharsets.ISO_8859_1));
            int end;
            while ((end = pending.indexOf("\r\n")) >= 0) {
                lines.add(pending.substring(0, end));
                pending.delete(0, end + 2);
            }
            return lines.size() >= count;
        });
        return lines;
    }

    @Test
    void each_epoch_is_a_gga_sentence_then_one_phzdsp_sentence_per_station_with_a_valid_xor_checksum()
            throws IOException {
        SocatPty pty = pty();
        SimSerialPort reader = SimSerialPort.open(pty.a().toString(), 9600, 50);
        open.add(reader);
        GnssSolverSimulator sim = GnssSolverSimulator.start(new GnssOptions(pty.b().toString(), 9600,
                List.of("GN01", "GN02"), 11, Duration.ZERO, Duration.ofHours(1), true, CLOCK));
        open.add(sim);

        List<GnssSolution> solved = sim.emitEpoch();
        List<String> lines = lines(reader, 3);

        assertThat(lines.get(0)).startsWith("$GNGGA,010000.00,");
        for (int i = 0; i < 2; i++) {
            Matcher m = PHZDSP.matcher(lines.get(i + 1));
            assertThat(m.matches()).as(lines.get(i + 1)).isTrue();
            assertThat(m.group(7)).isEqualTo(LineChecksums.nmea(m.group(1)));
            GnssSolution s = solved.get(i);
            assertThat(lines.get(i + 1)).isEqualTo(s.sentence());
            assertThat(Double.parseDouble(m.group(3))).isEqualTo(s.northMm());
            assertThat(s.time()).isEqualTo(Instant.parse("2024-07-01T01:00:00Z"));
        }
    }

    @Test
    void the_same_seed_gives_the_same_solutions() throws IOException {
        SocatPty pty = pty();
        GnssOptions options = new GnssOptions(pty.b().toString(), 9600, List.of("GN01"), 42, Duration.ZERO,
                Duration.ofHours(1), false, CLOCK);
        List<GnssSolution> first;
        try (GnssSolverSimulator sim = GnssSolverSimulator.start(options)) {
            first = List.of(sim.emitEpoch().get(0), sim.emitEpoch().get(0));
        }
        try (GnssSolverSimulator sim = GnssSolverSimulator.start(options)) {
            assertThat(List.of(sim.emitEpoch().get(0), sim.emitEpoch().get(0))).isEqualTo(first);
        }
    }

    @Test
    void a_polled_rain_gauge_answers_its_query_and_clears_on_command() throws IOException {
        SocatPty pty = pty();
        SimSerialPort reader = SimSerialPort.open(pty.a().toString(), 9600, 50);
        open.add(reader);
        RainGaugeSimulator sim = RainGaugeSimulator.start(new RainGaugeOptions(pty.b().toString(), 9600, 1,
                Duration.ZERO, 1, true, 2, CLOCK));
        open.add(sim);
        sim.startBurst(1.0, 3);
        sim.advance(3);

        reader.write("R?\r\n");
        String answer = lines(reader, 1).get(0);
        reader.write("CLR\r\n");
        String cleared = lines(reader, 1).get(0);

        assertThat(answer).isEqualTo("R,00030,00015*" + LineChecksums.crc16Modbus("R,00030,00015"));
        assertThat(cleared).isEqualTo("R,00000,00000*" + LineChecksums.crc16Modbus("R,00000,00000"));
        assertThat(sim.queriesAnswered()).isEqualTo(2);
    }

    private static int cli(StringWriter out, StringWriter err, String... args) {
        CommandLine cl = new CommandLine(new SimulatorCli());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void the_command_line_has_gnss_and_rain_gauge_with_help_and_refuses_what_cannot_work() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        assertThat(cli(out, err, "gnss", "--help")).isZero();
        assertThat(cli(out, err, "rain-gauge", "--help")).isZero();
        assertThat(out.toString()).contains("Usage: hazwatch-sim gnss", "--device=PATH", "Usage: hazwatch-sim rain-gauge",
                "--polled");
        assertThat(cli(out, err, "gnss", "--device", dir.resolve("none").toString(), "--duration", "0")).isEqualTo(1);
        assertThat(err.toString()).contains("cannot start: no such device " + dir.resolve("none"));
        assertThat(cli(out, err, "rain-gauge", "--device", "/dev/null", "--bucket-mm", "0.3")).isEqualTo(2);
        assertThat(err.toString()).contains("bucket must be 0.1, 0.2 or 0.5 mm");
    }
}
