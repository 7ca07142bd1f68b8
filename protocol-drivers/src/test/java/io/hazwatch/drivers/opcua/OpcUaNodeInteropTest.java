package io.hazwatch.drivers.opcua;

import io.hazwatch.drivers.spi.ChannelSpec;
import io.hazwatch.drivers.spi.Driver;
import io.hazwatch.drivers.spi.DriverState;
import io.hazwatch.drivers.spi.Quality;
import io.hazwatch.drivers.spi.Sample;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.hazwatch.drivers.opcua.OpcUaTestSupport.CONNECT_WAIT;
import static io.hazwatch.drivers.opcua.OpcUaTestSupport.channel;
import static io.hazwatch.drivers.opcua.OpcUaTestSupport.device;
import static io.hazwatch.drivers.opcua.OpcUaTestSupport.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Interop against a peer no one here wrote: a node-opcua server (npm), started as a separate process
 * from src/test/node/opcua-server/server.js. CI installs it first with
 * {@code npm ci --prefix protocol-drivers/src/test/node/opcua-server}; without Node.js or without
 * those node_modules the tests are skipped with a message saying so.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class OpcUaNodeInteropTest {

    private static final String NS = "nsu=urn:hazwatch:interop:node-opcua;s=";
    /** server.js: Level's source timestamp is this instant plus one second per tick. */
    private static final long LEVEL_EPOCH = Instant.parse("2020-01-01T00:00:00Z").toEpochMilli();
    private static final Path SERVER_DIR = Path.of("src", "test", "node", "opcua-server");

    @TempDir
    static Path dir;

    private static Process node;
    private static String endpointUrl;
    /** Why the interop tests cannot run here; null when node-opcua is running. */
    private static String skipReason;

    private final List<Driver> drivers = new ArrayList<>();

    @BeforeAll
    static void startNodeOpcua() throws Exception {
        if (!nodeRuns()) {
            skipReason = "skipped: `node` (Node.js 18+) is not on the PATH, so the node-opcua interop server cannot run";
            return;
        }
        if (!Files.isDirectory(SERVER_DIR.resolve("node_modules").resolve("node-opcua-server"))) {
            skipReason = "skipped: node-opcua is not installed; run "
                    + "`npm ci --prefix protocol-drivers/src/test/node/opcua-server` before Maven";
            return;
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        node = new ProcessBuilder("node", "server.js", Integer.toString(port), dir.resolve("node-pki").toString())
                .directory(SERVER_DIR.toFile())
                .redirectErrorStream(true)
                .start();
        CompletableFuture<Void> listening = new CompletableFuture<>();
        StringBuilder output = new StringBuilder();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(node.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    synchronized (output) {
                        output.append(line).append('\n');
                    }
                    if (line.startsWith("LISTENING ")) {
                        listening.complete(null);
                    }
                }
            } catch (IOException e) {
                listening.completeExceptionally(e);
            }
            listening.completeExceptionally(new IllegalStateException("node exited before listening"));
        }, "node-opcua-output");
        reader.setDaemon(true);
        reader.start();
        try {
            listening.get(90, TimeUnit.SECONDS);
        } catch (Exception e) {
            node.destroyForcibly();
            synchronized (output) {
                throw new AssertionError("node-opcua server did not start: " + e + "\n" + output, e);
            }
        }
        endpointUrl = "opc.tcp://127.0.0.1:" + port + "/UA/interop";
    }

    @AfterAll
    static void stopNodeOpcua() throws Exception {
        if (node != null) {
            node.getOutputStream().close(); // server.js exits when its stdin closes
            if (!node.waitFor(15, TimeUnit.SECONDS)) {
                node.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** Each test reports itself skipped, with the reason, when the peer cannot run. */
    @BeforeEach
    void requireNodeOpcua() {
        assumeTrue(skipReason == null, skipReason);
    }

    @AfterEach
    void closeDrivers() {
        drivers.forEach(Driver::close);
    }

    private static boolean nodeRuns() {
        try {
            Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private Driver driver(List<ChannelSpec> channels, Object... props) throws Exception {
        List<Object> all = new ArrayList<>(List.of("endpointUrl", endpointUrl, "publishingIntervalMs", 200,
                "pkiDir", dir.resolve("client-pki").toString(), "backoffMinMs", 200, "backoffMaxMs", 1000));
        all.addAll(List.of(props));
        Driver d = new OpcUaDriverFactory().create(device("node-opcua", channels, all.toArray()), Clock.systemUTC());
        drivers.add(d);
        return d;
    }

    private static List<ChannelSpec> interopChannels() {
        return List.of(
                channel("counter", 10, "nodeId", NS + "Interop.Counter"),
                channel("level", 11, "nodeId", NS + "Interop.Level"),
                channel("flag", 12, "nodeId", NS + "Interop.Flag"),
                channel("tag", 13, "nodeId", NS + "Interop.Tag"),
                channel("faulty", 14, "nodeId", NS + "Interop.Faulty"),
                channel("stale", 15, "nodeId", NS + "Interop.Stale"),
                channel("levelRead", 16, "nodeId", NS + "Interop.Level", "mode", "read"));
    }

    @Test
    void the_driver_subscribes_to_node_opcua_and_sees_the_values_changing_with_their_source_timestamps()
            throws Exception {
        Driver driver = driver(interopChannels());

        Map<String, Sample> first = read(driver);

        assertThat(driver.state()).isEqualTo(DriverState.CONNECTED);
        assertThat(first.get("tag")).satisfies(s -> {
            assertThat(s.quality()).isEqualTo(Quality.GOOD);
            assertThat(s.value()).isEqualTo("LT-2001");
        });
        assertThat(first.get("faulty")).satisfies(s -> {
            assertThat(s.quality()).isEqualTo(Quality.BAD_SENSOR_FAULT);
            assertThat(s.reason()).isEqualTo("Bad_SensorFailure (0x808C0000)");
        });
        assertThat(first.get("stale")).satisfies(s -> {
            assertThat(s.quality()).isEqualTo(Quality.UNCERTAIN);
            assertThat(s.value()).isEqualTo(7.5);
            assertThat(s.reason()).startsWith("Uncertain_LastUsableValue");
        });
        assertThat(first.get("flag").value()).isInstanceOf(Boolean.class);
        long firstCount = (Long) first.get("counter").value();

        // the counter ticks every 200 ms: notifications keep arriving
        await().atMost(CONNECT_WAIT).untilAsserted(() ->
                assertThat((Long) read(driver).get("counter").value()).isGreaterThan(firstCount + 2));

        // Level's source timestamp is 2020-01-01 + tick seconds: the driver keeps the source time,
        // not the server's or its own, on subscribed and read channels alike
        Map<String, Sample> later = read(driver);
        for (String ch : List.of("level", "levelRead")) {
            Sample level = later.get(ch);
            assertThat(level.quality()).isEqualTo(Quality.GOOD);
            long tick = Math.round(((Double) level.value() - 1.25) / 0.01);
            assertThat(tick).isPositive();
            assertThat(level.timestampMillis()).isEqualTo(LEVEL_EPOCH + tick * 1000);
        }
    }

    @Test
    void basic256sha256_sign_and_encrypt_with_a_username_works_against_node_opcua() throws Exception {
        Driver driver = driver(List.of(channel("tag", 10, "nodeId", NS + "Interop.Tag"),
                        channel("counter", 11, "nodeId", NS + "Interop.Counter")),
                "securityPolicy", "basic256sha256", "securityMode", "signAndEncrypt",
                "username", "interop", "password", "interop-secret", "trustServerOnFirstUse", true);

        await().atMost(CONNECT_WAIT).untilAsserted(() -> assertThat(read(driver).get("tag"))
                .satisfies(s -> assertThat(s.value()).as(s.reason()).isEqualTo("LT-2001")));
        long count = (Long) read(driver).get("counter").value();
        await().atMost(CONNECT_WAIT).untilAsserted(() ->
                assertThat((Long) read(driver).get("counter").value()).isGreaterThan(count));
    }

    @Test
    void browse_lists_the_node_opcua_interop_folder() throws Exception {
        List<OpcUaNode> nodes = OpcUaBrowser.browse(endpointUrl, NS + "Interop", 1);

        assertThat(nodes).extracting(OpcUaNode::browseName)
                .contains("Counter", "Level", "Flag", "Tag", "Faulty", "Stale");
        assertThat(nodes).filteredOn(n -> n.browseName().equals("Counter")).singleElement()
                .satisfies(n -> {
                    assertThat(n.dataType()).isEqualTo("UInt32");
                    assertThat(n.stableNodeId()).isEqualTo(NS + "Interop.Counter");
                });
    }
}
