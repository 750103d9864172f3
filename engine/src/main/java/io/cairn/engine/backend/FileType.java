package io.cairn.engine.backend;

/** The kinds of objects in a repository, each stored under its own prefix. */
public enum FileType {
    /** The single {@code config} object (name is ignored, always "config"). */
    CONFIG("config"),
    /** Password-wrapped master keys, {@code keys/<id>}. */
    KEY("keys"),
    /** Lock objects, {@code locks/<id>}. */
    LOCK("locks"),
    /** Snapshots, {@code snapshots/<id>}. */
    SNAPSHOT("snapshots"),
    /** Index objects, {@code index/<id>}. */
    INDEX("index"),
    /** Pack objects, {@code data/<first two hex digits of id>/<id>}. */
    PACK("data");

    private final String prefix;

    FileType(String prefix) {
        this.prefix = prefix;
    }

    /** The directory (or key prefix) this type lives under. */
    public String prefix() {
        return prefix;
    }
}
