package io.hazwatch.dist;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * The module layering of STYLE.md ("Layout"), checked over the main classes of every module: this
 * module's test classpath holds all of them. Test classes are left out, so a test may reach into what
 * it tests.
 *
 * <p>Direction: sync-protocol and protocol-drivers at the bottom, hardware-sims beside them on its own;
 * node-core above sync-protocol; the edge agent and the county, city and province nodes above
 * node-core; deploy-images (io.hazwatch.dist) on top.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class LayeringTest {

    private static final String SYNC = "io.hazwatch.sync..";
    private static final String DRIVERS = "io.hazwatch.drivers..";
    private static final String SIMS = "io.hazwatch.sims..";
    private static final String NODE = "io.hazwatch.node..";
    private static final String EDGE = "io.hazwatch.edge..";
    private static final String COUNTY = "io.hazwatch.county..";
    private static final String CITY = "io.hazwatch.city..";
    private static final String PROVINCE = "io.hazwatch.province..";
    private static final String DIST = "io.hazwatch.dist..";

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.hazwatch");

    @Test
    void every_module_is_on_the_classpath_so_the_rules_below_see_all_of_them() {
        // a rule over packages that were never imported passes vacuously: make sure each one is here
        for (String pkg : List.of("io.hazwatch.sync", "io.hazwatch.drivers", "io.hazwatch.sims", "io.hazwatch.node",
                "io.hazwatch.edge", "io.hazwatch.county", "io.hazwatch.city", "io.hazwatch.province",
                "io.hazwatch.dist")) {
            assertThat(CLASSES.stream().anyMatch(c -> c.getPackageName().startsWith(pkg)))
                    .as("classes of %s imported", pkg).isTrue();
        }
        assertThat(CLASSES.stream().noneMatch(c -> c.getSimpleName().endsWith("Test")))
                .as("test classes are excluded").isTrue();
    }

    // ---- direction of dependencies

    @Test
    void the_sync_protocol_knows_nothing_of_nodes_agents_drivers_or_simulators() {
        noClasses().that().resideInAPackage(SYNC)
                .should().dependOnClassesThat().resideInAnyPackage(NODE, EDGE, DRIVERS, SIMS, PROVINCE, COUNTY, CITY, DIST)
                .check(CLASSES);
    }

    @Test
    void drivers_never_see_the_sync_protocol_nodes_agents_or_simulators() {
        noClasses().that().resideInAPackage(DRIVERS)
                .should().dependOnClassesThat().resideInAnyPackage(SYNC, NODE, EDGE, PROVINCE, SIMS)
                .check(CLASSES);
    }

    @Test
    void simulators_share_no_code_with_drivers_protocol_nodes_or_agents() {
        noClasses().that().resideInAPackage(SIMS)
                .should().dependOnClassesThat().resideInAnyPackage(DRIVERS, SYNC, NODE, EDGE)
                .check(CLASSES);
    }

    @Test
    void the_node_core_depends_on_no_role_module_driver_or_simulator() {
        noClasses().that().resideInAPackage(NODE)
                .should().dependOnClassesThat().resideInAnyPackage(EDGE, PROVINCE, COUNTY, CITY, DIST, DRIVERS, SIMS)
                .check(CLASSES);
    }

    @Test
    void the_edge_agent_depends_on_no_relay_province_or_distribution_code() {
        noClasses().that().resideInAPackage(EDGE)
                .should().dependOnClassesThat().resideInAnyPackage(PROVINCE, COUNTY, CITY, DIST)
                .check(CLASSES);
    }

    @Test
    void a_county_node_depends_on_no_edge_driver_simulator_or_other_node_module() {
        noClasses().that().resideInAPackage(COUNTY)
                .should().dependOnClassesThat().resideInAnyPackage(EDGE, DRIVERS, SIMS, CITY, PROVINCE, DIST)
                .check(CLASSES);
    }

    @Test
    void a_city_node_depends_on_no_edge_driver_simulator_or_other_node_module() {
        noClasses().that().resideInAPackage(CITY)
                .should().dependOnClassesThat().resideInAnyPackage(EDGE, DRIVERS, SIMS, COUNTY, PROVINCE, DIST)
                .check(CLASSES);
    }

    @Test
    void the_province_node_depends_on_no_edge_driver_simulator_or_other_node_module() {
        noClasses().that().resideInAPackage(PROVINCE)
                .should().dependOnClassesThat().resideInAnyPackage(EDGE, DRIVERS, SIMS, COUNTY, CITY, DIST)
                .check(CLASSES);
    }

    // ---- internals stay inside their module

    @Test
    void the_link_internals_are_used_only_inside_the_sync_protocol() {
        onlyItsModuleTouches("io.hazwatch.sync.link.internal..", SYNC).check(CLASSES);
    }

    @Test
    void the_modbus_internals_are_used_only_inside_the_drivers() {
        onlyItsModuleTouches("io.hazwatch.drivers.modbus.internal..", DRIVERS).check(CLASSES);
    }

    @Test
    void the_simulator_internals_are_used_only_inside_the_simulators() {
        onlyItsModuleTouches("io.hazwatch.sims.internal..", SIMS).check(CLASSES);
    }

    @Test
    void the_edge_internals_are_used_only_inside_the_edge_agent() {
        onlyItsModuleTouches("io.hazwatch.edge.internal..", EDGE).check(CLASSES);
    }

    private static ArchRule onlyItsModuleTouches(String internal, String module) {
        return noClasses().that().resideOutsideOfPackage(module)
                .should().dependOnClassesThat().resideInAPackage(internal)
                .because("'internal' packages are what no other module may touch (STYLE.md, Layout)");
    }

    // ---- third-party types stay out of the public APIs

    @Test
    void the_records_journal_and_driver_spi_carry_no_netty_or_j2mod_types() {
        noClasses().that().resideInAnyPackage("io.hazwatch.sync.model..", "io.hazwatch.sync.journal..",
                        "io.hazwatch.drivers.spi..")
                .should().dependOnClassesThat().resideInAnyPackage("io.netty..", "com.ghgande..")
                .check(CLASSES);
    }

    @Test
    void the_wire_codec_and_range_sets_carry_no_netty_types() {
        // framing on Netty lives in sync.link.internal; the codec itself works on plain byte arrays
        noClasses().that().resideInAnyPackage("io.hazwatch.sync.wire..", "io.hazwatch.sync.ranges..")
                .should().dependOnClassesThat().resideInAnyPackage("io.netty..", "com.ghgande..")
                .check(CLASSES);
    }

    @Test
    void nodes_use_the_sync_protocol_without_touching_its_transport_library() {
        // SyncServer and Uplink take a LinkTransport, so the node runtime never names a Netty type
        noClasses().that().resideInAnyPackage("io.hazwatch.node..", "io.hazwatch.edge..", "io.hazwatch.province..",
                        "io.hazwatch.county..", "io.hazwatch.city..")
                .should().dependOnClassesThat().resideInAnyPackage("io.netty..")
                .check(CLASSES);
    }

    // ---- time comes from an injected clock

    @Test
    void no_main_class_outside_the_demo_orchestrator_reads_the_wall_clock_directly() {
        noClasses().that().resideOutsideOfPackage(DIST)
                .should().callMethod(System.class, "currentTimeMillis")
                .because("logic takes a java.time.Clock so tests can drive time (STYLE.md, Concurrency)")
                .check(CLASSES);
    }
}
