package io.cairn.server.repository;

import java.time.Instant;

/**
 * What the server knows about a repository right now.
 *
 * @param state      UP (opens with its password), DEGRADED (reachable, little free space), DOWN, or
 *                   UNKNOWN (not checked yet)
 * @param message    a sentence for people: what is wrong and what to do, or what is fine
 * @param freeBytes  free space where it lives, or -1 if unknown
 * @param totalBytes size of the file system it lives on, or -1 if unknown
 * @param checkedAt  when the password was last verified against it, or null
 */
public record RepositoryStatus(ManagedRepository repository, String state, String message, long freeBytes,
                               long totalBytes, Instant checkedAt) {

    /** Free space as a percentage of the file system, or -1. */
    public int freePercent() {
        return totalBytes > 0 ? (int) Math.round(100.0 * freeBytes / totalBytes) : -1;
    }
}
