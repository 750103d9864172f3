package io.cairn.server.job;

import static io.cairn.server.job.BackupTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.engine.browse.SnapshotBrowser;
import io.cairn.engine.repository.Repository;
import io.cairn.server.ServerTestBase;
import io.cairn.server.TestHttp;
import io.cairn.server.repository.RepositoryId;
import io.cairn.server.repository.RepositoryService;
import io.cairn.server.user.Role;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Backups of folders on the server, through the API: what the snapshot holds, incremental runs, the
 * event stream, cancelling, deleting, projects, and bad input for sources.
 */
class PathBackupTest extends ServerTestBase {

    @Autowired
    RepositoryService repositories;
    @TempDir
    Path dir;

    private TestHttp api;

    @BeforeEach
    void operator() {
        api = http().withBearer(tokenFor(newUser(Role.OPERATOR)));
    }

    private long pathSource(String name, Path path, String extra) {
        return createSource(api, "{\"name\":\"" + name + "\",\"type\":\"PATH\",\"path\":\"" + path + "\""
                + (extra == null ? "" : "," + extra) + "}");
    }

    @Test
    void a_folder_backup_holds_its_files_minus_the_excluded_and_a_second_run_adds_little() throws Exception {
        Path src = Files.createDirectories(dir.resolve("app"));
        Files.writeString(src.resolve("config.yml"), "port: 8080\n");
        Files.createDirectories(src.resolve("logs"));
        Files.writeString(src.resolve("logs/app.log"), "noise\n".repeat(1000));
        Files.write(src.resolve("data.bin"), new byte[3 << 20]);
        long source = pathSource("app " + System.nanoTime(), src, "\"excludes\":[\"*.log\"]");
        assertThat(parse(api.get("/api/v1/sources/" + source).body()).get("tlsMode").isNull())
                .as("a folder has no TLS mode").isTrue();

        JsonNode first = awaitEnd(api, start(api, source, "\"type\":\"FULL\""), Duration.ofMinutes(2));
        assertThat(first.get("status").asText()).as(first.toString()).isEqualTo("SUCCEEDED");
        assertThat(first.get("files").asLong()).isEqualTo(2);
        assertThat(first.get("contents").get("top").valueStream().map(e -> e.get("name").asText()).toList())
                .contains("config.yml", "data.bin", "logs");
        try (Repository repo = repositories.open(new RepositoryId(1))) {
            SnapshotBrowser browser = new SnapshotBrowser(repo, repo.loadSnapshot(first.get("snapshotId").asText()));
            List<String> paths = new ArrayList<>();
            browser.walk(browser.root(), (entry) -> {
                paths.add(entry.path());
                return true;
            });
            assertThat(paths).anyMatch(p -> p.endsWith("/config.yml")).noneMatch(p -> p.endsWith(".log"));
            try (InputStream in = browser.openContent(browser.resolve(src.resolve("config.yml").toString()))) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("port: 8080\n");
            }
            assertThat(repo.loadSnapshot(first.get("snapshotId").asText()).snapshot().tags())
                    .contains("source-" + source, "job-" + first.get("id").asLong());
        }

