package io.cairn.dumps.postgres;

import io.cairn.dumps.CheckStatus;
import io.cairn.dumps.ConnectionSpec;
import io.cairn.dumps.DatabaseException;
import io.cairn.dumps.Dump;
import io.cairn.dumps.DumpOptions;
import io.cairn.dumps.RestoreOptions;
import io.cairn.dumps.RestoreResult;
import io.cairn.dumps.Secret;
import io.cairn.dumps.SourceKind;
import io.cairn.dumps.TlsMode;
import io.cairn.dumps.tool.Toolbox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Roles and permissions of a PostgreSQL restore ({@link RestoreOptions#roles()}), against the real server on
 * 127.0.0.1:5432: a database whose objects belong to a role of their own, with grants to two more (one with a name
 * that needs quoting), is dumped and dropped with its roles; restored without roles it belongs to the restoring user
 * (even one that is no superuser), restored with them the roles come back and keep what they owned and were granted;
 * roles that exist are left as they are. Every role and database created here is dropped afterwards.
 */
class PostgresRestoreRolesTest {
    private static final String HOST = "127.0.0.1";
    private static final int PORT = 5432;

    private final String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    private final String owner = "cairn_t_owner_" + suffix;
    private final String reader = "cairn_t_reader_" + suffix;
    private final String auditor = "Cairn T Auditor \"" + suffix + "\"";
    private final String restorer = "cairn_t_restorer_" + suffix;
    private final String source = "cairn_t_src_" + suffix;
    private final List<String> databases = new ArrayList<>();
    /** Roles an all-databases restore recreated from the server's globals besides ours (dropped after the test). */
    private final Set<String> otherRoles = new java.util.HashSet<>();
    private final PostgresAdapter pg = new PostgresAdapter(Toolbox.fromEnvironment());

    private static Connection admin(String db) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        p.setProperty("sslmode", "disable");
        return DriverManager.getConnection("jdbc:postgresql://" + HOST + ":" + PORT + "/" + db, p);
    }

    private static void sql(String db, String... statements) throws SQLException {
        try (Connection c = admin(db); Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
        }
    }

    private static String value(String db, String query) throws SQLException {
        try (Connection c = admin(db); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(query)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static String q(String ident) {
        return PostgresAdapter.quoteIdent(ident);
    }

    private static String lit(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    private ConnectionSpec as(String user, String db) {
        return ConnectionSpec.server(SourceKind.POSTGRESQL, HOST, PORT, db, user, Secret.none(), TlsMode.DISABLE);
    }

    private String newName() {
        String db = "cairn_t_rr_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        databases.add(db);
        return db;
    }

    @BeforeEach
    void sourceOwnedByItsOwnRoles() throws Exception {
        databases.add(source);
        sql("postgres", "CREATE ROLE " + q(owner) + " NOLOGIN", "CREATE ROLE " + q(reader) + " NOLOGIN",
                "CREATE ROLE " + q(auditor) + " NOLOGIN", "CREATE ROLE " + q(restorer) + " LOGIN CREATEDB",
                "CREATE DATABASE " + source);
        sql(source,
                "CREATE SCHEMA shop AUTHORIZATION " + q(owner),
                "CREATE TABLE shop.orders (id int PRIMARY KEY, note text)",
                "INSERT INTO shop.orders SELECT g, 'order ' || g FROM generate_series(1, 120) g",
                "CREATE VIEW shop.big_orders AS SELECT * FROM shop.orders WHERE id > 100",
                "CREATE FUNCTION shop.order_count() RETURNS bigint LANGUAGE sql AS 'SELECT count(*) FROM shop.orders'",
                "ALTER TABLE shop.orders OWNER TO " + q(owner),
                "ALTER VIEW shop.big_orders OWNER TO " + q(owner),
                "ALTER FUNCTION shop.order_count() OWNER TO " + q(owner),
                "GRANT USAGE ON SCHEMA shop TO " + q(reader) + ", " + q(auditor),
                "GRANT SELECT ON shop.orders TO " + q(reader),
                "GRANT SELECT (id) ON shop.orders TO " + q(auditor),
                "ALTER DEFAULT PRIVILEGES FOR ROLE " + q(owner) + " IN SCHEMA shop GRANT SELECT ON TABLES TO " + q(reader));
    }

    @AfterEach
    void dropEverything() throws Exception {
        for (String db : databases) {
            sql("postgres", "DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
        }
        for (String role : List.of(owner, reader, auditor, restorer)) {
            sql("postgres", "DROP ROLE IF EXISTS " + q(role));
        }
        for (String role : otherRoles) {
            try {
                sql("postgres", "DROP ROLE IF EXISTS " + q(role));
            } catch (SQLException stillUsed) {
                // created by someone else meanwhile, and in use: theirs to drop
            }
        }
    }

    private byte[] dumpSource() throws Exception {
        try (Dump d = pg.dump(as("postgres", source), DumpOptions.defaults())) {
            byte[] bytes = d.stream().readAllBytes();
            d.awaitSuccess();
            return bytes;
        }
    }

    /** Drops the source database and its three roles, as on a server that never had them. */
    private void dropSourceAndRoles() throws Exception {
        sql("postgres", "DROP DATABASE " + source + " WITH (FORCE)", "DROP ROLE " + q(owner), "DROP ROLE " + q(reader),
                "DROP ROLE " + q(auditor));
    }

    private boolean roleExists(String role) throws SQLException {
        return value("postgres", "SELECT count(*) FROM pg_roles WHERE rolname = " + lit(role)).equals("1");
    }

    private static Set<String> roles() throws SQLException {
        Set<String> roles = new java.util.HashSet<>();
        try (Connection c = admin("postgres"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT rolname FROM pg_roles")) {
            while (rs.next()) {
                roles.add(rs.getString(1));
            }
        }
        return roles;
    }

    private static String ownerOf(String db, String relation) throws SQLException {
        return value(db, "SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = " + lit(relation) + "::regclass");
    }

    @Test
    void withoutRolesTheObjectsBelongToTheRestoringUserEvenOneThatIsNoSuperuser() throws Exception {
        byte[] dump = dumpSource();
        dropSourceAndRoles();
        String target = newName();

        RestoreResult r = pg.restore(as(restorer, target), new ByteArrayInputStream(dump),
                RestoreOptions.defaults().creatingDatabase());

        assertThat(r.restored().database(target).orElseThrow().object("shop.orders").orElseThrow().count()).isEqualTo(120);
        assertThat(ownerOf(target, "shop.orders")).isEqualTo(restorer);
        assertThat(ownerOf(target, "shop.big_orders")).isEqualTo(restorer);
        assertThat(value(target, "SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = 'shop'")).isEqualTo(restorer);
        assertThat(value(target, "SELECT relacl IS NULL FROM pg_class WHERE oid = 'shop.orders'::regclass"))
                .as("no grants restored").isEqualTo("t");
        assertThat(value(target, "SELECT count(*) FROM pg_default_acl")).isEqualTo("0");
        assertThat(roleExists(owner) || roleExists(reader) || roleExists(auditor)).as("no role created").isFalse();
        assertThat(r.warnings()).noneMatch(w -> w.contains("created roles"));
    }

    @Test
    void withRolesMissingRolesAreCreatedWithoutLoginAndKeepWhatTheyOwnedAndWereGranted() throws Exception {
        byte[] dump = dumpSource();
        dropSourceAndRoles();
        String target = newName();

        RestoreResult r = pg.restore(as("postgres", target), new ByteArrayInputStream(dump),
                RestoreOptions.defaults().creatingDatabase().withRoles(true));

        assertThat(roleExists(owner) && roleExists(reader) && roleExists(auditor)).as("roles recreated").isTrue();
        assertThat(value("postgres", "SELECT bool_or(rolcanlogin) FROM pg_roles WHERE rolname IN (" + lit(owner) + ", "
                + lit(reader) + ", " + lit(auditor) + ")")).as("created without login").isEqualTo("f");
        assertThat(ownerOf(target, "shop.orders")).isEqualTo(owner);
        assertThat(ownerOf(target, "shop.big_orders")).isEqualTo(owner);
        assertThat(value(target, "SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = 'shop'")).isEqualTo(owner);
        assertThat(value(target, "SELECT has_table_privilege(" + lit(reader) + ", 'shop.orders', 'SELECT')")).isEqualTo("t");
        assertThat(value(target, "SELECT has_column_privilege(" + lit(auditor) + ", 'shop.orders', 'id', 'SELECT')"))
                .isEqualTo("t");
        assertThat(value(target, "SELECT has_table_privilege(" + lit(auditor) + ", 'shop.orders', 'SELECT')"))
                .as("only the column was granted").isEqualTo("f");
        assertThat(value(target, "SELECT count(*) FROM pg_default_acl WHERE pg_get_userbyid(defaclrole) = " + lit(owner)))
                .isEqualTo("1");
        assertThat(r.warnings()).anyMatch(w -> w.startsWith("created roles") && w.contains(owner) && w.contains(reader)
                && w.contains(auditor) && w.contains("without login"));
    }

    @Test
    void withRolesRolesThatExistAreLeftAsTheyAre() throws Exception {
        byte[] dump = dumpSource();
        dropSourceAndRoles();
        sql("postgres", "CREATE ROLE " + q(owner) + " LOGIN PASSWORD 'kept-secret' CONNECTION LIMIT 7",
                "CREATE ROLE " + q(reader) + " NOLOGIN");
        String passwordBefore = value("postgres", "SELECT rolpassword FROM pg_authid WHERE rolname = " + lit(owner));
        String target = newName();

        RestoreResult r = pg.restore(as("postgres", target), new ByteArrayInputStream(dump),
                RestoreOptions.defaults().creatingDatabase().withRoles(true));

        assertThat(value("postgres", "SELECT rolcanlogin || ' ' || rolconnlimit FROM pg_roles WHERE rolname = " + lit(owner)))
                .isEqualTo("true 7");
        assertThat(value("postgres", "SELECT rolpassword FROM pg_authid WHERE rolname = " + lit(owner)))
                .as("the existing role's password is unchanged").isEqualTo(passwordBefore);
        assertThat(ownerOf(target, "shop.orders")).isEqualTo(owner);
        assertThat(value(target, "SELECT has_table_privilege(" + lit(reader) + ", 'shop.orders', 'SELECT')")).isEqualTo("t");
        assertThat(r.warnings()).anyMatch(w -> w.startsWith("2 of the roles the backup names already existed"));
        assertThat(r.warnings()).anyMatch(w -> w.startsWith("created roles " + auditor + " without login"));
    }

    @Test
    void withRolesAUserThatMayNotCreateRolesIsRefusedBeforeAnythingIsWritten() throws Exception {
        byte[] dump = dumpSource();
        dropSourceAndRoles();
        String target = newName();

        assertThatThrownBy(() -> pg.restore(as(restorer, target), new ByteArrayInputStream(dump),
                RestoreOptions.defaults().creatingDatabase().withRoles(true)))
                .isInstanceOfSatisfying(DatabaseException.class, e -> {
                    assertThat(e.status()).isEqualTo(CheckStatus.PERMISSION_DENIED);
                    assertThat(e.getMessage()).contains(owner).contains("may not create roles")
                            .contains("restore without roles and permissions");
                });
        assertThat(value("postgres", "SELECT count(*) FROM pg_database WHERE datname = " + lit(target)))
                .as("the target was not created").isEqualTo("0");
        assertThat(roleExists(owner)).isFalse();
    }

    @Test
    void anAllDatabasesDumpWithoutRolesIsRefusedWhenTheTargetLacksThemAndWithRolesRecreatesThem() throws Exception {
        sql("postgres", "ALTER ROLE " + q(reader) + " CONNECTION LIMIT 3");
        ConnectionSpec server = as("postgres", null);
        byte[] dump;
        try (Dump d = pg.dumpDatabases(server, List.of(source), DumpOptions.defaults())) {
            dump = d.stream().readAllBytes();
            d.awaitSuccess();
        }
        dropSourceAndRoles();

        assertThatThrownBy(() -> pg.restore(server, new ByteArrayInputStream(dump), RestoreOptions.defaults()))
                .isInstanceOfSatisfying(DatabaseException.class, e -> assertThat(e.getMessage())
                        .contains(owner).contains("restore with roles and permissions").contains("nothing was restored"));
        assertThat(value("postgres", "SELECT count(*) FROM pg_database WHERE datname = " + lit(source))).isEqualTo("0");
        assertThat(roleExists(owner)).isFalse();

        Set<String> before = roles();
        pg.restore(server, new ByteArrayInputStream(dump), RestoreOptions.defaults().withRoles(true));
        otherRoles.addAll(roles());
        otherRoles.removeAll(before);
        otherRoles.removeAll(List.of(owner, reader, auditor));
        assertThat(value("postgres", "SELECT rolconnlimit FROM pg_roles WHERE rolname = " + lit(reader)))
                .as("recreated from the backup's definition").isEqualTo("3");
        assertThat(ownerOf(source, "shop.orders")).isEqualTo(owner);
        assertThat(value(source, "SELECT has_table_privilege(" + lit(reader) + ", 'shop.orders', 'SELECT')")).isEqualTo("t");

        RestoreResult again = pg.restore(server, new ByteArrayInputStream(dump), RestoreOptions.defaults().overwriting());
        assertThat(again.warnings()).as("without roles, once they all exist").anyMatch(w -> w.contains("its roles were skipped"));
        assertThat(ownerOf(source, "shop.orders")).isEqualTo(owner);
    }

    @Test
    void theRolesAScriptNamesAreItsOwnersGranteesAndPolicyRoles() throws Exception {
        String script = String.join("\n",
                "--",
                "-- Name: t; Type: TABLE; Schema: public; Owner: alice",
                "--",
                "CREATE TABLE public.t (x int);",
                "ALTER TABLE public.t OWNER TO alice;",
                "-- Name: f(); Type: FUNCTION; Schema: public; Owner: -",
                "CREATE FUNCTION f() RETURNS int AS $$ GRANT SELECT ON t TO mallory; $$;",
                "-- Name: p t; Type: POLICY; Schema: public; Owner: alice",
                "CREATE POLICY p ON public.t TO \"Policy Role\", carol USING ((x IN ( SELECT 1 FROM other)));",
                "-- Name: TABLE t; Type: ACL; Schema: public; Owner: alice",
                "SET SESSION AUTHORIZATION \"grant\"\"or\";",
                "GRANT SELECT(\"to\") ON TABLE public.t TO bob, \"Mixed Case\" WITH GRANT OPTION;",
                "RESET SESSION AUTHORIZATION;",
                "REVOKE ALL ON TABLE public.role FROM PUBLIC;",
                "-- Name: DEFAULT PRIVILEGES FOR TABLES; Type: DEFAULT ACL; Schema: -; Owner: alice",
                "ALTER DEFAULT PRIVILEGES FOR ROLE dave IN SCHEMA s GRANT SELECT ON TABLES TO erin;");
        Set<String> roles = PostgresAdapter.rolesNamedIn(new BufferedReader(new StringReader(script)));
        assertThat(roles).containsExactlyInAnyOrder("alice", "Policy Role", "carol", "grant\"or", "bob", "Mixed Case",
                "dave", "erin");
    }
}
