package io.cairn.server.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.server.CairnServer;
import io.cairn.server.job.BackupType;
import io.cairn.server.persistence.MetadataDatabase;
import io.cairn.server.source.Source;
import io.cairn.server.source.SourceRequest;
import io.cairn.server.source.SourceService;
import io.cairn.server.source.SourceType;
import io.cairn.server.user.SetupService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Two Cairn servers on one PostgreSQL database share a schedule that fires every 3 seconds: every
 * scheduled instant queues its backup exactly once, and both servers stay up. (The servers share one data
 * directory, as two processes on one host sharing its repository would.)
 */
class ClusteredSchedulesTest {

    private static String database;
    private static ConfigurableApplicationContext nodeA;
    private static ConfigurableApplicationContext nodeB;

    @BeforeAll
    static void startTwoServers() throws Exception {
        database = MetadataDatabase.createPostgresDatabase();
        Path dataDir = Files.createTempDirectory("cairn-cluster");
        nodeA = start("node-a", dataDir);
        nodeB = start("node-b", dataDir);
    }

    private static ConfigurableApplicationContext start(String name, Path dataDir) {
        // As command-line arguments: they win over application.yml (default properties would not).
        return new SpringApplicationBuilder(CairnServer.class).run(
                "--cairn.data-dir=" + dataDir,
                "--cairn.database.url=jdbc:postgresql://127.0.0.1:5432/" + database,
                "--cairn.database.username=postgres",
                "--cairn.database.password=",
                "--server.port=0",
                "--server.address=127.0.0.1",
                "--cairn.cluster.node-name=" + name,
                "--db-scheduler.scheduler-name=" + name,
                "--db-scheduler.polling-interval=1s");
    }

    @AfterAll
    static void stop() throws Exception {
        if (nodeA != null) {
            nodeA.close();
        }
        if (nodeB != null) {
            nodeB.close();
        }
        if (database != null) {
            MetadataDatabase.dropPostgresDatabase(database);
        }
    }

    @Test
    void every_firing_of_a_shared_schedule_queues_its_backup_exactly_once() throws Exception {
        nodeA.getBean(SetupService.class).createFirstAdmin("admin", "correct horse battery staple",
                "correct horse battery staple");
        Path folder = Files.createDirectories(Files.createTempDirectory("cairn-cluster-src").resolve("data"));
        Files.writeString(folder.resolve("a.txt"), "clustered\n");
        Source source = nodeA.getBean(SourceService.class).create(new SourceRequest("clustered", SourceType.PATH, null,
                null, null, null, null, null, null, null, null, folder.toString(), List.of(), List.of(), null));
        ScheduleService schedules = nodeB.getBean(ScheduleService.class);
        Schedule schedule = schedules.create(new ScheduleRequest("every 3 s", source.id().value(), null,
                "*/3 * * * * *", null, null, null, null, "UTC", BackupType.INCREMENTAL, null, true,
                MissedRunPolicy.RUN_ONCE, 0, RetentionSettings.NONE));

        Thread.sleep(Duration.ofSeconds(25).toMillis());
        schedules.setEnabled(schedule.id(), false);
        JdbcClient jdbc = nodeA.getBean(JdbcClient.class);
        Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline) && jdbc.sql("SELECT COUNT(*) FROM jobs WHERE status IN ('QUEUED', "
                + "'RUNNING')").query(Long.class).single() > 0) {
            Thread.sleep(200);
        }

        List<Map<String, Object>> perFiring = jdbc.sql("SELECT fired_for, COUNT(*) AS n FROM schedule_jobs "
                + "WHERE schedule_id = ? GROUP BY fired_for ORDER BY fired_for").param(schedule.id().value())
                .query().listOfRows();
        assertThat(perFiring).as("firings that queued a backup").hasSizeGreaterThanOrEqualTo(4);
        assertThat(perFiring).allSatisfy(row -> assertThat(((Number) row.get("n")).longValue())
                .as("backups queued for the firing at " + row.get("fired_for")).isEqualTo(1));
        long scheduledJobs = jdbc.sql("SELECT COUNT(*) FROM jobs WHERE trigger_kind = 'SCHEDULE'").query(Long.class)
                .single();
        assertThat(scheduledJobs).isEqualTo(perFiring.size());
        assertThat(jdbc.sql("SELECT COUNT(*) FROM jobs WHERE trigger_kind = 'SCHEDULE' AND status <> 'SUCCEEDED'")
                .query(Long.class).single()).as("every scheduled backup succeeded").isZero();
        long distinctInstants = jdbc.sql("SELECT COUNT(DISTINCT fired_for) FROM schedule_jobs WHERE schedule_id = ?")
                .param(schedule.id().value()).query(Long.class).single();
        assertThat(distinctInstants).isEqualTo(perFiring.size());
        assertThat(nodeA.isRunning()).isTrue();
        assertThat(nodeB.isRunning()).isTrue();
    }
}
