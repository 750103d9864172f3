package io.cairn.server.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.server.CairnServer;
import io.cairn.server.TestHttp;
import io.cairn.server.persistence.MetadataDatabase;
import io.cairn.server.user.ApiTokenService;
import io.cairn.server.user.Role;
import io.cairn.server.user.SetupService;
import io.cairn.server.user.UserService;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Browse sessions on a server whose metadata database is PostgreSQL (migration V4 and its queries there). */
@SpringBootTest(classes = CairnServer.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class BrowsePostgresTest {

    static String database;
    static final String PASSWORD = "elephants never forget";
    private final JsonMapper json = JsonMapper.builder().build();

    @LocalServerPort
    int port;
    @Autowired
    SetupService setup;
    @Autowired
    UserService users;
    @Autowired
    ApiTokenService tokens;
    @TempDir
    Path dir;

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) throws Exception {
        database = MetadataDatabase.createPostgresDatabase();
        registry.add("cairn.data-dir", Files.createTempDirectory("cairn-pg-browse")::toString);
        registry.add("cairn.database.url", () -> "jdbc:postgresql://127.0.0.1:5432/" + database);
        registry.add("cairn.database.username", () -> "postgres");
        registry.add("cairn.database.password", () -> "");
    }

    @AfterAll
    static void drop() throws Exception {
        MetadataDatabase.dropPostgresDatabase(database);
    }

    @Test
    void sessions_open_list_page_and_close_on_postgresql() throws Exception {
        setup.createFirstAdmin("admin", PASSWORD, PASSWORD);
        TestHttp operator = new TestHttp(port).withBearer(tokens.createPersonal(
                users.create("pg-operator", PASSWORD, Role.OPERATOR).id(), "test").secret());
        TestHttp admin = new TestHttp(port).withBearer(tokens.createPersonal(
                users.create("pg-admin", PASSWORD, Role.ADMIN).id(), "test").secret());
        Path src = Files.createDirectories(dir.resolve("pg"));
        for (int i = 0; i < 150; i++) {
            Files.writeString(src.resolve(String.format("file-%03d.txt", i)), "n" + i);
        }
        var created = operator.postJson("/api/v1/sources", "{\"name\":\"pg browse\",\"type\":\"PATH\",\"path\":\"" + src + "\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        var started = operator.postJson("/api/v1/backup/start", "{\"sourceId\":" + json.readTree(created.body()).get("id") + "}");
        long backup = json.readTree(started.body()).get("backups").get(0).get("id").asLong();
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (!json.readTree(operator.get("/api/v1/backup/" + backup).body()).get("status").asText().equals("SUCCEEDED")) {
            assertThat(Instant.now()).as("backup " + backup + " ends").isBefore(deadline);
            Thread.sleep(100);
        }

        var mounted = operator.postJson("/api/v1/restore/mount", "{\"backupId\":" + backup + "}");
        assertThat(mounted.statusCode()).as(mounted.body()).isEqualTo(201);
        String mount = json.readTree(mounted.body()).get("id").asText();
        JsonNode page = json.readTree(operator.get("/api/v1/restore/" + mount + "/files?path="
                + URLEncoder.encode(src.toString(), StandardCharsets.UTF_8) + "&offset=100&limit=10").body());
        assertThat(page.get("total").asLong()).isEqualTo(150);
        assertThat(page.get("items").get(0).get("name").asText()).isEqualTo("file-100.txt");

        assertThat(json.readTree(operator.get("/api/v1/restore/mounts").body()).size()).isEqualTo(1);
        assertThat(json.readTree(admin.get("/api/v1/restore/mounts").body()).get(0).get("username").asText())
                .isEqualTo("pg-operator");
        assertThat(admin.send("DELETE", "/api/v1/restore/" + mount, null).statusCode()).isEqualTo(204);
        assertThat(json.readTree(operator.get("/api/v1/restore/mounts").body()).size()).isZero();
    }
}
