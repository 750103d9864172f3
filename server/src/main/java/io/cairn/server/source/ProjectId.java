package io.cairn.server.source;

/** The database id of a project. */
public record ProjectId(long value) {
    @Override
    public String toString() {
        return Long.toString(value);
    }
}
