package io.cairn.server.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.engine.browse.SnapshotBrowser;
import io.cairn.engine.browse.SnapshotEntry;
import io.cairn.engine.repository.Repository;
import io.cairn.server.TestHttp;
import io.cairn.server.repository.RepositoryId;
import io.cairn.server.repository.RepositoryService;
import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Helpers for backup tests: scratch databases, waiting for a job, reading what a snapshot holds. */
public final class BackupTestSupport {

    public static final JsonMapper JSON = JsonMapper.builder().build();

    private BackupTestSupport() {
    }

    public static String randomName(String prefix) {
        return prefix + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    }

    public static void postgres(String database, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + database, "postgres", "");
             Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    public static String postgresValue(String database, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + database, "postgres", "");
             Statement st = c.createStatement(); var rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    public static void mariadb(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:3306/?sslMode=disable", "root", "");
             Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    public static String mariadbValue(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:3306/?sslMode=disable", "root", "");
             Statement st = c.createStatement(); var rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(rs.getMetaData().getColumnCount());
        }
    }

    /** Starts a backup of a source through the API and returns its id. */
    public static long start(TestHttp api, long sourceId, String extra) {
        var r = api.postJson("/api/v1/backup/start", "{\"sourceId\":" + sourceId + (extra == null ? "" : "," + extra) + "}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return JSON.readTree(r.body()).get("backups").get(0).get("id").asLong();
    }

    /** Creates a source through the API and returns its id. */
    public static long createSource(TestHttp api, String json) {
        var r = api.postJson("/api/v1/sources", json);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return JSON.readTree(r.body()).get("id").asLong();
    }

    /** Polls a backup until it ended; returns its view. */
    public static JsonNode awaitEnd(TestHttp api, long jobId, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            JsonNode b = JSON.readTree(api.get("/api/v1/backup/" + jobId).body());
            String status = b.get("status").asText();
            if (!status.equals("QUEUED") && !status.equals("RUNNING")) {
                return b;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("backup " + jobId + " did not end within " + timeout);
    }

    /** Waits until a backup is running. */
    public static void awaitRunning(TestHttp api, long jobId, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (JSON.readTree(api.get("/api/v1/backup/" + jobId).body()).get("status").asText().equals("RUNNING")) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("backup " + jobId + " did not start within " + timeout);
    }

    /** Reads the single file a database backup's snapshot holds (the dump) and gives it to {@code reader}. */
    public static String readDump(RepositoryService repositories, long repositoryId, String snapshotId,
                           ThrowingConsumer<InputStream> reader) throws Exception {
        try (Repository repo = repositories.open(new RepositoryId(repositoryId))) {
            SnapshotBrowser browser = new SnapshotBrowser(repo, repo.loadSnapshot(snapshotId));
            List<SnapshotEntry> files = browser.children(browser.root());
            assertThat(files).hasSize(1);
            try (InputStream in = browser.openContent(files.get(0))) {
                reader.accept(in);
            }
            return files.get(0).name();
        }
    }

    /** Whether the repository has a snapshot tagged {@code job-<id>}. */
    public static boolean hasSnapshotOfJob(RepositoryService repositories, long repositoryId, long jobId) throws IOException {
        try (Repository repo = repositories.open(new RepositoryId(repositoryId))) {
            return repo.snapshots().stream().anyMatch(s -> s.snapshot().tags().contains("job-" + jobId));
        }
    }

    @FunctionalInterface
    public interface ThrowingConsumer<T> {
        void accept(T t) throws Exception;
    }

    public static Consumer<String> ignore() {
        return line -> { };
    }
}
