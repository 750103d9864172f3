package io.cairn.server.schedule;

import io.cairn.engine.blob.Compression;
import io.cairn.server.job.BackupType;
import java.time.Instant;

/**
 * A stored schedule. Exactly one of {@code sourceId} and {@code projectId} is set.
 *
 * @param compression    null: each source's own setting
 * @param jitterSeconds  each firing waits a random 0..jitter seconds
 * @param lastFiredFor   the scheduled instant of the last firing (a repeat of it queues nothing)
 * @param lastRunOutcome what the last firing did, in words
 */
public record Schedule(ScheduleId id, String name, Long sourceId, Long projectId, String cron, String zone,
                       BackupType backupType, Compression compression, boolean enabled, MissedRunPolicy missedRunPolicy,
                       int jitterSeconds, RetentionSettings retention, Instant nextRunAt, Instant lastFiredFor,
                       Instant lastRunAt, String lastRunOutcome, Instant createdAt, Instant updatedAt) {

    public CronSchedule cronSchedule() {
        return CronSchedule.parse(cron, zone);
    }
}
