package io.cairn.server.restore;

import static io.cairn.server.job.BackupTestSupport.JSON;
import static io.cairn.server.job.BackupTestSupport.createSource;
import static io.cairn.server.job.BackupTestSupport.postgres;
import static io.cairn.server.job.BackupTestSupport.postgresValue;
import static io.cairn.server.job.BackupTestSupport.randomName;
import static io.cairn.server.restore.RestoreTestSupport.awaitRestore;
import static io.cairn.server.restore.RestoreTestSupport.backUp;
import static io.cairn.server.restore.RestoreTestSupport.startRestore;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.server.CairnServer;
import io.cairn.server.ServerProcess;
import io.cairn.server.TestHttp;
import io.cairn.server.user.SetupService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Issue 5's interrupted restore: a real server process is killed (SIGKILL) while it restores a PostgreSQL
 * backup over an existing database. The target is left as it was before the restore (the restore runs in one
 * transaction, which dies with its input), the restarted server reports the restore FAILED saying what the
 * target may hold and what to do, and the backup is untouched: it restores in full into a new database.
 */
class ServerKilledDuringRestoreTest {

    private static final String PASSWORD = "correct horse battery staple";
    private final List<String> databases = new ArrayList<>();
    private final List<ServerProcess> servers = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        for (ServerProcess s : servers) {
            s.kill();
        }
        for (String db : databases) {
            postgres("postgres", "DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
        }
    }

    @Test
    void a_restore_killed_with_its_server_leaves_the_target_as_it_was_and_the_backup_untouched() throws Exception {
        String db = randomName("cairn_kill_rst_");
        postgres("postgres", "CREATE DATABASE " + db);
        databases.add(db);
        postgres(db, "CREATE TABLE orders (id int PRIMARY KEY, amount numeric(10,2)); "
                + "INSERT INTO orders SELECT g, g * 1.25 FROM generate_series(1, 2000) g;");
        String checksum = postgresValue(db, "SELECT md5(string_agg(id || ':' || amount, ',' ORDER BY id)) FROM orders");
        Path dataDir = Files.createTempDirectory("cairn-kill-restore");
        List<String> args = List.of("--cairn.data-dir=" + dataDir);
        try (ConfigurableApplicationContext setup = new SpringApplicationBuilder(CairnServer.class)
                .run("--cairn.data-dir=" + dataDir, "--server.port=0", "--server.address=127.0.0.1")) {
            setup.getBean(SetupService.class).createFirstAdmin("admin", PASSWORD, PASSWORD);
        }

        ServerProcess first = ServerProcess.start("restore-killed", dataDir, args);
        servers.add(first);
        TestHttp api = first.http().withBearer(first.accessToken("admin", PASSWORD));
        long source = createSource(api, "{\"name\":\"orders\",\"type\":\"POSTGRESQL\",\"host\":\"127.0.0.1\","
                + "\"database\":\"" + db + "\",\"username\":\"postgres\",\"tlsMode\":\"DISABLE\"}");
        long backup = backUp(api, source);
        postgres(db, "DELETE FROM orders WHERE id > 500");

        long op;
        try (Connection lock = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + db, "postgres", "")) {
            lock.setAutoCommit(false);
            try (Statement st = lock.createStatement()) {
                st.execute("LOCK TABLE orders IN ACCESS EXCLUSIVE MODE"); // the restore waits for it, mid-way
            }
            op = startRestore(api, backup, "{\"database\":\"" + db + "\",\"overwrite\":true,\"confirm\":\"" + db + "\"}");
            Instant deadline = Instant.now().plusSeconds(30);
            while (!JSON.readTree(api.get("/api/v1/restores/" + op).body()).get("progress").get("stepNumber").asText()
                    .equals("2") && Instant.now().isBefore(deadline)) {
                Thread.sleep(50);
            }
            Thread.sleep(500); // the restore tool now waits for the lock
            first.kill();
            lock.rollback();
        }
        awaitNoOtherSessions(db);
        assertThat(postgresValue(db, "SELECT count(*) FROM orders")).as("the killed restore changed nothing")
                .isEqualTo("500");

        ServerProcess second = ServerProcess.start("restore-restarted", dataDir, args);
        servers.add(second);
        TestHttp again = second.http().withBearer(second.accessToken("admin", PASSWORD));
        JsonNode killed = JSON.readTree(again.get("/api/v1/restores/" + op).body());
        assertThat(killed.get("status").asText()).isEqualTo("FAILED");
        assertThat(killed.get("error").asText()).contains("stopped while this restore ran")
                .contains("may hold a partial restore").contains("restore again");

        String fresh = randomName("cairn_kill_new_");
        databases.add(fresh);
        long redo = startRestore(again, backup, "{\"database\":\"" + fresh + "\"}");
        JsonNode done = awaitRestore(again, redo, Duration.ofMinutes(2));
        assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
        assertThat(postgresValue(fresh, "SELECT md5(string_agg(id || ':' || amount, ',' ORDER BY id)) FROM orders"))
                .as("the backup restores in full after the kill").isEqualTo(checksum);
    }

    /** Waits until the killed server's restore tool has given up its connection to the database. */
    private static void awaitNoOtherSessions(String db) throws Exception {
        Instant deadline = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(deadline)) {
            if (postgresValue("postgres", "SELECT count(*) FROM pg_stat_activity WHERE datname = '" + db + "'")
                    .equals("0")) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the killed server's restore tool still holds a session on " + db);
    }
}
