package io.cairn.server.job;

import static io.cairn.server.job.BackupTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.dumps.ConnectionSpec;
import io.cairn.dumps.RestoreOptions;
import io.cairn.dumps.Secret;
import io.cairn.dumps.SourceKind;
import io.cairn.dumps.TlsMode;
import io.cairn.dumps.mysql.MysqlAdapter;
import io.cairn.dumps.postgres.PostgresAdapter;
import io.cairn.dumps.tool.Toolbox;
import io.cairn.server.ServerTestBase;
import io.cairn.server.TestHttp;
import io.cairn.server.repository.RepositoryService;
import io.cairn.server.user.Role;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Backups of the real databases on this machine, started through the API: the snapshot holds exactly
 * the data (restored into a scratch database and compared by per-table checksums), the backup records
 * what it holds, a killed dump tool fails the job without a snapshot, and a wrong login fails clearly.
 */
class DatabaseBackupTest extends ServerTestBase {

    @Autowired
    RepositoryService repositories;

    private TestHttp api;
    private final List<String> pgDatabases = new java.util.ArrayList<>();
    private final List<String> mariaDatabases = new java.util.ArrayList<>();

    @BeforeEach
    void operator() {
        api = http().withBearer(tokenFor(newUser(Role.OPERATOR)));
    }

