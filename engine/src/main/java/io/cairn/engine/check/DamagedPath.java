package io.cairn.engine.check;

import java.util.List;

/**
 * A file or directory of a snapshot that cannot be restored in full.
 *
 * @param path    the path inside the snapshot, absolute, '/'-separated ("/home/ann/notes.txt");
 *                "/" for the snapshot's root directory or the whole snapshot
 * @param type    what the path is
 * @param blobIds the damaged or missing blobs (full hex ids) that make it unreadable: data blobs of a
 *                file, the tree blob of a directory
 * @param reason  why, for people ("data blob 1a2b3c4d failed authentication in pack ...")
 */
public record DamagedPath(String path, Type type, List<String> blobIds, String reason) {

    public DamagedPath {
        blobIds = blobIds == null ? List.of() : List.copyOf(blobIds);
    }

    /** What a damaged path is. */
    public enum Type {
        /** A file some of whose content is damaged or missing. */
        FILE,
        /** A directory whose listing is damaged or missing: nothing below it can be restored. */
        DIRECTORY,
        /** The snapshot object itself is damaged: nothing of the snapshot can be restored. */
        SNAPSHOT
    }
}
