package io.cairn.server.job;

/** Published when a backup job failed (not when it was cancelled). */
public record BackupFailed(JobId jobId, long sourceId, String error) {
}
