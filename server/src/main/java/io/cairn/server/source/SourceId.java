package io.cairn.server.source;

/** The database id of a source. */
public record SourceId(long value) {
    @Override
    public String toString() {
        return Long.toString(value);
    }
}
