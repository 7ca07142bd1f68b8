package io.hazwatch.sims.opcua;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The OPC UA DCS simulator without a client: what it publishes, that it is reproducible, and that a
 * restart keeps its certificate. The protocol side is proven by the driver's tests in protocol-drivers.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class OpcUaSimulatorTest {

    private static final Instant START = Instant.parse("2026-03-01T08:00:00Z");

    @TempDir
    Path dir;

    private OpcUaSimulatorOptions.Builder options() {
        return OpcUaSimulatorOptions.builder().tanks(2).seed(11).manualTicks().clock(Clock.fixed(START, ZoneOffset.UTC))
                .pkiDir(dir.resolve("pki"));
    }

    @Test
    void the_same_seed_and_clock_publish_the_same_values_with_the_same_source_times() {
        try (OpcUaSimulator a = OpcUaSimulator.start(options().build());
             OpcUaSimulator b = OpcUaSimulator.start(options().pkiDir(dir.resolve("pki-b")).build())) {
            a.advance(30);
            b.advance(30);

            assertThat(a.tags()).isEqualTo(b.tags()).hasSize(12);
            for (String tag : a.tags()) {
                assertThat(a.tag(tag)).isEqualTo(b.tag(tag));
            }
            assertThat(a.tag("LT-1001").sourceTime()).isEqualTo(START.plusSeconds(30));
        }
    }

    @Test
    void tags_follow_the_tank_model_and_bench_items_change_on_every_tick() {
        try (OpcUaSimulator sim = OpcUaSimulator.start(options().benchItems(3).build())) {
            sim.advance(5);

            assertThat(sim.tag("LT-1001").value()).isEqualTo(sim.snapshot(0).levelM());
            assertThat(sim.tag("TT-1002").value()).isEqualTo(sim.snapshot(1).temperatureC());
            assertThat(sim.tag("PT-1002").value()).isEqualTo(sim.snapshot(1).pressureKPa());
            assertThat(sim.tag("AT-1001").value()).isEqualTo(sim.snapshot(0).gasLel());
            assertThat(sim.tag("AT-1001.AL2").value()).isEqualTo(sim.snapshot(0).al2());
            assertThat(sim.tags()).contains("Bench.00001", "Bench.00003").doesNotContain("Bench.00004");
            double before = (Double) sim.tag("Bench.00002").value();
            sim.advance(1);
            assertThat((Double) sim.tag("Bench.00002").value()).isNotEqualTo(before).isEqualTo(2 + 6 * 0.001);
            assertThat(sim.nodeId("LT-1001")).isEqualTo("ns=2;s=LT-1001");
        }
    }

    @Test
    void a_forced_status_is_published_with_the_values_until_cleared() {
        try (OpcUaSimulator sim = OpcUaSimulator.start(options().build())) {
            sim.forceStatus("AT-1002", OpcUaSimulator.BAD_SENSOR_FAILURE);
            sim.advance(1);
            assertThat(sim.tag("AT-1002").statusCode()).isEqualTo(OpcUaSimulator.BAD_SENSOR_FAILURE);
            assertThat(sim.tag("AT-1001").statusCode()).isZero();

            sim.clearStatus("AT-1002");
            assertThat(sim.tag("AT-1002").statusCode()).isZero();
            assertThatThrownBy(() -> sim.forceStatus("XX-1", 0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("XX-1");
        }
    }

    @Test
    void a_restart_on_the_same_pki_directory_presents_the_same_certificate_on_the_same_port() throws IOException {
        OpcUaSimulator first = OpcUaSimulator.start(options().build());
        byte[] certificate;
        int port = first.port();
        try (first) {
            certificate = Files.readAllBytes(first.certificateFile());
            assertThat(listening(port)).isTrue();
        }
        // Milo closes the listening socket on Netty's event loop
        await().atMost(Duration.ofSeconds(10)).until(() -> !listening(port));

        try (OpcUaSimulator second = OpcUaSimulator.start(options().port(port).build())) {
            assertThat(Files.readAllBytes(second.certificateFile())).isEqualTo(certificate);
            assertThat(second.applicationUri()).isEqualTo(first.applicationUri()).startsWith("urn:hazwatch:sims:opcua-dcs:");
            assertThat(second.endpointUrl()).isEqualTo("opc.tcp://127.0.0.1:" + port + "/hazwatch");
            assertThat(listening(port)).isTrue();
        }
    }

    @Test
    void impossible_options_are_refused_with_the_reason() {
        assertThatThrownBy(() -> options().benchItems(100_001).build()).hasMessageContaining("items must be 0..100000");
        assertThatThrownBy(() -> options().tanks(0).build()).hasMessageContaining("tanks must be 1..100");
        assertThatThrownBy(() -> options().users(java.util.Map.of()).allowAnonymous(false).build())
                .hasMessageContaining("at least one user");
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
