package io.hazwatch.edge.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.hazwatch.drivers.spi.DriverFactory;
import io.hazwatch.edge.testing.FakeDriverFactory;
import io.hazwatch.node.config.ConfigError;
import io.hazwatch.node.config.ConfigException;
import io.hazwatch.node.config.Endpoint;
import io.hazwatch.node.config.NodeRole;
import io.hazwatch.node.config.ParentLink;
import io.hazwatch.sync.model.AlarmLimit;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EdgeConfigLoaderTest {
    private static final List<DriverFactory> FAKE = List.of(new FakeDriverFactory());

    @TempDir
    Path dir;

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(EdgeConfigLoaderTest.class.getResource("/config/" + name).toURI());
    }

    private EdgeConfig parse(String yaml) throws ConfigException {
        return EdgeConfigLoader.parse("e.yaml", yaml, dir, FAKE);
    }

    @Test
    void aGoodConfigLoadsNodeSiteAndDevicesWithProfilesExpanded() throws Exception {
        Path file = resource("edge-good.yaml");

        EdgeConfig config = EdgeConfigLoader.load(file, FAKE);

        assertThat(config.node().id()).isEqualTo("130102-E0042-01");
        assertThat(config.node().role()).isEqualTo(NodeRole.EDGE);
        assertThat(config.node().dataDir()).isEqualTo(file.getParent().resolve("data/e0042"));
        assertThat(config.node().listen()).isEmpty();
        assertThat(config.node().children()).isEmpty();
        assertThat(config.node().parents()).containsExactly(
                new ParentLink("130102", new Endpoint("127.0.0.1", 7401)),
                new ParentLink("130100", new Endpoint("127.0.0.1", 7402)));
        assertThat(config.site()).isEqualTo(new Site("E0042", "Hengshui Tank Farm", "91131100MA0E0042X1",
                SiteKind.HAZCHEM));

        assertThat(config.devices()).hasSize(1);
        DeviceConfig farm = config.devices().get(0);
        assertThat(farm.name()).isEqualTo("farm");
        assertThat(farm.driver()).isEqualTo("fake");
        assertThat(farm.pollIntervalMs()).isEqualTo(500);
        assertThat(farm.properties()).isEqualTo(Map.of("host", "127.0.0.1", "port", 5020));
        assertThat(farm.points()).extracting(PointConfig::name).containsExactly("wind",
                "tank1.level", "tank1.temperature", "tank1.gas",
                "tank2.level", "tank2.temperature", "tank2.gas",
                "sphere5.level", "sphere5.temperature", "sphere5.gas");
        assertThat(farm.points()).extracting(p -> p.properties().get("address"))
                .containsExactly(900, 0, 4, 12, 20, 24, 32, 80, 84, 92);
        assertThat(config.pointId(farm, farm.points().get(4))).isEqualTo("E0042/farm/tank2.level");
        assertThat(config.pointCount()).isEqualTo(10);
    }

    @Test
    void profilePointsKeepTheirPropertiesUnitsAndAlarmsUnlessAUseOverridesThem() throws Exception {
        EdgeConfig config = EdgeConfigLoader.load(resource("edge-good.yaml"), FAKE);
        Map<String, PointConfig> byName = config.devices().get(0).points().stream()
                .collect(java.util.stream.Collectors.toMap(PointConfig::name, p -> p));

        PointConfig temperature = byName.get("tank2.temperature");
        assertThat(temperature.unit()).isEqualTo("°C");
        assertThat(temperature.properties()).isEqualTo(Map.of("address", 24, "scale", 0.1));
        AlarmSpec t = temperature.alarms().orElseThrow();
        assertThat(t.h()).isEqualTo(OptionalDouble.of(40));
        assertThat(t.hh()).isEqualTo(OptionalDouble.of(50));
        assertThat(t.deadband()).isEqualTo(0.5);
        assertThat(t.level(AlarmLimit.HH)).as("configured").isEqualTo(1);
        assertThat(t.level(AlarmLimit.H)).as("default").isEqualTo(4);
        assertThat(byName.get("tank1.gas").alarms().orElseThrow().faultAfter()).isEqualTo(3);
        assertThat(byName.get("wind").alarms()).isEmpty();

        AlarmSpec sphere = byName.get("sphere5.level").alarms().orElseThrow();
        assertThat(sphere.h()).isEqualTo(OptionalDouble.of(8));
        assertThat(sphere.hh()).isEqualTo(OptionalDouble.of(9));
        assertThat(sphere.l()).as("the override replaces the whole alarm block").isEmpty();
        assertThat(byName.get("tank1.level").alarms().orElseThrow().l()).isEqualTo(OptionalDouble.of(2));
    }

    @Test
    void aConfigWithManyMistakesReportsEveryOneWithFileLineAndColumn() throws Exception {
        Path file = resource("edge-bad.yaml");

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> EdgeConfigLoader.load(file, FAKE));

        assertThat(e.errors()).extracting(ConfigError::toString).containsExactly(
                file + ":5:45: node.parents[0].port: must be in 1..65535, got 0",
                file + ":6:3: node: 'listen' is not allowed in an edge's node section (an edge has no children;"
                        + " its role is edge)",
                file + ":8:3: site: missing required key 'enterprise'",
                file + ":10:9: site.kind: must be one of hazchem, tailings, fireworks; got 'hazchem-plant'",
                file + ":14:57: profiles.tank.points[0].alarms: limits must ascend ll < l < h < hh, but l=5.0 is"
                        + " not below h=4.0",
                file + ":18:21: devices[0].pollIntervalMs: must be in 100..86400000, got 10",
                file + ":20:19: devices[0].uses[0].profile: no profile 'tnak' (did you mean 'tank'?); profiles"
                        + " here: tank",
                file + ":23:9: devices[0].points[1]: duplicate point 'a' (first at line 22)",
                file + ":24:9: device 'farm', point 'b': address: must be in 0..999, got 2000",
                file + ":24:19: devices[0].points[2]: unknown key 'unitt'; did you mean 'unit'?",
                file + ":25:11: devices[1].name: duplicate device 'farm' (first at line 16)",
                file + ":26:13: devices[1].driver: unknown driver 'modbus-tpc'; installed: fake");
        assertThat(e.getMessage().lines()).hasSize(12);
    }

    @Test
    void anUnknownKeyAnywhereIsAnErrorNamingTheKey() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse("""
                node: {id: e1, dataDir: d, parents: [{id: c, host: h, port: 1}]}
                site: {code: S, name: n, enterprise: x, kind: hazchem}
                devices:
                  - name: d
                    driver: fake
                    pollIntervallMs: 1000
                    points: [{name: p, properties: {address: 1}, alarms: {hh: 5, deadbnd: 1}}]
                """));

        assertThat(e.errors()).extracting(ConfigError::toString).containsExactly(
                "e.yaml:6:5: devices[0]: unknown key 'pollIntervallMs'; did you mean 'pollIntervalMs'?",
                "e.yaml:7:66: devices[0].points[0].alarms: unknown key 'deadbnd'; did you mean 'deadband'?");
    }

    @Test
    void aUnitTooLongForThePointCatalogueIsRefusedWhereItIsWritten() {
        String unit = "m".repeat(1025);
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse("""
                node: {id: e1, dataDir: d, parents: [{id: c, host: h, port: 1}]}
                site: {code: S, name: n, enterprise: x, kind: hazchem}
                devices:
                  - name: d
                    driver: fake
                    points:
                      - name: p
                        unit: %s
                        properties: {address: 1}
                """.formatted(unit)));

        assertThat(e.errors()).extracting(ConfigError::toString)
                .containsExactly("e.yaml:8:15: devices[0].points[0].unit: unit is longer than 1024 UTF-8 bytes");
    }

    @Test
    void aDriverProblemInAProfilePointIsReportedOnceAtTheProfileNamingTheInstances() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse("""
                node: {id: e1, dataDir: d, parents: [{id: c, host: h, port: 1}]}
                site: {code: S, name: n, enterprise: x, kind: tailings}
                profiles:
                  tank:
                    points:
                      - {name: level, properties: {address: 0}}
                      - {name: temperature, properties: {address: zero}}
                devices:
                  - name: d
                    driver: fake
                    uses: [{profile: tank, count: 5}]
                """));

        assertThat(e.errors()).extracting(ConfigError::toString).containsExactly(
                "e.yaml:7:9: device 'd', point 'tank1.temperature': address: an integer is required"
                        + " (same in tank2.temperature and 3 more)");
    }

    @Test
    void aDeviceProblemFromTheDriverIsReportedAtTheDevice() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse("""
                node: {id: e1, dataDir: d, parents: [{id: c, host: h, port: 1}]}
                site: {code: S, name: n, enterprise: x, kind: fireworks}
                devices:
                  - {name: d, driver: fake, properties: {broken: true}, points: [{name: p, properties: {address: 1}}]}
                """));

        assertThat(e.errors()).extracting(ConfigError::toString)
                .containsExactly("e.yaml:4:5: device 'd': this device is broken");
    }

    @Test
    void useEntriesNeedExactlyOneOfCountOrInstancesAndNamesThatStayUnique() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse("""
                node: {id: e1, dataDir: d, parents: [{id: c, host: h, port: 1}]}
                site: {code: S, name: n, enterprise: x, kind: hazchem}
                profiles:
                  t: {stride: 1, points: [{name: v, properties: {address: 0}}]}
                devices:
                  - name: d
                    driver: fake
                    uses:
                      - {profile: t, count: 2, instances: [1]}
                      - {profile: t, instances: [1, 2], as: tank}
                      - {profile: t, count: 1, alarms: {w: {h: 1}}}
                      - {profile: t, instances: [3, 3]}
                """));

        assertThat(e.errors()).extracting(ConfigError::toString).containsExactly(
                "e.yaml:9:9: devices[0].uses[0]: give exactly one of 'count' (instances 1..count) or 'instances'"
                        + " (a list of numbers)",
                "e.yaml:10:45: devices[0].uses[1].as: must contain {n} when there is more than one instance",
                "e.yaml:11:44: devices[0].uses[2].alarms.w: profile 't' has no point 'w' (did you mean 'v'?)",
                "e.yaml:12:37: devices[0].uses[3].instances[1]: instance 3 is listed twice");
    }

    @Test
    void aMissingDevicesListAndAnEmptyDocumentAreReported() throws IOException {
        Path empty = dir.resolve("empty.yaml");
        Files.writeString(empty, "# nothing yet\n");

        assertThat(catchThrowableOfType(ConfigException.class, () -> EdgeConfigLoader.load(empty, FAKE)).errors())
                .extracting(ConfigError::toString).containsExactly(empty + ":1:1: the document is empty");
        assertThat(catchThrowableOfType(ConfigException.class, () -> parse("""
                node: {id: e1, dataDir: d, parents: []}
                site: {code: S, name: n, enterprise: x, kind: hazchem}
                """)).errors()).extracting(ConfigError::toString).containsExactly(
                "e.yaml:1:1: missing required key 'devices'",
                "e.yaml:1:37: node.parents: an edge needs at least one parent to forward to");
    }

    @Test
    void theDeviceSpecHandedToTheDriverCarriesOneChannelPerPointWithItsLocation() throws Exception {
        EdgeConfig config = parse("""
                node: {id: e1, dataDir: /tmp/e1, parents: [{id: c, host: h, port: 1}]}
                site: {code: S, name: n, enterprise: x, kind: hazchem}
                devices:
                  - name: d
                    driver: fake
                    points:
                      - {name: p, properties: {address: 7}}
                """);

        var spec = config.devices().get(0).toDeviceSpec();

        assertThat(spec.name()).isEqualTo("d");
        assertThat(spec.driver()).isEqualTo("fake");
        assertThat(spec.channels()).singleElement().satisfies(c -> {
            assertThat(c.name()).isEqualTo("p");
            assertThat(c.properties()).isEqualTo(Map.of("address", 7));
            assertThat(c.location()).isEqualTo("e.yaml:7:9");
        });
        assertThat(config.devices().get(0).pollIntervalMs()).isEqualTo(DeviceConfig.DEFAULT_POLL_INTERVAL_MS);
        assertThat(config.node().http()).isEqualTo(Optional.empty());
    }

    @Test
    void aProfilePointWithoutAnIntegerAddressCannotBeShiftedToALaterInstance() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse("""
                node: {id: e1, dataDir: d, parents: [{id: c, host: h, port: 1}]}
                site: {code: S, name: n, enterprise: x, kind: hazchem}
                profiles:
                  pump: {stride: 10, points: [{name: running, properties: {tag: P1}}]}
                devices:
                  - {name: d, driver: fake, uses: [{profile: pump, count: 2}]}
                """));

        assertThat(e.errors()).extracting(ConfigError::toString).containsExactly(
                "e.yaml:4:31: profile 'pump' point 'running' has no integer 'address' property to shift by"
                        + " base/stride (used at line 6)",
                "e.yaml:4:31: device 'd', point 'pump1.running': address: an integer is required");
    }

    @Test
    void anchorsAndMergeKeysShareDevicePropertiesBetweenDevices() throws Exception {
        EdgeConfig config = parse("""
                node: {id: e1, dataDir: d, parents: [{id: c, host: h, port: 1}]}
                site: {code: S, name: n, enterprise: x, kind: hazchem}
                devices:
                  - name: a
                    driver: fake
                    properties: &gateway {host: 10.0.0.5, port: 502, unitId: 1}
                    points: [{name: p, properties: {address: 1}}]
                  - name: b
                    driver: fake
                    properties: {<<: *gateway, unitId: 2}
                    points: [{name: p, properties: {address: 1}}]
                """);

        assertThat(config.devices().get(1).properties()).isEqualTo(Map.of("host", "10.0.0.5", "port", 502, "unitId", 2));
        assertThat(config.pointId(config.devices().get(1), config.devices().get(1).points().get(0))).isEqualTo("S/b/p");
    }
}
