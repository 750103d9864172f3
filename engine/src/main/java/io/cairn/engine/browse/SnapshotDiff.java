package io.cairn.engine.browse;

import io.cairn.engine.browse.DiffEntry.Change;
import io.cairn.engine.browse.DiffEntry.Status;
import io.cairn.engine.repository.Repository;
import io.cairn.engine.snapshot.SnapshotRef;
import io.cairn.engine.tree.Node;
import io.cairn.engine.tree.NodeType;
import io.cairn.engine.tree.Tree;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Compares two snapshots path by path.
 *
 * <p>Both root trees are walked together. Where a directory has the same subtree id in both, nothing
 * below it can differ and it is skipped without loading, so comparing snapshots of a mostly unchanged
 * source reads only the trees on the way to the changes. A path present on one side only is reported
 * with everything below it (each entry of an added directory is itself an added entry).
 *
 * <p>A file's content is compared by its list of blob ids (equal ids mean equal bytes, since ids are keyed
 * hashes of the plaintext), a symlink's by its target. Metadata compared: mode, owner (uid, gid, user,
 * group names) and mtime; ctime, inode, device and link count are ignored because they change when
 * nothing a user sees has. Entries are reported in tree order, parents before their children.
 */
public final class SnapshotDiff {

    private final Repository repo;

    public SnapshotDiff(Repository repo) {
        this.repo = repo;
    }

    /** Compares {@code before} with {@code after}, passing each difference to {@code sink}; returns the totals. */
    public DiffSummary compare(SnapshotRef before, SnapshotRef after, Consumer<DiffEntry> sink) throws IOException {
        SnapshotBrowser left = new SnapshotBrowser(repo, before);
        SnapshotBrowser right = new SnapshotBrowser(repo, after);
        Counter counter = new Counter(sink);
        SnapshotEntry leftRoot = left.root();
        SnapshotEntry rightRoot = right.root();
        if (!Objects.equals(leftRoot.node().subtree(), rightRoot.node().subtree())) {
            compareDirs(left, leftRoot, right, rightRoot, counter);
        }
        return counter.summary();
    }

    /** Compares two snapshots and collects every difference (for small diffs and tests). */
    public List<DiffEntry> compare(SnapshotRef before, SnapshotRef after) throws IOException {
        List<DiffEntry> out = new ArrayList<>();
        compare(before, after, out::add);
        return out;
    }

    private void compareDirs(SnapshotBrowser left, SnapshotEntry leftDir, SnapshotBrowser right, SnapshotEntry rightDir,
                             Counter counter) throws IOException {
        Map<String, Node[]> byName = new TreeMap<>(SnapshotDiff::compareUtf8);
        for (Node n : left.loadTree(leftDir).nodes()) {
            byName.computeIfAbsent(n.name(), k -> new Node[2])[0] = n;
        }
        for (Node n : right.loadTree(rightDir).nodes()) {
            byName.computeIfAbsent(n.name(), k -> new Node[2])[1] = n;
        }
        for (Node[] pair : byName.values()) {
            Node a = pair[0];
            Node b = pair[1];
            if (a == null) {
                SnapshotEntry added = rightDir.child(b);
                counter.accept(new DiffEntry(added.path(), Status.ADDED, Set.of(), null, b));
                reportSubtree(right, added, Status.ADDED, counter);
                continue;
            }
            if (b == null) {
                SnapshotEntry removed = leftDir.child(a);
                counter.accept(new DiffEntry(removed.path(), Status.REMOVED, Set.of(), a, null));
                reportSubtree(left, removed, Status.REMOVED, counter);
                continue;
            }
            SnapshotEntry leftEntry = leftDir.child(a);
            SnapshotEntry rightEntry = rightDir.child(b);
            Set<Change> changes = differences(a, b);
            if (!changes.isEmpty()) {
                counter.accept(new DiffEntry(rightEntry.path(), Status.CHANGED, changes, a, b));
            }
            if (changes.contains(Change.TYPE)) {
                reportSubtree(left, leftEntry, Status.REMOVED, counter);
                reportSubtree(right, rightEntry, Status.ADDED, counter);
            } else if (a.isDir() && !Objects.equals(a.subtree(), b.subtree())) {
                compareDirs(left, leftEntry, right, rightEntry, counter);
            }
        }
    }

