package io.cairn.server.job;

/** The database id of a backup job. */
public record JobId(long value) {
    @Override
    public String toString() {
        return Long.toString(value);
    }
}
