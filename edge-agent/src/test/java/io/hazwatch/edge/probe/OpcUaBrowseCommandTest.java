package io.hazwatch.edge.probe;

import io.hazwatch.edge.probe.ProbeTestSupport.Run;
import io.hazwatch.sims.opcua.OpcUaSimulator;
import io.hazwatch.sims.opcua.OpcUaSimulatorOptions;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;

import static io.hazwatch.edge.probe.ProbeTestSupport.edge;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code edge probe opcua browse} on the OPC UA driver's browser, against the OPC UA simulator. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class OpcUaBrowseCommandTest {

    @TempDir
    Path dir;

    @Test
    void browse_lists_the_simulators_tags_with_the_node_ids_a_point_takes() {
        try (OpcUaSimulator sim = OpcUaSimulator.start(OpcUaSimulatorOptions.builder().tanks(1).manualTicks()
                .pkiDir(dir.resolve("server-pki")).build())) {
            String tag = sim.tags().get(0);

            Run run = edge("probe", "opcua", "browse", "--endpoint", sim.endpointUrl(), "--depth", "4",
                    "--pki-dir", dir.resolve("client-pki").toString());

            assertThat(run.code()).as(run.err()).isZero();
            assertThat(run.out()).startsWith(sim.endpointUrl() + " from i=85, depth 4")
                    .containsPattern("(?m)^\\s*" + java.util.regex.Pattern.quote(sim.nodeId(tag)) + "\\s+\\S+\\s+Variable\\s")
                    .containsPattern("\\d+ nodes, [1-9]\\d* variables");
        }
    }

    @Test
    void browse_of_an_endpoint_nobody_serves_says_why_and_exits_one() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }

        Run run = edge("probe", "opcua", "browse", "--endpoint", "opc.tcp://127.0.0.1:" + closed,
                "--pki-dir", dir.resolve("client-pki").toString());

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err()).startsWith("opc.tcp://127.0.0.1:" + closed + ": UNREACHABLE: ");
    }

    @Test
    void a_depth_past_ten_is_a_usage_error() {
        assertThat(edge("probe", "opcua", "browse", "--endpoint", "opc.tcp://127.0.0.1:4840", "--depth", "11").code())
                .isEqualTo(2);
    }
}
