package io.cairn.server.user;

/** Marks a sign-in (Spring Security's authentication details) as made with a bearer token, not a session. */
public enum TokenSignIn {
    INSTANCE
}
