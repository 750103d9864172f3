package io.cairn.server.schedule;

import io.cairn.engine.blob.Compression;
import io.cairn.server.job.BackupType;
import java.time.Instant;
import java.util.List;

/**
 * A schedule as pages and the API show it: with what it backs up by name, its description in words and
 * its next runs.
 *
 * @param target      "source shop-db" or "project Shop"
 * @param nextRuns    the next {@value ScheduleService#PREVIEW_RUNS} cron times (empty while disabled)
 * @param nextRunAt   the planned next firing (with jitter)
 */
public record ScheduleView(long id, String name, Long sourceId, Long projectId, String target, String cron, String zone,
                           String description, BackupType backupType, Compression compression, boolean enabled,
                           MissedRunPolicy missedRunPolicy, int jitterSeconds, RetentionSettings retention,
                           String retentionDescription, Instant nextRunAt, List<Instant> nextRuns, Instant lastRunAt,
                           String lastRunOutcome) {
}
