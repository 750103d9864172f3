package io.cairn.server.user;

import java.time.Instant;

/** A user in API responses. */
public record UserView(long id, String username, Role role, boolean enabled, Instant createdAt,
                       Instant passwordChangedAt, Instant lastLoginAt) {
    public static UserView of(User u) {
        return new UserView(u.id().value(), u.username(), u.role(), u.enabled(), u.createdAt(), u.passwordChangedAt(),
                u.lastLoginAt());
    }
}
