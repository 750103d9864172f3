package io.cairn.server.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.server.ServerTestBase;
import io.cairn.server.TestHttp;
import io.cairn.server.user.Role;
import io.cairn.server.user.User;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** A folder with a secret-laden .env, a YAML file, random data and nested folders; backed up through the API. */
abstract class BrowseTestBase extends ServerTestBase {

    @Autowired
    protected DownloadLinks links;
    @TempDir
    Path dir;

    protected final HttpClient client = HttpClient.newHttpClient();
    protected User operator;
    protected String operatorToken;
    protected TestHttp api;
    protected Path src;
    protected byte[] data;

    @BeforeEach
    void backUpAFolder() throws Exception {
        operator = newUser(Role.OPERATOR);
        operatorToken = tokenFor(operator);
        api = http().withBearer(operatorToken);
        src = Files.createDirectories(dir.resolve("app"));
        Files.writeString(src.resolve(".env"), "PORT=8080\nDB_PASSWORD=hunter2-very-secret\nexport API_TOKEN=tok-123\n"
                + "DATABASE_URL=postgres://shop:pg-secret@db/shop\n");
        Files.writeString(src.resolve("config.yml"), "server:\n  port: 8080\n  secretKey: \"yaml-secret\"\nname: shop\n");
        data = new byte[300_000];
        new Random(42).nextBytes(data);
        Files.write(src.resolve("data.bin"), data);
        Files.createDirectories(src.resolve("docs/deep"));
        Files.writeString(src.resolve("docs/readme.txt"), "read me\n");
        Files.writeString(src.resolve("docs/deep/note.txt"), "deep note\n");
    }

    protected long source() {
        var r = api.postJson("/api/v1/sources", "{\"name\":\"browse " + System.nanoTime() + "\",\"type\":\"PATH\",\"path\":\""
                + src + "\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return parse(r.body()).get("id").asLong();
    }

    protected long backup(long source) throws InterruptedException {
        var r = api.postJson("/api/v1/backup/start", "{\"sourceId\":" + source + "}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        long id = parse(r.body()).get("backups").get(0).get("id").asLong();
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (Instant.now().isBefore(deadline)) {
            JsonNode b = parse(api.get("/api/v1/backup/" + id).body());
            String status = b.get("status").asText();
            if (!status.equals("QUEUED") && !status.equals("RUNNING")) {
                assertThat(status).as(b.toString()).isEqualTo("SUCCEEDED");
                return id;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("backup " + id + " did not end");
    }

    protected String mount(long backup) {
        var r = api.postJson("/api/v1/restore/mount", "{\"backupId\":" + backup + "}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonNode m = parse(r.body());
        assertThat(m.get("backupId").asLong()).isEqualTo(backup);
        assertThat(Instant.parse(m.get("expiresAt").asText())).isAfter(Instant.now().plus(Duration.ofMinutes(59)));
        assertThat(m.get("id").asText()).matches("[A-Za-z0-9_-]{22}");
        return m.get("id").asText();
    }

    protected static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    protected HttpResponse<byte[]> bytes(String path, String token, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(api.base() + path)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (headers.length > 0) {
            b.headers(headers);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    protected static Map<String, byte[]> unzip(byte[] zip) throws IOException {
        Map<String, byte[]> out = new HashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            ZipEntry e;
            while ((e = in.getNextEntry()) != null) {
                out.put(e.getName(), e.isDirectory() ? null : in.readAllBytes());
            }
        }
        return out;
    }

    protected static Map<String, byte[]> untarGz(byte[] tgz) throws IOException {
        Map<String, byte[]> out = new HashMap<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new GZIPInputStream(new ByteArrayInputStream(tgz)))) {
            TarArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                out.put(e.getName().replaceAll("/$", ""), e.isDirectory() ? null : in.readAllBytes());
            }
        }
        return out;
    }
}
