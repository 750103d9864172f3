package io.cairn.server.restore;

/** The database id of a restore operation. */
public record RestoreId(long value) {
    @Override
    public String toString() {
        return Long.toString(value);
    }
}
