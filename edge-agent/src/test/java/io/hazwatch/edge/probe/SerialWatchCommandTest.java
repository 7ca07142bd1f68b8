package io.hazwatch.edge.probe;

import io.hazwatch.sims.testing.SocatPty;
import io.hazwatch.edge.probe.ProbeTestSupport.Run;
import io.hazwatch.sims.serial.GnssOptions;
import io.hazwatch.sims.serial.GnssSolverSimulator;
import io.hazwatch.sims.serial.RainGaugeOptions;
import io.hazwatch.sims.serial.RainGaugeSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static io.hazwatch.edge.probe.ProbeTestSupport.edge;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code edge probe serial watch} on a socat pty against the serial simulators. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SerialWatchCommandTest {

    private static final String TIME = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z";

    @TempDir
    Path dir;

    private SocatPty pty;
    private AutoCloseable sim;

    @BeforeEach
    void startPty() throws IOException {
        assumeTrue(SocatPty.isInstalled(), SocatPty.MISSING);
        pty = SocatPty.start(dir);
    }

    @AfterEach
    void stop() throws Exception {
        if (sim != null) {
            sim.close();
        }
        if (pty != null) {
            pty.close();
        }
    }

    @Test
    void watch_prints_each_sentence_with_its_arrival_time_and_checksum_verdict() {
        GnssSolverSimulator gnss = GnssSolverSimulator.start(new GnssOptions(pty.b().toString(), 19200,
                List.of("GN01"), 5, Duration.ofMillis(100), Duration.ofHours(1), true, Clock.systemUTC()));
        sim = gnss;
        gnss.corruptNextChecksums(1);

        Run run = edge("probe", "serial", "watch", "--device", pty.a().toString(), "--baud", "19200",
                "--lines", "6", "--duration", "20");

        assertThat(run.code()).as(run.err()).isZero();
        List<String> lines = run.out().lines().toList();
        assertThat(lines.get(0)).isEqualTo("watching " + pty.a() + " 19200 8N1; Ctrl-C to stop");
        assertThat(lines.subList(1, 7)).allMatch(l -> l.matches(TIME + "\\s+nmea (ok \\*[0-9A-F]{2}|BAD: line says"
                + " [0-9A-F]{2}, computed [0-9A-F]{2})\\s+\\$(GNGGA|PHZDSP),.*\\*[0-9A-F]{2}"));
        assertThat(lines.subList(1, 7)).anyMatch(l -> l.contains("$PHZDSP,GN01,") && l.contains("nmea ok *"));
        assertThat(lines.get(7)).matches("6 lines, [1-6] checksum failures, 0 too long \\(over 256 bytes\\)");
    }

    @Test
    void watch_can_query_a_polled_rain_gauge_and_recognises_its_crc() {
        RainGaugeSimulator rain = RainGaugeSimulator.start(new RainGaugeOptions(pty.b().toString(), 9600, 1,
                Duration.ZERO, 1, true, 2, Clock.systemUTC()));
        sim = rain;
        rain.startBurst(1.0, 3);
        rain.advance(3);

        Run run = edge("probe", "serial", "watch", "--device", pty.a().toString(), "--send", "R?\\r\\n",
                "--every-ms", "200", "--lines", "2", "--duration", "20");

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).containsPattern(TIME + "\\s+crc16-modbus ok \\*[0-9A-F]{4}\\s+R,00030,00015\\*[0-9A-F]{4}");
        assertThat(rain.queriesAnswered()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void watch_of_a_missing_port_says_so_and_exits_one() {
        Run run = edge("probe", "serial", "watch", "--device", dir.resolve("nothing").toString(), "--lines", "1");

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err()).isEqualTo(dir.resolve("nothing") + " 9600 8N1: no such device " + dir.resolve("nothing")
                + System.lineSeparator());
    }
}
