package io.cairn.server.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.server.TestHttp;
import io.cairn.server.user.Role;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Browsing a real backup of a folder through the API: sessions, listing, paging and search, downloads
 * with ranges and as zip and tar.gz, the traversal corpus, previews with secrets redacted, signed links
 * and their expiry, who may do what, the audit log, and the diff of two backups.
 */
class BrowseApiTest extends BrowseTestBase {

    @Autowired
    JdbcClient jdbc;

    @Test
    void a_backup_is_listed_paged_and_searched_from_its_catalog() throws Exception {
        String mount = mount(backup(source()));
        String base = "/api/v1/restore/" + mount + "/files?path=" + q(src.toString());

        JsonNode all = parse(api.get(base).body());
        assertThat(all.get("total").asLong()).isEqualTo(4);
        assertThat(all.get("items").valueStream().map(e -> e.get("name").asText()).toList())
                .as("folders first, then files by name").containsExactly("docs", ".env", "config.yml", "data.bin");
        JsonNode dataBin = all.get("items").get(3);
        assertThat(dataBin.get("type").asText()).isEqualTo("file");
        assertThat(dataBin.get("size").asLong()).isEqualTo(data.length);
        assertThat(dataBin.get("path").asText()).isEqualTo(src + "/data.bin");
        assertThat(dataBin.get("modeString").asText()).startsWith("-rw");
        assertThat(dataBin.get("mtime").asText()).isNotBlank();

        JsonNode page = parse(api.get(base + "&offset=1&limit=2").body());
        assertThat(page.get("total").asLong()).isEqualTo(4);
        assertThat(page.get("items").valueStream().map(e -> e.get("name").asText()).toList())
                .containsExactly(".env", "config.yml");

        JsonNode found = parse(api.get("/api/v1/restore/" + mount + "/files?q=NOTE").body());
        assertThat(found.get("total").asLong()).isEqualTo(1);
        assertThat(found.get("items").get(0).get("path").asText()).isEqualTo(src + "/docs/deep/note.txt");

        var missing = api.get("/api/v1/restore/" + mount + "/files?path=" + q(src + "/nope"));
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("has no folder");

        JsonNode mounts = parse(api.get("/api/v1/restore/mounts").body());
        assertThat(mounts.valueStream().map(m -> m.get("id").asText()).toList()).containsExactly(mount);

        assertThat(api.send("DELETE", "/api/v1/restore/" + mount, null).statusCode()).isEqualTo(204);
        var closed = api.get(base);
        assertThat(closed.statusCode()).isEqualTo(404);
        assertThat(closed.body()).contains("no open browse session");
    }

    @Test
    void a_file_downloads_whole_and_by_range_and_folders_as_zip_and_tar_gz() throws Exception {
        String mount = mount(backup(source()));
        String download = "/api/v1/restore/" + mount + "/download?path=";

        HttpResponse<byte[]> whole = bytes(download + q(src + "/data.bin"), operatorToken);
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.headers().firstValue("Accept-Ranges")).hasValue("bytes");
        assertThat(whole.headers().firstValue("Content-Disposition").orElse("")).contains("data.bin");
        assertThat(whole.body()).isEqualTo(data);

        HttpResponse<byte[]> range = bytes(download + q(src + "/data.bin"), operatorToken, "Range", "bytes=100000-100999");
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(range.headers().firstValue("Content-Range")).hasValue("bytes 100000-100999/" + data.length);
        assertThat(range.body()).isEqualTo(Arrays.copyOfRange(data, 100_000, 101_000));

        HttpResponse<byte[]> tail = bytes(download + q(src + "/data.bin"), operatorToken, "Range", "bytes=-10");
        assertThat(tail.statusCode()).isEqualTo(206);
        assertThat(tail.body()).isEqualTo(Arrays.copyOfRange(data, data.length - 10, data.length));

        HttpResponse<byte[]> zip = bytes(download + q(src + "/docs"), operatorToken);
        assertThat(zip.statusCode()).isEqualTo(200);
        assertThat(zip.headers().firstValue("Content-Type").orElse("")).startsWith("application/zip");
        Map<String, byte[]> zipped = unzip(zip.body());
        assertThat(new String(zipped.get("docs/readme.txt"), StandardCharsets.UTF_8)).isEqualTo("read me\n");
        assertThat(new String(zipped.get("docs/deep/note.txt"), StandardCharsets.UTF_8)).isEqualTo("deep note\n");

