package io.cairn.server.repository;

/** The database id of a managed repository. */
public record RepositoryId(long value) {
    @Override
    public String toString() {
        return Long.toString(value);
    }
}
