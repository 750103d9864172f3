package io.cairn.server.web;

import io.cairn.server.user.Role;

/** Who may call a route. */
public enum Access {
    /** Anyone, signed in or not. */
    PUBLIC(null),
    /** Any signed-in user (VIEWER and up). */
    VIEWER(Role.VIEWER),
    /** OPERATOR and ADMIN. */
    OPERATOR(Role.OPERATOR),
    /** ADMIN only. */
    ADMIN(Role.ADMIN);

    private final Role minimum;

    Access(Role minimum) {
        this.minimum = minimum;
    }

    /** The lowest role allowed, or null for {@link #PUBLIC}. */
    public Role minimum() {
        return minimum;
    }

    public boolean allows(Role role) {
        return minimum == null || (role != null && role.includes(minimum));
    }
}
