package io.hazwatch.node.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeConfigLoaderTest {

    @TempDir
    Path dir;

    private Path write(String name, String yaml) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, yaml);
        return file;
    }

    @Test
    void aCountyConfigLoadsIntoTheNodeConfigItDescribes() throws Exception {
        Path file = write("county.yaml", """
                id: "130102"
                role: county
                dataDir: /var/lib/hazwatch/130102
                listen: {host: 0.0.0.0, port: 7400}
                http: {host: 127.0.0.1, port: 8080}
                parents:
                  - {id: "130100", host: city.example, port: 7400}
                  - {id: "130000", host: 10.1.2.3, port: 7401}   # backup straight to the province
                children:
                  - id: 130102-E0042-01
                  - {id: 130102-E0043-01, originPrefixes: [130102-E0043]}
                """);

        NodeConfig config = NodeConfigLoader.load(file);

        assertThat(config).isEqualTo(new NodeConfig("130102", NodeRole.COUNTY, Path.of("/var/lib/hazwatch/130102"),
                Optional.of(new Endpoint("0.0.0.0", 7400)), Optional.of(new Endpoint("127.0.0.1", 8080)),
                List.of(new ParentLink("130100", new Endpoint("city.example", 7400)),
                        new ParentLink("130000", new Endpoint("10.1.2.3", 7401))),
                List.of(new ChildSpec("130102-E0042-01", List.of("130102-E0042-01")),
                        new ChildSpec("130102-E0043-01", List.of("130102-E0043")))));
    }

    @Test
    void aChildWithoutPrefixesCarriesItsAdministrativeSubtree() throws Exception {
        NodeConfig config = NodeConfigLoader.parse("p.yaml", """
                id: "130000"
                role: province
                dataDir: data
                listen: {host: 0.0.0.0, port: 0}
                children: [{id: "130100"}, {id: "130102"}]
                """, dir);

        assertThat(config.children()).extracting(ChildSpec::originPrefixes)
                .containsExactly(List.of("1301"), List.of("130102"));
        assertThat(config.parents()).isEmpty();
        assertThat(config.http()).isEmpty();
    }

    @Test
    void aRelativeDataDirIsResolvedAgainstTheConfigFilesDirectory() throws Exception {
        Path file = write("city.yaml", """
                id: "130100"
                role: city
                dataDir: data/130100
                listen: {host: 127.0.0.1, port: 7400}
                parents: [{id: "130000", host: localhost, port: 7400}]
                """);

        assertThat(NodeConfigLoader.load(file).dataDir()).isEqualTo(dir.toAbsolutePath().resolve("data/130100"));
    }

    @Test
    void aConfigWithSeveralMistakesReportsEveryOneWithFileLineAndColumn() throws Exception {
        Path file = write("bad.yaml", """
                id: "130102"
                role: countty
                dataDir: data
                listen: {host: 0.0.0.0, port: 70000}
                parents:
                  - {id: "130100", hostt: city.example, port: 7400}
                  - {id: "130100", host: other, port: "7400"}
                children:
                  - {id: "130102"}
                """);

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> NodeConfigLoader.load(file));

        assertThat(e.errors()).extracting(ConfigError::toString).containsExactly(
                file + ":2:7: role: must be one of county, city, province; got 'countty' (did you mean 'county'?)",
                file + ":4:31: listen.port: must be in 0..65535, got 70000",
                file + ":6:5: parents[0]: missing required key 'host'",
                file + ":6:20: parents[0]: unknown key 'hostt'; did you mean 'host'?",
                file + ":7:39: parents[1].port: expected an integer, got the string '7400'",
                file + ":9:10: children[0].id: a node cannot be its own child");
        assertThat(e.getMessage()).contains(file + ":2:7: role:");
    }

    @Test
    void aProvinceWithParentsAndACountyWithoutThemAreRefused() {
        assertThatThrownBy(() -> NodeConfigLoader.parse("p.yaml", """
                id: "130000"
                role: province
                dataDir: d
                listen: {host: h, port: 1}
                parents: [{id: x, host: h, port: 2}]
                """, dir)).isInstanceOf(ConfigException.class)
                .hasMessage("p.yaml:5:10: parents: a province has no parents; remove this list");
        assertThatThrownBy(() -> NodeConfigLoader.parse("c.yaml", """
                id: "130102"
                role: county
                dataDir: d
                listen: {host: h, port: 1}
                """, dir)).isInstanceOf(ConfigException.class)
                .hasMessage("c.yaml:1:1: missing required key 'parents': county needs at least one parent"
                        + " to forward to");
    }

    @Test
    void aYamlSyntaxErrorIsReportedWhereTheParserStopped() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> NodeConfigLoader.parse("s.yaml", """
                id: "130102"
                parents: [{id: a, host: b, port: 1}
                role: county
                """, dir));

        assertThat(e.errors()).hasSize(1);
        assertThat(e.errors().get(0).location().line()).isEqualTo(3);
        assertThat(e.errors().get(0).message()).startsWith("YAML syntax error: ");
    }

    @Test
    void duplicateKeysAndOctalLookingNumbersAreRefused() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> NodeConfigLoader.parse("d.yaml", """
                id: "130102"
                role: county
                role: city
                dataDir: d
                listen: {host: h, port: 07400}
                parents: [{id: a, host: b, port: 1}]
                """, dir));

        assertThat(e.errors()).extracting(ConfigError::toString).containsExactly(
                "d.yaml:3:1: duplicate key 'role' (first written at line 2)",
                "d.yaml:5:25: listen.port: '07400' has a leading zero, which YAML reads as octal; write it"
                        + " without the zero, as 0o7400, or quote it if it is a string");
    }

    @Test
    void aMissingFileIsOneProblemAtTheFileItself() {
        Path missing = dir.resolve("nope.yaml");

        assertThatThrownBy(() -> NodeConfigLoader.load(missing)).isInstanceOf(ConfigException.class)
                .hasMessage(missing + ":1:1: cannot read file: no such file");
    }

    @Test
    void anEdgeRoleInANodeConfigPointsToTheEdgeConfigFormat() {
        assertThatThrownBy(() -> NodeConfigLoader.parse("e.yaml", """
                id: e1
                role: edge
                dataDir: d
                listen: {host: h, port: 1}
                """, dir)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("e.yaml:2:7: role: role edge is not configured here");
    }

    @Test
    void mergeKeysLetParentsShareSettings() throws Exception {
        NodeConfig config = NodeConfigLoader.parse("m.yaml", """
                id: "130102"
                role: county
                dataDir: d
                listen: &local {host: 127.0.0.1, port: 7400}
                parents:
                  - {<<: *local, id: "130100", port: 7500}
                """, dir);

        assertThat(config.parents()).containsExactly(new ParentLink("130100", new Endpoint("127.0.0.1", 7500)));
    }

    @Test
    void aParentMayBeListedTwiceOverTwoLinksButNotTwiceAtTheSameAddress() {
        String yaml = """
                id: "130102"
                role: county
                dataDir: data
                listen: {host: 0.0.0.0, port: 7400}
                parents:
                  - {id: "130100", host: 10.1.1.1, port: 7400, profile: terrestrial}
                  - {id: "130100", host: 172.16.1.1, port: 7400, profile: vsat}
                  - {id: "130100", host: 172.16.1.1, port: 7400, profile: tiantonng}
                children: []
                """;
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> NodeConfigLoader.parse("c.yaml", yaml, Path.of(".")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("c.yaml:8:10: parents[2].id: duplicate parent '130100' at the same address")
                .hasMessageContaining("unknown link profile 'tiantonng'");
    }

    @Test
    void parentsCarryTheirLinkProfile() throws Exception {
        NodeConfig c = NodeConfigLoader.parse("c.yaml", """
                id: "130102"
                role: county
                dataDir: data
                listen: {host: 0.0.0.0, port: 7400}
                parents:
                  - {id: "130100", host: 10.1.1.1, port: 7400}
                  - {id: "130100", host: 172.16.1.1, port: 7400, profile: vsat}
                children: []
                """, Path.of("."));
        org.assertj.core.api.Assertions.assertThat(c.parents().get(0).profile()).isEmpty();
        org.assertj.core.api.Assertions.assertThat(c.parents().get(1).profile())
                .contains(io.hazwatch.sync.link.LinkProfile.VSAT_256K);
    }

    @Test
    void aNarrowLinkCarriesItsChosenPointsAsNamesAndGlobs() throws Exception {
        NodeConfig c = NodeConfigLoader.parse("c.yaml", """
                id: "130102"
                role: county
                dataDir: data
                listen: {host: 0.0.0.0, port: 7400}
                parents:
                  - {id: "130100", host: 10.1.1.1, port: 7400}
                  - id: "130100"
                    host: 172.16.1.1
                    port: 7400
                    profile: tiantong
                    chosenPoints:
                      - 130102-E0042-01/tank-farm/tank1.level
                      - "*/gas_*"
                children: []
                """, Path.of("."));
        io.hazwatch.sync.link.PointSelection chosen = c.parents().get(1).chosen();
        org.assertj.core.api.Assertions.assertThat(c.parents().get(0).chosen().isEmpty()).isTrue();
        org.assertj.core.api.Assertions.assertThat(chosen.patterns())
                .containsExactly("130102-E0042-01/tank-farm/tank1.level", "*/gas_*");
        org.assertj.core.api.Assertions.assertThat(chosen.test("130102-E0042-01/tank-farm/tank1.level")).isTrue();
        org.assertj.core.api.Assertions.assertThat(chosen.test("130102-E0042-01/G3/gas_h2s")).isTrue();
        org.assertj.core.api.Assertions.assertThat(chosen.test("130102-E0042-01/tank-farm/tank2.level")).isFalse();
    }

    @Test
    void badChosenPointsAreRefusedAtTheirOwnLineAndColumn() {
        String yaml = """
                id: "130102"
                role: county
                dataDir: data
                listen: {host: 0.0.0.0, port: 7400}
                parents:
                  - id: "130100"
                    host: 172.16.1.1
                    port: 7400
                    profile: tiantong
                    chosenPoints:
                      - "site//level"
                      - "a b/c"
                      - "**/gas"
                      - E1/p1
                      - E1/p1
                      - {point: x}
                  - {id: "130101", host: 172.16.1.2, port: 7400, chosenPoints: []}
                  - {id: "130103", host: 172.16.1.3, port: 7400, chosenPoints: E1/p1}
                children: []
                """;
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> NodeConfigLoader.parse("c.yaml", yaml, Path.of(".")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("c.yaml:11:9: parents[0].chosenPoints[0]: chosen point 'site//level': empty part")
                .hasMessageContaining("c.yaml:12:9: parents[0].chosenPoints[1]: chosen point 'a b/c': point names"
                        + " contain no spaces")
                .hasMessageContaining("c.yaml:13:9: parents[0].chosenPoints[2]: chosen point '**/gas': '**' is not")
                .hasMessageContaining("c.yaml:15:9: parents[0].chosenPoints[4]: chosen point 'E1/p1' listed twice"
                        + " (first at line 14)")
                .hasMessageContaining("c.yaml:16:9: parents[0].chosenPoints[5]: expected a string")
                .hasMessageContaining("c.yaml:17:")
                .hasMessageContaining("chosenPoints: needs at least one point or pattern")
                .hasMessageContaining("c.yaml:18:")
                .hasMessageContaining("chosenPoints: expected a list");
    }
}
