package io.hazwatch.drivers.opcua;

import io.hazwatch.drivers.opcua.internal.OpcUaDriver;
import io.hazwatch.drivers.spi.ChannelSpec;
import io.hazwatch.drivers.spi.DeviceSpec;
import io.hazwatch.drivers.spi.Driver;
import io.hazwatch.drivers.spi.DriverClosedException;
import io.hazwatch.drivers.spi.DriverConfigException;
import io.hazwatch.drivers.spi.DriverState;
import io.hazwatch.drivers.spi.Quality;
import io.hazwatch.drivers.spi.Sample;
import io.hazwatch.drivers.spi.Subscribable;
import io.hazwatch.sims.opcua.OpcUaSimulator;
import io.hazwatch.sims.opcua.OpcUaSimulatorOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static io.hazwatch.drivers.opcua.OpcUaTestSupport.CONNECT_WAIT;
import static io.hazwatch.drivers.opcua.OpcUaTestSupport.channel;
import static io.hazwatch.drivers.opcua.OpcUaTestSupport.device;
import static io.hazwatch.drivers.opcua.OpcUaTestSupport.read;
import static io.hazwatch.drivers.opcua.OpcUaTestSupport.trust;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The OPC UA driver against the OPC UA tank-farm simulator (Eclipse Milo's server, in this JVM, on a
 * loopback port). The simulator ticks by hand with a fixed clock, so every value's source timestamp
 * is known: start + ticks seconds.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class OpcUaDriverSimulatorTest {

    private static final Instant START = Instant.parse("2026-03-01T08:00:00Z");
    private static final Clock SIM_CLOCK = Clock.fixed(START, ZoneOffset.UTC);

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeEverything() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private OpcUaSimulator simulator(Consumer<OpcUaSimulatorOptions.Builder> options) {
        OpcUaSimulatorOptions.Builder b = OpcUaSimulatorOptions.builder().tanks(2).seed(7).clock(SIM_CLOCK).manualTicks()
                .pkiDir(dir.resolve("server-pki"));
        options.accept(b);
        OpcUaSimulator sim = OpcUaSimulator.start(b.build());
        open.add(sim);
        sim.advance(10);
        return sim;
    }

    private Driver driver(DeviceSpec device) throws DriverConfigException {
        Driver d = new OpcUaDriverFactory(dir.resolve("client-pki")).create(device, Clock.systemUTC());
        open.add(d);
        return d;
    }

    private static Object[] props(OpcUaSimulator sim, Object... more) {
        List<Object> all = new ArrayList<>(List.of("endpointUrl", sim.endpointUrl(), "publishingIntervalMs", 100,
                "backoffMinMs", 100, "backoffMaxMs", 400, "requestTimeoutMs", 5000));
        all.addAll(List.of(more));
        return all.toArray();
    }

    private static List<ChannelSpec> tankChannels(OpcUaSimulator sim) {
        return List.of(
                channel("level", 10, "nodeId", sim.nodeId("LT-1001")),
                channel("gas", 11, "nodeId", sim.nodeId("AT-1001")),
                channel("al1", 12, "nodeId", sim.nodeId("AT-1001.AL1")));
    }

    private static long simTime(OpcUaSimulator sim) {
        return sim.simulatedTime().toEpochMilli();
    }

    @Test
    void subscribed_channels_report_the_simulators_values_with_their_source_timestamps() throws Exception {
        OpcUaSimulator sim = simulator(b -> { });
        Driver driver = driver(device("dcs", tankChannels(sim), props(sim)));

        Map<String, Sample> first = read(driver);

        assertThat(driver.state()).isEqualTo(DriverState.CONNECTED);
        assertThat(first.get("level")).isEqualTo(Sample.good("level", simTime(sim), sim.tag("LT-1001").value()));
        assertThat(first.get("gas")).isEqualTo(Sample.good("gas", simTime(sim), sim.tag("AT-1001").value()));
        assertThat(first.get("al1")).isEqualTo(Sample.good("al1", simTime(sim), false));

        for (int step = 1; step <= 3; step++) {
            sim.advance(1);
            long expected = simTime(sim);
            Object level = sim.tag("LT-1001").value();
            // a notification arrives within a publishing interval of the server sampling the new value
            await().atMost(CONNECT_WAIT).untilAsserted(() ->
                    assertThat(read(driver).get("level")).isEqualTo(Sample.good("level", expected, level)));
        }
        assertThat(START.plusSeconds(13).toEpochMilli()).isEqualTo(simTime(sim));
    }

    @Test
    void a_read_mode_channel_reads_on_every_readAll_and_keeps_the_source_timestamp() throws Exception {
        OpcUaSimulator sim = simulator(b -> { });
        Driver driver = driver(device("dcs", List.of(
                channel("temp", 10, "nodeId", "nsu=" + OpcUaSimulator.NAMESPACE_URI + ";s=TT-1001", "mode", "read")),
                props(sim)));

        assertThat(read(driver).get("temp")).isEqualTo(Sample.good("temp", simTime(sim), sim.tag("TT-1001").value()));
        sim.advance(1);
        // no waiting: the Read service returns the value the server holds now
        assertThat(read(driver).get("temp")).isEqualTo(Sample.good("temp", simTime(sim), sim.tag("TT-1001").value()));
    }

    @Test
    void every_notification_is_pushed_to_a_subscriber_in_order() throws Exception {
        OpcUaSimulator sim = simulator(b -> { });
        Driver driver = driver(device("dcs", tankChannels(sim), props(sim)));
        List<Sample> pushed = new CopyOnWriteArrayList<>();

        Subscribable.SampleSubscription subscription = ((Subscribable) driver).subscribe(pushed::addAll);
        try {
            await().atMost(CONNECT_WAIT).until(() -> driver.state() == DriverState.CONNECTED);
            List<Long> expected = new ArrayList<>();
            for (int step = 0; step < 3; step++) {
                sim.advance(1);
                long t = simTime(sim);
                expected.add(t);
                await().atMost(CONNECT_WAIT).until(() -> pushed.stream()
                        .anyMatch(s -> s.channel().equals("level") && s.timestampMillis() == t));
            }
            List<Long> levelTimes = pushed.stream().filter(s -> s.channel().equals("level"))
                    .map(Sample::timestampMillis).toList();
            assertThat(levelTimes).containsSubsequence(expected).isSorted();
        } finally {
            subscription.close();
        }
    }

    @Test
    void an_absolute_deadband_keeps_changes_smaller_than_it_from_being_reported() throws Exception {
        OpcUaSimulator sim = simulator(b -> { });
        // the level gauge's noise is a few millimetres per step: 100 m of deadband hides every change
        Driver driver = driver(device("dcs", List.of(
                channel("raw", 10, "nodeId", sim.nodeId("LT-1001")),
                channel("damped", 11, "nodeId", sim.nodeId("LT-1001"), "deadbandType", "absolute",
                        "deadbandValue", 100)), props(sim)));
        List<Sample> pushed = new CopyOnWriteArrayList<>();
        Subscribable.SampleSubscription subscription = ((Subscribable) driver).subscribe(pushed::addAll);
        try {
            long initial = read(driver).get("damped").timestampMillis();
            for (int step = 0; step < 3; step++) {
                sim.advance(1);
                long t = simTime(sim);
                await().atMost(CONNECT_WAIT).until(() -> pushed.stream()
                        .anyMatch(s -> s.channel().equals("raw") && s.timestampMillis() == t));
            }

            assertThat(read(driver).get("damped").timestampMillis()).isEqualTo(initial);
            assertThat(pushed).filteredOn(s -> s.channel().equals("damped"))
                    .allSatisfy(s -> assertThat(s.timestampMillis()).isEqualTo(initial));
        } finally {
            subscription.close();
        }
    }

    @Test
    void a_percent_deadband_the_server_does_not_implement_gives_bad_config_with_a_hint() throws Exception {
        OpcUaSimulator sim = simulator(b -> { });
        Driver driver = driver(device("dcs", List.of(
                channel("level", 10, "nodeId", sim.nodeId("LT-1001")),
                channel("gas", 11, "nodeId", sim.nodeId("AT-1001"), "deadbandType", "percent", "deadbandValue", 2)),
                props(sim)));

        Map<String, Sample> samples = read(driver);

        assertThat(samples.get("level").quality()).isEqualTo(Quality.GOOD);
        assertThat(samples.get("gas").quality()).isEqualTo(Quality.BAD_CONFIG);
        assertThat(samples.get("gas").reason()).startsWith("Bad_MonitoredItemFilterUnsupported")
                .contains("does not implement percent deadband; use deadbandType absolute");
    }

    @Test
    void a_node_id_the_server_does_not_have_gives_a_bad_sample_for_that_channel_only() throws Exception {
        OpcUaSimulator sim = simulator(b -> { });
        List<ChannelSpec> channels = new ArrayList<>(tankChannels(sim));
        channels.add(channel("typo", 13, "nodeId", "ns=2;s=LT-1O01"));
        channels.add(channel("typoRead", 14, "nodeId", "ns=2;s=TT-1O01", "mode", "read"));
        Driver driver = driver(device("dcs", channels, props(sim)));

        Map<String, Sample> samples = read(driver);

        assertThat(samples.get("typo").quality()).isEqualTo(Quality.BAD_CONFIG);
        assertThat(samples.get("typo").reason()).startsWith("Bad_NodeIdUnknown (0x80340000)").contains("ns=2;s=LT-1O01");
        assertThat(samples.get("typoRead").quality()).isEqualTo(Quality.BAD_CONFIG);
        assertThat(samples.get("typoRead").reason()).startsWith("Bad_NodeIdUnknown");
        assertThat(Stream.of("level", "gas", "al1").map(samples::get)).allSatisfy(s ->
                assertThat(s.quality()).isEqualTo(Quality.GOOD));
        assertThat(((OpcUaDriver) driver).monitoredItemsHeld()).isEqualTo(3);
    }

    @Test
    void status_codes_from_the_dcs_become_qualities_named_after_the_status() throws Exception {
        OpcUaSimulator sim = simulator(b -> { });
        Driver driver = driver(device("dcs", tankChannels(sim), props(sim)));
        assertThat(read(driver).get("gas").quality()).isEqualTo(Quality.GOOD);

        sim.forceStatus("AT-1001", OpcUaSimulator.BAD_SENSOR_FAILURE);
        sim.forceStatus("LT-1001", OpcUaSimulator.UNCERTAIN_LAST_USABLE_VALUE);

        await().atMost(CONNECT_WAIT).untilAsserted(() -> {
            Map<String, Sample> s = read(driver);
            assertThat(s.get("gas")).isEqualTo(Sample.bad("gas", simTime(sim), Quality.BAD_SENSOR_FAULT,
                    "Bad_SensorFailure (0x808C0000)"));
            assertThat(s.get("level").quality()).isEqualTo(Quality.UNCERTAIN);
            assertThat(s.get("level").value()).isEqualTo(sim.tag("LT-1001").value());
            assertThat(s.get("level").reason()).isEqualTo("Uncertain_LastUsableValue (0x40900000)");
        });
    }

    @Test
    void basic256sha256_sign_and_encrypt_with_a_username_reads_values() throws Exception {
        OpcUaSimulator sim = simulator(b -> b.allowAnonymous(false));
        trust(dir.resolve("client-pki"), sim.certificateFile());
        Driver driver = driver(device("dcs", tankChannels(sim), props(sim, "securityPolicy", "basic256sha256",
                "securityMode", "signAndEncrypt", "username", OpcUaSimulatorOptions.DEFAULT_USER,
                "password", OpcUaSimulatorOptions.DEFAULT_PASSWORD)));

        Map<String, Sample> samples = read(driver);

        assertThat(samples.get("level")).isEqualTo(Sample.good("level", simTime(sim), sim.tag("LT-1001").value()));
        assertThat(driver.state()).isEqualTo(DriverState.CONNECTED);
        // the driver made its own certificate on first use, for the server's administrator to trust
        assertThat(dir.resolve("client-pki/own/certs/hazwatch-client.der")).isRegularFile();
    }

    @Test
    void basic256sha256_sign_with_the_application_certificate_as_user_identity_reads_values() throws Exception {
        OpcUaSimulator sim = simulator(b -> b.allowAnonymous(false));
        trust(dir.resolve("client-pki"), sim.certificateFile());
        Driver driver = driver(device("dcs", tankChannels(sim), props(sim, "securityPolicy", "basic256sha256",
                "securityMode", "sign", "identity", "certificate")));

        assertThat(read(driver).get("gas")).isEqualTo(Sample.good("gas", simTime(sim), sim.tag("AT-1001").value()));
    }

    @Test
    void a_wrong_password_is_reported_on_every_channel_as_an_authentication_failure() throws Exception {
        OpcUaSimulator sim = simulator(b -> b.allowAnonymous(false));
        trust(dir.resolve("client-pki"), sim.certificateFile());
        Driver driver = driver(device("dcs", tankChannels(sim), props(sim, "securityPolicy", "basic256sha256",
                "username", OpcUaSimulatorOptions.DEFAULT_USER, "password", "wrong")));

        Map<String, Sample> samples = read(driver);

        assertThat(samples.values()).allSatisfy(s -> {
            assertThat(s.quality()).isEqualTo(Quality.BAD_COMM_FAIL);
            assertThat(s.reason()).contains("refused identity UserName[user=operator, password=***]")
                    .doesNotContain("wrong");
        });
        assertThat(driver.state()).isEqualTo(DriverState.BACKING_OFF);
    }

    @Test
    void an_untrusted_server_certificate_is_refused_with_the_file_to_move_and_trusted_once_moved() throws Exception {
        OpcUaSimulator sim = simulator(b -> { });
        Driver driver = driver(device("dcs", tankChannels(sim), props(sim, "securityPolicy", "basic256sha256")));
        Path rejected = dir.resolve("client-pki/rejected/certs").toAbsolutePath();
        Path trusted = dir.resolve("client-pki/trusted/certs").toAbsolutePath();

        Sample refused = read(driver).get("level");

        assertThat(refused.quality()).isEqualTo(Quality.BAD_COMM_FAIL);
        assertThat(refused.reason()).contains("server certificate", "is not trusted", "It was saved as " + rejected,
                "move that file into " + trusted);
        List<Path> files;
        try (Stream<Path> s = Files.list(rejected)) {
            files = s.toList();
        }
        assertThat(files).singleElement().satisfies(f -> assertThat(refused.reason()).contains(f.toString()));
        assertThat(driver.state()).isEqualTo(DriverState.BACKING_OFF);

        // the field engineer checks the thumbprint with the DCS administrator and moves the file
        Files.move(files.get(0), trusted.resolve(files.get(0).getFileName()));

        await().atMost(CONNECT_WAIT).untilAsserted(() -> assertThat(read(driver).get("level"))
                .isEqualTo(Sample.good("level", simTime(sim), sim.tag("LT-1001").value())));
    }

    @Test
    void trust_on_first_use_keeps_the_first_server_certificate_in_the_trust_list() throws Exception {
        OpcUaSimulator sim = simulator(b -> { });
        Driver driver = driver(device("dcs", tankChannels(sim), props(sim, "securityPolicy", "basic256sha256",
                "trustServerOnFirstUse", true)));

        assertThat(read(driver).get("level").quality()).isEqualTo(Quality.GOOD);

        try (Stream<Path> s = Files.list(dir.resolve("client-pki/trusted/certs"))) {
            assertThat(s.toList()).singleElement().satisfies(f ->
                    assertThat(Files.readAllBytes(f)).isEqualTo(sim.certificate().getEncoded()));
        }
    }

    @Test
    void a_server_stopped_then_restarted_gives_bad_comm_fail_then_values_again() throws Exception {
        int port = freePort();
        OpcUaSimulator first = simulator(b -> b.port(port));
        Driver driver = driver(device("dcs", tankChannels(first), props(first)));
        assertThat(read(driver).get("level").quality()).isEqualTo(Quality.GOOD);

        first.close();

        await().atMost(CONNECT_WAIT).untilAsserted(() -> assertThat(read(driver).values()).allSatisfy(s -> {
            assertThat(s.quality()).isEqualTo(Quality.BAD_COMM_FAIL);
            assertThat(s.reason()).contains("lost");
        }));
        assertThat(driver.state()).isEqualTo(DriverState.CONNECTING);

        // the same DCS comes back: same port, same certificate, but it lost every session and subscription
        OpcUaSimulator second = simulator(b -> b.port(port));
        second.advance(5);

        await().atMost(CONNECT_WAIT.multipliedBy(2)).untilAsserted(() -> assertThat(read(driver).get("level"))
                .isEqualTo(Sample.good("level", simTime(second), second.tag("LT-1001").value())));
        assertThat(driver.state()).isEqualTo(DriverState.CONNECTED);
        // the subscription was created again: changes are reported again, not only the refresh Read
        second.advance(1);
        await().atMost(CONNECT_WAIT).untilAsserted(() -> assertThat(read(driver).get("level").timestampMillis())
                .isEqualTo(simTime(second)));
    }

    @Test
    void a_dropped_connection_reconnects_and_the_subscription_survives_on_the_server() throws Exception {
        OpcUaSimulator sim = simulator(b -> { });
        TcpCutter link = new TcpCutter(sim.port());
        open.add(link);
        Object[] viaLink = props(sim);
        viaLink[1] = "opc.tcp://127.0.0.1:" + link.port() + "/hazwatch";
        Driver driver = driver(device("dcs", tankChannels(sim), viaLink));
        OpcUaDriver opcua = (OpcUaDriver) driver;
        List<Sample> pushed = new CopyOnWriteArrayList<>();
        Subscribable.SampleSubscription subscription = ((Subscribable) driver).subscribe(pushed::addAll);
        try {
            assertThat(read(driver).get("level").quality()).isEqualTo(Quality.GOOD);
            long subscriptionId = opcua.subscriptionId().orElseThrow();

            link.cutAll();

            await().atMost(CONNECT_WAIT).until(() -> pushed.stream().anyMatch(s -> s.channel().equals("level")
                    && s.quality() == Quality.BAD_COMM_FAIL && s.reason().contains("lost")));
            sim.advance(1);
            long t = simTime(sim);
            Object level = sim.tag("LT-1001").value();
            await().atMost(CONNECT_WAIT.multipliedBy(2)).untilAsserted(() ->
                    assertThat(read(driver).get("level")).isEqualTo(Sample.good("level", t, level)));
            assertThat(driver.state()).isEqualTo(DriverState.CONNECTED);
            // the server kept the session's subscription (reactivated or transferred, OPC UA Part 4, 5.13.7),
            // so the driver did not have to create it again
            assertThat(opcua.subscriptionId()).hasValue(subscriptionId);
            assertThat(opcua.monitoredItemsHeld()).isEqualTo(3);
        } finally {
            subscription.close();
        }
    }

    @Test
    void a_server_that_falls_silent_pushes_bad_timeout_to_subscribers_and_the_held_values_again_when_it_is_heard()
            throws Exception {
        OpcUaSimulator sim = simulator(b -> { });
        TcpCutter network = new TcpCutter(sim.port());
        open.add(network);
        Object[] viaNetwork = props(sim);
        viaNetwork[1] = "opc.tcp://127.0.0.1:" + network.port() + "/hazwatch";
        Driver driver = driver(device("dcs", tankChannels(sim), viaNetwork));
        List<Sample> pushed = new CopyOnWriteArrayList<>();
        Subscribable.SampleSubscription subscription = ((Subscribable) driver).subscribe(pushed::addAll);
        try {
            Sample before = read(driver).get("level");
            assertThat(before.quality()).isEqualTo(Quality.GOOD);

            network.stall(); // the connection stays up; nothing comes back, keep-alives included
            await().atMost(CONNECT_WAIT).until(() -> pushed.stream().anyMatch(s -> s.channel().equals("level")
                    && s.quality() == Quality.BAD_TIMEOUT && s.reason().contains("keep-alive")));
            assertThat(read(driver).get("level").quality()).isEqualTo(Quality.BAD_TIMEOUT);
            int stale = pushed.size();

            network.resume();
            await().atMost(CONNECT_WAIT).until(() -> pushed.subList(stale, pushed.size()).contains(before));
            assertThat(read(driver).get("level")).isEqualTo(before);
        } finally {
            subscription.close();
        }
    }

    @Test
    void an_unreachable_server_gives_bad_comm_fail_and_the_driver_backs_off() throws Exception {
        int port = freePort();
        Driver driver = driver(device("dcs", List.of(channel("level", 10, "nodeId", "ns=2;s=LT-1001")),
                "endpointUrl", "opc.tcp://127.0.0.1:" + port + "/hazwatch", "backoffMinMs", 60_000,
                "backoffMaxMs", 60_000, "requestTimeoutMs", 2000));

        Sample s = read(driver).get("level");
        Sample again = read(driver).get("level");

        assertThat(s.quality()).isEqualTo(Quality.BAD_COMM_FAIL);
        assertThat(s.reason()).contains("cannot get the endpoints of opc.tcp://127.0.0.1:" + port, "next attempt in 60000 ms");
        assertThat(driver.state()).isEqualTo(DriverState.BACKING_OFF);
        // while backing off, a read answers at once with the same reason
        assertThat(again.reason()).isEqualTo(s.reason());
    }

    @Test
    void closing_twice_is_harmless_and_reads_after_close_fail_with_driver_closed() throws Exception {
        OpcUaSimulator sim = simulator(b -> { });
        Driver driver = driver(device("dcs", tankChannels(sim), props(sim)));
        assertThat(read(driver).get("level").quality()).isEqualTo(Quality.GOOD);

        driver.close();
        driver.close();

        assertThat(driver.state()).isEqualTo(DriverState.CLOSED);
        assertThatThrownBy(() -> driver.readAll().toCompletableFuture().join())
                .isInstanceOf(CompletionException.class).hasCauseInstanceOf(DriverClosedException.class);
        assertThatThrownBy(() -> ((Subscribable) driver).subscribe(samples -> { }))
                .isInstanceOf(DriverClosedException.class);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
