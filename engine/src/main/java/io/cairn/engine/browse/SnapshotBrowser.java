package io.cairn.engine.browse;

import io.cairn.engine.repository.Repository;
import io.cairn.engine.repository.RepositoryException;
import io.cairn.engine.restorer.Restorer;
import io.cairn.engine.snapshot.SnapshotRef;
import io.cairn.engine.tree.Node;
import io.cairn.engine.tree.NodeType;
import io.cairn.engine.tree.Tree;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * Reads one snapshot like a read-only file system: resolve a path to its node, list a directory,
 * walk everything below a directory, and stream a file's content.
 *
 * <p>Requested paths are validated before anything is read ("..", ".", NUL and '\' are refused), and
 * symlinks stored in the snapshot are never followed, so a path always names exactly the node at
 * that place in the snapshot's own tree. Trees are loaded when needed, one per directory level; a
 * browser holds no cache and is cheap to create. Thread-safe if the repository is.
 */
public final class SnapshotBrowser {

    private static final int ROOT_MODE = 0755;

    private final Repository repo;
    private final SnapshotRef snapshot;

    public SnapshotBrowser(Repository repo, SnapshotRef snapshot) {
        this.repo = repo;
        this.snapshot = snapshot;
    }

    public Repository repository() {
        return repo;
    }

    public SnapshotRef snapshot() {
        return snapshot;
    }

    /**
     * The snapshot's root directory, path "/". The root tree has no node of its own, so this entry's
     * node is synthetic: a directory named "" with mode 0755, owner 0:0, the snapshot's time as mtime,
     * and the snapshot's root tree as subtree.
     */
    public SnapshotEntry root() {
        Instant time = snapshot.snapshot().instant();
        long mtimeNs = Math.addExact(Math.multiplyExact(time.getEpochSecond(), 1_000_000_000L), time.getNano());
        Node node = new Node("", NodeType.DIR, ROOT_MODE, 0, 0, null, null, mtimeNs, mtimeNs, 0, 0, 1, 0, null,
                snapshot.snapshot().tree(), null);
        return new SnapshotEntry("/", node);
    }

    /**
     * Finds the entry at {@code path} ("/home/ann/docs/a.txt"; "", "/" or null mean the root). Leading,
     * trailing and doubled slashes are ignored.
     *
     * @throws RepositoryException (exit code 1) if the path is not allowed (".", "..", NUL, '\'), does not
     *                             exist, or passes through a file or a symlink
     */
    public SnapshotEntry resolve(String path) throws IOException {
        String[] parts = split(path);
        SnapshotEntry current = root();
        for (String part : parts) {
            if (current.isSymlink()) {
                throw new RepositoryException("cannot resolve '" + path + "' in snapshot " + snapshot.shortId() + ": "
                        + current.path() + " is a symlink (to '" + current.node().linkTarget() + "') and symlinks inside "
                        + "a snapshot are not followed; use the path it points to", RepositoryException.EXIT_FAILURE);
            }
            if (!current.isDir()) {
                throw new RepositoryException("cannot resolve '" + path + "' in snapshot " + snapshot.shortId() + ": "
                        + current.path() + " is a " + current.type().label() + ", not a directory",
                        RepositoryException.EXIT_FAILURE);
            }
            Optional<Node> child = loadTree(current).find(part);
            if (child.isEmpty()) {
                throw new RepositoryException("no such file or directory in snapshot " + snapshot.shortId() + ": '" + path
                        + "' (" + current.path() + " has no entry '" + part + "'). List it with 'cairn ls "
                        + snapshot.shortId() + " " + current.path() + "'", RepositoryException.EXIT_FAILURE);
            }
            current = current.child(child.get());
        }
        return current;
    }

    /** Splits and validates a requested snapshot path. */
    static String[] split(String path) {
        if (path == null) {
            return new String[0];
        }
        if (path.indexOf('\0') >= 0) {
            throw new RepositoryException("invalid path '" + path.replace("\0", "\\0")
                    + "': a snapshot path cannot contain a NUL character", RepositoryException.EXIT_FAILURE);
        }
        return Restorer.splitSnapshotPath(path);
    }

    /** The tree listing a directory entry (an empty tree if the directory has no subtree id). */
    public Tree loadTree(SnapshotEntry dir) throws IOException {
        requireDir(dir);
        String subtree = dir.node().subtree();
        return subtree == null ? new Tree(List.of()) : repo.loadTree(subtree);
    }

    /** The entries directly inside a directory, in tree order (UTF-8 byte order of names). */
    public List<SnapshotEntry> children(SnapshotEntry dir) throws IOException {
        Tree tree = loadTree(dir);
        List<SnapshotEntry> out = new ArrayList<>(tree.nodes().size());
        for (Node n : tree.nodes()) {
            out.add(dir.child(n));
        }
        return out;
    }

    /**
     * What {@code ls} shows for {@code path}: a directory's entries (every entry below it, parents
     * first, with {@code recursive}), or the entry itself if it is not a directory. Collects into a
     * list; use {@link #walk} to stream large listings.
     */
    public List<SnapshotEntry> list(String path, boolean recursive) throws IOException {
        SnapshotEntry entry = resolve(path);
        if (!entry.isDir()) {
            return List.of(entry);
        }
        if (!recursive) {
            return children(entry);
        }
        List<SnapshotEntry> out = new ArrayList<>();
        walk(entry, e -> {
            out.add(e);
            return true;
        });
        return out;
    }

    /**
     * Visits every entry below {@code start} (not {@code start} itself) depth-first, parents before
     * children, siblings in tree order. Iterative, so the depth of a tree cannot overflow the stack;
     * holds one tree per level. A visitor that returns false for a directory skips its contents. If
     * {@code start} is not a directory nothing is visited.
     */
    public void walk(SnapshotEntry start, EntryVisitor visitor) throws IOException {
        if (!start.isDir()) {
            return;
        }
        Deque<Iterator<SnapshotEntry>> stack = new ArrayDeque<>();
        stack.push(children(start).iterator());
        while (!stack.isEmpty()) {
            Iterator<SnapshotEntry> level = stack.peek();
            if (!level.hasNext()) {
                stack.pop();
                continue;
            }
            SnapshotEntry entry = level.next();
            boolean descend = visitor.visit(entry);
            if (descend && entry.isDir()) {
                stack.push(children(entry).iterator());
            }
        }
    }

    /**
     * A stream over a file's content: its data blobs are loaded and authenticated one at a time, in
     * order, so memory stays at one blob whatever the file's size. The stream fails with
     * {@link io.cairn.engine.crypto.CorruptObjectException} if a blob is missing or damaged, or if the
     * blobs do not add up to the size the snapshot records. The caller closes it.
     *
     * @throws RepositoryException (exit code 1) if the entry is not a regular file
     */
    public InputStream openContent(SnapshotEntry file) {
        if (!file.isFile()) {
            throw new RepositoryException("cannot read the content of " + file.path() + " in snapshot " + snapshot.shortId()
                    + ": it is a " + file.type().label() + ", not a file", RepositoryException.EXIT_FAILURE);
        }
        return new FileContentStream(repo, file);
    }

    private void requireDir(SnapshotEntry dir) {
        if (!dir.isDir()) {
            throw new RepositoryException(dir.path() + " in snapshot " + snapshot.shortId() + " is a "
                    + dir.type().label() + ", not a directory", RepositoryException.EXIT_FAILURE);
        }
    }
}
