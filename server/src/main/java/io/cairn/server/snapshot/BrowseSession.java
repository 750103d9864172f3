package io.cairn.server.snapshot;

import java.time.Instant;

/**
 * An open browse session ("mount"): one user reading one backup's files.
 *
 * @param id         random, 128 bits, URL-safe; not a credential (requests also need the owner or an admin)
 * @param backupId   the backup (job) whose snapshot is browsed
 * @param userId     the owner
 * @param username   the owner's name, for lists and the audit log
 * @param createdAt  when it was opened
 * @param lastUsedAt the last request that used it
 * @param expiresAt  when it ends unless used again (each use moves it one idle timeout later)
 */
public record BrowseSession(String id, long backupId, long userId, String username, Instant createdAt,
                            Instant lastUsedAt, Instant expiresAt) {
}
