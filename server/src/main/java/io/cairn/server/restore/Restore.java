package io.cairn.server.restore;

import io.cairn.server.job.JobId;
import io.cairn.server.source.SourceId;
import java.time.Instant;

/**
 * A restore operation.
 *
 * @param backupId        the backup (job) restored
 * @param target          where, in words
 * @param request         the resolved request as JSON ({@link RestorePlan.Details})
 * @param overwrites      whether the person confirmed replacing existing data
 * @param step            the step running now, or the last one
 * @param progressCurrent bytes restored so far
 * @param progressTotal   bytes to restore, when known
 * @param result          JSON: what was restored (databases, tables, rows, files, bytes, warnings)
 */
public record Restore(RestoreId id, JobId backupId, SourceId sourceId, TargetKind targetKind, String target,
                      String request, boolean overwrites, RestoreStatus status, String requestedBy, Instant queuedAt,
                      Instant startedAt, Instant finishedAt, String step, int stepNumber, int stepCount,
                      long progressCurrent, Long progressTotal, String result, String error) {

    /** Percent of the bytes restored, or -1 when the total is unknown. */
    public double percent() {
        if (status == RestoreStatus.SUCCEEDED) {
            return 100;
        }
        return progressTotal != null && progressTotal > 0 ? Math.min(100.0, 100.0 * progressCurrent / progressTotal) : -1;
    }
}
