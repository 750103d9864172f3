package io.cairn.server.job;

import java.time.Clock;
import java.time.Instant;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A backup (job) in API responses, with its source's name and, while it runs, its live progress.
 * {@code server} is the server (cluster node) that runs or ran it; {@code retryOf} the backup it retries.
 */
public record BackupView(long id, long sourceId, String sourceName, String sourceType, Long projectId, String projectName,
                         long repositoryId, String repositoryName, BackupType type,
                         JobStatus status, TriggerKind trigger, String requestedBy, boolean verify, String compression,
                         Instant queuedAt, Instant startedAt, Instant finishedAt, Long durationSeconds, String phase,
                         double percent, long bytesRead, Long bytesTotal, long bytesAdded, long files,
                         String snapshotId, String error, String server, Long retryOf, JsonNode contents, JsonNode performance, LiveProgress live) {

    static BackupView of(Job j, String sourceName, String sourceType, String projectName, String repositoryName,
                         LiveProgress live, Clock clock, JsonMapper json) {
        var d = j.duration(clock);
        return new BackupView(j.id().value(), j.sourceId().value(), sourceName, sourceType,
                j.projectId() == null ? null : j.projectId().value(), projectName, j.repositoryId(), repositoryName,
                j.type(), j.status(), j.trigger(), j.requestedBy(),
                j.verify(), j.compression() == null ? null : j.compression().name(), j.queuedAt(), j.startedAt(),
                j.finishedAt(), d == null ? null : d.toSeconds(), j.phase(),
                live != null ? live.percent() : j.percent(), live != null ? live.bytesRead() : j.bytesRead(),
                live != null ? live.bytesTotal() : j.bytesTotal(), live != null ? live.bytesAdded() : j.bytesAdded(),
                live != null ? live.files() : j.files(), j.snapshotId(), j.error(), j.runnerNode(),
                j.retryOf() == null ? null : j.retryOf().value(), parse(j.contents(), json),
                parse(j.performance(), json), live);
    }

    private static JsonNode parse(String s, JsonMapper json) {
        return s == null ? null : json.readTree(s);
    }
}
