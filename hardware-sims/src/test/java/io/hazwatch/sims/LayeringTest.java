package io.hazwatch.sims;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** STYLE.md: simulators never reuse the drivers' codecs; j2mod stays inside the internals. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class LayeringTest {

    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.hazwatch.sims");

    @Test
    void simulators_share_no_code_with_the_drivers() {
        noClasses().should().dependOnClassesThat().resideInAPackage("io.hazwatch.drivers..").check(classes);
    }

    @Test
    void the_public_simulator_api_exposes_no_j2mod_types() {
        noClasses().that().resideOutsideOfPackage("io.hazwatch.sims.internal..")
                .should().dependOnClassesThat().resideInAPackage("com.ghgande..")
                .check(classes);
    }
}
