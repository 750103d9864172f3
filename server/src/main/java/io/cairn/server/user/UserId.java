package io.cairn.server.user;

/** The database id of a user account. */
public record UserId(long value) {
    @Override
    public String toString() {
        return Long.toString(value);
    }
}