        try (var cached = Files.walk(dataDir().resolve("cache"))) {
            assertThat(cached.filter(Files::isRegularFile).toList()).as("directory caches in <data-dir>/cache")
                    .isNotEmpty().allSatisfy(f -> assertThat(Files.getPosixFilePermissions(f))
                            .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        }

        Files.writeString(src.resolve("config.yml"), "port: 9090\n");
        JsonNode second = awaitEnd(api, start(api, source, null), Duration.ofMinutes(2));
        assertThat(second.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(second.get("bytesAdded").asLong()).as("only the changed file and its folders' listings are new")
                .isLessThan(64 * 1024);
        JsonNode chain = JSON.readTree(api.get("/api/v1/backup/" + second.get("id").asLong() + "/chain").body());
        assertThat(chain.size()).isEqualTo(2);
        assertThat(chain.get(0).get("parent").asText()).isEqualTo(first.get("snapshotId").asText());
        assertThat(JSON.readTree(api.get("/api/v1/backup/chain?source=" + source).body()))
                .as("a source's chain is its newest backup's").isEqualTo(chain);
        var unnamed = api.get("/api/v1/backup/chain");
        assertThat(unnamed.statusCode()).isEqualTo(400);
        assertThat(unnamed.body()).contains("?source=").contains("/api/v1/backup/{id}/chain");
        long empty = pathSource("never backed up " + System.nanoTime(), src, null);
        assertThat(api.get("/api/v1/backup/chain?source=" + empty).statusCode()).isEqualTo(404);
    }

    @Test
    void a_folder_1900_levels_deep_backs_up_and_restores() throws Exception {
        // a 1 MiB thread stack overflowed here (the server runs with 512 KiB): job and restore threads have room for it
        Path src = dir.resolve("deep");
        Path bottom = src;
        for (int i = 0; i < 1900; i++) {
            bottom = bottom.resolve("d");
        }
        Files.createDirectories(bottom);
        Files.writeString(bottom.resolve("leaf.txt"), "at the bottom\n");
        long source = pathSource("deep " + System.nanoTime(), src, null);

        JsonNode b = awaitEnd(api, start(api, source, null), Duration.ofMinutes(2));
        assertThat(b.get("status").asText()).as(b.toString()).isEqualTo("SUCCEEDED");
        assertThat(b.get("files").asLong()).as(api.get("/api/v1/backup/logs?jobId=" + b.get("id").asLong()).body())
                .isEqualTo(1);

        Path target = dir.resolve("r");
        var restore = api.postJson("/api/v1/backup/" + b.get("id").asLong() + "/restore",
                "{\"path\":\"" + target + "\"}");
        assertThat(restore.statusCode()).as(restore.body()).isEqualTo(202);
        long operation = parse(restore.body()).get("operationId").asLong();
        JsonNode done = null;
        for (int i = 0; i < 600 && (done == null || !done.get("status").asText().matches("SUCCEEDED|FAILED|CANCELLED")); i++) {
            Thread.sleep(100);
            done = parse(api.get("/api/v1/restores/" + operation).body());
        }
        assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
        Path restored = target.resolve(src.toString().substring(1)).resolve(src.relativize(bottom));
        assertThat(Files.readString(restored.resolve("leaf.txt"))).isEqualTo("at the bottom\n");

        var mount = api.postJson("/api/v1/restore/mount", "{\"backupId\":" + b.get("id").asLong() + "}");
        String mountId = parse(mount.body()).get("id").asText();
        var zip = api.get("/api/v1/restore/" + mountId + "/download?format=zip&path="
                + java.net.URLEncoder.encode(src.toString(), java.nio.charset.StandardCharsets.UTF_8));
        assertThat(zip.statusCode()).isEqualTo(200);
        assertThat(zip.body().split("leaf\\.txt", -1)).as("the entry, in its local header and the central directory"
                + " that ends a complete zip").hasSize(3);

        Files.writeString(bottom.resolve("leaf.txt"), "changed at the bottom\n");
        JsonNode second = awaitEnd(api, start(api, source, null), Duration.ofMinutes(2));
        assertThat(second.get("status").asText()).as(second.toString()).isEqualTo("SUCCEEDED");
        var diff = api.get("/api/v1/backup/" + second.get("id").asLong() + "/diff?against=" + b.get("id").asLong());
        assertThat(diff.statusCode()).as(diff.body()).isEqualTo(200);
        assertThat(parse(diff.body()).get("files").valueStream()
                .filter(f -> f.get("type").asText().equals("file") && f.get("status").asText().equals("CHANGED"))
                .map(f -> f.get("path").asText()).toList())
                .singleElement().asString().endsWith("/d/leaf.txt");
        // JUnit's own clean-up of a temporary folder takes about a minute for trees this deep
        for (Path deep : List.of(src, target)) {
            try (var paths = Files.walk(deep)) {
                for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    @Test
    void a_missing_folder_fails_with_words() throws Exception {
        long source = pathSource("gone " + System.nanoTime(), dir.resolve("no-such-folder"), null);
        JsonNode b = awaitEnd(api, start(api, source, null), Duration.ofMinutes(1));
        assertThat(b.get("status").asText()).isEqualTo("FAILED");
        assertThat(b.get("error").asText()).contains("does not exist");
    }

    @Test
    void the_event_stream_shows_a_backup_start_and_end() throws Exception {
        Path src = Files.createDirectories(dir.resolve("events"));
        byte[] data = new byte[16 << 20];
        new java.util.Random(7).nextBytes(data); // new data to store: the job runs long enough to report progress
        Files.write(src.resolve("a.bin"), data);
        String name = "events Ünïcødé " + System.nanoTime();
        long source = pathSource(name, src, null);
        String token = tokenFor(newUser(Role.VIEWER));
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<InputStream> stream = client.send(HttpRequest.newBuilder(URI.create(api.base() + "/api/v1/backup/events"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(stream.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        List<String> events = new ArrayList<>();
        CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
                String line;
                String event = null;
                while ((line = r.readLine()) != null) {
                    if (line.startsWith("event:")) {
                        event = line.substring(6).trim();
                    } else if (line.startsWith("data:") && event != null) {
                        synchronized (events) {
                            events.add(event + " " + line.substring(5).trim());
                        }
                        if (event.equals("job") && line.contains("SUCCEEDED") && line.contains("\"sourceId\":" + source)) {
                            return;
                        }
                    }
                }
            } catch (Exception ignored) {
                // stream closed
            }
        });
        long job = start(api, source, null);
        reader.get(60, TimeUnit.SECONDS);
        synchronized (events) {
            assertThat(events.get(0)).startsWith("snapshot ");
            assertThat(events).anyMatch(e -> e.startsWith("job ") && e.contains("\"jobId\":" + job) && e.contains("RUNNING"));
            assertThat(events).anyMatch(e -> e.startsWith("job ") && e.contains("\"jobId\":" + job) && e.contains("SUCCEEDED"));
            assertThat(events).as("progress as JSON, names in UTF-8")
                    .anyMatch(e -> e.startsWith("progress {") && e.contains("\"sourceName\":\"" + name + "\""));
        }
    }

    @Test
    void deleting_a_backup_removes_its_snapshot_and_keeps_the_history() throws Exception {
        Path src = Files.createDirectories(dir.resolve("del"));
        Files.writeString(src.resolve("x.txt"), "x");
        long source = pathSource("del " + System.nanoTime(), src, null);
        JsonNode b = awaitEnd(api, start(api, source, null), Duration.ofMinutes(1));
        long job = b.get("id").asLong();
        assertThat(hasSnapshotOfJob(repositories, 1, job)).isTrue();
        TestHttp viewer = http().withBearer(tokenFor(newUser(Role.VIEWER)));
        assertThat(viewer.send("DELETE", "/api/v1/backup/" + job, null).statusCode()).as("viewers cannot delete")
                .isEqualTo(403);
        assertThat(api.send("DELETE", "/api/v1/backup/" + job, null).statusCode()).isEqualTo(204);
        assertThat(hasSnapshotOfJob(repositories, 1, job)).isFalse();
        assertThat(api.get("/api/v1/backup/" + job).statusCode()).isEqualTo(404);
    }

    @Test
    void a_queued_backup_can_be_cancelled_and_a_second_backup_of_a_source_waits_for_the_first() throws Exception {
        Path src = Files.createDirectories(dir.resolve("busy"));
        for (int i = 0; i < 40; i++) {
            Files.write(src.resolve("f" + i + ".bin"), new java.util.Random(i).ints(1 << 18).collect(
                    java.io.ByteArrayOutputStream::new, (o, v) -> o.write(v), (a, c) -> { }).toByteArray());
        }
        long source = pathSource("busy " + System.nanoTime(), src, null);
        long first = start(api, source, null);
        long second = start(api, source, null);
        JsonNode queued = JSON.readTree(api.get("/api/v1/backup/" + second).body());
        assertThat(queued.get("status").asText()).as("never two backups of one source at once").isEqualTo("QUEUED");
        JsonNode cancelled = JSON.readTree(api.postJson("/api/v1/backup/" + second + "/cancel", null).body());
        assertThat(cancelled.get("status").asText()).isEqualTo("CANCELLED");
        assertThat(awaitEnd(api, first, Duration.ofMinutes(2)).get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(api.postJson("/api/v1/backup/" + first + "/cancel", null).statusCode()).isEqualTo(409);
    }

    @Test
    void a_project_backs_up_each_of_its_sources() throws Exception {
        JsonNode project = JSON.readTree(api.postJson("/api/v1/projects", "{\"name\":\"shop " + System.nanoTime()
                + "\",\"description\":\"the shop\"}").body());
        long projectId = project.get("id").asLong();
        for (String part : List.of("a", "b")) {
            Path p = Files.createDirectories(dir.resolve("proj-" + part));
            Files.writeString(p.resolve("f.txt"), part);
            pathSource("proj " + part + " " + System.nanoTime(), p, "\"projectId\":" + projectId);
        }
        var r = api.postJson("/api/v1/backup/start", "{\"projectId\":" + projectId + "}");
        assertThat(r.statusCode()).isEqualTo(202);
        JsonNode started = JSON.readTree(r.body()).get("backups");
        assertThat(started.size()).isEqualTo(2);
        for (JsonNode b : started) {
            assertThat(awaitEnd(api, b.get("id").asLong(), Duration.ofMinutes(1)).get("status").asText())
                    .isEqualTo("SUCCEEDED");
        }
        assertThat(JSON.readTree(api.get("/api/v1/projects/" + projectId).body()).get("sources").size()).isEqualTo(2);
    }

    @Test
    void the_command_line_starts_and_follows_a_backup_on_the_server() throws Exception {
        Path src = Files.createDirectories(dir.resolve("cli"));
        Files.writeString(src.resolve("hello.txt"), "from the command line");
        String name = "cli source " + System.nanoTime();
        long source = pathSource(name, src, null);
        String token = tokenFor(newUser(Role.OPERATOR));
        Path launcher = Path.of("..", "bin", "cairn").toAbsolutePath().normalize();
        ProcessBuilder pb = new ProcessBuilder(launcher.toString(), "remote", "backup", name, "--json")
                .redirectErrorStream(true);
        pb.environment().put("CAIRN_NO_BUILD", "1"); // the build running these tests has built the CLI already
        pb.environment().put("CAIRN_SERVER", api.base());
        pb.environment().put("CAIRN_TOKEN", token);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("\"message_type\":\"summary\"").contains("\"status\":\"SUCCEEDED\"");
        JsonNode list = JSON.readTree(api.get("/api/v1/backup/list?source=" + source).body());
        assertThat(list.get("items").get(0).get("trigger").asText()).isEqualTo("CLI");

        pb.environment().put("CAIRN_TOKEN", "cairn_pat_not-a-real-token");
        Process refused = pb.start();
        String refusedOut = new String(refused.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(refused.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(refused.exitValue()).as(refusedOut).isEqualTo(21);
        assertThat(refusedOut).contains("refused the API token");
    }

    @Test
    void sources_refuse_bad_input_with_field_messages_and_keep_passwords_write_only() {
        var leadingDash = api.postJson("/api/v1/sources", "{\"name\":\"x\",\"type\":\"POSTGRESQL\",\"host\":\"-oProxyCommand=x\","
                + "\"username\":\"u\"}");
        assertThat(leadingDash.statusCode()).isEqualTo(400);
        assertThat(leadingDash.body()).contains("\"field\":\"host\"");
        var relative = api.postJson("/api/v1/sources", "{\"name\":\"y\",\"type\":\"PATH\",\"path\":\"../../etc\"}");
        assertThat(relative.statusCode()).isEqualTo(400);
        assertThat(relative.body()).contains("\"field\":\"path\"");
        var dots = api.postJson("/api/v1/sources", "{\"name\":\"z\",\"type\":\"PATH\",\"path\":\"/srv/../etc\"}");
        assertThat(dots.statusCode()).isEqualTo(400);
        var noType = api.postJson("/api/v1/sources", "{\"name\":\"w\"}");
        assertThat(noType.body()).contains("\"field\":\"type\"");
        var badDb = api.postJson("/api/v1/sources", "{\"name\":\"v\",\"type\":\"MYSQL\",\"host\":\"db\",\"username\":\"u\","
                + "\"database\":\"a; DROP DATABASE x\"}");
        assertThat(badDb.body()).contains("\"field\":\"database\"");

        long id = createSource(api, "{\"name\":\"secretive " + System.nanoTime() + "\",\"type\":\"REDIS\",\"host\":\"127.0.0.1\","
                + "\"password\":\"hunter2-write-only\"}");
        assertThat(api.get("/api/v1/sources/" + id).body()).contains("\"passwordSet\":true").doesNotContain("hunter2");
        var kept = api.send("PUT", "/api/v1/sources/" + id, "{\"name\":\"secretive renamed " + System.nanoTime()
                + "\",\"type\":\"REDIS\",\"host\":\"127.0.0.1\"}");
        assertThat(kept.body()).contains("\"passwordSet\":true");
        var cleared = api.send("PUT", "/api/v1/sources/" + id, "{\"name\":\"secretive cleared " + System.nanoTime()
                + "\",\"type\":\"REDIS\",\"host\":\"127.0.0.1\",\"clearPassword\":true}");
        assertThat(cleared.body()).contains("\"passwordSet\":false");
        var typeChange = api.send("PUT", "/api/v1/sources/" + id, "{\"name\":\"n\",\"type\":\"PATH\",\"path\":\"/srv\"}");
        assertThat(typeChange.statusCode()).isEqualTo(400);
        TestHttp viewer = http().withBearer(tokenFor(newUser(Role.VIEWER)));
        assertThat(viewer.postJson("/api/v1/sources", "{\"name\":\"nope\",\"type\":\"PATH\",\"path\":\"/srv\"}").statusCode())
                .isEqualTo(403);
    }
}
