package io.cairn.server.restore;

import static io.cairn.server.job.BackupTestSupport.createSource;
import static io.cairn.server.restore.RestoreTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.server.ServerTestBase;
import io.cairn.server.TestHttp;
import io.cairn.server.user.Role;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Restores of folder backups: into a new folder by default (the backup's paths kept below it), the
 * overwrite policies with their confirmation, the original location, paths that would escape refused, and
 * the wizard's pages from the first choice to the summary.
 */
class FolderRestoreTest extends ServerTestBase {

    private TestHttp api;
    private Path sourceDir;
    private byte[] big;

    @BeforeEach
    void folderAndSource() throws Exception {
        api = http().withBearer(tokenFor(newUser(Role.OPERATOR)));
        sourceDir = Files.createTempDirectory("cairn-restore-src");
        Files.writeString(sourceDir.resolve("app.conf"), "listen = 8080\n");
        Files.createDirectories(sourceDir.resolve("data"));
        big = new byte[3 << 20];
        new Random(7).nextBytes(big);
        Files.write(sourceDir.resolve("data/blob.bin"), big);
    }

    private long backUpFolder() throws Exception {
        long source = createSource(api, "{\"name\":\"files " + sourceDir.getFileName() + "\",\"type\":\"PATH\","
                + "\"path\":\"" + sourceDir + "\"}");
        return backUp(api, source);
    }

    private static String json(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    @Test
    void a_folder_backup_restores_into_a_new_folder_by_default_keeping_its_paths() throws Exception {
        long backup = backUpFolder();
        long op = startRestore(api, backup, "{}");
        JsonNode r = awaitRestore(api, op, Duration.ofMinutes(1));
        assertThat(r.get("status").asText()).as(r.toString()).isEqualTo("SUCCEEDED");
        assertThat(r.get("result").get("files").asLong()).isEqualTo(2);
        assertThat(r.get("result").get("bytes").asLong()).isEqualTo(big.length + 14);
        Path target = Path.of(r.get("result").get("target").asText());
        assertThat(target).startsWith(dataDir().toAbsolutePath().normalize().resolve("restores"));
        Path restored = target.resolve(sourceDir.toString().substring(1));
        assertThat(Files.readString(restored.resolve("app.conf"))).isEqualTo("listen = 8080\n");
        assertThat(Files.readAllBytes(restored.resolve("data/blob.bin"))).isEqualTo(big);
    }

    @Test
    void existing_files_are_kept_unless_a_confirmed_policy_replaces_them() throws Exception {
        long backup = backUpFolder();
        Path target = Files.createTempDirectory("cairn-restore-to");
        assertThat(awaitRestore(api, startRestore(api, backup, "{\"path\":" + json(target.toString()) + "}"),
                Duration.ofMinutes(1)).get("status").asText()).isEqualTo("SUCCEEDED");
        Path conf = target.resolve(sourceDir.toString().substring(1)).resolve("app.conf");
        Files.writeString(conf, "edited here\n");
        Files.setLastModifiedTime(conf, FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));

        // NEVER (the default) keeps the edited file and needs no confirmation.
        JsonNode never = awaitRestore(api, startRestore(api, backup, "{\"path\":" + json(target.toString()) + "}"),
                Duration.ofMinutes(1));
        assertThat(never.get("status").asText()).as(never.toString()).isEqualTo("SUCCEEDED");
        assertThat(never.get("overwrites").asBoolean()).isFalse();
        assertThat(never.get("result").get("skipped").asLong()).isEqualTo(2);
        assertThat(Files.readString(conf)).isEqualTo("edited here\n");

        // IF_NEWER overwrites, so it needs the folder typed.
        String ifNewer = "{\"path\":" + json(target.toString()) + ",\"overwritePolicy\":\"IF_NEWER\"";
        var refused = api.postJson("/api/v1/backup/" + backup + "/restore", ifNewer + "}");
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(refused.body()).contains("Confirmation needed").contains(target.toString());
        assertThat(Files.readString(conf)).isEqualTo("edited here\n");
        JsonNode replaced = awaitRestore(api, startRestore(api, backup, ifNewer + ",\"confirm\":"
                + json(target.toString()) + "}"), Duration.ofMinutes(1));
        assertThat(replaced.get("status").asText()).as(replaced.toString()).isEqualTo("SUCCEEDED");
        assertThat(replaced.get("overwrites").asBoolean()).isTrue();
        assertThat(Files.readString(conf)).isEqualTo("listen = 8080\n");
    }

    @Test
    void the_original_location_gets_back_what_was_deleted_and_keeps_the_rest() throws Exception {
        long backup = backUpFolder();
        Files.delete(sourceDir.resolve("data/blob.bin"));
        Files.writeString(sourceDir.resolve("app.conf"), "changed since\n");

        JsonNode plan = parse(api.postJson("/api/v1/backup/" + backup + "/restore/plan", "{\"original\":true}").body());
        assertThat(plan.get("target").asText()).isEqualTo("the original location, " + sourceDir);
        assertThat(plan.get("overwrites").asBoolean()).isFalse();
        JsonNode r = awaitRestore(api, startRestore(api, backup, "{\"original\":true}"), Duration.ofMinutes(1));
        assertThat(r.get("status").asText()).as(r.toString()).isEqualTo("SUCCEEDED");
        assertThat(Files.readAllBytes(sourceDir.resolve("data/blob.bin"))).isEqualTo(big);
        assertThat(Files.readString(sourceDir.resolve("app.conf"))).isEqualTo("changed since\n");
    }

    @Test
    void paths_that_escape_or_are_relative_are_refused_and_nothing_is_written() throws Exception {
        long backup = backUpFolder();
        Map<String, String> bad = Map.of(
                "{\"path\":\"restores/x\"}", "is relative",
                "{\"path\":\"../../etc\"}", "is relative",
                "{\"path\":\"/tmp/../etc\"}", "climbs with",
                "{\"path\":\"/tmp/a\\u0000b\"}", "is not a path Cairn accepts",
                "{\"path\":\"C:\\\\Windows\"}", "is not a path Cairn accepts",
                "{\"includes\":[\"../../etc\"]}", "is not a path of the backup",
                "{\"includes\":[\"/x/../../etc\"]}", "is not allowed",
                "{\"path\":" + json(dataDir().resolve("repository").toString()) + "}", "does not restore into",
                "{\"overwritePolicy\":\"sometimes\"}", "is not a policy",
                "{\"database\":\"x\"}", "restores into a folder");
        for (var e : bad.entrySet()) {
            var r = api.postJson("/api/v1/backup/" + backup + "/restore", e.getKey());
            assertThat(r.statusCode()).as(e.getKey() + " → " + r.body()).isEqualTo(400);
            assertThat(r.body()).as(e.getKey()).contains(e.getValue());
        }
        assertThat(parse(api.get("/api/v1/backup/" + backup + "/restores").body())).isEmpty();
        assertThat(Files.exists(Path.of("/etc/app.conf"))).isFalse();
    }

    @Test
    void a_project_restores_the_newest_backup_of_each_source_into_new_folders() throws Exception {
        var created = api.postJson("/api/v1/projects", "{\"name\":\"project " + sourceDir.getFileName() + "\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        long project = parse(created.body()).get("id").asLong();
        Path second = Files.createTempDirectory("cairn-restore-src2");
        Files.writeString(second.resolve("other.txt"), "second source\n");
        long a = createSource(api, "{\"name\":\"pa " + sourceDir.getFileName() + "\",\"type\":\"PATH\",\"path\":"
                + json(sourceDir.toString()) + ",\"projectId\":" + project + "}");
        long b = createSource(api, "{\"name\":\"pb " + second.getFileName() + "\",\"type\":\"PATH\",\"path\":"
                + json(second.toString()) + ",\"projectId\":" + project + "}");
        Path third = Files.createTempDirectory("cairn-restore-src3");
        createSource(api, "{\"name\":\"pc " + third.getFileName() + "\",\"type\":\"PATH\",\"path\":"
                + json(third.toString()) + ",\"projectId\":" + project + "}");
        var nothing = api.postJson("/api/v1/projects/" + project + "/restore", "{}");
        assertThat(nothing.statusCode()).as("no source has a backup yet").isEqualTo(409);
        assertThat(nothing.body()).contains("No backup of this source has succeeded yet");
        backUp(api, a);
        backUp(api, b);

        var started = api.postJson("/api/v1/projects/" + project + "/restore", "{}");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        JsonNode restores = parse(started.body()).get("restores");
        assertThat(restores).hasSize(2);
        for (JsonNode r : restores) {
            JsonNode done = awaitRestore(api, r.get("operationId").asLong(), Duration.ofMinutes(1));
            assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
            assertThat(done.get("overwrites").asBoolean()).isFalse();
        }
        JsonNode onlyB = parse(api.postJson("/api/v1/projects/" + project + "/restore", "{\"sources\":[" + b + "]}").body());
        assertThat(onlyB.get("restores")).hasSize(1);
        assertThat(onlyB.get("restores").get(0).get("sourceId").asLong()).isEqualTo(b);
        awaitRestore(api, onlyB.get("restores").get(0).get("operationId").asLong(), Duration.ofMinutes(1));
        TestHttp web = signedInAs(newUser(Role.OPERATOR).username());
        assertThat(web.get("/restore/project?project=" + project).body()).contains("No backup of this source has succeeded yet")
                .contains("Restore now");
    }

    @Test
    void the_wizard_goes_from_choosing_a_backup_to_the_summary() throws Exception {
        long backup = backUpFolder();
        TestHttp web = signedInAs(newUser(Role.OPERATOR).username());
        String choose = web.get("/restore").body();
        assertThat(choose).contains("Choose the backup to restore").contains("value=\"" + backup + "\"");
        String what = web.get("/restore/what?backup=" + backup).body();
        assertThat(what).contains("What to restore, and where").contains("Into a folder (the safe default)");
        Path target = Files.createTempDirectory("cairn-wizard-to");
        String query = "backup=" + backup + "&original=false&overwritePolicy=NEVER&path="
                + URLEncoder.encode(target.toString(), StandardCharsets.UTF_8);
        String review = web.get("/restore/review?" + query).body();
        assertThat(review).contains("Review your restore").contains("Nothing that exists is changed")
                .contains("Restore now");

        var started = web.postForm("/restore/review?" + query, "/restores", Map.of("backup", String.valueOf(backup),
                "original", "false", "overwritePolicy", "NEVER", "path", target.toString()));
        assertThat(started.statusCode()).as(started.body()).isEqualTo(302);
        Matcher m = Pattern.compile("/restores/(\\d+)$").matcher(TestHttp.location(started));
        assertThat(m.find()).isTrue();
        awaitRestore(api, Long.parseLong(m.group(1)), Duration.ofMinutes(1));
        String page = web.get("/restores/" + m.group(1)).body();
        assertThat(page).contains("Restore completed successfully").contains("2 files").contains("Next steps");
        assertThat(web.get("/backups/" + backup + "/restores").body()).contains("total restores: <strong>1</strong>");
    }
}
