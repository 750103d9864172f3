package io.cairn.server.job;

import java.time.Instant;

/**
 * What a running job is doing right now, as browsers receive it over server-sent events.
 *
 * @param percent    0–100 when the total is known, else -1
 * @param bytesTotal null while unknown (a dump's size is never known in advance)
 * @param etaSeconds null while unknown
 */
public record LiveProgress(long jobId, long sourceId, String sourceName, JobStatus status, String phase, double percent,
                           long bytesRead, Long bytesTotal, long bytesAdded, long files, long bytesPerSecond,
                           Long etaSeconds, String currentPath, Instant startedAt, Instant updatedAt, String error) {
}
