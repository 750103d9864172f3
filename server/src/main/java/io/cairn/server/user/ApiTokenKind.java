package io.cairn.server.user;

/** The kinds of API token. */
public enum ApiTokenKind {
    /** Created by a user on their account page; lives until revoked. Prefix {@code cairn_pat_}. */
    PERSONAL("cairn_pat_"),
    /** From {@code POST /api/v1/auth/login} or {@code /refresh}; short-lived. Prefix {@code cairn_at_}. */
    ACCESS("cairn_at_"),
    /** Exchanged once for a new access and refresh token. Prefix {@code cairn_rt_}. */
    REFRESH("cairn_rt_");

    private final String prefix;

    ApiTokenKind(String prefix) {
        this.prefix = prefix;
    }

    public String prefix() {
        return prefix;
    }
}
