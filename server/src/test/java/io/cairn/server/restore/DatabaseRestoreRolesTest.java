package io.cairn.server.restore;

import static io.cairn.server.job.BackupTestSupport.*;
import static io.cairn.server.restore.RestoreTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.server.ServerTestBase;
import io.cairn.server.TestHttp;
import io.cairn.server.user.Role;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * "Restore roles and permissions" through the API and the wizard, against the real PostgreSQL and MariaDB: a
 * database whose table belongs to a role of its own, granted to a second role, is backed up, and the database and
 * its roles are dropped; restored without the option (the default) the table belongs to the source's user and no
 * role comes back, restored with it the roles are recreated and the owner and grant are kept. The option is shown in
 * the plan's notes, the review and the operation ({@code withRoles}); kinds without roles refuse it.
 */
class DatabaseRestoreRolesTest extends ServerTestBase {

    private TestHttp api;
    private final List<String> pgDatabases = new ArrayList<>();
    private final List<String> pgRoles = new ArrayList<>();
    private final List<String> mariaDatabases = new ArrayList<>();
    private final List<String> mariaAccounts = new ArrayList<>();

    @BeforeEach
    void operator() {
        api = http().withBearer(tokenFor(newUser(Role.OPERATOR)));
    }

    @AfterEach
    void dropEverything() throws Exception {
        for (String db : pgDatabases) {
            postgres("postgres", "DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
        }
        for (String role : pgRoles) {
            postgres("postgres", "DROP ROLE IF EXISTS " + role);
        }
        for (String db : mariaDatabases) {
            mariadb("DROP DATABASE IF EXISTS " + db);
        }
        for (String account : mariaAccounts) {
            mariadb("DROP USER IF EXISTS " + account);
        }
    }

    private String role(String prefix) {
        String role = randomName(prefix);
        pgRoles.add(role);
        return role;
    }

    private String pgDatabase(String name) {
        pgDatabases.add(name);
        return name;
    }

    @Test
    void a_postgresql_restore_keeps_owners_and_grants_only_with_roles_and_permissions() throws Exception {
        String owner = role("cairn_t_owner_");
        String reader = role("cairn_t_reader_");
        String db = pgDatabase(randomName("cairn_rr_"));
        postgres("postgres", "CREATE ROLE " + owner + " NOLOGIN; CREATE ROLE " + reader + " NOLOGIN");
        postgres("postgres", "CREATE DATABASE " + db);
        postgres(db, "CREATE TABLE orders (id int PRIMARY KEY, amount numeric(10,2));"
                + "INSERT INTO orders SELECT g, g * 2.5 FROM generate_series(1, 300) g;"
                + "ALTER TABLE orders OWNER TO " + owner + "; GRANT SELECT ON orders TO " + reader);
        long source = createSource(api, "{\"name\":\"pg roles " + db + "\",\"type\":\"POSTGRESQL\",\"host\":\"127.0.0.1\","
                + "\"database\":\"" + db + "\",\"username\":\"postgres\",\"tlsMode\":\"DISABLE\"}");
        long backup = backUp(api, source);
        postgres("postgres", "DROP DATABASE " + db + " WITH (FORCE)");
        postgres("postgres", "DROP ROLE " + owner + "; DROP ROLE " + reader);

        String without = pgDatabase(db + "_plain");
        JsonNode plan = parse(api.postJson("/api/v1/backup/" + backup + "/restore/plan",
                "{\"database\":\"" + without + "\"}").body());
        assertThat(plan.get("details").get("withRoles").asBoolean()).isFalse();
        assertThat(plan.get("notes").toString()).contains("Roles and permissions are not restored")
                .contains("belongs to postgres");
        long op = startRestore(api, backup, "{\"database\":\"" + without + "\"}");
        JsonNode r = awaitRestore(api, op, Duration.ofMinutes(2));
        assertThat(r.get("status").asText()).as(r.toString()).isEqualTo("SUCCEEDED");
        assertThat(r.get("withRoles").asBoolean()).isFalse();
        assertThat(r.get("result").get("rows").asLong()).isEqualTo(300);
        assertThat(postgresValue(without, "SELECT pg_get_userbyid(relowner) FROM pg_class WHERE relname = 'orders'"))
                .isEqualTo("postgres");
        assertThat(postgresValue(without, "SELECT relacl IS NULL FROM pg_class WHERE relname = 'orders'")).isEqualTo("t");
        assertThat(postgresValue("postgres", "SELECT count(*) FROM pg_roles WHERE rolname IN ('" + owner + "', '"
                + reader + "')")).as("no role created").isEqualTo("0");

        String with = pgDatabase(db + "_roles");
        plan = parse(api.postJson("/api/v1/backup/" + backup + "/restore/plan",
                "{\"database\":\"" + with + "\",\"withRoles\":true}").body());
        assertThat(plan.get("details").get("withRoles").asBoolean()).isTrue();
        assertThat(plan.get("overwrites").asBoolean()).isFalse();
        assertThat(plan.get("notes").toString()).contains("owners and grants are kept")
                .contains("created without login or password");
        op = startRestore(api, backup, "{\"database\":\"" + with + "\",\"withRoles\":true}");
        r = awaitRestore(api, op, Duration.ofMinutes(2));
        assertThat(r.get("status").asText()).as(r.toString()).isEqualTo("SUCCEEDED");
        assertThat(r.get("withRoles").asBoolean()).isTrue();
        assertThat(r.get("result").get("warnings").toString()).contains("created roles").contains(owner).contains(reader);
        assertThat(postgresValue(with, "SELECT pg_get_userbyid(relowner) FROM pg_class WHERE relname = 'orders'"))
                .isEqualTo(owner);
        assertThat(postgresValue(with, "SELECT has_table_privilege('" + reader + "', 'orders', 'SELECT')")).isEqualTo("t");
        JsonNode history = parse(api.get("/api/v1/backup/" + backup + "/restores").body());
        assertThat(history.get(0).get("withRoles").asBoolean()).as("newest first").isTrue();
        assertThat(history.get(1).get("withRoles").asBoolean()).isFalse();

        TestHttp admin = http().withBearer(tokenFor(newUser(Role.ADMIN)));
        JsonNode audit = parse(admin.get("/api/v1/audit?action=restore.started&q=restore%20" + op).body());
        assertThat(audit.get("items").toString()).contains("with roles and permissions");
    }

    @Test
    void the_wizard_offers_roles_and_permissions_for_postgresql_and_shows_the_choice_in_the_review() throws Exception {
        String db = pgDatabase(randomName("cairn_rr_"));
        postgres("postgres", "CREATE DATABASE " + db);
        postgres(db, "CREATE TABLE items (id int PRIMARY KEY)");
        long source = createSource(api, "{\"name\":\"pg wizard " + db + "\",\"type\":\"POSTGRESQL\",\"host\":\"127.0.0.1\","
                + "\"database\":\"" + db + "\",\"username\":\"postgres\",\"tlsMode\":\"DISABLE\"}");
        long backup = backUp(api, source);
        TestHttp web = signedInAs(newUser(Role.OPERATOR).username());

        String what = web.get("/restore/what?backup=" + backup).body();
        assertThat(what).contains("Restore roles and permissions").contains("a server-wide change");
        assertThat(what).as("automatic by default: kept in place, not into a new database")
                .containsPattern("<option value=\"\" selected[^>]*>Automatic: kept when restoring the database over itself");
        String target = pgDatabase(db + "_w");
        assertThat(web.get("/restore/review?backup=" + backup + "&database=" + target).body())
                .contains("Roles and permissions").contains("not restored: nothing server-wide changes");
        String review = web.get("/restore/review?backup=" + backup + "&database=" + target + "&withRoles=true").body();
        assertThat(review).contains("restored: missing ones created, existing ones left as they are")
                .contains("name=\"withRoles\" value=\"true\"");
    }

    @Test
    void a_mariadb_restore_recreates_accounts_and_grants_only_with_roles_and_permissions() throws Exception {
        String db = randomName("cairn_rr_");
        String reader = randomName("cairn_t_reader_");
        String account = "'" + reader + "'@'%'";
        mariaDatabases.add(db);
        mariaAccounts.add(account);
        mariadb("CREATE DATABASE " + db);
        mariadb("CREATE TABLE " + db + ".people (id int PRIMARY KEY)");
        mariadb("INSERT INTO " + db + ".people SELECT seq FROM " + db + ".seq_1_to_25");
        mariadb("CREATE USER " + account + " IDENTIFIED BY 'reader-pw'");
        mariadb("GRANT SELECT ON " + db + ".* TO " + account);
        long source = createSource(api, "{\"name\":\"maria roles " + db + "\",\"type\":\"MYSQL\",\"host\":\"127.0.0.1\","
                + "\"database\":\"" + db + "\",\"username\":\"root\",\"tlsMode\":\"DISABLE\"}");
        long backup = backUp(api, source);
        mariadb("DROP USER " + account);

        String without = db + "_plain";
        mariaDatabases.add(without);
        JsonNode r = awaitRestore(api, startRestore(api, backup, "{\"database\":\"" + without + "\"}"), Duration.ofMinutes(2));
        assertThat(r.get("status").asText()).as(r.toString()).isEqualTo("SUCCEEDED");
        assertThat(mariadbValue("SELECT count(*) FROM mysql.user WHERE user = '" + reader + "'")).isEqualTo("0");

        String with = db + "_roles";
        mariaDatabases.add(with);
        r = awaitRestore(api, startRestore(api, backup, "{\"database\":\"" + with + "\",\"withRoles\":true}"),
                Duration.ofMinutes(2));
        assertThat(r.get("status").asText()).as(r.toString()).isEqualTo("SUCCEEDED");
        assertThat(r.get("withRoles").asBoolean()).isTrue();
        assertThat(r.get("result").get("rows").asLong()).isEqualTo(25);
        assertThat(mariadbValue("SELECT count(*) FROM mysql.db WHERE user = '" + reader + "' AND db = '" + with
                + "' AND select_priv = 'Y'")).as("the grant follows the new name").isEqualTo("1");
    }

    @Test
    void kinds_without_roles_refuse_the_option() throws Exception {
        java.nio.file.Path file = java.nio.file.Files.createTempFile("cairn-roles", ".sqlite");
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file); var st = c.createStatement()) {
            st.execute("CREATE TABLE t (x int)");
        }
        long source = createSource(api, "{\"name\":\"sqlite roles " + file.getFileName() + "\",\"type\":\"SQLITE\","
                + "\"path\":\"" + file + "\"}");
        long backup = backUp(api, source);
        var refused = api.postJson("/api/v1/backup/" + backup + "/restore", "{\"withRoles\":true}");
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("withRoles").contains("PostgreSQL and MySQL/MariaDB");
        java.nio.file.Files.deleteIfExists(file);
    }
}
