package io.cairn.dumps.postgres;

import io.cairn.dumps.CheckStatus;
import io.cairn.dumps.ConnectionSpec;
import io.cairn.dumps.DatabaseAdapter;
import io.cairn.dumps.DatabaseAdapterContract;
import io.cairn.dumps.DatabaseDescription;
import io.cairn.dumps.DatabaseException;
import io.cairn.dumps.Dump;
import io.cairn.dumps.DumpOptions;
import io.cairn.dumps.JdbcFingerprints;
import io.cairn.dumps.RestoreOptions;
import io.cairn.dumps.RestoreResult;
import io.cairn.dumps.Secret;
import io.cairn.dumps.SourceKind;
import io.cairn.dumps.TlsMode;
import io.cairn.dumps.tool.Toolbox;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * The contract against the real PostgreSQL on 127.0.0.1:5432. The scratch databases belong to a
 * role of their own that logs in with a password: pg_hba.conf must demand one from members of
 * {@code cairn_password_login} ({@code .ci/run} adds that line), or the wrong-password test could
 * not fail.
 */
class PostgresAdapterContractTest extends DatabaseAdapterContract {
    static final String HOST = "127.0.0.1";
    static final int PORT = 5432;
    static final String ROLE = "cairn_t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    static final String SECRET = "pw-" + UUID.randomUUID() + ":with\\odd'chars\"";
    static final int PEOPLE = 250;

