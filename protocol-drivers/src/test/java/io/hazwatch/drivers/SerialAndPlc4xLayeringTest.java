package io.hazwatch.drivers;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** STYLE.md: jSerialComm and PLC4X stay inside their drivers' internals, out of every public type. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SerialAndPlc4xLayeringTest {

    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.hazwatch.drivers");

    @Test
    void no_public_driver_type_touches_jserialcomm_or_plc4x() {
        noClasses().that().resideInAPackage("io.hazwatch.drivers..").and().resideOutsideOfPackage("..internal..")
                .should().dependOnClassesThat().resideInAnyPackage("com.fazecast..", "org.apache.plc4x..")
                .check(classes);
    }

    @Test
    void within_the_serial_driver_only_its_internals_touch_jserialcomm() {
        noClasses().that().resideInAPackage("io.hazwatch.drivers.serial..")
                .and().resideOutsideOfPackage("io.hazwatch.drivers.serial.internal..")
                .should().dependOnClassesThat().resideInAPackage("com.fazecast..")
                .check(classes);
    }

    @Test
    void only_the_plc4x_internals_touch_plc4x() {
        noClasses().that().resideOutsideOfPackage("io.hazwatch.drivers.plc4x.internal..")
                .should().dependOnClassesThat().resideInAPackage("org.apache.plc4x..")
                .check(classes);
    }

    @Test
    void the_serial_and_plc4x_drivers_do_not_depend_on_each_other_or_on_modbus() {
        noClasses().that().resideInAPackage("io.hazwatch.drivers.serial..")
                .should().dependOnClassesThat().resideInAnyPackage("io.hazwatch.drivers.plc4x..",
                        "io.hazwatch.drivers.modbus..")
                .check(classes);
        noClasses().that().resideInAPackage("io.hazwatch.drivers.plc4x..")
                .should().dependOnClassesThat().resideInAnyPackage("io.hazwatch.drivers.serial..",
                        "io.hazwatch.drivers.modbus..")
                .check(classes);
    }
}