    private void reportSubtree(SnapshotBrowser browser, SnapshotEntry dir, Status status, Counter counter)
            throws IOException {
        browser.walk(dir, e -> {
            counter.accept(status == Status.ADDED
                    ? new DiffEntry(e.path(), Status.ADDED, Set.of(), null, e.node())
                    : new DiffEntry(e.path(), Status.REMOVED, Set.of(), e.node(), null));
            return true;
        });
    }

    /** What differs between two nodes of the same name; empty if nothing a user sees does. */
    static Set<Change> differences(Node a, Node b) {
        Set<Change> changes = EnumSet.noneOf(Change.class);
        if (a.type() != b.type()) {
            changes.add(Change.TYPE);
        } else if (a.type() == NodeType.FILE) {
            List<String> ca = a.content() == null ? List.of() : a.content();
            List<String> cb = b.content() == null ? List.of() : b.content();
            if (!ca.equals(cb) || a.size() != b.size()) {
                changes.add(Change.CONTENT);
            }
        } else if (a.type() == NodeType.SYMLINK && !Objects.equals(a.linkTarget(), b.linkTarget())) {
            changes.add(Change.CONTENT);
        }
        if (a.mode() != b.mode()) {
            changes.add(Change.MODE);
        }
        if (a.uid() != b.uid() || a.gid() != b.gid() || !Objects.equals(a.user(), b.user())
                || !Objects.equals(a.group(), b.group())) {
            changes.add(Change.OWNER);
        }
        if (a.mtimeNs() != b.mtimeNs()) {
            changes.add(Change.MTIME);
        }
        return changes;
    }

    private static int compareUtf8(String a, String b) {
        return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    /** Forwards entries and keeps the totals. */
    private static final class Counter {
        private final Consumer<DiffEntry> sink;
        private long filesAdded;
        private long filesRemoved;
        private long filesChanged;
        private long dirsAdded;
        private long dirsRemoved;
        private long symlinksAdded;
        private long symlinksRemoved;
        private long typeChanged;
        private long symlinksChanged;
        private long metadataChanged;
        private long bytesAdded;
        private long bytesRemoved;

        Counter(Consumer<DiffEntry> sink) {
            this.sink = sink;
        }

        void accept(DiffEntry e) {
            switch (e.status()) {
                case ADDED -> {
                    switch (e.after().type()) {
                        case FILE -> filesAdded++;
                        case DIR -> dirsAdded++;
                        case SYMLINK -> symlinksAdded++;
                    }
                    bytesAdded += e.sizeAfter();
                }
                case REMOVED -> {
                    switch (e.before().type()) {
                        case FILE -> filesRemoved++;
                        case DIR -> dirsRemoved++;
                        case SYMLINK -> symlinksRemoved++;
                    }
                    bytesRemoved += e.sizeBefore();
                }
                case CHANGED -> {
                    if (e.changes().contains(Change.TYPE)) {
                        typeChanged++;
                        bytesAdded += e.sizeAfter();
                        bytesRemoved += e.sizeBefore();
                    } else if (e.changes().contains(Change.CONTENT)) {
                        if (e.after().isFile()) {
                            filesChanged++;
                        } else {
                            symlinksChanged++;
                        }
                        bytesAdded += e.sizeAfter();
                        bytesRemoved += e.sizeBefore();
                    } else {
                        metadataChanged++;
                    }
                }
            }
            sink.accept(e);
        }

        DiffSummary summary() {
            return new DiffSummary(filesAdded, filesRemoved, filesChanged, dirsAdded, dirsRemoved, symlinksAdded,
                    symlinksRemoved, typeChanged, symlinksChanged, metadataChanged, bytesAdded, bytesRemoved);
        }
    }
}