    static Connection admin(String db) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        p.setProperty("sslmode", "disable");
        return DriverManager.getConnection("jdbc:postgresql://" + HOST + ":" + PORT + "/" + db, p);
    }

    static Connection asRole(String db, String password) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", ROLE);
        p.setProperty("password", password);
        p.setProperty("sslmode", "disable");
        return DriverManager.getConnection("jdbc:postgresql://" + HOST + ":" + PORT + "/" + db, p);
    }

    @BeforeAll
    static void createRole() throws SQLException {
        try (Connection c = admin("postgres"); Statement st = c.createStatement()) {
            st.execute("DO $$ BEGIN CREATE ROLE cairn_password_login NOLOGIN; EXCEPTION WHEN duplicate_object"
                    + " OR unique_violation THEN NULL; END $$");
            st.execute("CREATE ROLE " + ROLE + " LOGIN CREATEDB PASSWORD '" + SECRET.replace("'", "''")
                    + "' IN ROLE cairn_password_login");
        }
        try (Connection ignored = asRole("postgres", "certainly-wrong")) {
            fail("PostgreSQL let " + ROLE + " in with a wrong password: pg_hba.conf must require a password for"
                    + " members of cairn_password_login; add 'host all +cairn_password_login 127.0.0.1/32 scram-sha-256'"
                    + " before the trust lines and reload (.ci/run does this)");
        } catch (SQLException expected) {
            assertThat(expected.getSQLState()).isEqualTo("28P01");
        }
    }

    @AfterAll
    static void dropRole() throws SQLException {
        try (Connection c = admin("postgres"); Statement st = c.createStatement()) {
            st.execute("DROP ROLE IF EXISTS " + ROLE);
        }
    }

    @Override
    protected DatabaseAdapter adapter() {
        return new PostgresAdapter(Toolbox.fromEnvironment());
    }

    @Override
    protected DatabaseAdapter adapterWith(Toolbox toolbox) {
        return new PostgresAdapter(toolbox);
    }

    private static String randomDb() {
        return "cairn_t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    static ConnectionSpec spec(String db) {
        return ConnectionSpec.server(SourceKind.POSTGRESQL, HOST, PORT, db, ROLE, Secret.of(SECRET), TlsMode.PREFER);
    }

    @Override
    protected ConnectionSpec createScratch() throws Exception {
        String db = randomDb();
        try (Connection c = admin("postgres"); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + db + " OWNER " + ROLE);
        }
        return spec(db);
    }

    @Override
    protected ConnectionSpec newScratchName() {
        return spec(randomDb());
    }

    @Override
    protected void dropScratch(ConnectionSpec spec) throws Exception {
        try (Connection c = admin("postgres"); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + spec.database() + " WITH (FORCE)");
        }
    }

    @Override
    protected void populate(ConnectionSpec spec) throws Exception {
        try (Connection c = asRole(spec.database(), SECRET); Statement st = c.createStatement()) {
            st.execute("""
                    CREATE TABLE people (
                      id serial PRIMARY KEY,
                      name text NOT NULL,
                      nick text,
                      born date,
                      score numeric(12,4),
                      photo bytea,
                      doc jsonb,
                      tags text[],
                      created timestamptz DEFAULT now()
                    );
                    CREATE TABLE audit (id bigserial PRIMARY KEY, person int, what text);
                    CREATE FUNCTION log_person() RETURNS trigger LANGUAGE plpgsql AS $$
                      BEGIN INSERT INTO audit (person, what) VALUES (NEW.id, 'inserted ' || NEW.name); RETURN NEW; END $$;
                    CREATE TRIGGER people_audit AFTER INSERT ON people FOR EACH ROW EXECUTE FUNCTION log_person();
                    CREATE FUNCTION add_score(a numeric, b numeric) RETURNS numeric LANGUAGE sql IMMUTABLE AS 'SELECT a + b';
                    CREATE VIEW adults AS SELECT id, name FROM people WHERE born < date '2006-01-01';
                    CREATE SCHEMA "Mixed Case";
                    CREATE TABLE "Mixed Case"."weird table" ("Key" text PRIMARY KEY, "value;--" text, big text);
                    """);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO people (name, nick, born, score, photo, doc, tags)"
                    + " VALUES (?, ?, ?, ?, ?, ?::jsonb, ?)")) {
                for (int i = 0; i < PEOPLE; i++) {
                    ps.setString(1, i % 3 == 0 ? "名前 " + i + " 🪨 שלום" : "person\t" + i + "\n'quoted' \\ back");
                    ps.setString(2, i % 4 == 0 ? null : "nick" + i);
                    ps.setObject(3, i % 5 == 0 ? null : java.time.LocalDate.of(1950 + i % 70, 1 + i % 12, 1 + i % 28));
                    ps.setBigDecimal(4, i % 7 == 0 ? null : new java.math.BigDecimal(i + ".1234"));
                    byte[] photo = new byte[256 + i];
                    for (int k = 0; k < photo.length; k++) {
                        photo[k] = (byte) (k * 31 + i);
                    }
                    ps.setBytes(5, i % 6 == 0 ? null : photo);
                    ps.setString(6, i % 8 == 0 ? null : "{\"n\": " + i + ", \"s\": \"ü-x\", \"nested\": {\"a\": [1, null]}}");
                    ps.setArray(7, i % 9 == 0 ? null : c.createArrayOf("text", new String[]{"a", null, "c d", "é"}));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO \"Mixed Case\".\"weird table\" VALUES (?, ?, ?)")) {
                ps.setString(1, "large");
                ps.setString(2, null);
                ps.setString(3, "Lorem ipsum ñ 😀 ".repeat(70_000)); // ~1.4 MB of text
                ps.executeUpdate();
                ps.setString(1, "empty");
                ps.setString(2, "");
                ps.setString(3, "");
                ps.executeUpdate();
                ps.setString(1, "copy-ish\\.\n");
                ps.setString(2, "\\.");
                ps.setString(3, "line1\nline2\r\n\\N");
                ps.executeUpdate();
            }
            st.execute("ANALYZE");
        }
    }

    @Override
    protected void addBulkData(ConnectionSpec spec) throws Exception {
        try (Connection c = asRole(spec.database(), SECRET); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE bulk AS SELECT g AS id, repeat(md5(g::text), 6) AS payload"
                    + " FROM generate_series(1, 60000) g");
        }
    }

    @Override
    protected Map<String, String> fingerprint(ConnectionSpec spec) throws Exception {
        Map<String, String> f = new LinkedHashMap<>();
        try (Connection c = asRole(spec.database(), SECRET)) {
            List<String[]> tables = new ArrayList<>();
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                    "SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname), c.relkind FROM pg_class c"
                            + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r','v','S')"
                            + " AND n.nspname NOT IN ('pg_catalog','information_schema') AND n.nspname NOT LIKE 'pg_toast%'"
                            + " ORDER BY 1")) {
                while (rs.next()) {
                    tables.add(new String[]{rs.getString(1), rs.getString(2)});
                }
            }
            for (String[] t : tables) {
                switch (t[1]) {
                    case "r" -> f.put("table " + t[0], JdbcFingerprints.of(c, "SELECT * FROM " + t[0] + " ORDER BY 1"));
                    case "v" -> f.put("view " + t[0], JdbcFingerprints.of(c, "SELECT pg_get_viewdef('" + t[0] + "'::regclass)"));
                    default -> f.put("sequence " + t[0], JdbcFingerprints.of(c, "SELECT last_value, is_called FROM " + t[0]));
                }
            }
            f.put("functions", JdbcFingerprints.of(c, "SELECT p.proname, pg_get_functiondef(p.oid) FROM pg_proc p"
                    + " JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public' ORDER BY 1"));
            f.put("triggers", JdbcFingerprints.of(c, "SELECT tgname, pg_get_triggerdef(oid) FROM pg_trigger"
                    + " WHERE NOT tgisinternal ORDER BY 1"));
            f.put("owners", JdbcFingerprints.of(c, "SELECT c.relname, pg_get_userbyid(c.relowner) FROM pg_class c"
                    + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname IN ('public', 'Mixed Case') ORDER BY 1"));
        }
        return f;
    }

    @Override
    protected List<String> someTables() {
        return List.of("public.people", "public.audit");
    }

    @Override
    protected Map<String, Long> expectedCounts() {
        return Map.of("public.people", (long) PEOPLE, "public.audit", (long) PEOPLE, "Mixed Case.weird table", 3L,
                "public.adults", -1L);
    }

    @Override
    protected void verifyRestoredBehaviour(ConnectionSpec source, ConnectionSpec restored) throws Exception {
        try (Connection c = asRole(restored.database(), SECRET); Statement st = c.createStatement()) {
            st.execute("INSERT INTO people (name) VALUES ('after restore')");
            try (ResultSet rs = st.executeQuery("SELECT count(*), max(what) FILTER (WHERE what LIKE '%after restore')"
                    + " FROM audit")) {
                rs.next();
                assertThat(rs.getLong(1)).as("the trigger fires in the restored database").isEqualTo(PEOPLE + 1);
                assertThat(rs.getString(2)).endsWith("after restore");
            }
            try (ResultSet rs = st.executeQuery("SELECT add_score(1.5, 2), (SELECT max(id) FROM people)")) {
                rs.next();
                assertThat(rs.getBigDecimal(1)).isEqualByComparingTo("3.5");
                assertThat(rs.getInt(2)).as("the sequence continued where it was").isEqualTo(PEOPLE + 1);
            }
        }
    }

    @Override
    protected String secret() {
        return SECRET;
    }

    @Override
    protected List<String> tools() {
        return List.of("pg_dump", "pg_restore", "psql");
    }

    @Override
    protected Optional<ConnectionSpec> withWrongPassword(ConnectionSpec good) {
        return Optional.of(good.withPassword(Secret.of("wrong-" + UUID.randomUUID())));
    }

    @Override
    protected ConnectionSpec withMissingDatabase(ConnectionSpec good) {
        return good.withDatabase("cairn_missing_" + UUID.randomUUID().toString().substring(0, 8));
    }

    // ---------------------------------------------------------------- PostgreSQL specifics

    @Test
    void describeGivesTheEstimateForATableLockedByAnotherSessionInsteadOfWaiting() throws Exception {
        ConnectionSpec source = scratch();
        populate(source);
        try (Connection lock = admin(source.database())) {
            lock.setAutoCommit(false);
            try (Statement st = lock.createStatement()) {
                st.execute("LOCK TABLE people IN ACCESS EXCLUSIVE MODE");
            }
            long started = System.nanoTime();
            var d = adapter().describe(source);
            long waitedMs = (System.nanoTime() - started) / 1_000_000;
            var people = d.databases().get(0).object("public.people").orElseThrow();
            long estimate;
            try (Statement st = lock.createStatement(); var rs = st.executeQuery(
                    "SELECT reltuples::bigint FROM pg_class WHERE oid = 'public.people'::regclass")) {
                rs.next();
                estimate = Math.max(-1, rs.getLong(1));
            }
            assertThat(people.count()).as("the planner's estimate").isEqualTo(estimate);
            assertThat(waitedMs).as("it tried the exact count for the lock timeout").isGreaterThanOrEqualTo(
                    PostgresAdapter.COUNT_LOCK_WAIT_MS - 100L);
            assertThat(d.databases().get(0).object("public.audit").orElseThrow().count()).isEqualTo(PEOPLE);
            assertThat(waitedMs).as("waited about the lock timeout, not until the lock ended")
                    .isLessThan(PostgresAdapter.COUNT_LOCK_WAIT_MS + 20_000L);
            lock.rollback();
        }
    }

    @Test
    void oneDatabaseIsAnUncompressedCustomFormatArchive() throws Exception {
        ConnectionSpec source = scratch();
        populate(source);
        byte[] bytes = dumpFully(adapter(), source);
        assertThat(new String(bytes, 0, 5, StandardCharsets.US_ASCII)).isEqualTo("PGDMP");
        String text = new String(bytes, StandardCharsets.UTF_8);
        assertThat(text).as("table data is stored as text, not compressed (deduplicates)")
                .contains("Lorem ipsum ñ 😀 Lorem ipsum ñ 😀 ");
        try (Dump d = adapter().dump(source, DumpOptions.defaults())) {
            assertThat(d.filename()).isEqualTo(source.database() + ".pgdump");
            d.stream().transferTo(java.io.OutputStream.nullOutputStream());
            d.awaitSuccess();
        }
    }

    @Test
    void thePasswordFileIsPrivateAndGoneAfterTheDump() throws Exception {
        ConnectionSpec source = scratch();
        populate(source);
        addBulkData(source);
        Path pgpass;
        try (Dump dump = adapter().dump(source, DumpOptions.defaults())) {
            dump.stream().readNBytes(1024);
            long pid = dump.process().orElseThrow().pid();
            String environ = Files.readString(Path.of("/proc", Long.toString(pid), "environ"), StandardCharsets.ISO_8859_1);
            assertThat(environ).doesNotContain(SECRET).doesNotContain("PGPASSWORD=");
            String file = environ.lines().flatMap(l -> java.util.Arrays.stream(l.split("\0")))
                    .filter(v -> v.startsWith("PGPASSFILE=")).findFirst().orElseThrow().substring("PGPASSFILE=".length());
            pgpass = Path.of(file);
            assertThat(Files.getPosixFilePermissions(pgpass)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            dump.stream().transferTo(java.io.OutputStream.nullOutputStream());
            dump.awaitSuccess();
        }
        assertThat(pgpass).doesNotExist();
    }

    @Test
    void allDatabasesListsEveryConnectableDatabase() throws Exception {
        ConnectionSpec source = scratch();
        try (Connection c = admin("postgres")) {
            assertThat(PostgresAdapter.listDatabases(c)).contains(source.database(), "postgres", "template1")
                    .doesNotContain("template0");
        }
        assertThat(adapter().test(source.withDatabase(null)).status())
                .as("a non-superuser cannot dump all databases").isEqualTo(CheckStatus.PERMISSION_DENIED);
    }

    @Test
    void anAllDatabasesDumpRestoresIntoAServerAndKeepsExistingRoles() throws Exception {
        ConnectionSpec source = scratch();
        populate(source);
        Map<String, String> before = fingerprint(source);
        ConnectionSpec superuser = ConnectionSpec.server(SourceKind.POSTGRESQL, HOST, PORT, null, "postgres",
                Secret.none(), TlsMode.DISABLE);
        PostgresAdapter pg = new PostgresAdapter(Toolbox.fromEnvironment());
        byte[] bytes;
        try (Dump dump = pg.dumpDatabases(superuser, List.of(source.database()), DumpOptions.defaults())) {
            assertThat(dump.filename()).isEqualTo("all-databases.sql");
            bytes = dump.stream().readAllBytes();
            dump.awaitSuccess();
        }
        String script = new String(bytes, StandardCharsets.UTF_8);
        assertThat(script).startsWith("-- cairn-dump all-databases v1 ").contains("CREATE ROLE " + ROLE + ";")
                .contains("CREATE DATABASE " + source.database()).contains("COPY public.people");
        assertThat(script.strip()).endsWith(" end");

        assertThatThrownBy(() -> pg.restore(superuser, new ByteArrayInputStream(bytes), RestoreOptions.defaults()))
                .isInstanceOfSatisfying(DatabaseException.class,
                        e -> assertThat(e.status()).isEqualTo(CheckStatus.TARGET_NOT_EMPTY));

        byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length - 20);
        dropScratch(source);
        assertThatThrownBy(() -> pg.restore(superuser, new ByteArrayInputStream(truncated), RestoreOptions.defaults()))
                .isInstanceOfSatisfying(DatabaseException.class, e -> assertThat(e.getMessage()).contains("truncated"));

        RestoreResult result = pg.restore(superuser, new ByteArrayInputStream(bytes),
                RestoreOptions.defaults().overwriting().withRoles(true));
        assertThat(result.warnings()).anyMatch(w -> w.contains("roles already existed"));
        assertThat(fingerprint(source)).isEqualTo(before);
        assertThat(result.restored().database(source.database())).isPresent();
        try (Connection ignored = asRole("postgres", SECRET)) {
            // the role's password was not reset by the restore
        }
    }

    @Test
    void aPgDumpOlderThanTheServerIsAVersionMismatch() throws Exception {
        ConnectionSpec source = scratch();
        Path bin = Files.createDirectories(temp.resolve("old-client"));
        for (String tool : List.of("pg_dump", "pg_restore", "psql")) {
            Path fake = bin.resolve(tool);
            Files.writeString(fake, "#!/bin/sh\necho '" + tool + " (PostgreSQL) 9.6.24'\n");
            Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
        }
        var check = new PostgresAdapter(Toolbox.of(List.of(bin))).test(source);
        assertThat(check.status()).as(check.message()).isEqualTo(CheckStatus.VERSION_MISMATCH);
        assertThat(check.message()).contains("pg_dump 9").contains("postgresql-client-");
    }

    @Test
    void aTableTheUserMayNotReadIsAPermissionProblem() throws Exception {
        ConnectionSpec source = scratch();
        try (Connection c = admin(source.database()); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE secret_stuff (x int)");
            st.execute("REVOKE ALL ON secret_stuff FROM PUBLIC");
        }
        var check = adapter().test(source);
        assertThat(check.status()).as(check.message()).isEqualTo(CheckStatus.PERMISSION_DENIED);
        assertThat(check.message()).contains("public.secret_stuff").contains("grant SELECT");
        try (Dump d = adapter().dump(source, DumpOptions.defaults())) {
            d.stream().transferTo(java.io.OutputStream.nullOutputStream());
            assertThatThrownBy(d::awaitSuccess).isInstanceOfSatisfying(DatabaseException.class, e -> {
                assertThat(e.status()).as(e.getMessage()).isEqualTo(CheckStatus.PERMISSION_DENIED);
                assertThat(e.getMessage()).contains("permission denied");
            });
        }
    }

    @Test
    void describeOfAllDatabasesIncludesTheScratchDatabase() throws Exception {
        ConnectionSpec source = scratch();
        populate(source);
        DatabaseDescription d = adapter().describe(source);
        assertThat(d.databases()).singleElement().satisfies(db -> {
            assertThat(db.name()).isEqualTo(source.database());
            assertThat(db.sizeBytes()).isPositive();
        });
    }
}
