package io.cairn.dumps;

/** Why a connection test (or a dump, describe or restore) failed, in terms a user can act on. */
public enum CheckStatus {
    /** Connected, authenticated, the database exists and the tools are there. */
    OK,
    /** The server rejected the user name and password. */
    WRONG_PASSWORD,
    /** No server answers at that host and port (refused, timed out, unknown host). */
    HOST_UNREACHABLE,
    /** The server answers but the named database (or file) does not exist. */
    DATABASE_MISSING,
    /** A program the adapter needs ({@code pg_dump}, {@code mariadb-dump}, {@code redis-cli}) is not installed. */
    TOOL_MISSING,
    /** The installed tool is too old for the server (e.g. pg_dump 15 against a PostgreSQL 16 server). */
    VERSION_MISMATCH,
    /** TLS was required but the server does not offer it, or its certificate failed verification. */
    TLS_FAILED,
    /** Authenticated, but the user may not read (or write) what it must. */
    PERMISSION_DENIED,
    /** A restore target already holds data and {@link RestoreOptions#overwrite()} was not given. */
    TARGET_NOT_EMPTY,
    /** Anything else; the message says what the server or tool said. */
    OTHER;

    /** Whether this is {@link #OK}. */
    public boolean isOk() {
        return this == OK;
    }
}
