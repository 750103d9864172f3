package io.cairn.server.schedule;

import static io.cairn.server.job.BackupTestSupport.awaitEnd;
import static io.cairn.server.job.BackupTestSupport.createSource;
import static io.cairn.server.job.BackupTestSupport.start;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.server.ServerTestBase;
import io.cairn.server.TestHttp;
import io.cairn.server.repository.RepositoryId;
import io.cairn.server.repository.RepositoryService;
import io.cairn.server.user.Role;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Prune per repository: weekly by default, a schedule that can be changed (a bad cron field is a 400 naming
 * it), a prune now that frees the space of a deleted backup and reports it, a due prune started once by the
 * scheduler's check, and only admins prune.
 */
class RepositoryPruningTest extends ServerTestBase {

    @Autowired
    RepositoryService repositories;
    @Autowired
    RepositoryPruning pruning;

    private long repositoryId() {
        return repositories.list().get(0).id().value();
    }

    private JsonNode awaitPrune(TestHttp api, long repo, long pruneId) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (Instant.now().isBefore(deadline)) {
            for (JsonNode p : parse(api.get("/api/v1/repositories/" + repo + "/prune").body()).get("recent")) {
                if (p.get("id").asLong() == pruneId && !p.get("status").asText().equals("RUNNING")) {
                    return p;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("prune " + pruneId + " did not end");
    }

    @Test
    void a_prune_now_frees_the_space_of_a_deleted_backup_and_says_how_much() throws Exception {
        TestHttp admin = http().withBearer(tokenFor(newUser(Role.ADMIN)));
        long repo = repositoryId();
        Path folder = Files.createTempDirectory("cairn-prune-src");
        byte[] data = new byte[3 << 20];
        new Random(11).nextBytes(data);
        Files.write(folder.resolve("unique.bin"), data);
        long source = createSource(admin, "{\"name\":\"prune " + folder.getFileName() + "\",\"type\":\"PATH\",\"path\":\""
                + folder + "\"}");
        long job = start(admin, source, null);
        assertThat(awaitEnd(admin, job, Duration.ofMinutes(2)).get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(admin.send("DELETE", "/api/v1/backup/" + job, null).statusCode()).isIn(200, 204);

        var started = admin.postJson("/api/v1/repositories/" + repo + "/prune", "");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        JsonNode prune = awaitPrune(admin, repo, parse(started.body()).get("id").asLong());
        assertThat(prune.get("status").asText()).as(prune.toString()).isEqualTo("SUCCEEDED");
        assertThat(prune.get("trigger").asText()).isEqualTo("MANUAL");
        assertThat(prune.get("bytesFreed").asLong()).as("the deleted backup's 3 MiB of random data").isGreaterThan(2_000_000);
        assertThat(prune.get("packsRemoved").asInt()).isPositive();

        TestHttp web = signedInAs(newUser(Role.VIEWER).username());
        assertThat(web.get("/repositories/" + repo + "/prune").body()).contains("every Sunday at 03:00 UTC")
                .contains("freed").doesNotContain("Prune now");
    }

    @Test
    void the_schedule_is_weekly_by_default_changes_with_a_clear_error_and_a_due_prune_runs_once() throws Exception {
        TestHttp admin = http().withBearer(tokenFor(newUser(Role.ADMIN)));
        long repo = repositoryId();
        JsonNode state = parse(admin.get("/api/v1/repositories/" + repo + "/prune").body());
        assertThat(state.get("schedule").get("cron").asText()).isEqualTo(RepositoryPruning.DEFAULT_CRON);
        assertThat(state.get("schedule").get("description").asText()).isEqualTo("every Sunday at 03:00 UTC");

        var bad = admin.send("PUT", "/api/v1/repositories/" + repo + "/prune", "{\"cron\":\"0 3 * * FUNDAY\"}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("day-of-week field \\\"FUNDAY\\\"");

        var changed = admin.send("PUT", "/api/v1/repositories/" + repo + "/prune", "{\"cron\":\"0 * * * *\",\"zone\":\"UTC\"}");
        assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
        assertThat(parse(changed.body()).get("description").asText()).isEqualTo("every hour at :00 UTC");

        Instant later = Instant.now().plus(Duration.ofHours(2));
        int before = parse(admin.get("/api/v1/repositories/" + repo + "/prune").body()).get("recent").size();
        assertThat(pruning.runDue(later)).as("an hourly prune is due two hours on").isEqualTo(1);
        assertThat(pruning.runDue(later)).as("and once only").isZero();
        JsonNode recent = parse(admin.get("/api/v1/repositories/" + repo + "/prune").body()).get("recent");
        assertThat(recent.size()).isEqualTo(Math.min(10, before + 1));
        assertThat(recent.get(0).get("trigger").asText()).isEqualTo("SCHEDULE");
        assertThat(recent.get(0).get("status").asText()).isEqualTo("SUCCEEDED");

        admin.send("PUT", "/api/v1/repositories/" + repo + "/prune", "{\"enabled\":false}");
        assertThat(pruning.runDue(later.plus(Duration.ofDays(30)))).as("off: no scheduled prune").isZero();
        admin.send("PUT", "/api/v1/repositories/" + repo + "/prune", "{}");
        assertThat(pruning.schedule(new RepositoryId(repo)).cron()).isEqualTo(RepositoryPruning.DEFAULT_CRON);
    }

    @Test
    void only_admins_prune_or_change_the_schedule() {
        long repo = repositoryId();
        TestHttp operator = http().withBearer(tokenFor(newUser(Role.OPERATOR)));
        assertThat(operator.postJson("/api/v1/repositories/" + repo + "/prune", "").statusCode()).isEqualTo(403);
        assertThat(operator.send("PUT", "/api/v1/repositories/" + repo + "/prune", "{}").statusCode()).isEqualTo(403);
        assertThat(operator.get("/api/v1/repositories/" + repo + "/prune").statusCode()).isEqualTo(200);
    }
}
