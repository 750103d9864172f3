package io.cairn.server.job;

import static io.cairn.server.job.BackupTestSupport.postgres;
import static io.cairn.server.job.BackupTestSupport.randomName;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.dumps.TlsMode;
import io.cairn.server.CairnServer;
import io.cairn.server.persistence.MetadataDatabase;
import io.cairn.server.source.Source;
import io.cairn.server.source.SourceRequest;
import io.cairn.server.source.SourceService;
import io.cairn.server.source.SourceType;
import io.cairn.server.user.SetupService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A server shut down while a backup runs (a restart, an upgrade) does not leave a backup "cancelled by a
 * user": the backup ends FAILED saying the server was shut down, and a retry is queued, which the server
 * runs when it is back.
 */
class ShutdownHandOverTest {

    private String sourceDb;

    @AfterEach
    void dropSource() throws Exception {
        if (sourceDb != null) {
            MetadataDatabase.dropPostgresDatabase(sourceDb);
        }
    }

    @Test
    void a_backup_interrupted_by_a_shutdown_fails_saying_so_and_its_retry_runs_after_the_restart() throws Exception {
        sourceDb = randomName("cairn_shutdown_");
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "");
             Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + sourceDb);
        }
        postgres(sourceDb, "CREATE TABLE orders (id int PRIMARY KEY); INSERT INTO orders SELECT generate_series(1, 50);");
        Path dataDir = Files.createTempDirectory("cairn-shutdown");
        long jobId;
        String node;
        try (Connection lock = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + sourceDb, "postgres", "")) {
            lock.setAutoCommit(false);
            try (Statement st = lock.createStatement()) {
                st.execute("LOCK TABLE orders IN ACCESS EXCLUSIVE MODE"); // pg_dump waits for it
            }
            try (ConfigurableApplicationContext server = start(dataDir)) {
                server.getBean(SetupService.class).createFirstAdmin("admin", "correct horse battery staple",
                        "correct horse battery staple");
                Source source = server.getBean(SourceService.class).create(new SourceRequest("orders",
                        SourceType.POSTGRESQL, null, null, "127.0.0.1", 5432, sourceDb, "postgres", null, null,
                        TlsMode.DISABLE, null, List.of(), List.of(), null));
                JobService jobs = server.getBean(JobService.class);
                jobId = jobs.start(source.id(), new StartRequest(BackupType.INCREMENTAL, false, null), TriggerKind.API,
                        "admin").id().value();
                await(() -> jobs.get(new JobId(jobId)).status() == JobStatus.RUNNING, "the backup runs");
                node = jobs.get(new JobId(jobId)).runnerNode();
            } // a clean shutdown while pg_dump waits for the lock
            lock.rollback();
        }

        try (ConfigurableApplicationContext server = start(dataDir)) {
            JdbcClient jdbc = server.getBean(JdbcClient.class);
            Job interrupted = server.getBean(JobService.class).get(new JobId(jobId));
            assertThat(interrupted.status()).isEqualTo(JobStatus.FAILED);
            assertThat(interrupted.error()).startsWith("Server " + node + " was shut down while this backup ran")
                    .contains("retried once").doesNotContain("by a user");
            long retryId = jdbc.sql("SELECT id FROM jobs WHERE retry_of = ?").param(jobId).query(Long.class).single();
            JobService jobs = server.getBean(JobService.class);
            await(() -> jobs.get(new JobId(retryId)).status().isFinished(), "the retry ends");
            Job retry = jobs.get(new JobId(retryId));
            assertThat(retry.status()).as(String.valueOf(retry.error())).isEqualTo(JobStatus.SUCCEEDED);
            assertThat(retry.retryOf()).isEqualTo(new JobId(jobId));
            assertThat(retry.trigger()).isEqualTo(TriggerKind.API);
            assertThat(retry.requestedBy()).isEqualTo("admin");
            assertThat(jdbc.sql("SELECT COUNT(*) FROM jobs").query(Long.class).single())
                    .as("one retry, no more").isEqualTo(2);
        }
    }

    private static ConfigurableApplicationContext start(Path dataDir) {
        return new SpringApplicationBuilder(CairnServer.class).run("--cairn.data-dir=" + dataDir, "--server.port=0",
                "--server.address=127.0.0.1");
    }

    private static void await(Supplier<Boolean> condition, String what) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline)) {
            if (condition.get()) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("timed out waiting for: " + what);
    }
}
