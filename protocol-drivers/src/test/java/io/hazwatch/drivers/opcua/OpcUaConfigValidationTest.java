package io.hazwatch.drivers.opcua;

import io.hazwatch.drivers.spi.ConfigProblem;
import io.hazwatch.drivers.spi.DeviceSpec;
import io.hazwatch.drivers.spi.DriverConfigException;
import io.hazwatch.drivers.spi.DriverFactory;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static io.hazwatch.drivers.opcua.OpcUaTestSupport.channel;
import static io.hazwatch.drivers.opcua.OpcUaTestSupport.device;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** STYLE.md: a bad configuration lists every problem, each with where it was written; no server is touched. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class OpcUaConfigValidationTest {

    @TempDir
    Path dir;

    private OpcUaDriverFactory factory() {
        return new OpcUaDriverFactory(dir.resolve("pki"));
    }

    @Test
    void the_factory_is_found_by_service_loader_under_type_opcua() {
        assertThat(DriverFactory.installed()).anySatisfy(f -> assertThat(f).isInstanceOf(OpcUaDriverFactory.class));
        assertThat(factory().type()).isEqualTo("opcua");
    }

    @Test
    void a_minimal_device_gets_the_documented_defaults() throws DriverConfigException {
        OpcUaDeviceConfig config = factory().parse(device("dcs", List.of(channel("level", 10, "nodeId", "ns=2;s=LT-1001")),
                "endpointUrl", "opc.tcp://10.0.0.5:4840"));

        assertThat(config.securityPolicy()).isEqualTo(OpcUaSecurityPolicy.NONE);
        assertThat(config.securityMode()).isEqualTo(OpcUaSecurityMode.NONE);
        assertThat(config.identity()).isInstanceOf(OpcUaIdentity.Anonymous.class);
        assertThat(config.pkiDir()).isEqualTo(dir.resolve("pki"));
        assertThat(config.trustServerOnFirstUse()).isFalse();
        assertThat(config.publishingIntervalMs()).isEqualTo(1000.0);
        assertThat(config.requestTimeoutMs()).isEqualTo(5000);
        OpcUaChannel ch = config.channels().get(0);
        assertThat(ch.mode()).isEqualTo(OpcUaChannelMode.SUBSCRIBE);
        assertThat(ch.samplingIntervalMs()).isEqualTo(-1.0);
        assertThat(ch.queueSize()).isEqualTo(1);
        assertThat(ch.discardOldest()).isTrue();
        assertThat(ch.deadband()).isEqualTo(OpcUaDeadband.NONE);
    }

    @Test
    void basic256sha256_defaults_to_sign_and_encrypt_and_a_username_implies_the_username_identity()
            throws DriverConfigException {
        OpcUaDeviceConfig config = factory().parse(device("dcs", List.of(channel("level", 10, "nodeId", "i=2258")),
                "endpointUrl", "opc.tcp://dcs:4840/UA", "securityPolicy", "Basic256Sha256", "username", "op",
                "password", "secret"));

        assertThat(config.securityMode()).isEqualTo(OpcUaSecurityMode.SIGN_AND_ENCRYPT);
        assertThat(config.identity()).isEqualTo(new OpcUaIdentity.UserName("op", "secret"));
        assertThat(config.identity().toString()).doesNotContain("secret");
    }

    @Test
    void every_problem_of_device_and_channels_is_listed_at_once_with_its_location() {
        DeviceSpec bad = new DeviceSpec("dcs", "opcua", OpcUaTestSupport.map(
                "endpointUrl", "http://dcs:4840",
                "securityPolicy", "none",
                "securityMode", "sign",
                "identity", "username",
                "requestTimeoutMs", 5,
                "publishingIntervalMs", "fast",
                "trustServerOnFirstuse", true),
                List.of(channel("level", 10, "nodeId", "ns=2;LT-1001"),
                        channel("level", 11, "nodeId", "ns=2;s=LT-1001", "mode", "poll"),
                        channel("temp", 12, "nodeId", "ns=2;s=TT-1001", "mode", "read", "queueSize", 5),
                        channel("gas", 13, "nodeId", "ns=2;s=AT-1001", "deadbandType", "percent", "deadbandValue", 150),
                        channel("pressure", 14, "nodeId", "ns=2;s=PT-1001", "deadbandType", "absolute"),
                        channel("flow", 15)),
                "dcs.yaml:3");

        List<ConfigProblem> problems = factory().validate(bad);

        assertThat(problems).extracting(ConfigProblem::toString).containsExactlyInAnyOrder(
                "dcs.yaml:3: device 'dcs': unknown property 'trustServerOnFirstuse' (did you mean 'trustServerOnFirstUse'?)",
                "dcs.yaml:3: device 'dcs': endpointUrl 'http://dcs:4840' must start with opc.tcp://",
                "dcs.yaml:3: device 'dcs': securityMode 'sign' needs a securityPolicy other than 'none' (e.g. basic256sha256)",
                "dcs.yaml:3: device 'dcs': identity 'username' needs property 'username'",
                "dcs.yaml:3: device 'dcs': identity 'username' needs property 'password'",
                "dcs.yaml:3: device 'dcs': property 'requestTimeoutMs' must be 100..600000, got 5",
                "dcs.yaml:3: device 'dcs': property 'publishingIntervalMs' must be a finite number, got 'fast'",
                "test.yaml:10: channel 'level': nodeId 'ns=2;LT-1001' is not a node id (expected e.g. ns=2;s=LT-1001 or i=2258)",
                "test.yaml:11: channel 'level': duplicate name (first defined at test.yaml:10)",
                "test.yaml:11: channel 'level': unknown mode 'poll' (expected one of subscribe, read)",
                "test.yaml:12: channel 'temp': property 'queueSize' does not apply to mode 'read'",
                "test.yaml:13: channel 'gas': a percent deadbandValue must be 0..100, got 150.0",
                "test.yaml:14: channel 'pressure': deadbandType 'absolute' needs property 'deadbandValue'",
                "test.yaml:15: channel 'flow': property 'nodeId' is required (e.g. ns=2;s=LT-1001)");
        assertThatThrownBy(() -> factory().create(bad, java.time.Clock.systemUTC()))
                .isInstanceOf(DriverConfigException.class)
                .satisfies(e -> assertThat(((DriverConfigException) e).problems()).hasSize(problems.size()));
    }

    @Test
    void identity_properties_that_do_not_fit_the_identity_are_refused() {
        List<ConfigProblem> problems = factory().validate(device("dcs", List.of(channel("a", 10, "nodeId", "i=2258")),
                "endpointUrl", "opc.tcp://dcs:4840", "identity", "anonymous", "password", "x",
                "identityCertificate", dir.resolve("missing.der").toString()));

        assertThat(problems).extracting(ConfigProblem::message).containsExactlyInAnyOrder(
                "device 'dcs': property 'password' does not apply to identity 'anonymous'",
                "device 'dcs': property 'identityCertificate' does not apply to identity 'anonymous'",
                "device 'dcs': identityCertificate file '" + dir.resolve("missing.der") + "' does not exist or cannot be read");
    }

    @Test
    void a_secure_policy_without_a_secure_mode_is_refused() {
        List<ConfigProblem> problems = factory().validate(device("dcs", List.of(channel("a", 10, "nodeId", "i=2258")),
                "endpointUrl", "opc.tcp://dcs:4840", "securityPolicy", "basic256sha256", "securityMode", "none"));

        assertThat(problems).extracting(ConfigProblem::message).containsExactly(
                "device 'dcs': securityPolicy 'basic256sha256' needs securityMode 'sign' or 'signAndEncrypt'");
    }

    @Test
    void namespace_uri_node_ids_and_deadbands_are_accepted() throws DriverConfigException {
        OpcUaDeviceConfig config = factory().parse(device("dcs", List.of(
                        channel("level", 10, "nodeId", "nsu=urn:hazwatch:sims:tank-farm-dcs;s=LT-1001",
                                "deadbandType", "absolute", "deadbandValue", "0.01", "queueSize", 10,
                                "samplingIntervalMs", 250)),
                "endpointUrl", "opc.tcp://dcs"));

        OpcUaChannel ch = config.channels().get(0);
        assertThat(ch.nodeId()).isEqualTo("nsu=urn:hazwatch:sims:tank-farm-dcs;s=LT-1001");
        assertThat(ch.deadband()).isEqualTo(OpcUaDeadband.ABSOLUTE);
        assertThat(ch.deadbandValue()).isEqualTo(0.01);
        assertThat(ch.queueSize()).isEqualTo(10);
        assertThat(ch.samplingIntervalMs()).isEqualTo(250.0);
    }
}
