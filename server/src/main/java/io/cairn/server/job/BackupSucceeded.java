package io.cairn.server.job;

/** Published when a backup job succeeded (for notifications, schedules, metrics). */
public record BackupSucceeded(JobId jobId, long sourceId, String snapshotId) {
}
