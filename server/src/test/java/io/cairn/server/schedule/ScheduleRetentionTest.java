package io.cairn.server.schedule;

import static io.cairn.server.job.BackupTestSupport.awaitEnd;
import static io.cairn.server.job.BackupTestSupport.createSource;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.server.ServerTestBase;
import io.cairn.server.TestHttp;
import io.cairn.server.job.BackupType;
import io.cairn.server.job.JobService;
import io.cairn.server.source.SourceService;
import io.cairn.server.user.Role;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import tools.jackson.databind.JsonNode;

/** Retention after scheduled backups on the real server: keep-last applied after each, and the dry run. */
class ScheduleRetentionTest extends ServerTestBase {

    @Autowired
    Schedules schedules;
    @Autowired
    JobService jobs;
    @Autowired
    SourceService sources;
    @Autowired
    PlatformTransactionManager transactions;
    @Autowired
    JdbcClient jdbc;
    @TempDir
    Path dir;

    @Test
    void after_each_scheduled_backup_only_the_last_two_stay_and_the_dry_run_says_why() throws Exception {
        TestHttp operator = http().withBearer(tokenFor(newUser(Role.OPERATOR)));
        Path folder = Files.createDirectories(dir.resolve("data"));
        long source = createSource(operator, "{\"name\":\"keep " + System.nanoTime() + "\",\"type\":\"PATH\",\"path\":\""
                + folder + "\"}");
        MutableClock clock = new MutableClock(Instant.parse("2026-05-01T00:00:00Z"));
        ScheduleFiring firing = new ScheduleFiring(schedules, jobs, sources, transactions, clock, new SplittableRandom(1));
        ScheduleId id = schedules.insert(new Schedules.Row("keep two " + System.nanoTime(), source, null, "0 * * * *",
                "UTC", BackupType.INCREMENTAL, null, true, MissedRunPolicy.RUN_ONCE, 0,
                new RetentionSettings(2, null, null, null, null, null, null, null, false)), clock.instant());

        List<Long> jobIds = new ArrayList<>();
        for (int hour = 1; hour <= 3; hour++) {
            Files.writeString(folder.resolve("file.txt"), "version " + hour + "\n");
            Instant due = Instant.parse("2026-05-01T00:00:00Z").plus(Duration.ofHours(hour));
            clock.set(due.plusSeconds(1));
            long job = firing.fire(id, due).jobIds().get(0);
            assertThat(awaitEnd(operator, job, Duration.ofMinutes(1)).get("status").asText()).isEqualTo("SUCCEEDED");
            jobIds.add(job);
        }

        Instant deadline = Instant.now().plusSeconds(30);
        while (operator.get("/api/v1/backup/" + jobIds.get(0)).statusCode() != 404 && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
        assertThat(operator.get("/api/v1/backup/" + jobIds.get(0)).statusCode())
                .as("the oldest scheduled backup was removed by keep-last 2").isEqualTo(404);
        assertThat(operator.get("/api/v1/backup/" + jobIds.get(1)).statusCode()).isEqualTo(200);
        assertThat(operator.get("/api/v1/backup/" + jobIds.get(2)).statusCode()).isEqualTo(200);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_events WHERE action = 'retention.applied' AND details LIKE ?")
                .param("%removed 1, kept 2%").query(Long.class).single()).isGreaterThanOrEqualTo(1);

        var r = operator.get("/api/v1/schedules/" + id + "/retention/dry-run");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode decision = parse(r.body()).get(0).get("decision");
        assertThat(decision.get("kept").size()).isEqualTo(2);
        assertThat(decision.get("removed").size()).isZero();
        assertThat(decision.get("kept").get(0).get("reasons").get(0).asText()).isEqualTo("last snapshot");
        assertThat(decision.get("refused").asBoolean()).isFalse();
    }

    @Test
    void the_retry_of_a_scheduled_backup_applies_the_schedules_retention_like_the_backup_it_retries() throws Exception {
        TestHttp operator = http().withBearer(tokenFor(newUser(Role.OPERATOR)));
        Path folder = Files.createDirectories(dir.resolve("retried"));
        Files.writeString(folder.resolve("file.txt"), "first\n");
        long source = createSource(operator, "{\"name\":\"retried " + System.nanoTime() + "\",\"type\":\"PATH\","
                + "\"path\":\"" + folder + "\"}");
        MutableClock clock = new MutableClock(Instant.parse("2026-05-01T00:00:00Z"));
        ScheduleFiring firing = new ScheduleFiring(schedules, jobs, sources, transactions, clock, new SplittableRandom(1));
        ScheduleId id = schedules.insert(new Schedules.Row("keep one " + System.nanoTime(), source, null, "0 * * * *",
                "UTC", BackupType.INCREMENTAL, null, true, MissedRunPolicy.RUN_ONCE, 0,
                new RetentionSettings(1, null, null, null, null, null, null, null, false)), clock.instant());
        Instant due = Instant.parse("2026-05-01T01:00:00Z");
        clock.set(due.plusSeconds(1));
        long first = firing.fire(id, due).jobIds().get(0);
        assertThat(awaitEnd(operator, first, Duration.ofMinutes(1)).get("status").asText()).isEqualTo("SUCCEEDED");

        // What a server does when the server that ran a scheduled backup stopped: the same backup, queued again.
        Files.writeString(folder.resolve("file.txt"), "second\n");
        long retry = jdbc.sql("INSERT INTO jobs (source_id, repository_id, project_id, backup_type, status, trigger_kind, "
                        + "requested_by, verify, compression, queued_at, retry_of) SELECT source_id, repository_id, "
                        + "project_id, backup_type, 'QUEUED', trigger_kind, requested_by, verify, compression, "
                        + "queued_at + 1, id FROM jobs WHERE id = ? RETURNING id")
                .param(first).query(Long.class).single();
        assertThat(awaitEnd(operator, retry, Duration.ofMinutes(1)).get("status").asText()).isEqualTo("SUCCEEDED");

        Instant deadline = Instant.now().plusSeconds(30);
        while (operator.get("/api/v1/backup/" + first).statusCode() != 404 && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
        assertThat(operator.get("/api/v1/backup/" + first).statusCode())
                .as("keep-last 1 ran after the retry, as after any backup of the schedule").isEqualTo(404);
        assertThat(operator.get("/api/v1/backup/" + retry).statusCode()).isEqualTo(200);
    }
}
