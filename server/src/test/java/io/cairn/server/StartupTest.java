package io.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.engine.backend.LocalBackend;
import io.cairn.engine.repository.Repository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Starting the server against data directories in unusual states: each either works or stops with a
 * message that says what is wrong and what to do, and never destroys what is there.
 */
class StartupTest {

    @TempDir
    Path dataDir;

    private ConfigurableApplicationContext start(String... extra) {
        String[] args = new String[extra.length + 2];
        args[0] = "--cairn.data-dir=" + dataDir;
        args[1] = "--server.port=0";
        System.arraycopy(extra, 0, args, 2, extra.length);
        return SpringApplication.run(CairnServer.class, args);
    }

    /** The StartupProblem in a failed start's cause chain (what the failure analyzer prints). */
    private static io.cairn.server.config.StartupProblem startupProblem(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof io.cairn.server.config.StartupProblem p) {
                return p;
            }
        }
        throw new AssertionError("no StartupProblem in the cause chain", e);
    }

    private static int port(ConfigurableApplicationContext context) {
        return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }

    @Test
    void a_restart_keeps_everything_and_a_replaced_or_lost_key_file_stops_the_server_with_a_clear_message()
            throws Exception {
        try (var first = start()) {
            assertThat(Files.exists(dataDir.resolve("secret.key"))).isTrue();
            assertThat(Files.exists(dataDir.resolve("repository/config"))).isTrue();
        }
        byte[] original = Files.readAllBytes(dataDir.resolve("secret.key"));
        try (var second = start()) {
            assertThat(new TestHttp(port(second)).get("/api/v1/health").statusCode()).isEqualTo(200);
        }

        byte[] wrong = new byte[32];
        Files.writeString(dataDir.resolve("secret.key"), Base64.getEncoder().encodeToString(wrong));
        assertThatThrownBy(this::start).satisfies(e -> assertThat(startupProblem(e).getMessage())
                .contains("is not the key this metadata database was set up with"));

        Files.delete(dataDir.resolve("secret.key"));
        assertThatThrownBy(this::start).satisfies(e -> assertThat(startupProblem(e).getMessage())
                .contains("is missing").contains("Put the original key file back"));
        assertThat(Files.exists(dataDir.resolve("secret.key"))).as("no new key replaces the lost one").isFalse();

        Files.write(dataDir.resolve("secret.key"), original);
        try (var restored = start()) {
            assertThat(new TestHttp(port(restored)).get("/api/v1/health").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void the_secret_key_can_come_from_the_environment_instead_of_a_file() {
        byte[] key = new byte[32];
        key[5] = 42;
        try (var context = start("--cairn.secret-key=" + Base64.getEncoder().encodeToString(key))) {
            assertThat(Files.exists(dataDir.resolve("secret.key"))).isFalse();
        }
    }

    @Test
    void a_repository_this_server_has_no_password_for_is_left_alone_and_reported() throws Exception {
        Path repo = dataDir.resolve("repository");
        try (Repository r = Repository.init(new LocalBackend(repo), "someone else's password".toCharArray(),
                Repository.InitOptions.defaults(), Clock.systemUTC())) {
            assertThat(r.config()).isNotNull();
        }
        byte[] config = Files.readAllBytes(repo.resolve("config"));
        try (var context = start()) {
            TestHttp http = new TestHttp(port(context));
            var health = http.get("/api/v1/health");
            assertThat(health.statusCode()).isEqualTo(503);
            JsonNode body = JsonMapper.builder().build().readTree(health.body());
            assertThat(body.get("status").asText()).isEqualTo("DOWN");
        }
        assertThat(Files.readAllBytes(repo.resolve("config"))).as("the foreign repository is untouched").isEqualTo(config);
    }

    @Test
    void a_data_directory_that_cannot_be_written_is_explained() throws Exception {
        Path blocked = dataDir.resolve("file-not-dir");
        Files.writeString(blocked, "x");
        assertThatThrownBy(() -> SpringApplication.run(CairnServer.class, "--cairn.data-dir=" + blocked.resolve("data"),
                "--server.port=0")).satisfies(e -> assertThat(startupProblem(e).action()).contains("--data-dir"));
    }
}
