package io.cairn.server.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.server.CairnServer;
import io.cairn.server.FirstRunScenarios;
import io.cairn.server.TestHttp;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

/** The whole server on PostgreSQL: first run, setup race, sign-in, audit and health. */
@SpringBootTest(classes = CairnServer.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class PostgresServerTest {

    static String database;

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) throws Exception {
        database = MetadataDatabase.createPostgresDatabase();
        registry.add("cairn.data-dir", Files.createTempDirectory("cairn-pg-server")::toString);
        registry.add("cairn.database.url", () -> "jdbc:postgresql://127.0.0.1:5432/" + database);
        registry.add("cairn.database.username", () -> "postgres");
        registry.add("cairn.database.password", () -> "");
    }

    @AfterAll
    static void drop() throws Exception {
        MetadataDatabase.dropPostgresDatabase(database);
    }

    @Test
    void a_server_on_postgresql_sets_up_signs_in_audits_and_reports_its_health() throws Exception {
        FirstRunScenarios.onlySetupIsReachable(port);
        String password = "elephants never forget";
        FirstRunScenarios.concurrentSetupCreatesExactlyOneAdmin(port, jdbc, password);
        String admin = jdbc.sql("SELECT username FROM users").query(String.class).single();

        TestHttp browser = new TestHttp(port);
        assertThat(TestHttp.location(browser.login(admin, password))).isIn("/", "/?continue");
        assertThat(browser.get("/").body()).contains("PostgreSQL answers.");
        assertThat(browser.postForm("/settings", "/settings/users",
                Map.of("username", "pgviewer", "password", "a long viewer password", "role", "VIEWER")).statusCode())
                .isEqualTo(302);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_events WHERE action = 'user.created'").query(Long.class).single())
                .isEqualTo(1);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_events WHERE action = 'auth.login' AND actor = ?").param(admin)
                .query(Long.class).single()).isEqualTo(1);

        var health = JsonMapper.builder().build().readTree(new TestHttp(port).get("/api/v1/health").body());
        assertThat(health.get("status").asText()).isEqualTo("UP");
    }
}
