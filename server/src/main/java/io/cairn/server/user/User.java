package io.cairn.server.user;

import java.time.Instant;

/** A user account as the rest of the server sees it: never with its password hash. */
public record User(UserId id, String username, Role role, boolean enabled, Instant createdAt, Instant updatedAt,
                   Instant passwordChangedAt, Instant lastLoginAt) {
}
