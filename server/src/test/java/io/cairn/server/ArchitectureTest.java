package io.cairn.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The server's shape from DESIGN.md, enforced: feature packages, thin edges, no reaching into other tables. */
class ArchitectureTest {

    private static final JavaClasses SERVER = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS).importPackages("io.cairn.server");

    @Test
    void packages_do_not_depend_on_each_other_in_cycles() {
        slices().matching("io.cairn.server.(*)..").should().beFreeOfCycles().check(SERVER);
    }

    @Test
    void a_table_class_is_used_only_by_its_own_feature() {
        for (String table : new String[] {"user.Users", "user.ApiTokens", "audit.AuditEvents",
                "repository.ManagedRepositories"}) {
            String pkg = "io.cairn.server." + table.substring(0, table.indexOf('.'));
            classes().that().haveFullyQualifiedName("io.cairn.server." + table).should().onlyBeAccessed()
                    .byClassesThat().resideInAPackage(pkg).check(SERVER);
        }
    }

    @Test
    void controllers_do_not_touch_the_database_directly() {
        noClasses().that().haveSimpleNameEndingWith("Controller").should().dependOnClassesThat()
                .haveSimpleNameEndingWith("JdbcClient").check(SERVER);
    }

    @Test
    void features_do_not_depend_on_the_web_edge() {
        noClasses().that().resideInAnyPackage("io.cairn.server.user..", "io.cairn.server.audit..",
                        "io.cairn.server.repository..", "io.cairn.server.system..", "io.cairn.server.secret..")
                .should().dependOnClassesThat().resideInAPackage("io.cairn.server.web..").check(SERVER);
    }

    @Test
    void the_engine_stays_free_of_spring() {
        noClasses().that().resideInAPackage("io.cairn.engine..").should().dependOnClassesThat()
                .resideInAPackage("org.springframework..")
                .check(new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("io.cairn.engine"));
    }
}
