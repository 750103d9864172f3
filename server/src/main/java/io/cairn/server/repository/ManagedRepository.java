package io.cairn.server.repository;

import java.time.Instant;

/**
 * A repository this server manages (its password is not part of this record).
 *
 * @param recoveryKitSeenAt when an admin confirmed they stored the recovery kit, or null
 */
public record ManagedRepository(RepositoryId id, String name, String kind, String location, Instant createdAt,
                                Instant recoveryKitSeenAt) {
}
