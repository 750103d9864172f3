package io.cairn.server.job;

import io.cairn.server.source.SourceId;
import java.time.Duration;
import java.time.Instant;

/**
 * A source's backups in a period: how many, how many succeeded or failed, and the averages of the
 * successful ones.
 */
public record SourceJobStats(SourceId sourceId, long total, long succeeded, long failed, long running, long averageBytes,
                             Duration averageDuration, Instant lastSuccessAt, Instant lastJobAt) {

    /** Successful share of the finished jobs, 0–100, or -1 if none finished. */
    public int successPercent() {
        long finished = succeeded + failed;
        return finished == 0 ? -1 : (int) Math.round(100.0 * succeeded / finished);
    }
}