    @AfterEach
    void dropDatabases() throws Exception {
        for (String db : pgDatabases) {
            postgres("postgres", "DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
        }
        for (String db : mariaDatabases) {
            mariadb("DROP DATABASE IF EXISTS " + db);
        }
    }

    private String newPostgresDatabase() throws Exception {
        String db = randomName("cairn_src_");
        postgres("postgres", "CREATE DATABASE " + db);
        pgDatabases.add(db);
        return db;
    }

    @Test
    void a_postgresql_backup_holds_exactly_the_data_and_says_what_it_holds() throws Exception {
        String db = newPostgresDatabase();
        postgres(db, "CREATE TABLE orders (id int PRIMARY KEY, customer text, amount numeric(10,2), note text, "
                + "payload bytea, placed timestamptz);"
                + "INSERT INTO orders SELECT g, 'customer ' || g || ' ✓ Ünïcødé', g * 1.25, "
                + "CASE WHEN g % 7 = 0 THEN NULL ELSE repeat('x', g % 300) END, decode(md5(g::text), 'hex'), "
                + "'2026-01-01'::timestamptz + g * interval '1 minute' FROM generate_series(1, 5000) g;"
                + "CREATE TABLE items (id serial PRIMARY KEY, name text NOT NULL); "
                + "INSERT INTO items (name) SELECT 'item ' || g FROM generate_series(1, 321) g;"
                + "CREATE VIEW big_orders AS SELECT * FROM orders WHERE amount > 100;");
        long source = createSource(api, "{\"name\":\"pg " + db + "\",\"type\":\"POSTGRESQL\",\"host\":\"127.0.0.1\","
                + "\"database\":\"" + db + "\",\"username\":\"postgres\",\"tlsMode\":\"DISABLE\"}");
        long job = start(api, source, "\"verify\":true");
        JsonNode backup = awaitEnd(api, job, Duration.ofMinutes(3));
        assertThat(backup.get("status").asText()).as(backup.toString()).isEqualTo("SUCCEEDED");
        assertThat(backup.get("bytesRead").asLong()).isPositive();

        JsonNode tables = backup.get("contents").get("databases").get(0).get("tables");
        assertThat(backup.get("contents").get("server").asText()).isEqualTo("PostgreSQL");
        assertThat(backup.get("contents").get("version").asText()).startsWith("15");
        assertThat(tables.valueStream().filter(t -> t.get("name").asText().equals("public.orders")).findFirst()
                .orElseThrow().get("rows").asLong()).isEqualTo(5000);
        assertThat(tables.valueStream().filter(t -> t.get("name").asText().equals("public.items")).findFirst()
                .orElseThrow().get("rows").asLong()).isEqualTo(321);

        String scratch = randomName("cairn_scratch_");
        pgDatabases.add(scratch);
        PostgresAdapter adapter = new PostgresAdapter(Toolbox.fromEnvironment());
        ConnectionSpec target = ConnectionSpec.server(SourceKind.POSTGRESQL, "127.0.0.1", 5432, scratch, "postgres",
                Secret.none(), TlsMode.DISABLE);
        readDump(repositories, backup.get("repositoryId") == null ? 1 : 1, backup.get("snapshotId").asText(),
                in -> adapter.restore(target, in, RestoreOptions.defaults().creatingDatabase()));
        try (var repo = repositories.open(new io.cairn.server.repository.RepositoryId(1))) {
            assertThat(repo.loadSnapshot(backup.get("snapshotId").asText()).snapshot().tags())
                    .as("the repository alone says what the dump is").contains("kind-postgresql", "database-" + db);
        }
        for (String table : List.of("orders", "items")) {
            String checksum = "SELECT md5(string_agg(t::text, '|' ORDER BY id)) FROM " + table + " t";
            assertThat(postgresValue(scratch, checksum)).as(table).isEqualTo(postgresValue(db, checksum));
        }
        assertThat(postgresValue(scratch, "SELECT count(*) FROM big_orders")).isEqualTo(postgresValue(db,
                "SELECT count(*) FROM big_orders"));

        JsonNode logs = JSON.readTree(api.get("/api/v1/backup/logs?jobId=" + job).body());
        assertThat(logs.valueStream().map(l -> l.get("text").asText()).toList())
                .anyMatch(l -> l.startsWith("Backing up PostgreSQL"))
                .anyMatch(l -> l.contains("Verified"));
        JsonNode telemetry = JSON.readTree(api.get("/api/v1/telemetry/history/" + job).body());
        assertThat(telemetry.get("rollup").get("averageBps").asLong()).isPositive();
    }

    @Test
    void a_mariadb_backup_holds_exactly_the_data() throws Exception {
        String db = randomName("cairn_src_");
        mariaDatabases.add(db);
        mariadb("CREATE DATABASE " + db);
        mariadb("CREATE TABLE " + db + ".orders (id INT PRIMARY KEY, customer VARCHAR(100) CHARACTER SET utf8mb4, "
                + "amount DECIMAL(10,2), note TEXT NULL, payload BLOB) ENGINE=InnoDB");
        StringBuilder insert = new StringBuilder("INSERT INTO " + db + ".orders VALUES ");
        for (int i = 1; i <= 2000; i++) {
            insert.append(i > 1 ? "," : "").append('(').append(i).append(", 'customer ").append(i).append(" ✓ Ünï', ")
                    .append(i).append(".50, ").append(i % 5 == 0 ? "NULL" : "'note " + i + "'").append(", UNHEX(MD5(")
                    .append(i).append(")))");
        }
        mariadb(insert.toString());
        try (var c = java.sql.DriverManager.getConnection("jdbc:mariadb://127.0.0.1:3306/" + db + "?sslMode=disable",
                "root", ""); var st = c.createStatement()) {
            st.execute("CREATE TRIGGER orders_bi BEFORE INSERT ON orders FOR EACH ROW SET NEW.note = COALESCE(NEW.note, 'none')");
        }
        long source = createSource(api, "{\"name\":\"maria " + db + "\",\"type\":\"MYSQL\",\"host\":\"127.0.0.1\","
                + "\"database\":\"" + db + "\",\"username\":\"root\",\"tlsMode\":\"DISABLE\"}");
        JsonNode backup = awaitEnd(api, start(api, source, null), Duration.ofMinutes(3));
        assertThat(backup.get("status").asText()).as(backup.toString()).isEqualTo("SUCCEEDED");

        String scratch = randomName("cairn_scratch_");
        mariaDatabases.add(scratch);
        MysqlAdapter adapter = new MysqlAdapter(Toolbox.fromEnvironment());
        ConnectionSpec target = ConnectionSpec.server(SourceKind.MYSQL, "127.0.0.1", 3306, scratch, "root",
                Secret.none(), TlsMode.DISABLE);
        readDump(repositories, 1, backup.get("snapshotId").asText(),
                in -> adapter.restore(target, in, RestoreOptions.defaults().creatingDatabase()));
        assertThat(mariadbValue("CHECKSUM TABLE " + scratch + ".orders"))
                .isEqualTo(mariadbValue("CHECKSUM TABLE " + db + ".orders"));
        assertThat(mariadbValue("SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = '" + scratch + "'"))
                .isEqualTo("1");
    }

    @Test
    void a_redis_backup_restores_into_another_server_with_types_and_ttls() throws Exception {
        String prefix = randomName("cairn:test:");
        try (var redis = new java.net.Socket("127.0.0.1", 6379)) {
            var out = redis.getOutputStream();
            var in = new java.io.BufferedReader(new java.io.InputStreamReader(redis.getInputStream()));
            for (String cmd : List.of("SELECT 14", "SET " + prefix + ":s hello", "HSET " + prefix + ":h a 1 b 2",
                    "RPUSH " + prefix + ":l x y z", "SET " + prefix + ":ttl soon EX 3600")) {
                StringBuilder resp = new StringBuilder("*" + cmd.split(" ").length + "\r\n");
                for (String part : cmd.split(" ")) {
                    resp.append('$').append(part.getBytes(java.nio.charset.StandardCharsets.UTF_8).length).append("\r\n")
                            .append(part).append("\r\n");
                }
                out.write(resp.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                out.flush();
                assertThat(in.readLine()).doesNotStartWith("-");
            }
        }
        long source = createSource(api, "{\"name\":\"redis " + prefix.replace(":", " ") + "\",\"type\":\"REDIS\",\"host\":\"127.0.0.1\","
                + "\"tlsMode\":\"DISABLE\"}");
        JsonNode backup = awaitEnd(api, start(api, source, null), Duration.ofMinutes(2));
        assertThat(backup.get("status").asText()).as(backup.toString()).isEqualTo("SUCCEEDED");
        assertThat(backup.get("contents").get("server").asText()).isEqualTo("Redis");

        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("cairn-redis-target");
        int port;
        try (var probe = new java.net.ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Process target = new ProcessBuilder("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile()).start();
        try {
            for (int i = 0; i < 100; i++) {
                try (var s = new java.net.Socket("127.0.0.1", port)) {
                    break;
                } catch (java.io.IOException notYet) {
                    Thread.sleep(50);
                }
            }
            var adapter = io.cairn.dumps.DatabaseAdapters.standard().forKind(SourceKind.REDIS);
            ConnectionSpec spec = ConnectionSpec.server(SourceKind.REDIS, "127.0.0.1", port, null, null, Secret.none(),
                    TlsMode.DISABLE);
            readDump(repositories, 1, backup.get("snapshotId").asText(),
                    in -> adapter.restore(spec, in, RestoreOptions.defaults()));
            Process cli = new ProcessBuilder("redis-cli", "-p", String.valueOf(port), "-n", "14", "--no-raw", "EVAL",
                    "return {redis.call('GET', KEYS[1]), redis.call('HGET', KEYS[2], 'b'), redis.call('LLEN', KEYS[3]), "
                            + "redis.call('TTL', KEYS[4])}", "4", prefix + ":s", prefix + ":h", prefix + ":l", prefix + ":ttl")
                    .redirectErrorStream(true).start();
            String answer = new String(cli.getInputStream().readAllBytes());
            cli.waitFor();
            assertThat(answer).contains("\"hello\"").contains("\"2\"").contains("(integer) 3");
            String last = answer.strip().lines().reduce((a, b) -> b).orElseThrow();
            long ttl = Long.parseLong(last.substring(last.indexOf("(integer)") + 9).trim());
            assertThat(ttl).isBetween(3000L, 3600L);
        } finally {
            target.destroyForcibly();
        }
    }

    @Test
    void a_dump_tool_killed_mid_backup_fails_the_job_and_leaves_no_snapshot() throws Exception {
        String db = newPostgresDatabase();
        postgres(db, "CREATE TABLE big AS SELECT g AS id, md5(g::text) || repeat(md5((g * 7)::text), 8) AS filler "
                + "FROM generate_series(1, 1500000) g");
        long source = createSource(api, "{\"name\":\"big " + db + "\",\"type\":\"POSTGRESQL\",\"host\":\"127.0.0.1\","
                + "\"database\":\"" + db + "\",\"username\":\"postgres\",\"tlsMode\":\"DISABLE\"}");
        long job = start(api, source, null);
        awaitRunning(api, job, Duration.ofSeconds(60));
        ProcessHandle pgDump = null;
        for (int i = 0; i < 400 && pgDump == null; i++) {
            Optional<ProcessHandle> found = ProcessHandle.current().descendants().filter(p -> p.info().command()
                    .map(c -> c.endsWith("pg_dump")).orElse(false)).findFirst();
            if (found.isPresent()) {
                pgDump = found.get();
            } else {
                Thread.sleep(25);
            }
        }
        assertThat(pgDump).as("pg_dump is running").isNotNull();
        assertThat(pgDump.info().commandLine().orElse("")).as("no password on the command line").doesNotContain("PGPASSWORD");
        Runtime.getRuntime().exec(new String[] {"kill", "-9", String.valueOf(pgDump.pid())}).waitFor();

        JsonNode backup = awaitEnd(api, job, Duration.ofMinutes(2));
        assertThat(backup.get("status").asText()).isEqualTo("FAILED");
        assertThat(backup.get("error").asText()).contains("pg_dump").containsIgnoringCase("signal 9");
        assertThat(backup.get("snapshotId").isNull()).isTrue();
        assertThat(hasSnapshotOfJob(repositories, 1, job)).as("no snapshot of the killed job").isFalse();
    }

    @Test
    void a_source_that_cannot_log_in_fails_with_words_and_no_snapshot() throws Exception {
        String db = newPostgresDatabase();
        long source = createSource(api, "{\"name\":\"nobody " + db + "\",\"type\":\"POSTGRESQL\",\"host\":\"127.0.0.1\","
                + "\"database\":\"" + db + "\",\"username\":\"cairn_nobody\",\"password\":\"s3cret-never-shown\","
                + "\"tlsMode\":\"DISABLE\"}");
        JsonNode test = JSON.readTree(api.postJson("/api/v1/sources/" + source + "/test", null).body());
        assertThat(test.get("ok").asBoolean()).isFalse();
        assertThat(test.get("message").asText()).contains("cairn_nobody").doesNotContain("s3cret-never-shown");

        long job = start(api, source, null);
        JsonNode backup = awaitEnd(api, job, Duration.ofMinutes(2));
        assertThat(backup.get("status").asText()).isEqualTo("FAILED");
        assertThat(backup.get("error").asText()).isNotBlank().doesNotContain("s3cret-never-shown");
        assertThat(hasSnapshotOfJob(repositories, 1, job)).isFalse();
        assertThat(api.get("/api/v1/backup/logs?jobId=" + job).body()).doesNotContain("s3cret-never-shown");
        assertThat(api.get("/api/v1/sources/" + source).body()).doesNotContain("s3cret-never-shown")
                .contains("\"passwordSet\":true");
    }
}
