package io.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.dumps.ConnectionSpec;
import io.cairn.dumps.DatabaseAdapters;
import io.cairn.dumps.Dump;
import io.cairn.dumps.DumpOptions;
import io.cairn.dumps.Secret;
import io.cairn.dumps.SourceKind;
import io.cairn.dumps.TlsMode;
import io.cairn.engine.archiver.Archiver;
import io.cairn.engine.archiver.BackupOptions;
import io.cairn.engine.backend.FileHandle;
import io.cairn.engine.backend.FileType;
import io.cairn.engine.backend.LocalBackend;
import io.cairn.engine.blob.BlobId;
import io.cairn.engine.browse.SnapshotBrowser;
import io.cairn.engine.index.BlobLocation;
import io.cairn.engine.crypto.KdfParams;
import io.cairn.engine.progress.ProgressListener;
import io.cairn.engine.repository.Repository;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cairn restore --to-...} against the real PostgreSQL (127.0.0.1:5432, postgres, trust) and
 * MariaDB (127.0.0.1:3306, root) of this machine and private {@code redis-server} processes (an RDB
 * covers a whole server, so, as in module {@code dumps}, Redis tests run servers of their own rather
 * than share 6379). Each test makes its databases under random names and drops them; the dumps are
 * made by the {@code dumps} adapters and stored with {@link Archiver#backupStream} exactly as the
 * server stores them, with or without the server's {@code kind-} tag.
 */
class RestoreDatabaseCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PG_URL = "jdbc:postgresql://127.0.0.1:5432/";
    private static final String MARIA_URL = "jdbc:mariadb://127.0.0.1:3306/";
    private static final DatabaseAdapters ADAPTERS = DatabaseAdapters.standard();

    @TempDir
    static Path temp;
    static Path repoDir;
    static Path passwordFile;
    static final List<String> pgDatabases = new ArrayList<>();
    static final List<String> mariaDatabases = new ArrayList<>();
    static final List<Process> redisServers = new ArrayList<>();

    /** A PostgreSQL database with two tables, and snapshots of its dump with and without tags. */
    static String pgSource;
    static String pgTagged;
    static String pgUntagged;

    @BeforeAll
    static void setUp() throws Exception {
        System.setProperty("cairn.insecureTestKdf", "true");
        repoDir = temp.resolve("repo");
        passwordFile = temp.resolve("password");
        Files.writeString(passwordFile, "secret\n");
        try (Repository r = Repository.init(new LocalBackend(repoDir), "secret".toCharArray(),
                Repository.InitOptions.defaults().withKdf(new KdfParams(64, 1, 1)).withChunker(4096, 16384, 65536),
                Clock.systemUTC())) {
            // opened and closed: the tests open it as the CLI does
        }
        pgSource = newPostgresDatabase();
        postgres(pgSource, "CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL);"
                + "INSERT INTO customers VALUES (1, 'Ann'), (2, 'Bo ✓ Ünï'), (3, 'Cy');"
                + "CREATE TABLE orders (id int PRIMARY KEY, customer int REFERENCES customers, amount numeric(10,2));"
                + "INSERT INTO orders SELECT g, 1 + g % 3, g * 1.25 FROM generate_series(1, 1000) g;");
        ConnectionSpec source = postgresSpec(pgSource);
        pgTagged = backUpDump(source, List.of("source-1", "job-1", "kind-postgresql", "database-" + pgSource));
        pgUntagged = backUpDump(source, List.of());
    }

    @AfterAll
    static void dropEverything() throws Exception {
        for (String db : pgDatabases) {
            postgres("postgres", "DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
        }
        for (String db : mariaDatabases) {
            mariadb(null, "DROP DATABASE IF EXISTS " + db);
        }
        for (Process p : redisServers) {
            p.destroyForcibly();
            p.waitFor();
        }
    }

    // ---------------------------------------------------------------- PostgreSQL

    @Test
    void aTaggedPostgresSnapshotRestoresIntoANewDatabaseWithItsRowsAndJsonCounts() throws Exception {
        String target = newName("cairn_restored_");
        pgDatabases.add(target);

        CliRun run = cairn("restore", pgTagged, "--json", "--to-postgres", "--db-host", "127.0.0.1", "--db-user",
                "postgres", "--db-tls", "disable", "--db-name", target, "--create-database");

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode summary = run.json().get(run.json().size() - 1);
        assertThat(summary.get("message_type").asText()).isEqualTo("summary");
        assertThat(summary.get("kind").asText()).isEqualTo("postgresql");
        assertThat(summary.get("kind_from").asText()).isEqualTo("tag");
        assertThat(summary.get("source_database").asText()).isEqualTo(pgSource);
        assertThat(summary.get("file").asText()).isEqualTo("/" + pgSource + ".pgdump");
        assertThat(summary.get("target").asText()).isEqualTo("postgres@127.0.0.1:5432/" + target);
        assertThat(summary.get("rows").asLong()).isEqualTo(1003);
        JsonNode tables = summary.get("databases").get(0).get("tables");
        assertThat(tables.findValuesAsText("name")).containsExactly("public.customers", "public.orders");
        assertThat(tables.get(1).get("rows").asLong()).isEqualTo(1000);
        assertThat(postgresValue(target, "SELECT count(*) FROM orders")).isEqualTo("1000");
        String checksum = "SELECT md5(string_agg(t::text, '|' ORDER BY id)) FROM %s t";
        for (String table : List.of("customers", "orders")) {
            assertThat(postgresValue(target, checksum.formatted(table))).as(table)
                    .isEqualTo(postgresValue(pgSource, checksum.formatted(table)));
        }
    }

    @Test
    void anUntaggedPostgresSnapshotIsRecognisedByItsBytesAndTheTextSummaryListsTheTables() throws Exception {
        String target = newName("cairn_restored_");
        pgDatabases.add(target);
        postgres("postgres", "CREATE DATABASE " + target);

        CliRun run = cairn("restore", pgUntagged, "--to-postgres", "--db-host", "127.0.0.1", "--db-user", "postgres",
                "--db-tls", "disable", "--db-name", target, "--file", "/" + pgSource + ".pgdump");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("restored PostgreSQL dump /" + pgSource + ".pgdump of snapshot "
                + pgUntagged.substring(0, 8) + " into postgres@127.0.0.1:5432/" + target + ": ");
        assertThat(run.out()).contains("1,003 rows in 1 database")
                .contains("  " + target + ": 2 tables, 1,003 rows")
                .contains("    public.orders (table): 1,000 rows")
                .contains("    public.customers (table): 3 rows");
        assertThat(postgresValue(target, "SELECT name FROM customers WHERE id = 2")).isEqualTo("Bo ✓ Ünï");
    }

    @Test
    void aNonEmptyTargetIsRefusedWithTheFlagToAddAndReplacedWithIt() throws Exception {
        String target = existingPostgresDatabase("CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL);"
                + "INSERT INTO customers VALUES (1, 'changed since the backup');");

        CliRun refused = cairn("restore", pgTagged, "--to-postgres", "--db-host", "127.0.0.1", "--db-user", "postgres",
                "--db-tls", "disable", "--db-name", target);

        assertThat(refused.exitCode()).isEqualTo(CairnCommand.EXIT_DATABASE_TARGET);
        assertThat(refused.err()).startsWith("error: restore into PostgreSQL postgres@127.0.0.1:5432/" + target
                + " failed: database " + target).contains("already holds 1 tables").contains("add --overwrite-database");
        assertThat(postgresValue(target, "SELECT name FROM customers WHERE id = 1")).as("nothing changed")
                .isEqualTo("changed since the backup");

        CliRun replaced = cairn("restore", pgTagged, "--to-postgres", "--db-host", "127.0.0.1", "--db-user", "postgres",
                "--db-tls", "disable", "--db-name", target, "--overwrite-database");

        assertThat(replaced.exitCode()).as(replaced.err()).isZero();
        assertThat(postgresValue(target, "SELECT name FROM customers WHERE id = 1")).isEqualTo("Ann");
        assertThat(postgresValue(target, "SELECT count(*) FROM orders")).isEqualTo("1000");
    }

    @Test
    void tableRestoresOneTableOverAnExistingDatabaseAndLeavesItsOtherTablesAlone() throws Exception {
        String target = existingPostgresDatabase("CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL);"
                + "INSERT INTO customers VALUES (1, 'changed since the backup'), (99, 'added since');"
                + "CREATE TABLE notes (id int PRIMARY KEY, body text); INSERT INTO notes VALUES (1, 'kept');");

        CliRun unknown = cairn("restore", pgTagged, "--to-postgres", "--db-host", "127.0.0.1", "--db-user", "postgres",
                "--db-tls", "disable", "--db-name", target, "--table", "invoices", "--overwrite-database");
        assertThat(unknown.exitCode()).isNotZero();
        assertThat(unknown.err()).contains("the backup has no table invoices");
        assertThat(postgresValue(target, "SELECT name FROM customers WHERE id = 1")).as("nothing changed")
                .isEqualTo("changed since the backup");

        CliRun run = cairn("restore", pgTagged, "--to-postgres", "--db-host", "127.0.0.1", "--db-user", "postgres",
                "--db-tls", "disable", "--db-name", target, "--table", "public.customers", "--overwrite-database");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(postgresValue(target, "SELECT string_agg(id || '=' || name, ',' ORDER BY id) FROM customers"))
                .as("the table is as backed up").isEqualTo("1=Ann,2=Bo ✓ Ünï,3=Cy");
        assertThat(postgresValue(target, "SELECT body FROM notes WHERE id = 1")).as("another table").isEqualTo("kept");
        assertThat(postgresValue(target, "SELECT count(*) FROM pg_tables WHERE tablename = 'orders'"))
                .as("the table not asked for is not restored").isEqualTo("0");
    }

    @Test
    void aPlainSqlDumpFromTheCommandLineRestoresWholeQuietlyAndRefusesSingleTablesSayingWhy() throws Exception {
        String snapshot;
        try (Repository r = openRepository()) {
            snapshot = new Archiver(r, BackupOptions.defaults().withProgressInterval(Duration.ZERO), ProgressListener.NONE)
                    .backupCommand("shop.sql", List.of("pg_dump", "-h", "127.0.0.1", "-U", "postgres", pgSource))
                    .snapshotId();
        }
        String target = newName("cairn_restored_");
        pgDatabases.add(target);

        CliRun run = cairn("restore", snapshot, "--to-postgres", "--db-host", "127.0.0.1", "--db-user", "postgres",
                "--db-tls", "disable", "--db-name", target, "--create-database");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("    public.orders (table): 1,000 rows");
        assertThat(run.err()).as("psql's query results (the script's SELECT set_config) are not shown")
                .doesNotContain("set_config").doesNotContain("(1 row)");
        assertThat(postgresValue(target, "SELECT sum(amount) FROM orders"))
                .isEqualTo(postgresValue(pgSource, "SELECT sum(amount) FROM orders"));

        postgres(target, "UPDATE customers SET name = 'changed since the backup' WHERE id = 1");
        CliRun table = cairn("restore", snapshot, "--to-postgres", "--db-host", "127.0.0.1", "--db-user", "postgres",
                "--db-tls", "disable", "--db-name", target, "--table", "customers", "--overwrite-database");

        assertThat(table.exitCode()).isNotZero();
        assertThat(table.err()).contains("this backup is a plain SQL script").contains("pg_dump --format=custom")
                .doesNotContain("every database");
        assertThat(postgresValue(target, "SELECT name FROM customers WHERE id = 1")).as("nothing changed")
                .isEqualTo("changed since the backup");
    }

    @Test
    void tableAndFlushFirstAreRefusedWhereTheyMeanNothing() {
        CliRun sqliteTable = cairn("restore", pgTagged, "--to-sqlite", temp.resolve("t.db").toString(), "--table", "x");
        assertThat(sqliteTable.exitCode()).isEqualTo(2);
        assertThat(sqliteTable.err()).contains("--table restores single tables").contains("leave it out");

        CliRun pgFlush = cairn("restore", pgTagged, "--to-postgres", "--db-name", "x", "--flush-first",
                "--overwrite-database");
        assertThat(pgFlush.exitCode()).isEqualTo(2);
        assertThat(pgFlush.err()).contains("--flush-first empties a Redis database");

        CliRun unconfirmed = cairn("restore", pgTagged, "--to-redis", "--flush-first");
        assertThat(unconfirmed.exitCode()).isEqualTo(2);
        assertThat(unconfirmed.err()).contains("add --overwrite-database to confirm");
    }

    @Test
    void withRolesKeepsOwnersAndGrantsAndWithoutItTheTablesBelongToTheDbUser() throws Exception {
        String owner = newName("cairn_t_owner_");
        String reader = newName("cairn_t_reader_");
        String source = newPostgresDatabase();
        try {
            postgres("postgres", "CREATE ROLE " + owner + " NOLOGIN; CREATE ROLE " + reader + " NOLOGIN");
            postgres(source, "CREATE TABLE ledger (id int PRIMARY KEY); INSERT INTO ledger SELECT generate_series(1, 7);"
                    + "ALTER TABLE ledger OWNER TO " + owner + "; GRANT SELECT ON ledger TO " + reader);
            String snapshot = backUpDump(postgresSpec(source), List.of("kind-postgresql", "database-" + source));
            postgres("postgres", "DROP DATABASE " + source + " WITH (FORCE)");
            postgres("postgres", "DROP ROLE " + owner + "; DROP ROLE " + reader);

            String plain = newName("cairn_restored_");
            pgDatabases.add(plain);
            CliRun without = cairn("restore", snapshot, "--to-postgres", "--db-host", "127.0.0.1", "--db-user", "postgres",
                    "--db-tls", "disable", "--db-name", plain, "--create-database");
            assertThat(without.exitCode()).as(without.err()).isZero();
            assertThat(postgresValue(plain, "SELECT tableowner FROM pg_tables WHERE tablename = 'ledger'")).isEqualTo("postgres");
            assertThat(postgresValue("postgres", "SELECT count(*) FROM pg_roles WHERE rolname = '" + owner + "'")).isEqualTo("0");

            String withRoles = newName("cairn_restored_");
            pgDatabases.add(withRoles);
            CliRun with = cairn("restore", snapshot, "--to-postgres", "--db-host", "127.0.0.1", "--db-user", "postgres",
                    "--db-tls", "disable", "--db-name", withRoles, "--create-database", "--with-roles");
            assertThat(with.exitCode()).as(with.err()).isZero();
            assertThat(with.out()).contains("note: created roles ").contains(owner).contains(reader);
            assertThat(postgresValue(withRoles, "SELECT tableowner FROM pg_tables WHERE tablename = 'ledger'")).isEqualTo(owner);
            assertThat(postgresValue(withRoles, "SELECT has_table_privilege('" + reader + "', 'ledger', 'SELECT')"))
                    .isEqualTo("t");

            CliRun redis = cairn("restore", snapshot, "--to-redis", "--db-host", "127.0.0.1", "--with-roles");
            assertThat(redis.exitCode()).isEqualTo(2);
            assertThat(redis.err()).contains("--with-roles restores PostgreSQL roles or MySQL/MariaDB accounts");
        } finally {
            // the restored databases are dropped after the class; the roles they use go with them now
            postgres("postgres", "DROP DATABASE IF EXISTS " + source + " WITH (FORCE)");
            for (String db : pgDatabases.subList(pgDatabases.indexOf(source), pgDatabases.size())) {
                postgres("postgres", "DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
            }
            postgres("postgres", "DROP ROLE IF EXISTS " + owner);
            postgres("postgres", "DROP ROLE IF EXISTS " + reader);
        }
    }

    @Test
    void aMissingTargetDatabaseNamesCreateDatabase() throws Exception {
        String target = newName("cairn_missing_");

        CliRun run = cairn("restore", pgTagged, "--to-postgres", "--db-host", "127.0.0.1", "--db-user", "postgres",
                "--db-tls", "disable", "--db-name", target);

        assertThat(run.exitCode()).isEqualTo(CairnCommand.EXIT_DATABASE_TARGET);
        assertThat(run.err()).contains("database " + target + " does not exist").contains("add --create-database");
        assertThat(postgresValue("postgres", "SELECT count(*) FROM pg_database WHERE datname = '" + target + "'"))
                .isEqualTo("0");
    }

    @Test
    void aTargetOfAnotherKindIsRefusedBeforeAnythingIsTouched() throws Exception {
        CliRun run = cairn("restore", pgTagged, "--to-mysql", "--db-host", "127.0.0.1", "--db-user", "root",
                "--db-name", "never_created_" + UUID.randomUUID().toString().substring(0, 8));

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("error: snapshot " + pgTagged.substring(0, 8) + " holds a PostgreSQL dump (/"
                + pgSource + ".pgdump, tag kind-postgresql); it cannot be restored into MySQL/MariaDB: use --to-postgres\n");
    }

    @Test
    void aKindContradictingTheRecognisedDumpIsRefused() throws Exception {
        CliRun run = cairn("restore", pgUntagged, "--to-redis", "--kind", "redis", "--db-host", "127.0.0.1");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--kind redis contradicts the snapshot").contains("is a PostgreSQL dump "
                + "(recognised by its first bytes)");
    }

    // ---------------------------------------------------------------- snapshots that hold no (known) dump

    @Test
    void aSnapshotWithNoFileAtItsRootHasNoDumpToRestore() throws Exception {
        Path dir = temp.resolve("files-" + UUID.randomUUID());
        Files.createDirectories(dir.resolve("sub"));
        Files.writeString(dir.resolve("sub/a.txt"), "not a dump\n");
        String snapshot;
        try (Repository r = openRepository()) {
            snapshot = new Archiver(r, BackupOptions.defaults().withProgressInterval(Duration.ZERO), ProgressListener.NONE)
                    .backup(List.of(dir)).snapshotId();
        }

        CliRun run = cairn("restore", snapshot, "--to-postgres", "--db-host", "127.0.0.1", "--db-name", "unused");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("snapshot " + snapshot.substring(0, 8) + " holds no database dump: there is no "
                + "file at its root").contains("--target DIR");
    }

    @Test
    void aFileOfUnknownFormatWithoutATagAsksForKind() throws Exception {
        String snapshot = backUpStream("notes.txt", "just some notes\n".getBytes(StandardCharsets.UTF_8), List.of());

        CliRun run = cairn("restore", snapshot, "--to-mysql", "--db-host", "127.0.0.1", "--db-name", "unused");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("cannot tell what kind of database dump /notes.txt of snapshot")
                .contains("--kind postgresql|mysql|redis|mongodb|sqlite");
    }

    @Test
    void databaseAndFileOptionsDoNotMix() {
        CliRun both = cairn("restore", pgTagged, "--to-postgres", "--target", temp.resolve("x").toString());
        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(both.err()).contains("--target, --include and --overwrite restore files");

        CliRun dbOptionOnly = cairn("restore", pgTagged, "--target", temp.resolve("y").toString(), "--db-name", "x");
        assertThat(dbOptionOnly.exitCode()).isEqualTo(2);
        assertThat(dbOptionOnly.err()).contains("--db-name is for restoring a database dump");

        CliRun nowhere = cairn("restore", pgTagged);
        assertThat(nowhere.exitCode()).isEqualTo(2);
        assertThat(nowhere.err()).contains("say where to restore to: --target DIR for files, or --to-postgres");
    }

    // ---------------------------------------------------------------- MariaDB

    @Test
    void anUntaggedMariadbDumpIsRecognisedAndRestoredIntoANewDatabase() throws Exception {
        String source = newName("cairn_src_");
        mariaDatabases.add(source);
        mariadb(null, "CREATE DATABASE " + source + " CHARACTER SET utf8mb4");
        mariadb(source, "CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(100) CHARACTER SET utf8mb4) ENGINE=InnoDB");
        StringBuilder insert = new StringBuilder("INSERT INTO items VALUES ");
        for (int i = 1; i <= 250; i++) {
            insert.append(i > 1 ? "," : "").append('(').append(i).append(", 'item ").append(i).append(" ✓')");
        }
        mariadb(source, insert.toString());
        String snapshot = backUpDump(ConnectionSpec.server(SourceKind.MYSQL, "127.0.0.1", 3306, source, "root",
                Secret.none(), TlsMode.DISABLE), List.of());
        String target = newName("cairn_restored_");
        mariaDatabases.add(target);

        CliRun run = cairn("restore", snapshot, "--json", "--to-mysql", "--db-host", "127.0.0.1", "--db-user", "root",
                "--db-tls", "disable", "--db-name", target, "--create-database");

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode summary = run.json().get(run.json().size() - 1);
        assertThat(summary.get("kind").asText()).isEqualTo("mysql");
        assertThat(summary.get("kind_from").asText()).isEqualTo("content");
        assertThat(summary.get("file").asText()).isEqualTo("/" + source + ".sql");
        assertThat(summary.get("rows").asLong()).isEqualTo(250);
        assertThat(mariadbValue("SELECT COUNT(*) FROM " + target + ".items")).isEqualTo("250");
        assertThat(mariadbValue("CHECKSUM TABLE " + target + ".items"))
                .isEqualTo(mariadbValue("CHECKSUM TABLE " + source + ".items"));
    }

    // ---------------------------------------------------------------- Redis

    @Test
    void aRedisDumpRestoresOneDatabaseIndexIntoAnotherServerWithThePasswordFromAFile() throws Exception {
        String password = "pw-" + UUID.randomUUID();
        int sourcePort = startRedis(password);
        int targetPort = startRedis(password);
        resp(sourcePort, password, "SELECT", "5");
        resp(sourcePort, password, "SET", "greeting", "hello");
        resp(sourcePort, password, "HSET", "user:1", "name", "Ann", "city", "Oslo");
        resp(sourcePort, password, "RPUSH", "queue", "a", "b", "c");
        resp(sourcePort, password, "SELECT", "0");
        resp(sourcePort, password, "SET", "in-another-database", "not restored");
        String snapshot = backUpDump(ConnectionSpec.server(SourceKind.REDIS, "127.0.0.1", sourcePort, null, null,
                Secret.of(password), TlsMode.DISABLE), List.of("kind-redis"));
        Path dbPasswordFile = temp.resolve("redis-password-" + UUID.randomUUID());
        Files.writeString(dbPasswordFile, password + "\n");

        CliRun run = cairn("restore", snapshot, "--to-redis", "--db-host", "127.0.0.1", "--db-port",
                Integer.toString(targetPort), "--db-name", "5", "--db-tls", "disable", "--db-password-file",
                dbPasswordFile.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out() + run.err()).doesNotContain(password);
        assertThat(run.out()).startsWith("restored Redis dump /dump.rdb of snapshot " + snapshot.substring(0, 8)
                + " into 127.0.0.1:" + targetPort + "/5: ").contains("3 rows");
        assertThat(resp(targetPort, password, "SELECT", "5")).isEqualTo("OK");
        assertThat(resp(targetPort, password, "GET", "greeting")).isEqualTo("hello");
        assertThat(resp(targetPort, password, "HGET", "user:1", "city")).isEqualTo("Oslo");
        assertThat(resp(targetPort, password, "LLEN", "queue")).isEqualTo("3");
        assertThat(resp(targetPort, password, "SELECT", "0")).isEqualTo("OK");
        assertThat(resp(targetPort, password, "DBSIZE")).as("only database 5 was restored").isEqualTo("0");

        CliRun again = cairn("restore", snapshot, "--to-redis", "--db-host", "127.0.0.1", "--db-port",
                Integer.toString(targetPort), "--db-name", "5", "--db-tls", "disable", "--db-password-file",
                dbPasswordFile.toString());
        assertThat(again.exitCode()).isEqualTo(CairnCommand.EXIT_DATABASE_TARGET);
        assertThat(again.err()).contains("already holds 3 keys").contains("add --overwrite-database")
                .doesNotContain(password);

        resp(targetPort, password, "SELECT", "5");
        resp(targetPort, password, "SET", "added-since", "gone after a flush");
        CliRun flushed = cairn("restore", snapshot, "--to-redis", "--db-host", "127.0.0.1", "--db-port",
                Integer.toString(targetPort), "--db-name", "5", "--db-tls", "disable", "--db-password-file",
                dbPasswordFile.toString(), "--overwrite-database", "--flush-first");
        assertThat(flushed.exitCode()).as(flushed.err()).isZero();
        assertThat(resp(targetPort, password, "SELECT", "5")).isEqualTo("OK");
        assertThat(resp(targetPort, password, "DBSIZE")).as("the dump's 3 keys, nothing else").isEqualTo("3");
        assertThat(resp(targetPort, password, "GET", "greeting")).isEqualTo("hello");
    }

    // ---------------------------------------------------------------- SQLite

    @Test
    void anSqliteDatabaseRestoresIntoANewFile() throws Exception {
        Path sourceFile = temp.resolve("source-" + UUID.randomUUID() + ".db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + sourceFile); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)");
            st.execute("INSERT INTO notes (body) VALUES ('one'), ('two'), ('three')");
        }
        String snapshot = backUpDump(ConnectionSpec.sqlite(sourceFile), List.of("kind-sqlite"));
        Path restored = temp.resolve("restored-" + UUID.randomUUID() + ".db");

        CliRun run = cairn("restore", snapshot, "--to-sqlite", restored.toString(), "--create-database");

        assertThat(run.exitCode()).as(run.err()).isZero();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + restored); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT group_concat(body, ',') FROM notes ORDER BY id")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("one,two,three");
        }
    }

    @Test
    void aDumpWhoseRepositoryDataIsDamagedStopsWithExit4AndLeavesNoDatabase() throws Exception {
        Path sourceFile = temp.resolve("source-" + UUID.randomUUID() + ".db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + sourceFile); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE blobs (id INTEGER PRIMARY KEY, body BLOB)");
            st.execute("INSERT INTO blobs (body) SELECT randomblob(4000) FROM (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL "
                    + "SELECT i + 1 FROM n WHERE i < 100) SELECT i FROM n)");
        }
        String snapshot = backUpDump(ConnectionSpec.sqlite(sourceFile), List.of("kind-sqlite"));
        try (Repository r = openRepository()) {
            SnapshotBrowser browser = new SnapshotBrowser(r, r.findSnapshot(snapshot));
            List<String> content = browser.children(browser.root()).get(0).node().content();
            assertThat(content).as("a dump of several chunks").hasSizeGreaterThan(2);
            BlobLocation last = r.index().find(BlobId.parse(content.get(content.size() - 1)));
            Path pack = repoDir.resolve(FileHandle.of(FileType.PACK, last.packId()).relativePath());
            try (RandomAccessFile f = new RandomAccessFile(pack.toFile(), "rw")) {
                f.seek(last.offset() + 20);
                int b = f.read();
                f.seek(last.offset() + 20);
                f.write(b ^ 0x01);
            }
        }
        Path restored = temp.resolve("damaged-" + UUID.randomUUID() + ".db");

        CliRun run = cairn("restore", snapshot, "--to-sqlite", restored.toString(), "--create-database");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(4);
        assertThat(run.err()).contains("the restore of /" + sourceFile.getFileName() + " from snapshot "
                + snapshot.substring(0, 8) + " into " + restored + " stopped: repository data of the dump is damaged")
                .contains("cairn check --read-data");
        assertThat(restored).doesNotExist();
    }

    // ---------------------------------------------------------------- helpers

    private static CliRun cairn(String... args) {
        return CliRun.of(repoDir, passwordFile, args);
    }

    private static Repository openRepository() throws IOException {
        return Repository.open(new LocalBackend(repoDir), "secret".toCharArray(), Clock.systemUTC());
    }

    /** Dumps {@code source} with its adapter and stores the dump as the server does; the snapshot's id. */
    private static String backUpDump(ConnectionSpec source, List<String> tags) throws IOException {
        try (Repository r = openRepository();
             Dump dump = ADAPTERS.forKind(source.kind()).dump(source, DumpOptions.defaults())) {
            return new Archiver(r, BackupOptions.defaults().withTags(tags).withProgressInterval(Duration.ZERO),
                    ProgressListener.NONE).backupStream(dump.filename(), dump.stream(), dump::awaitSuccess).snapshotId();
        }
    }

    private static String backUpStream(String name, byte[] content, List<String> tags) throws IOException {
        try (Repository r = openRepository()) {
            return new Archiver(r, BackupOptions.defaults().withTags(tags).withProgressInterval(Duration.ZERO),
                    ProgressListener.NONE).backupStream(name, new ByteArrayInputStream(content)).snapshotId();
        }
    }

    private static String newName(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
    }

    private static ConnectionSpec postgresSpec(String db) {
        return ConnectionSpec.server(SourceKind.POSTGRESQL, "127.0.0.1", 5432, db, "postgres", Secret.none(),
                TlsMode.DISABLE);
    }

    private static String newPostgresDatabase() throws SQLException {
        String db = newName("cairn_src_");
        pgDatabases.add(db);
        postgres("postgres", "CREATE DATABASE " + db);
        return db;
    }

    /** A new PostgreSQL database (dropped after the tests) holding what {@code sql} makes: a target in use. */
    private static String existingPostgresDatabase(String sql) throws SQLException {
        String target = newName("cairn_restored_");
        pgDatabases.add(target);
        postgres("postgres", "CREATE DATABASE " + target);
        postgres(target, sql);
        return target;
    }

    private static void postgres(String db, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(PG_URL + db, "postgres", ""); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private static String postgresValue(String db, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(PG_URL + db, "postgres", ""); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static void mariadb(String db, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(MARIA_URL + (db == null ? "" : db) + "?sslMode=disable", "root", "");
             Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    /** The last column of the first row ({@code CHECKSUM TABLE} answers name and checksum). */
    private static String mariadbValue(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(MARIA_URL + "?sslMode=disable", "root", "");
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(rs.getMetaData().getColumnCount());
        }
    }

    /** A private redis-server on a free loopback port, with a password; stopped after the class. */
    private static int startRedis(String password) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path dir = temp.resolve("redis-" + port);
        Files.createDirectories(dir);
        Path config = dir.resolve("redis.conf");
        // the password goes in a config file, not on the server's command line
        Files.writeString(config, "requirepass " + password + "\n");
        Process p = new ProcessBuilder(List.of("redis-server", config.toString(), "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--databases", "16",
                "--repl-diskless-sync-delay", "0")).redirectErrorStream(true).redirectOutput(dir.resolve("log").toFile())
                .start();
        redisServers.add(p);
        for (int i = 0; i < 400; i++) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return port;
            } catch (IOException notYet) {
                if (!p.isAlive()) {
                    fail("redis-server exited: " + Files.readString(dir.resolve("log")));
                }
                Thread.sleep(25);
            }
        }
        return fail("redis-server did not start on port " + port);
    }

    /**
     * Runs one command on a connection of its own, after AUTH and a SELECT of the database last chosen
     * with {@code resp(port, password, "SELECT", n)} (remembered in {@link #redisDb}), and returns the
     * reply as text.
     */
    private static String resp(int port, String password, String... command) throws IOException {
        if (command[0].equals("SELECT")) {
            redisDb.put(port, command[1]);
            return "OK";
        }
        try (Socket s = new Socket("127.0.0.1", port)) {
            OutputStream out = s.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            send(out, "AUTH", password);
            read(in);
            send(out, "SELECT", redisDb.getOrDefault(port, "0"));
            read(in);
            send(out, command);
            return read(in);
        }
    }

    private static final java.util.Map<Integer, String> redisDb = new java.util.concurrent.ConcurrentHashMap<>();

    private static void send(OutputStream out, String... parts) throws IOException {
        StringBuilder b = new StringBuilder("*").append(parts.length).append("\r\n");
        for (String part : parts) {
            b.append('$').append(part.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(part).append("\r\n");
        }
        out.write(b.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static String read(BufferedReader in) throws IOException {
        String line = in.readLine();
        if (line.startsWith("-")) {
            fail("redis said " + line);
        }
        if (line.startsWith("$")) {
            return Integer.parseInt(line.substring(1)) < 0 ? null : in.readLine();
        }
        return line.substring(1);
    }
}
