package io.cairn.server.schedule;

import io.cairn.engine.blob.Compression;
import io.cairn.server.job.BackupType;

/**
 * What creating or changing a schedule asks for (the API body and the page's form). Give either
 * {@code cron} or a {@code preset} (HOURLY, DAILY, WEEKLY, MONTHLY) with {@code at} (HH:MM),
 * {@code dayOfWeek} (WEEKLY) or {@code dayOfMonth} (MONTHLY); the preset wins when both are given.
 *
 * @param sourceId        back up this source, or
 * @param projectId       every source of this project
 * @param zone            IANA time zone (default UTC)
 * @param backupType      FULL or INCREMENTAL (default)
 * @param compression     OFF, FAST, DEFAULT or MAX; null: each source's own
 * @param enabled         default true
 * @param missedRunPolicy RUN_ONCE (default) or SKIP
 * @param jitterSeconds   0..3600, default 0
 */
public record ScheduleRequest(String name, Long sourceId, Long projectId, String cron, String preset, String at,
                              String dayOfWeek, Integer dayOfMonth, String zone, BackupType backupType,
                              Compression compression, Boolean enabled, MissedRunPolicy missedRunPolicy,
                              Integer jitterSeconds, RetentionSettings retention) {
}
