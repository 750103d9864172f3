package io.cairn.engine;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The engine's boundaries (DESIGN.md, "Modules"): a plain library that nothing of the application
 * leaks into, without package cycles, whose format packages stand on their own, and whose logic
 * takes time from an injected {@link java.time.Clock}.
 */
class ArchitectureTest {

    private static JavaClasses engine;

    @BeforeAll
    static void importEngine() {
        engine = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.cairn.engine");
    }

    /** Guards the rules below against passing vacuously on an empty import. */
    @Test
    void theEngineWasImported() {
        assertThat(engine.contain(io.cairn.engine.repository.Repository.class)).isTrue();
        assertThat(engine.contain(ArchitectureTest.class)).as("test classes are not part of the engine").isFalse();
        assertThat(engine.size()).isGreaterThan(100);
    }

    @Test
    void theEngineDependsOnNoFrameworkAndNoApplicationModule() {
        noClasses().that().resideInAPackage("io.cairn.engine..")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "picocli..",
                        "io.cairn.cli..", "io.cairn.server..", "io.cairn.testkit..", "io.cairn.dumps..")
                .because("the engine is a plain library (DESIGN.md): the CLI and the server depend on it, never the "
                        + "reverse")
                .check(engine);
    }

    @Test
    void enginePackagesAreFreeOfCycles() {
        slices().matching("io.cairn.engine.(*)..").should().beFreeOfCycles().check(engine);
    }

    @Test
    void theFormatPackagesDependOnlyOnWhatIsBelowThem() {
        classes().that().resideInAPackage("io.cairn.engine.crypto..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("io.cairn.engine.crypto..", "java..", "javax..",
                        "org.bouncycastle..", "com.amazon.corretto.crypto.provider..")
                .check(engine);
        classes().that().resideInAPackage("io.cairn.engine.blob..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("io.cairn.engine.blob..", "io.cairn.engine.crypto..",
                        "java..", "com.github.luben.zstd..")
                .check(engine);
        classes().that().resideInAnyPackage("io.cairn.engine.pack..", "io.cairn.engine.index..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("io.cairn.engine.pack..", "io.cairn.engine.index..",
                        "io.cairn.engine.blob..", "io.cairn.engine.crypto..", "java..")
                .check(engine);
        classes().that().resideInAnyPackage("io.cairn.engine.tree..", "io.cairn.engine.snapshot..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("io.cairn.engine.tree..",
                        "io.cairn.engine.snapshot..", "io.cairn.engine.crypto..", "java..", "com.fasterxml.jackson..")
                .check(engine);
        classes().that().resideInAPackage("io.cairn.engine.backend..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("io.cairn.engine.backend..", "java..")
                .because("storage backends know files, not what is in them")
                .check(engine);
    }

    @Test
    void logicTakesTheTimeFromAnInjectedClock() {
        noClasses().that().resideInAPackage("io.cairn.engine..")
                .should().callMethod(java.time.Instant.class, "now")
                .orShould().callMethod(java.time.LocalDateTime.class, "now")
                .orShould().callMethod(java.time.LocalDate.class, "now")
                .orShould().callMethod(java.time.ZonedDateTime.class, "now")
                .orShould().callMethod(java.time.OffsetDateTime.class, "now")
                .orShould().callMethod(System.class, "currentTimeMillis")
                .because("time is injected (a Clock), so tests control it")
                .check(engine);
    }
}
