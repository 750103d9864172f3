package io.cairn.server.job;

import java.time.Instant;

/**
 * A search of the backups list; every filter is optional.
 *
 * @param text  words found in the source's name, the snapshot id or the error
 * @param sort  one of {@code queued}, {@code started}, {@code duration}, {@code size}, {@code added},
 *              {@code source}, {@code status}
 */
public record JobQuery(Long sourceId, Long projectId, BackupType type, JobStatus status, Instant from, Instant to,
                       String text, String sort, boolean descending) {

    public static JobQuery all() {
        return new JobQuery(null, null, null, null, null, null, null, "queued", true);
    }

    public static JobQuery ofSource(long sourceId) {
        return new JobQuery(sourceId, null, null, null, null, null, null, "queued", true);
    }
}
