package io.cairn.server.schedule;

import static io.cairn.server.job.BackupTestSupport.JSON;
import static io.cairn.server.job.BackupTestSupport.postgres;
import static io.cairn.server.job.BackupTestSupport.randomName;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.dumps.TlsMode;
import io.cairn.server.CairnServer;
import io.cairn.server.ServerProcess;
import io.cairn.server.job.BackupType;
import io.cairn.server.persistence.MetadataDatabase;
import io.cairn.server.source.Source;
import io.cairn.server.source.SourceRequest;
import io.cairn.server.source.SourceService;
import io.cairn.server.source.SourceType;
import io.cairn.server.user.SetupService;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import tools.jackson.databind.JsonNode;

/**
 * Two real {@code cairn server} processes share one PostgreSQL database and a schedule that fires every 4
 * seconds, backing up a PostgreSQL database whose table the test holds locked, so that each backup waits
 * inside pg_dump until the test lets it go. First a backup running on one server is cancelled through the
 * other server's API; then the server running the next backup is killed with SIGKILL. The other server
 * notices the silence, marks that backup FAILED naming the dead server, and runs it again; every firing
 * still queued exactly one backup, and nothing stays RUNNING.
 */
class ClusterTakeoverTest {

    private static final String PASSWORD = "correct horse battery staple";
    private static final Duration DEAD_AFTER = Duration.ofSeconds(5);

    private static String metadataDb;
    private static String sourceDb;
    private static Path dataDir;
    private static final Map<String, ServerProcess> nodes = new LinkedHashMap<>();
    private static JdbcClient jdbc;

