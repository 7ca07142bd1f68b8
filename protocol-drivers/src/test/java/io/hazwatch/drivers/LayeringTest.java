package io.hazwatch.drivers;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** STYLE.md: no third-party types in the driver SPI; j2mod stays inside the Modbus internals. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class LayeringTest {

    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.hazwatch.drivers");

    @Test
    void the_spi_depends_on_no_driver_and_no_third_party_library() {
        noClasses().that().resideInAPackage("io.hazwatch.drivers.spi..")
                .should().dependOnClassesThat().resideInAnyPackage("io.hazwatch.drivers.modbus..", "com.ghgande..",
                        "org.slf4j..")
                .check(classes);
    }

    @Test
    void only_the_modbus_internals_touch_j2mod() {
        noClasses().that().resideOutsideOfPackage("io.hazwatch.drivers.modbus.internal..")
                .should().dependOnClassesThat().resideInAPackage("com.ghgande..")
                .check(classes);
    }

    @Test
    void drivers_never_use_the_simulators() {
        noClasses().should().dependOnClassesThat().resideInAPackage("io.hazwatch.sims..").check(classes);
    }
}
