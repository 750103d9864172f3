package io.cairn.dumps;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** DESIGN.md: dumps depends on the JDK, JDBC drivers and client libraries only; no Spring, no engine. */
class ModuleBoundaryTest {
    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.cairn.dumps");

    @Test
    void noSpringAndNoEngine() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "io.cairn.engine..",
                "io.cairn.cli..", "io.cairn.server..").check(classes);
    }

    @Test
    void adaptersDoNotReachIntoEachOther() {
        for (String a : new String[]{"postgres", "mysql", "redis", "mongodb", "sqlite"}) {
            for (String b : new String[]{"postgres", "mysql", "redis", "mongodb", "sqlite"}) {
                if (!a.equals(b)) {
                    noClasses().that().resideInAPackage("io.cairn.dumps." + a + "..")
                            .should().dependOnClassesThat().resideInAPackage("io.cairn.dumps." + b + "..").check(classes);
                }
            }
        }
    }
}
