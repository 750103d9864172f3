package io.cairn.server.user;

import java.time.Instant;

/**
 * An API token as lists show it: never the secret, only its first characters ({@code prefix}).
 */
public record ApiToken(long id, UserId userId, ApiTokenKind kind, String name, String prefix, String family,
                       Instant createdAt, Instant expiresAt, Instant lastUsedAt, Instant revokedAt) {

    public boolean isActive(Instant now) {
        return revokedAt == null && (expiresAt == null || expiresAt.isAfter(now));
    }
}
