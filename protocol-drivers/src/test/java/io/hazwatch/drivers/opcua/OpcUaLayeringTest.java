package io.hazwatch.drivers.opcua;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** STYLE.md: no third-party types in a driver's public API; Milo stays inside the OPC UA internals. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class OpcUaLayeringTest {

    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.hazwatch.drivers");

    @Test
    void the_public_opcua_api_exposes_no_milo_or_bouncy_castle_types() {
        noClasses().that().resideInAPackage("io.hazwatch.drivers.opcua..")
                .and().resideOutsideOfPackage("io.hazwatch.drivers.opcua.internal..")
                .should().dependOnClassesThat().resideInAnyPackage("org.eclipse.milo..", "org.bouncycastle..")
                .check(classes);
    }

    @Test
    void the_spi_knows_nothing_of_the_opcua_driver() {
        noClasses().that().resideInAPackage("io.hazwatch.drivers.spi..")
                .should().dependOnClassesThat().resideInAPackage("io.hazwatch.drivers.opcua..")
                .check(classes);
    }
}
