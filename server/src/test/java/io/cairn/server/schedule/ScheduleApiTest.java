package io.cairn.server.schedule;

import static io.cairn.server.job.BackupTestSupport.createSource;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.server.ServerTestBase;
import io.cairn.server.TestHttp;
import io.cairn.server.user.Role;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** /api/v1/schedules: create from a preset or cron, preview, field errors, roles, enable/disable, delete, audit. */
class ScheduleApiTest extends ServerTestBase {

    @Autowired
    JdbcClient jdbc;
    @Autowired
    ScheduleService service;
    @Autowired
    com.github.kagkarlsson.scheduler.SchedulerClient scheduler;
    @Autowired
    com.github.kagkarlsson.scheduler.task.helper.CustomTask<Void> task;
    @TempDir
    Path dir;

    private TestHttp operator;
    private long source;

    @BeforeEach
    void operatorAndSource() throws Exception {
        operator = http().withBearer(tokenFor(newUser(Role.OPERATOR)));
        Path folder = Files.createDirectories(dir.resolve("data"));
        source = createSource(operator, "{\"name\":\"sched " + System.nanoTime() + "\",\"type\":\"PATH\",\"path\":\""
                + folder + "\"}");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private long executionRows(long scheduleId) {
        return jdbc.sql("SELECT COUNT(*) FROM scheduled_tasks WHERE task_name = ? AND task_instance = ?")
                .param(ScheduleFiring.TASK_NAME).param(Long.toString(scheduleId)).query(Long.class).single();
    }

    @Test
    void a_daily_preset_becomes_a_described_schedule_with_five_next_runs_and_one_planned_execution() {
        var r = operator.postJson("/api/v1/schedules", "{\"name\":\"Nightly\",\"sourceId\":" + source
                + ",\"preset\":\"DAILY\",\"at\":\"02:00\",\"zone\":\"Europe/Berlin\",\"backupType\":\"FULL\","
                + "\"compression\":\"MAX\",\"retention\":{\"keepDaily\":7,\"keepWeekly\":4}}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonNode s = parse(r.body());
        long id = s.get("id").asLong();
        assertThat(s.get("cron").asText()).isEqualTo("0 2 * * *");
        assertThat(s.get("description").asText()).isEqualTo("every day at 02:00 Europe/Berlin");
        assertThat(s.get("nextRuns").size()).isEqualTo(5);
        assertThat(s.get("missedRunPolicy").asText()).isEqualTo("RUN_ONCE");
        assertThat(s.get("backupType").asText()).isEqualTo("FULL");
        assertThat(s.get("compression").asText()).isEqualTo("MAX");
        assertThat(s.get("retentionDescription").asText()).contains("7 daily").contains("4 weekly");
        Instant next = Instant.parse(s.get("nextRunAt").asText());
        assertThat(next).isEqualTo(Instant.parse(s.get("nextRuns").get(0).asText()));
        assertThat(executionRows(id)).isEqualTo(1);

        var list = parse(operator.get("/api/v1/schedules").body());
        assertThat(list.valueStream().map(n -> n.get("id").asLong())).contains(id);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_events WHERE action = 'schedule.created' AND target = ?")
                .param("schedule Nightly").query(Long.class).single()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void the_preview_describes_a_cron_expression_and_lists_its_next_runs() {
        var r = operator.get("/api/v1/schedules/preview?cron=" + URLEncoder.encode("30 4 * * MON", StandardCharsets.UTF_8)
                + "&zone=UTC");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode p = parse(r.body());
        assertThat(p.get("description").asText()).isEqualTo("every Monday at 04:30 UTC");
        assertThat(p.get("nextRuns").size()).isEqualTo(5);
        assertThat(p.get("nextRuns").get(0).asText()).contains("T04:30:00");
    }

    @Test
    void an_invalid_cron_is_a_400_naming_the_bad_field() {
        var r = operator.postJson("/api/v1/schedules", "{\"name\":\"Bad\",\"sourceId\":" + source
                + ",\"cron\":\"0 25 * * *\",\"zone\":\"UTC\"}");
        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode problem = parse(r.body());
        assertThat(problem.get("errors").get(0).get("field").asText()).isEqualTo("hour");
        assertThat(problem.get("errors").get(0).get("message").asText()).contains("hour field \"25\"").contains("0-23");

        var preview = operator.get("/api/v1/schedules/preview?cron=" + URLEncoder.encode("*/0 * * * *",
                StandardCharsets.UTF_8) + "&zone=UTC");
        assertThat(preview.statusCode()).isEqualTo(400);
        assertThat(parse(preview.body()).get("errors").get(0).get("field").asText()).isEqualTo("minute");

        var noTarget = operator.postJson("/api/v1/schedules", "{\"name\":\"\",\"cron\":\"0 2 * * *\",\"zone\":\"Nowhere/City\","
                + "\"retention\":{\"keepWithin\":\"soon\",\"force\":false}}");
        assertThat(noTarget.statusCode()).isEqualTo(400);
        assertThat(parse(noTarget.body()).get("errors").valueStream().map(e -> e.get("field").asText()))
                .contains("name", "sourceId", "zone", "retention.keepWithin");
    }

    @Test
    void a_viewer_reads_schedules_but_cannot_change_them() {
        TestHttp viewer = http().withBearer(tokenFor(newUser(Role.VIEWER)));
        assertThat(viewer.get("/api/v1/schedules").statusCode()).isEqualTo(200);
        assertThat(viewer.postJson("/api/v1/schedules", "{\"name\":\"V\",\"sourceId\":" + source
                + ",\"cron\":\"0 2 * * *\"}").statusCode()).isEqualTo(403);
    }

    @Test
    void disabling_removes_the_planned_run_enabling_plans_it_again_and_deleting_removes_everything() {
        JsonNode s = parse(operator.postJson("/api/v1/schedules", "{\"name\":\"Hourly " + System.nanoTime()
                + "\",\"sourceId\":" + source + ",\"preset\":\"HOURLY\",\"at\":\"00:15\"}").body());
        long id = s.get("id").asLong();
        assertThat(s.get("description").asText()).isEqualTo("every hour at :15 UTC");

        JsonNode disabled = parse(operator.postJson("/api/v1/schedules/" + id + "/disable", null).body());
        assertThat(disabled.get("enabled").asBoolean()).isFalse();
        assertThat(disabled.get("nextRuns").size()).isZero();
        assertThat(disabled.get("nextRunAt").isNull()).isTrue();
        assertThat(executionRows(id)).isZero();

        JsonNode enabled = parse(operator.postJson("/api/v1/schedules/" + id + "/enable", null).body());
        assertThat(enabled.get("enabled").asBoolean()).isTrue();
        assertThat(executionRows(id)).isEqualTo(1);

        var changed = operator.send("PUT", "/api/v1/schedules/" + id, "{\"name\":\"Weekly\",\"sourceId\":" + source
                + ",\"preset\":\"WEEKLY\",\"at\":\"03:00\",\"dayOfWeek\":\"SUNDAY\",\"zone\":\"Europe/Berlin\","
                + "\"missedRunPolicy\":\"SKIP\",\"jitterSeconds\":60}");
        assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
        assertThat(parse(changed.body()).get("description").asText()).isEqualTo("every Sunday at 03:00 Europe/Berlin");
        assertThat(parse(changed.body()).get("missedRunPolicy").asText()).isEqualTo("SKIP");

        assertThat(operator.send("DELETE", "/api/v1/schedules/" + id, null).statusCode()).isEqualTo(204);
        assertThat(executionRows(id)).isZero();
        assertThat(operator.get("/api/v1/schedules/" + id).statusCode()).isEqualTo(404);
    }

    @Test
    void at_start_up_a_schedule_without_a_planned_run_gets_one_and_an_overdue_run_fires_once_by_its_missed_run_policy() {
        JsonNode created = parse(operator.postJson("/api/v1/schedules", "{\"name\":\"Startup " + System.nanoTime()
                + "\",\"sourceId\":" + source + ",\"cron\":\"0 4 * * *\"}").body());
        long id = created.get("id").asLong();
        jdbc.sql("DELETE FROM scheduled_tasks WHERE task_name = ? AND task_instance = ?").param(ScheduleFiring.TASK_NAME)
                .param(Long.toString(id)).update();
        service.ensureExecutions();
        assertThat(executionRows(id)).as("the missing execution is planned again").isEqualTo(1);

        JsonNode overdue = parse(operator.postJson("/api/v1/schedules", "{\"name\":\"Overdue " + System.nanoTime()
                + "\",\"sourceId\":" + source + ",\"cron\":\"0 4 * * *\",\"zone\":\"UTC\"}").body());
        long overdueId = overdue.get("id").asLong();
        // As if every server had been down since 1 January: the planned execution is long overdue.
        scheduler.reschedule(task.instance(Long.toString(overdueId)), Instant.parse("2026-01-01T04:00:00Z"));
        service.ensureExecutions();

        Instant deadline = Instant.now().plusSeconds(20);
        JsonNode after = parse(operator.get("/api/v1/schedules/" + overdueId).body());
        while (after.get("lastRunOutcome").isNull() && Instant.now().isBefore(deadline)) {
            sleep(200);
            after = parse(operator.get("/api/v1/schedules/" + overdueId).body());
        }
        assertThat(after.get("lastRunOutcome").asText()).as("the scheduler fired the overdue run by its policy")
                .isEqualTo("Missed the run of 2026-01-01 04:00; ran it once at start-up: 1 backup queued.");
        assertThat(Instant.parse(after.get("nextRunAt").asText())).isAfter(Instant.now());
        assertThat(executionRows(overdueId)).isEqualTo(1);
    }
}