        HttpResponse<byte[]> tgz = bytes(download + q(src + "/docs") + "&format=tar.gz", operatorToken);
        assertThat(tgz.statusCode()).isEqualTo(200);
        assertThat(tgz.headers().firstValue("Content-Disposition").orElse("")).contains("docs.tar.gz");
        Map<String, byte[]> tarred = untarGz(tgz.body());
        assertThat(tarred).containsKeys("docs", "docs/deep");
        assertThat(new String(tarred.get("docs/deep/note.txt"), StandardCharsets.UTF_8)).isEqualTo("deep note\n");

        HttpResponse<byte[]> several = bytes(download + q(src + "/data.bin") + "&path=" + q(src + "/docs/readme.txt")
                + "&path=" + q(src + "/docs/deep"), operatorToken);
        assertThat(several.statusCode()).isEqualTo(200);
        Map<String, byte[]> selection = unzip(several.body());
        assertThat(selection.get("data.bin")).isEqualTo(data);
        assertThat(new String(selection.get("readme.txt"), StandardCharsets.UTF_8)).isEqualTo("read me\n");
        assertThat(new String(selection.get("deep/note.txt"), StandardCharsets.UTF_8)).isEqualTo("deep note\n");

        var badFormat = api.get(download + q(src + "/docs") + "&format=rar");
        assertThat(badFormat.statusCode()).isEqualTo(400);
        assertThat(badFormat.body()).contains("zip, tar.gz or tar");
    }

    /** Payloads as the server receives them after the URL's own decoding. */
    static final List<String> TRAVERSAL = List.of("..", "../", "/..", "/../etc/passwd", "/tmp/../../etc/passwd",
            "/a/./b", "./", "%2e%2e", "%2e%2e%2f", "%2E%2E/%2E%2E/etc/passwd", "..%2f..%2fetc", "..%5c..%5cwindows",
            "%252e%252e%252fetc", "/x/%2e%2e/%2e%2e", "..\\..\\windows\\win.ini", "\\etc\\passwd", "/a\\b",
            "/etc/passwd\u0000.txt", "%00", "/a/%00/b", "%c0%ae%c0%ae%2f..%2f");

    @Test
    void traversal_payloads_are_refused_with_a_400_problem_on_files_preview_and_download() throws Exception {
        String mount = mount(backup(source()));
        for (String payload : TRAVERSAL) {
            for (String endpoint : List.of("files", "preview", "download")) {
                var r = api.get("/api/v1/restore/" + mount + "/" + endpoint + "?path=" + q(payload));
                assertThat(r.statusCode()).as(endpoint + " " + payload + ": " + r.body()).isEqualTo(400);
                assertThat(r.headers().firstValue("Content-Type").orElse("")).as(endpoint + " " + payload)
                        .startsWith("application/problem+json");
                assertThat(r.body()).as(endpoint + " " + payload).contains("not allowed").doesNotContain("root:");
            }
        }
        var link = api.postJson("/api/v1/restore/" + mount + "/links", "{\"paths\":[\"/../etc/passwd\"]}");
        assertThat(link.statusCode()).as("no link is signed for a traversal").isEqualTo(400);
    }

    @Test
    void a_preview_shows_the_text_with_secret_values_redacted() throws Exception {
        String mount = mount(backup(source()));
        JsonNode env = parse(api.get("/api/v1/restore/" + mount + "/preview?path=" + q(src + "/.env")).body());
        String text = env.get("text").asText();
        assertThat(text).contains("PORT=8080", "DB_PASSWORD=REDACTED", "export API_TOKEN=REDACTED",
                "postgres://shop:REDACTED@db/shop");
        assertThat(text).doesNotContain("hunter2", "tok-123", "pg-secret");
        assertThat(env.get("redacted").asInt()).isEqualTo(3);
        assertThat(env.get("binary").asBoolean()).isFalse();

        JsonNode yaml = parse(api.get("/api/v1/restore/" + mount + "/preview?path=" + q(src + "/config.yml")).body());
        assertThat(yaml.get("text").asText()).contains("port: 8080", "secretKey: REDACTED", "name: shop")
                .doesNotContain("yaml-secret");

        JsonNode binary = parse(api.get("/api/v1/restore/" + mount + "/preview?path=" + q(src + "/data.bin")).body());
        assertThat(binary.get("truncated").asBoolean()).isTrue();
        assertThat(binary.get("size").asLong()).isEqualTo(data.length);

        var folder = api.get("/api/v1/restore/" + mount + "/preview?path=" + q(src + "/docs"));
        assertThat(folder.statusCode()).isEqualTo(400);
        assertThat(folder.body()).contains("not a file");
    }

    @Test
    void a_signed_link_works_without_signing_in_until_it_expires_or_is_changed() throws Exception {
        long backup = backup(source());
        String mount = mount(backup);
        var r = api.postJson("/api/v1/restore/" + mount + "/links", "{\"paths\":[\"" + src + "/docs/readme.txt\"]}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode link = parse(r.body());
        String url = link.get("url").asText();
        assertThat(url).startsWith("/downloads/");
        assertThat(Instant.parse(link.get("expiresAt").asText())).isBefore(Instant.now().plus(Duration.ofMinutes(6)));

        HttpResponse<byte[]> ok = bytes(url, null);
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(new String(ok.body(), StandardCharsets.UTF_8)).isEqualTo("read me\n");

        String token = url.substring("/downloads/".length());
        String otherPath = links.sign(new DownloadLinks.Grant(mount, List.of(src + "/docs/deep/note.txt"), null,
                Instant.now().plusSeconds(60).getEpochSecond()));
        String spliced = otherPath.substring(0, otherPath.indexOf('.')) + token.substring(token.indexOf('.'));
        HttpResponse<byte[]> forged = bytes("/downloads/" + spliced, null);
        assertThat(forged.statusCode()).as("another path under this link's signature").isEqualTo(404);
        assertThat(new String(forged.body(), StandardCharsets.UTF_8)).contains("not valid");
        assertThat(bytes("/downloads/" + token.substring(0, token.length() - 2) + "AA", null).statusCode())
                .as("a changed signature").isEqualTo(404);
        assertThat(bytes("/downloads/" + otherPath, null).statusCode()).as("the same grant, properly signed")
                .isEqualTo(200);

        String expired = links.sign(new DownloadLinks.Grant(mount, List.of(src + "/docs/readme.txt"), null,
                Instant.now().minusSeconds(1).getEpochSecond()));
        HttpResponse<byte[]> late = bytes("/downloads/" + expired, null);
        assertThat(late.statusCode()).isEqualTo(410);
        assertThat(new String(late.body(), StandardCharsets.UTF_8)).contains("expired");

        assertThat(api.send("DELETE", "/api/v1/restore/" + mount, null).statusCode()).isEqualTo(204);
        assertThat(bytes(url, null).statusCode()).as("a link dies with its session").isEqualTo(410);

        JsonNode audit = parse(http().withBearer(tokenFor(newUser(Role.ADMIN)))
                .get("/api/v1/audit?actor=" + operator.username() + "&action=browse.&size=100").body());
        List<String> actions = audit.get("items").valueStream().map(e -> e.get("action").asText()).toList();
        assertThat(actions).contains("browse.opened", "browse.downloaded", "browse.closed");
        assertThat(audit.get("items").valueStream().anyMatch(e -> e.get("action").asText().equals("browse.downloaded")
                && e.get("details").asText().contains("signed link"))).as("link downloads are audited as the owner")
                .isTrue();
    }

    @Test
    void viewers_cannot_browse_and_others_sessions_are_hidden_except_from_admins() throws Exception {
        long backup = backup(source());
        String mount = mount(backup);
        String viewer = tokenFor(newUser(Role.VIEWER));
        TestHttp viewerApi = http().withBearer(viewer);
        assertThat(viewerApi.postJson("/api/v1/restore/mount", "{\"backupId\":" + backup + "}").statusCode()).isEqualTo(403);
        assertThat(viewerApi.get("/api/v1/restore/" + mount + "/files").statusCode()).isEqualTo(403);
        assertThat(bytes("/api/v1/restore/" + mount + "/download?path=" + q(src + "/data.bin"), viewer).statusCode())
                .isEqualTo(403);
        assertThat(viewerApi.get("/api/v1/backup/" + backup + "/diff?against=" + backup).statusCode()).isEqualTo(403);
        assertThat(http().get("/api/v1/restore/" + mount + "/files").statusCode()).as("no sign-in").isEqualTo(401);

        TestHttp otherOperator = http().withBearer(tokenFor(newUser(Role.OPERATOR)));
        assertThat(otherOperator.get("/api/v1/restore/" + mount + "/files").statusCode()).isEqualTo(404);
        assertThat(otherOperator.send("DELETE", "/api/v1/restore/" + mount, null).statusCode()).isEqualTo(404);
        assertThat(parse(otherOperator.get("/api/v1/restore/mounts").body()).valueStream()
                .noneMatch(m -> m.get("id").asText().equals(mount))).isTrue();

        TestHttp admin = http().withBearer(tokenFor(newUser(Role.ADMIN)));
        assertThat(parse(admin.get("/api/v1/restore/mounts").body()).valueStream()
                .anyMatch(m -> m.get("id").asText().equals(mount) && m.get("username").asText().equals(operator.username())))
                .isTrue();
        assertThat(admin.send("DELETE", "/api/v1/restore/" + mount, null).statusCode()).isEqualTo(204);
        assertThat(api.get("/api/v1/restore/" + mount + "/files").statusCode()).isEqualTo(404);
    }

    @Test
    void the_diff_of_two_backups_lists_added_removed_and_changed_files_with_sizes() throws Exception {
        long source = source();
        long first = backup(source);
        Files.writeString(src.resolve("docs/readme.txt"), "read me, now longer\n");
        Files.writeString(src.resolve("new.txt"), "new");
        Files.delete(src.resolve("docs/deep/note.txt"));
        long second = backup(source);

        var r = api.get("/api/v1/backup/" + second + "/diff?against=" + first);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode diff = parse(r.body());
        Map<String, JsonNode> byPath = new HashMap<>();
        diff.get("files").forEach(f -> byPath.put(f.get("path").asText(), f));
        assertThat(byPath.get(src + "/new.txt").get("status").asText()).isEqualTo("ADDED");
        assertThat(byPath.get(src + "/new.txt").get("sizeAfter").asLong()).isEqualTo(3);
        assertThat(byPath.get(src + "/docs/deep/note.txt").get("status").asText()).isEqualTo("REMOVED");
        JsonNode changed = byPath.get(src + "/docs/readme.txt");
        assertThat(changed.get("status").asText()).isEqualTo("CHANGED");
        assertThat(changed.get("sizeBefore").asLong()).isEqualTo(8);
        assertThat(changed.get("sizeAfter").asLong()).isEqualTo(20);
        assertThat(diff.get("summary").get("filesAdded").asLong()).isEqualTo(1);
        assertThat(diff.get("summary").get("filesRemoved").asLong()).isEqualTo(1);
        assertThat(diff.get("summary").get("filesChanged").asLong()).isEqualTo(1);
        assertThat(diff.get("tables").size()).as("a folder backup has no tables").isZero();

        String view = signedInAs(operator.username()).get("/backups/" + second + "/diff?against=" + first).body();
        assertThat(view).as("the files page's comparison").contains("From backup #" + first + " to #" + second,
                "1 added, 1 removed, 1 changed", src + "/new.txt").doesNotContain("<html");

        long otherSource = source();
        long other = backup(otherSource);
        var mixed = api.get("/api/v1/backup/" + second + "/diff?against=" + other);
        assertThat(mixed.statusCode()).isEqualTo(400);
        assertThat(mixed.body()).contains("another source");
    }

    @Test
    void a_database_backup_shows_its_dump_file_and_the_diff_names_the_tables_whose_rows_changed() throws Exception {
        Path db = dir.resolve("shop.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, total INTEGER)");
            st.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)");
            st.execute("INSERT INTO orders (total) VALUES (10), (20), (30)");
            st.execute("INSERT INTO customers (name) VALUES ('ann')");
        }
        var created = api.postJson("/api/v1/sources", "{\"name\":\"shop db " + System.nanoTime()
                + "\",\"type\":\"SQLITE\",\"path\":\"" + db + "\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        long source = parse(created.body()).get("id").asLong();
        long first = backup(source);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
            st.execute("INSERT INTO orders (total) VALUES (40), (50)");
        }
        long second = backup(source);

        String mount = mount(second);
        JsonNode root = parse(api.get("/api/v1/restore/" + mount + "/files").body());
        assertThat(root.get("total").asLong()).as("the dump file is at the root").isEqualTo(1);
        JsonNode dump = root.get("items").get(0);
        assertThat(dump.get("type").asText()).isEqualTo("file");
        HttpResponse<byte[]> bytes = bytes("/api/v1/restore/" + mount + "/download?path=" + q(dump.get("path").asText()),
                operatorToken);
        assertThat(new String(bytes.body(), StandardCharsets.UTF_8)).contains("CREATE TABLE orders");

        JsonNode diff = parse(api.get("/api/v1/backup/" + second + "/diff?against=" + first).body());
        assertThat(diff.get("tables").size()).as(diff.toString()).isEqualTo(1);
        JsonNode orders = diff.get("tables").get(0);
        assertThat(orders.get("table").asText()).contains("orders");
        assertThat(orders.get("rowsBefore").asLong()).isEqualTo(3);
        assertThat(orders.get("rowsAfter").asLong()).isEqualTo(5);
        assertThat(diff.get("summary").get("filesChanged").asLong()).as("the dump changed").isEqualTo(1);

        String page = signedInAs(operator.username()).get("/backups/" + second + "/files").body();
        assertThat(page).as("the files page lists the dump and the tables").contains(dump.get("name").asText(),
                ">Tables<", "orders", "customers");
    }

    @Test
    void the_openapi_document_describes_browsing_without_exposing_the_signed_in_user_as_a_parameter() {
        JsonNode doc = parse(api.get("/api/openapi").body());
        JsonNode paths = doc.get("paths");
        for (String path : List.of("/api/v1/restore/mount", "/api/v1/restore/mounts", "/api/v1/restore/{mountId}/files",
                "/api/v1/restore/{mountId}/preview", "/api/v1/restore/{mountId}/download",
                "/api/v1/restore/{mountId}/links", "/api/v1/restore/{mountId}", "/api/v1/backup/{id}/diff")) {
            assertThat(paths.has(path)).as(path).isTrue();
        }
        JsonNode files = paths.get("/api/v1/restore/{mountId}/files").get("get");
        assertThat(files.get("tags").get(0).asText()).isEqualTo("Browse and download");
        assertThat(files.get("parameters").valueStream().map(p -> p.get("name").asText()).toList())
                .containsExactlyInAnyOrder("mountId", "path", "offset", "limit", "q");
        assertThat(paths.has("/downloads/{token}")).as("signed links are not part of the API").isFalse();
    }

    @Test
    void a_session_slides_its_end_with_each_use_and_is_gone_once_it_ends() throws Exception {
        String mount = mount(backup(source()));
        jdbc.sql("UPDATE browse_sessions SET expires_at = ? WHERE id = ?")
                .param(Instant.now().plus(Duration.ofMinutes(10)).toEpochMilli()).param(mount).update();
        assertThat(api.get("/api/v1/restore/" + mount + "/files").statusCode()).isEqualTo(200);
        JsonNode session = parse(api.get("/api/v1/restore/mounts").body()).get(0);
        assertThat(Instant.parse(session.get("expiresAt").asText())).as("an hour after the last use")
                .isAfter(Instant.now().plus(Duration.ofMinutes(59)));

        jdbc.sql("UPDATE browse_sessions SET expires_at = ? WHERE id = ?")
                .param(Instant.now().minusSeconds(1).toEpochMilli()).param(mount).update();
        var ended = api.get("/api/v1/restore/" + mount + "/files");
        assertThat(ended.statusCode()).isEqualTo(404);
        assertThat(ended.body()).contains("ended after 60 minutes unused");
        assertThat(parse(api.get("/api/v1/restore/mounts").body()).size()).isZero();
    }
}
