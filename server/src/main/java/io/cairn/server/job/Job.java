package io.cairn.server.job;

import io.cairn.engine.blob.Compression;
import io.cairn.server.source.ProjectId;
import io.cairn.server.source.SourceId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * A backup job.
 *
 * @param bytesTotal  bytes to read when known in advance (files), else null (a dump's size is unknown)
 * @param bytesRead   bytes read from the source so far
 * @param bytesAdded  new bytes the backup stored in the repository (before compression)
 * @param contents    JSON: what the backup holds (database version, tables and row counts; top folders)
 * @param performance JSON: the telemetry rollup, once the job ended
 * @param runnerNode  the server (cluster node) that runs or ran it; null while queued
 * @param retryOf     the job this one retries (it was running on a server that stopped), or null
 */
public record Job(JobId id, SourceId sourceId, long repositoryId, ProjectId projectId, BackupType type,
                  JobStatus status, TriggerKind trigger, String requestedBy, boolean verify, Compression compression,
                  Instant queuedAt, Instant startedAt, Instant finishedAt, String phase, Long bytesTotal,
                  long bytesRead, long bytesAdded, long files, String snapshotId, String error, String contents,
                  String performance, String runnerNode, JobId retryOf) {

    /** Time from start to end (or to now while running); null before it starts. */
    public Duration duration(Clock clock) {
        if (startedAt == null) {
            return null;
        }
        return Duration.between(startedAt, finishedAt != null ? finishedAt : clock.instant());
    }

    /** Percent done when the total is known, else -1. */
    public double percent() {
        if (status == JobStatus.SUCCEEDED) {
            return 100;
        }
        return bytesTotal != null && bytesTotal > 0 ? Math.min(100.0, 100.0 * bytesRead / bytesTotal) : -1;
    }
}
