package io.hazwatch.sims.opcua;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** STYLE.md: the simulator is built on Milo's server, and Milo stays inside its internals. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class OpcUaSimLayeringTest {

    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.hazwatch.sims.opcua");

    @Test
    void the_public_opcua_simulator_api_exposes_no_milo_types() {
        noClasses().that().resideOutsideOfPackage("io.hazwatch.sims.opcua.internal..")
                .should().dependOnClassesThat().resideInAnyPackage("org.eclipse.milo..", "org.bouncycastle..")
                .check(classes);
    }
}
