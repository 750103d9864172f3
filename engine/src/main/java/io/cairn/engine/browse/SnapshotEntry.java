package io.cairn.engine.browse;

import io.cairn.engine.tree.Node;
import io.cairn.engine.tree.NodeType;
import java.util.Objects;

/**
 * One node of a snapshot together with its full snapshot path.
 *
 * @param path absolute snapshot path, '/'-separated, "/" for the root; built only from names that
 *             passed {@link io.cairn.engine.tree.Tree#decode}, so it never contains "." or ".." components
 * @param node the node as stored in its parent tree (for the root, a synthetic directory node, see
 *             {@link SnapshotBrowser#root()})
 */
public record SnapshotEntry(String path, Node node) {

    public SnapshotEntry {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(node, "node");
    }

    /** The entry's own name; "/" for the root. */
    public String name() {
        return isRoot() ? "/" : node.name();
    }

    public boolean isRoot() {
        return path.equals("/");
    }

    public NodeType type() {
        return node.type();
    }

    public boolean isDir() {
        return node.isDir();
    }

    public boolean isFile() {
        return node.isFile();
    }

    public boolean isSymlink() {
        return node.isSymlink();
    }

    /** The entry for {@code child}, a node listed in this directory's tree. */
    public SnapshotEntry child(Node child) {
        return new SnapshotEntry(isRoot() ? "/" + child.name() : path + "/" + child.name(), child);
    }

    /**
     * This entry's path relative to {@code ancestor} ("docs/a.txt" for "/home/ann/docs/a.txt" below
     * "/home/ann"), or "" if they are the same entry.
     *
     * @throws IllegalArgumentException if this entry is not {@code ancestor} or below it
     */
    public String relativeTo(SnapshotEntry ancestor) {
        if (path.equals(ancestor.path)) {
            return "";
        }
        String prefix = ancestor.isRoot() ? "/" : ancestor.path + "/";
        if (!path.startsWith(prefix)) {
            throw new IllegalArgumentException(path + " is not below " + ancestor.path);
        }
        return path.substring(prefix.length());
    }
}
