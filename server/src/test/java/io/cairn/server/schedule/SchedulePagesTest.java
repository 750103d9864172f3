package io.cairn.server.schedule;

import static io.cairn.server.job.BackupTestSupport.createSource;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.server.ServerTestBase;
import io.cairn.server.TestHttp;
import io.cairn.server.user.Role;
import io.cairn.server.user.User;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Schedules pages over HTTP: inline cron errors, create, list, preview fragment, dry run, dashboard panel. */
class SchedulePagesTest extends ServerTestBase {

    @TempDir
    Path dir;

    private Map<String, String> form(String name, long source, String preset, String cron) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("name", name);
        f.put("target", "source:" + source);
        f.put("preset", preset);
        f.put("at", "02:00");
        f.put("dayOfWeek", "SUNDAY");
        f.put("dayOfMonth", "1");
        f.put("cron", cron);
        f.put("zone", "Europe/Berlin");
        f.put("backupType", "INCREMENTAL");
        f.put("missedRunPolicy", "RUN_ONCE");
        f.put("jitterSeconds", "0");
        f.put("keepDaily", "7");
        f.put("enabled", "true");
        return f;
    }

    @Test
    void an_operator_sees_a_bad_cron_inline_then_creates_a_schedule_that_the_list_and_the_dashboard_show() throws Exception {
        User operator = newUser(Role.OPERATOR);
        TestHttp api = http().withBearer(tokenFor(operator));
        long source = createSource(api, "{\"name\":\"page " + System.nanoTime() + "\",\"type\":\"PATH\",\"path\":\""
                + Files.createDirectories(dir.resolve("d")) + "\"}");
        TestHttp browser = signedInAs(operator.username());
        String name = "Nightly page " + System.nanoTime();

        var bad = browser.postForm("/schedules/new", "/schedules", form(name, source, "CUSTOM", "0 2 * * FUNDAY"));
        assertThat(bad.statusCode()).isEqualTo(200);
        assertThat(bad.body()).contains("day-of-week field &quot;FUNDAY&quot; is not valid").contains("is-invalid");

        var good = browser.postForm("/schedules/new", "/schedules", form(name, source, "DAILY", ""));
        assertThat(good.statusCode()).isEqualTo(302);
        assertThat(TestHttp.location(good)).endsWith("/schedules");
        String list = browser.get("/schedules").body();
        assertThat(list).contains(name).contains("every day at 02:00 Europe/Berlin").contains("data-countdown=");

        String dashboard = browser.get("/").body();
        assertThat(dashboard).contains("Scheduled backups").contains(name);

        long id = parse(api.get("/api/v1/schedules").body()).valueStream()
                .filter(s -> s.get("name").asText().equals(name)).findFirst().orElseThrow().get("id").asLong();
        String edit = browser.get("/schedules/" + id + "/edit").body();
        assertThat(edit).as("the edit form shows the preset it was made with, not its cron")
                .containsPattern("<option value=\"DAILY\"[^>]*selected")
                .doesNotContainPattern("<option value=\"CUSTOM\"[^>]*selected").contains("value=\"02:00\"");
        var dryRun = browser.get("/schedules/" + id + "/retention");
        assertThat(dryRun.statusCode()).isEqualTo(200);
        assertThat(dryRun.body()).contains("No backups yet.").contains("keep 7 daily");
    }

    @Test
    void the_preview_fragment_describes_the_preset_or_says_what_is_wrong() {
        TestHttp browser = signedInAs(newUser(Role.VIEWER).username());
        String ok = browser.get("/schedules/preview?preset=WEEKLY&at=03:15&dayOfWeek=FRIDAY&zone=UTC").body();
        assertThat(ok).contains("every Friday at 03:15 UTC").contains("schedule-next-runs");
        String wrong = browser.get("/schedules/preview?preset=CUSTOM&cron=99+*+*+*+*&zone=UTC").body();
        assertThat(wrong).contains("minute field \"99\" is not valid".replace("\"", "&quot;"));
    }

    @Test
    void a_viewer_may_read_the_list_but_not_open_the_form() {
        TestHttp viewer = signedInAs(newUser(Role.VIEWER).username());
        assertThat(viewer.get("/schedules").statusCode()).isEqualTo(200);
        assertThat(viewer.get("/schedules").body()).doesNotContain("href=\"/schedules/new\"");
        assertThat(viewer.get("/schedules/new").statusCode()).isEqualTo(403);
    }
}
