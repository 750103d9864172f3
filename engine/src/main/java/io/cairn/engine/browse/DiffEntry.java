package io.cairn.engine.browse;

import io.cairn.engine.tree.Node;
import io.cairn.engine.tree.NodeType;
import java.util.Set;

/**
 * One difference between two snapshots.
 *
 * @param path    the snapshot path (the same in both snapshots)
 * @param status  added, removed or changed
 * @param changes for {@link Status#CHANGED}, what changed (never empty); empty otherwise
 * @param before  the node in the first snapshot (null if added)
 * @param after   the node in the second snapshot (null if removed)
 */
public record DiffEntry(String path, Status status, Set<Change> changes, Node before, Node after) {

    public DiffEntry {
        changes = Set.copyOf(changes);
    }

    /** Whether the path exists in the first snapshot, the second, or both. */
    public enum Status {
        ADDED, REMOVED, CHANGED
    }

    /** What differs between two nodes at the same path. */
    public enum Change {
        /** One is a file, directory or symlink and the other a different kind. */
        TYPE,
        /** A file's list of content blob ids, or a symlink's target, differs. */
        CONTENT,
        /** The permission bits (including setuid, setgid, sticky) differ. */
        MODE,
        /** The numeric uid or gid, or the user or group name, differs. */
        OWNER,
        /** The modification time differs. */
        MTIME
    }

    /**
     * The one-letter code the CLI prints: '+' added, '-' removed, 'T' type changed, 'M' content
     * changed (perhaps with metadata), 'U' metadata only (mode, owner or mtime).
     */
    public char symbol() {
        return switch (status) {
            case ADDED -> '+';
            case REMOVED -> '-';
            case CHANGED -> changes.contains(Change.TYPE) ? 'T' : changes.contains(Change.CONTENT) ? 'M' : 'U';
        };
    }

    /** The node's type in the second snapshot, or in the first if it was removed. */
    public NodeType type() {
        return after != null ? after.type() : before.type();
    }

    /** The file size in the first snapshot (0 if absent or not a file). */
    public long sizeBefore() {
        return before != null && before.isFile() ? before.size() : 0;
    }

    /** The file size in the second snapshot (0 if absent or not a file). */
    public long sizeAfter() {
        return after != null && after.isFile() ? after.size() : 0;
    }

    /** Whether only metadata (mode, owner, mtime) differs. */
    public boolean metadataOnly() {
        return status == Status.CHANGED && !changes.contains(Change.TYPE) && !changes.contains(Change.CONTENT);
    }
}
