package io.cairn.server.restore;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.server.TestHttp;
import io.cairn.server.job.BackupTestSupport;
import java.time.Duration;
import java.time.Instant;
import tools.jackson.databind.JsonNode;

/** Helpers for restore tests: start a restore through the API and wait for it to end. */
final class RestoreTestSupport {

    private RestoreTestSupport() {
    }

    /** Starts a restore and returns its operation id; fails the test unless the server answered 202. */
    static long startRestore(TestHttp api, long backupId, String body) {
        var r = api.postJson("/api/v1/backup/" + backupId + "/restore", body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        JsonNode started = BackupTestSupport.JSON.readTree(r.body());
        assertThat(started.get("status").asText()).isIn("QUEUED", "RUNNING");
        return started.get("operationId").asLong();
    }

    /** Polls a restore until it ended; returns its view. */
    static JsonNode awaitRestore(TestHttp api, long operationId, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            JsonNode r = BackupTestSupport.JSON.readTree(api.get("/api/v1/restores/" + operationId).body());
            String status = r.get("status").asText();
            if (!status.equals("QUEUED") && !status.equals("RUNNING")) {
                return r;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("restore " + operationId + " did not end within " + timeout);
    }

    /** Backs up a source through the API and returns the backup's id, after checking it succeeded. */
    static long backUp(TestHttp api, long sourceId) throws InterruptedException {
        long job = BackupTestSupport.start(api, sourceId, null);
        JsonNode backup = BackupTestSupport.awaitEnd(api, job, Duration.ofMinutes(3));
        assertThat(backup.get("status").asText()).as(backup.toString()).isEqualTo("SUCCEEDED");
        return job;
    }
}
