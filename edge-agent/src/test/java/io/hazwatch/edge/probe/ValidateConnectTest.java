package io.hazwatch.edge.probe;

import io.hazwatch.sims.testing.SocatPty;
import io.hazwatch.edge.probe.ProbeTestSupport.Run;
import io.hazwatch.sims.TankFarmOptions;
import io.hazwatch.sims.TankFarmSimulator;
import io.hazwatch.sims.serial.GnssOptions;
import io.hazwatch.sims.serial.GnssSolverSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static io.hazwatch.edge.probe.ProbeTestSupport.edge;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code edge validate --config FILE --connect} against real simulators, and refusals at load. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ValidateConnectTest {

    private static final String HEAD = """
            node:
              id: 130102-E0042-01
              dataDir: data
              parents: [{id: "130102", host: 127.0.0.1, port: 7400}]
            site: {code: E0042, name: Tank farm, enterprise: X42, kind: hazchem}
            devices:
            """;

    @TempDir
    Path dir;

    private TankFarmSimulator farm;

    @BeforeEach
    void startFarm() {
        farm = TankFarmSimulator.start(TankFarmOptions.builder().tanks(2).manualTicks().build());
        farm.advance(10);
    }

    @AfterEach
    void stopFarm() {
        farm.close();
    }

    private Path config(String devices) throws IOException {
        Path file = dir.resolve("edge.yaml");
        Files.writeString(file, HEAD + devices);
        return file;
    }

    private String farmDevice(String name, int port, String extraPoint) {
        return """
                  - name: %s
                    driver: modbus-tcp
                    properties: {host: 127.0.0.1, port: %d, timeoutMs: 500}
                    points:
                      - {name: level, unit: m, properties: {table: holding, address: 0, type: float32}}
                      - {name: gas-al1, properties: {table: holding, address: 10, type: bool, bit: 6}}
                %s""".formatted(name, port, extraPoint);
    }

    @Test
    void every_point_of_a_reachable_device_is_listed_good_with_its_value_and_the_exit_code_is_zero()
            throws IOException {
        Path file = config(farmDevice("farm", farm.port(), ""));

        Run run = edge("validate", "--config", file.toString(), "--connect");

        assertThat(run.code()).as(run.out() + run.err()).isZero();
        assertThat(run.out().lines()).containsExactly(
                "ok: " + file + ": edge 130102-E0042-01, site E0042, 1 devices, 2 points",
                "connecting to 1 devices (up to 5 s for instruments that talk by themselves)",
                "device farm (modbus-tcp): reachable, 2 of 2 points good",
                "  level    GOOD  " + (double) (float) farm.snapshot(0).levelM() + " m",
                "  gas-al1  GOOD  false",
                "ok: 1 of 1 devices reachable, 2 of 2 points good");
    }

    @Test
    void an_unreachable_device_is_named_with_the_reason_and_the_exit_code_is_one() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Path file = config(farmDevice("farm", farm.port(), "") + farmDevice("spare", closed, ""));

        Run run = edge("validate", "--config", file.toString(), "--connect");

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.out()).contains("device farm (modbus-tcp): reachable, 2 of 2 points good")
                .contains("device spare (modbus-tcp): UNREACHABLE, 0 of 2 points good")
                .containsPattern("  level    BAD_COMM_FAIL  cannot connect to 127.0.0.1:" + closed)
                .contains("FAILED: 1 of 2 devices reachable, 2 of 4 points good");
    }

    @Test
    void a_point_the_device_refuses_is_bad_with_the_modbus_exception_and_the_exit_code_is_three() throws IOException {
        Path file = config(farmDevice("farm", farm.port(),
                "      - {name: tank9, properties: {table: holding, address: 180, type: float32}}\n"));

        Run run = edge("validate", "--config", file.toString(), "--connect", "--wait", "1");

        assertThat(run.code()).isEqualTo(ConnectCheck.EXIT_POINTS_BAD);
        assertThat(run.out()).contains("device farm (modbus-tcp): reachable, 2 of 3 points good")
                .contains("  tank9    BAD_DEVICE_EXCEPTION  Modbus exception 2 (illegal data address)")
                .contains("FAILED: 1 of 1 devices reachable, 2 of 3 points good");
    }

    @Test
    void a_gnss_solver_on_a_serial_line_is_waited_for_until_it_has_spoken() throws IOException {
        assumeTrue(SocatPty.isInstalled(), SocatPty.MISSING);
        try (SocatPty pty = SocatPty.start(dir);
             GnssSolverSimulator gnss = GnssSolverSimulator.start(new GnssOptions(pty.b().toString(), 9600,
                     List.of("GN01"), 3, Duration.ofMillis(200), Duration.ofHours(1), true, Clock.systemUTC()))) {
            Path file = config("""
                      - name: gnss
                        driver: serial-line
                        properties:
                          device: %s
                          checksum: nmea
                          pattern: '^\\$PHZDSP,(?<station>\\w+),(?<dN>-?[\\d.]+),(?<dE>-?[\\d.]+),(?<dU>-?[\\d.]+),(?<q>\\d)$'
                          match: '^\\$PHZDSP,GN01,'
                        points:
                          - {name: GN01.dN, unit: mm, properties: {group: dN}}
                          - {name: GN01.quality, properties: {group: q, type: long}}
                    """.formatted(pty.a()));

            Run run = edge("validate", "--config", file.toString(), "--connect");

            assertThat(run.code()).as(run.out() + run.err()).isZero();
            assertThat(run.out()).contains("device gnss (serial-line): reachable, 2 of 2 points good")
                    .containsPattern("  GN01.dN       GOOD  -?\\d+\\.\\d mm");
            assertThat(gnss.linesWritten()).isPositive();
        }
    }

    @Test
    void an_impossible_serial_config_is_refused_at_load_with_the_point_named() throws IOException {
        Path file = config("""
                  - name: gnss
                    driver: serial-line
                    properties: {device: /dev/ttyUSB0, checksum: crc32, pattern: '^\\$PHZDSP,(?<station>\\w+),(?<dN>[-\\d.]+)'}
                    points:
                      - {name: GN01.dN, properties: {group: dN}}
                      - {name: GN01.north, properties: {group: north}}
                """);

        Run run = edge("validate", "--config", file.toString(), "--connect");

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err().lines()).containsExactly(
                file + ":7:5: device 'gnss': unknown checksum 'crc32' (expected one of none, nmea, crc16-modbus, sum8)",
                file + ":12:9: device 'gnss': channel 'GN01.north': the device's pattern has no group 'north' (its"
                        + " groups: station, dN)",
                "2 problems");
        assertThat(run.out()).isEmpty();
    }
}