    @BeforeAll
    static void startTwoServerProcesses() throws Exception {
        metadataDb = MetadataDatabase.createPostgresDatabase();
        sourceDb = randomName("cairn_takeover_");
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "");
             Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + sourceDb);
        }
        postgres(sourceDb, "CREATE TABLE orders (id int PRIMARY KEY, note text); "
                + "INSERT INTO orders SELECT g, 'order ' || g FROM generate_series(1, 100) g;");
        dataDir = Files.createTempDirectory("cairn-takeover");
        jdbc = JdbcClient.create(new DriverManagerDataSource("jdbc:postgresql://127.0.0.1:5432/" + metadataDb,
                "postgres", ""));

        // The first administrator, the source and a schedule (off), made by a server that then stops cleanly.
        try (ConfigurableApplicationContext setup = new SpringApplicationBuilder(CairnServer.class)
                .run(serverArgs("setup", 0).toArray(String[]::new))) {
            setup.getBean(SetupService.class).createFirstAdmin("admin", PASSWORD, PASSWORD);
            Source source = setup.getBean(SourceService.class).create(new SourceRequest("orders", SourceType.POSTGRESQL,
                    null, null, "127.0.0.1", 5432, sourceDb, "postgres", null, null, TlsMode.DISABLE, null, List.of(),
                    List.of(), null));
            setup.getBean(ScheduleService.class).create(new ScheduleRequest("every 4 s", source.id().value(), null,
                    "*/4 * * * * *", null, null, null, null, "UTC", BackupType.INCREMENTAL, null, false,
                    MissedRunPolicy.RUN_ONCE, 0, RetentionSettings.NONE));
        }
        for (String name : List.of("node-a", "node-b")) {
            nodes.put(name, ServerProcess.start(name, dataDir, serverArgs(name, null)));
        }
    }

    /** The arguments of each server; {@code port} null for a child process (it picks its own). */
    private static List<String> serverArgs(String name, Integer port) {
        List<String> args = new ArrayList<>(List.of("--cairn.data-dir=" + dataDir,
                "--cairn.database.url=jdbc:postgresql://127.0.0.1:5432/" + metadataDb,
                "--cairn.database.username=postgres",
                "--cairn.database.password=",
                "--cairn.cluster.node-name=" + name,
                "--cairn.cluster.heartbeat-interval=1s",
                "--cairn.cluster.dead-after=" + DEAD_AFTER.toSeconds() + "s",
                "--db-scheduler.scheduler-name=" + name,
                "--db-scheduler.polling-interval=1s",
                "--db-scheduler.heartbeat-interval=2s"));
        if (port != null) {
            args.addAll(List.of("--server.port=" + port, "--server.address=127.0.0.1"));
        }
        return args;
    }

    @AfterAll
    static void stop() throws Exception {
        for (ServerProcess node : nodes.values()) {
            node.kill();
        }
        if (metadataDb != null) {
            MetadataDatabase.dropPostgresDatabase(metadataDb);
        }
        if (sourceDb != null) {
            MetadataDatabase.dropPostgresDatabase(sourceDb);
        }
    }

    @Test
    void a_backup_on_a_killed_server_is_failed_naming_it_and_run_again_by_the_other_and_no_firing_runs_twice()
            throws Exception {
        long scheduleId = jdbc.sql("SELECT id FROM schedules").query(Long.class).single();
        String token = nodes.get("node-a").accessToken("admin", PASSWORD);
        long killedJob;
        String victimName;
        String firstRunner;
        try (Connection lock = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + sourceDb, "postgres", "")) {
            lock.setAutoCommit(false);
            try (Statement st = lock.createStatement()) {
                st.execute("LOCK TABLE orders IN ACCESS EXCLUSIVE MODE");
            }
            assertThat(nodes.get("node-a").http().withBearer(token)
                    .postJson("/api/v1/schedules/" + scheduleId + "/enable", "{}").statusCode()).isEqualTo(200);

            // 1. A cancel sent to the server that does not run the backup reaches the one that does.
            Map<String, Object> first = awaitRunningJob(0);
            long firstId = ((Number) first.get("id")).longValue();
            firstRunner = (String) first.get("runner_node");
            ServerProcess other = otherThan((String) first.get("runner_node"));
            HttpResponse<String> cancel = other.http().withBearer(other.accessToken("admin", PASSWORD))
                    .postJson("/api/v1/backup/" + firstId + "/cancel", "{}");
            assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(200);
            await(Duration.ofSeconds(15), () -> "CANCELLED".equals(status(firstId)),
                    "backup " + firstId + " on " + first.get("runner_node") + " cancelled through " + other.name());

            // 2. The server running the next backup is killed.
            Map<String, Object> second = awaitRunningJob(firstId);
            killedJob = ((Number) second.get("id")).longValue();
            victimName = (String) second.get("runner_node");
            nodes.get(victimName).kill();
            Thread.sleep(1000);
            lock.rollback(); // the table is free again: backups that wait for it go on
        }

        await(Duration.ofSeconds(60), () -> !"RUNNING".equals(status(killedJob)),
                "the killed server's backup settled by the survivor");
        Map<String, Object> failed = jdbc.sql("SELECT * FROM jobs WHERE id = ?").param(killedJob).query().singleRow();
        assertThat(failed.get("runner_node")).isEqualTo(victimName);
        String survivorName = otherThan(victimName).name();
        assertThat(failed.get("status")).isEqualTo("FAILED");
        assertThat((String) failed.get("error")).contains("Server " + victimName + " stopped")
                .contains("no snapshot was saved").contains("retried once");

        await(Duration.ofSeconds(90), () -> jdbc.sql("SELECT COUNT(*) FROM jobs WHERE retry_of = ? AND status = "
                + "'SUCCEEDED'").param(killedJob).query(Long.class).single() == 1, "the retry of backup " + killedJob
                + " succeeded");
        Map<String, Object> retry = jdbc.sql("SELECT * FROM jobs WHERE retry_of = ?").param(killedJob).query()
                .singleRow();
        assertThat(retry.get("runner_node")).isEqualTo(survivorName);
        assertThat(retry.get("trigger_kind")).isEqualTo("SCHEDULE");

        ServerProcess survivor = nodes.get(survivorName);
        String survivorToken = survivor.accessToken("admin", PASSWORD);
        assertThat(survivor.http().withBearer(survivorToken).postJson("/api/v1/schedules/" + scheduleId + "/disable",
                "{}").statusCode()).isEqualTo(200);
        await(Duration.ofSeconds(90), () -> jdbc.sql("SELECT COUNT(*) FROM jobs WHERE status IN ('QUEUED', 'RUNNING')")
                .query(Long.class).single() == 0, "every queued backup ended");

        List<Map<String, Object>> perFiring = jdbc.sql("SELECT fired_for, COUNT(*) AS n FROM schedule_jobs "
                + "WHERE schedule_id = ? GROUP BY fired_for").param(scheduleId).query().listOfRows();
        assertThat(perFiring).as("firings that queued a backup").hasSizeGreaterThanOrEqualTo(2);
        assertThat(perFiring).allSatisfy(row -> assertThat(((Number) row.get("n")).longValue())
                .as("backups queued for the firing at " + row.get("fired_for")).isEqualTo(1));
        List<Map<String, Object>> others = jdbc.sql("SELECT id, status, error FROM jobs WHERE id NOT IN (?, ?) "
                + "AND id > ?").param(killedJob).param(((Number) retry.get("id")).longValue()).param(firstJob())
                .query().listOfRows();
        assertThat(others).as("every other backup after the cancelled one; jobs: " + jobsTable()).allSatisfy(row ->
                assertThat(row.get("status")).as(row.toString()).isEqualTo("SUCCEEDED"));
        assertThat(jdbc.sql("SELECT COUNT(*) FROM jobs WHERE retry_of IS NOT NULL").query(Long.class).single())
                .as("only the killed server's backup was retried").isEqualTo(1);

        JsonNode backup = JSON.readTree(survivor.http().withBearer(survivorToken).get("/api/v1/backup/" + killedJob).body());
        assertThat(backup.get("server").asText()).isEqualTo(victimName);
        JsonNode retried = JSON.readTree(survivor.http().withBearer(survivorToken)
                .get("/api/v1/backup/" + retry.get("id")).body());
        assertThat(retried.get("retryOf").asLong()).isEqualTo(killedJob);

        JsonNode health = JSON.readTree(survivor.http().withBearer(survivorToken).get("/api/v1/health").body());
        JsonNode servers = health.get("components").valueStream().filter(c -> c.get("name").asText().equals("Servers"))
                .findFirst().orElseThrow();
        assertThat(servers.get("status").asText()).isEqualTo("DEGRADED");
        assertThat(servers.get("message").asText()).contains(survivorName + " (this one)")
                .contains("Stopped without a clean shutdown: " + victimName);

        List<String> audit = jdbc.sql("SELECT actor || ' ' || action || ' ' || COALESCE(details, '') FROM audit_events "
                + "ORDER BY id").query(String.class).list();
        assertThat(audit).anySatisfy(line -> assertThat(line)
                .contains("backup.failed job " + killedJob + ": Server " + victimName + " stopped"));
        assertThat(audit).as("who cancelled, on which server").anySatisfy(line -> assertThat(line)
                .isEqualTo("admin backup.cancel_requested job " + firstJob() + ", running on " + firstRunner));
        assertThat(audit).anySatisfy(line -> assertThat(line).startsWith("system backup.started")
                .contains("retry of job " + killedJob));
    }

    private static String jobsTable() {
        return jdbc.sql("SELECT id, status, runner_node, retry_of, cancel_requested, error FROM jobs ORDER BY id").query()
                .listOfRows().toString();
    }

    /** The id of the first backup (the cancelled one). */
    private static long firstJob() {
        return jdbc.sql("SELECT MIN(id) FROM jobs").query(Long.class).single();
    }

    private static Map<String, Object> awaitRunningJob(long after) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline)) {
            List<Map<String, Object>> rows = jdbc.sql("SELECT id, runner_node FROM jobs WHERE status = 'RUNNING' AND id > ? "
                    + "ORDER BY id").param(after).query().listOfRows();
            if (!rows.isEmpty()) {
                return rows.get(0);
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no backup started running on either server within 60 s");
    }

    private static String status(long jobId) {
        return jdbc.sql("SELECT status FROM jobs WHERE id = ?").param(jobId).query(String.class).single();
    }

    private static ServerProcess otherThan(String name) {
        return nodes.values().stream().filter(n -> !n.name().equals(name)).findFirst().orElseThrow();
    }

    private static void await(Duration timeout, BooleanSupplier condition, String what) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for: " + what);
    }
}
