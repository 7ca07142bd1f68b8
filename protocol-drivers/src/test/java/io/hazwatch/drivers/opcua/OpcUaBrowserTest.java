package io.hazwatch.drivers.opcua;

import io.hazwatch.drivers.spi.DeviceSpec;
import io.hazwatch.sims.opcua.OpcUaSimulator;
import io.hazwatch.sims.opcua.OpcUaSimulatorOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.hazwatch.drivers.opcua.OpcUaTestSupport.trust;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/** What the probe CLI shows an engineer: the simulator's endpoints and its folders and tags. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class OpcUaBrowserTest {

    @TempDir
    static Path dir;

    private static OpcUaSimulator sim;

    @BeforeAll
    static void start() {
        sim = OpcUaSimulator.start(OpcUaSimulatorOptions.builder().tanks(2).benchItems(3).manualTicks()
                .pkiDir(dir.resolve("server-pki")).build());
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @Test
    void browse_from_the_objects_folder_returns_the_simulators_folders_and_tags_in_tree_order() throws Exception {
        List<OpcUaNode> nodes = OpcUaBrowser.browse(sim.endpointUrl(), OpcUaBrowser.OBJECTS_FOLDER, 3);

        List<OpcUaNode> ours = nodes.stream().filter(n -> n.nodeId().startsWith("ns=2;")).toList();
        assertThat(ours).extracting(OpcUaNode::browseName, OpcUaNode::nodeClass, OpcUaNode::depth).startsWith(
                tuple("TankFarm", "Object", 1),
                tuple("TK-1001", "Object", 2),
                tuple("LT-1001", "Variable", 3),
                tuple("TT-1001", "Variable", 3),
                tuple("PT-1001", "Variable", 3),
                tuple("AT-1001", "Variable", 3),
                tuple("AT-1001.AL1", "Variable", 3),
                tuple("AT-1001.AL2", "Variable", 3),
                tuple("TK-1002", "Object", 2));
        assertThat(ours).extracting(OpcUaNode::browseName).contains("Bench", "Bench.00001", "Bench.00003");
        OpcUaNode level = ours.stream().filter(n -> n.browseName().equals("LT-1001")).findFirst().orElseThrow();
        assertThat(level.nodeId()).isEqualTo(sim.nodeId("LT-1001"));
        assertThat(level.stableNodeId()).isEqualTo("nsu=" + OpcUaSimulator.NAMESPACE_URI + ";s=LT-1001");
        assertThat(level.dataType()).isEqualTo("Double");
        assertThat(level.parentNodeId()).isEqualTo(sim.nodeId("TK-1001"));
        assertThat(ours.stream().filter(n -> n.browseName().equals("AT-1001.AL1")).findFirst().orElseThrow().dataType())
                .isEqualTo("Boolean");
        // the server's own Server object is there too, at depth 1
        assertThat(nodes).anySatisfy(n -> assertThat(n.nodeId()).isEqualTo("i=2253"));
    }

    @Test
    void browse_depth_limits_the_levels_and_a_namespace_uri_start_node_works() throws Exception {
        List<OpcUaNode> nodes = OpcUaBrowser.browse(sim.endpointUrl(), "nsu=" + OpcUaSimulator.NAMESPACE_URI
                + ";s=TankFarm", 1);

        assertThat(nodes).extracting(OpcUaNode::browseName).containsExactly("TK-1001", "TK-1002");
    }

    @Test
    void browse_with_a_device_configuration_uses_its_security_and_identity() throws Exception {
        Path pki = dir.resolve("client-pki");
        trust(pki, sim.certificateFile());
        DeviceSpec device = new DeviceSpec("dcs", "opcua", Map.of("endpointUrl", sim.endpointUrl(),
                "securityPolicy", "basic256sha256", "username", "operator", "password", "hazwatch",
                "pkiDir", pki.toString()), List.of(), "dcs.yaml:1");

        List<OpcUaNode> nodes = OpcUaBrowser.browse(device, sim.nodeId("TK-1002"), 1);

        assertThat(nodes).extracting(OpcUaNode::browseName)
                .containsExactly("LT-1002", "TT-1002", "PT-1002", "AT-1002", "AT-1002.AL1", "AT-1002.AL2");
    }

    @Test
    void endpoints_lists_none_and_basic256sha256_sign_and_sign_and_encrypt() throws Exception {
        List<OpcUaEndpoint> endpoints = OpcUaBrowser.endpoints(sim.endpointUrl());

        assertThat(endpoints).extracting(OpcUaEndpoint::securityPolicy, OpcUaEndpoint::securityMode).contains(
                tuple("none", "none"), tuple("basic256sha256", "sign"), tuple("basic256sha256", "signAndEncrypt"));
        assertThat(endpoints).allSatisfy(e -> {
            assertThat(e.supported()).isTrue();
            assertThat(e.identities()).contains("anonymous", "username", "certificate");
        });
    }

    @Test
    void browsing_a_server_that_is_not_there_says_it_is_unreachable() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String url = "opc.tcp://127.0.0.1:" + port;

        assertThatThrownBy(() -> OpcUaBrowser.browse(url, OpcUaBrowser.OBJECTS_FOLDER, 1))
                .isInstanceOf(OpcUaConnectException.class)
                .hasMessageContaining("cannot get the endpoints of " + url)
                .satisfies(e -> assertThat(((OpcUaConnectException) e).reason())
                        .isEqualTo(OpcUaConnectException.Reason.UNREACHABLE));
    }
}
