package io.cairn.engine.snapshot;

/** A snapshot together with its id (the name of its object in the repository). */
public record SnapshotRef(String id, Snapshot snapshot) {

    public String shortId() {
        return id.substring(0, 8);
    }
}
