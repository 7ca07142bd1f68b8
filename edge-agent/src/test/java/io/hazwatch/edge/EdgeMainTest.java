package io.hazwatch.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.hazwatch.node.NodeRuntime;
import io.hazwatch.node.config.ChildSpec;
import io.hazwatch.node.config.Endpoint;
import io.hazwatch.node.config.NodeConfig;
import io.hazwatch.node.config.NodeRole;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line, with the test's "fake" driver installed through META-INF/services. */
class EdgeMainTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int edge(String... args) {
        return EdgeMain.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    private Path config(int parentPort, String dataDir) throws IOException {
        Path file = dir.resolve("edge.yaml");
        Files.writeString(file, """
                node:
                  id: 130102-E0007-01
                  dataDir: %s
                  parents: [{id: "130102", host: 127.0.0.1, port: %d}]
                site: {code: E0007, name: Works, enterprise: X7, kind: hazchem}
                devices:
                  - name: tanks
                    driver: fake
                    pollIntervalMs: 200
                    points:
                      - {name: level, unit: m, properties: {address: 0}, alarms: {h: 17, hh: 18}}
                """.formatted(dataDir, parentPort));
        return file;
    }

    @Test
    void validateSaysOkAndSummarisesAGoodConfig() throws IOException {
        Path file = config(7400, "data");

        int code = edge("validate", "--config", file.toString());

        assertThat(code).isZero();
        assertThat(out.toString()).isEqualTo("ok: " + file + ": edge 130102-E0007-01, site E0007, 1 devices, 1 points"
                + System.lineSeparator());
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void validatePrintsEveryProblemWithFileAndLineAndExitsWithTwo() throws IOException {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, """
                node: {id: e1, dataDir: d, parents: [{id: c, host: h, port: 99999}]}
                site: {code: S, name: n, enterprise: x, kind: mine}
                devices: [{name: d, driver: fake, points: [{name: p}]}]
                """);

        int code = edge("validate", "--config", file.toString());

        assertThat(code).isEqualTo(2);
        assertThat(err.toString().lines()).containsExactly(
                file + ":1:61: node.parents[0].port: must be in 1..65535, got 99999",
                file + ":2:47: site.kind: must be one of hazchem, tailings, fireworks; got 'mine'",
                file + ":3:44: device 'd', point 'p': address: an integer is required",
                "3 problems");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void aMissingConfigFileIsAConfigError() {
        Path missing = dir.resolve("none.yaml");

        assertThat(edge("validate", "-c", missing.toString())).isEqualTo(2);
        assertThat(err.toString()).startsWith(missing + ":1:1: cannot read file: no such file");
    }

    @Test
    void helpListsTheSubcommandsAndAnUnknownOptionIsAUsageError() {
        assertThat(edge("--help")).isZero();
        assertThat(out.toString()).contains("run", "validate");

        assertThat(edge("validate", "-c", "x.yaml", "--strict")).isEqualTo(2);
        assertThat(err.toString()).contains("Unknown option: '--strict'");
    }

    @Test
    void runPollsJournalsAndPrintsStatusUntilItsDurationEnds() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort(); // nobody listens there afterwards: the uplink keeps retrying
        }
        Path file = config(closedPort, dir.resolve("journal").toString());

        int code = edge("run", "--config", file.toString(), "--status-every", "1", "--duration", "2", "--drain", "0");

        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("edge 130102-E0007-01: devices 1/1 connected, polls ");
        assertThat(out.toString().lines().reduce((a, b) -> b).orElseThrow())
                .startsWith("edge 130102-E0007-01 (stopped): ")
                .doesNotContain("records 0");
        assertThat(dir.resolve("journal")).isDirectory();
    }

    @Test
    void runForwardsItsJournalToItsCountyBeforeItExits() throws IOException {
        NodeConfig countyConfig = new NodeConfig("130102", NodeRole.COUNTY, dir.resolve("county"),
                Optional.of(new Endpoint("127.0.0.1", 0)), Optional.empty(), List.of(),
                List.of(ChildSpec.withDefaultPrefix("130102-E0007-01")));
        try (NodeRuntime county = NodeRuntime.start(countyConfig, Clock.systemUTC())) {
            Path file = config(county.listenAddress().orElseThrow().getPort(), dir.resolve("edge").toString());

            int code = edge("run", "--config", file.toString(), "--status-every", "0", "--duration", "2",
                    "--drain", "20");

            assertThat(code).as(err.toString()).isZero();
            assertThat(out.toString()).doesNotContain("stay in the journal").contains(", records ");
            assertThat(county.status().children().get("130102-E0007-01").records()).isPositive();
        }
    }
}
