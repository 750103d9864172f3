package io.cairn.engine.prune;

import io.cairn.engine.blob.BlobId;
import io.cairn.engine.blob.BlobType;
import io.cairn.engine.crypto.CorruptObjectException;
import io.cairn.engine.progress.ProgressTracker;
import io.cairn.engine.snapshot.SnapshotRef;
import io.cairn.engine.tree.Node;
import io.cairn.engine.tree.Tree;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The mark phase of prune: every blob reachable from a set of snapshots (root trees, subtrees, file
 * content), and the reachable blobs that cannot be found. A tree shared by several snapshots is read
 * once. Directories are walked with an explicit stack, so deep trees cannot overflow the call stack.
 */
final class BlobMarker {

    /** Reads one tree blob that {@code available} said exists. */
    @FunctionalInterface
    interface TreeReader {
        Tree read(BlobId id) throws IOException;
    }

    /** A reachable blob that is in no existing pack, with the first snapshot found to need it. */
    record MissingBlob(BlobType type, BlobId id, String snapshotId) {
    }

    /** The outcome: every reachable blob (missing ones included) and the missing ones. */
    record Marked(Set<BlobId> used, List<MissingBlob> missing) {
    }

    private final TreeReader reader;
    private final Predicate<BlobId> available;
    private final ProgressTracker tracker;

    BlobMarker(TreeReader reader, Predicate<BlobId> available, ProgressTracker tracker) {
        this.reader = reader;
        this.available = available;
        this.tracker = tracker;
    }

    Marked mark(List<SnapshotRef> snapshots) throws IOException {
        Set<BlobId> used = new HashSet<>();
        List<MissingBlob> missing = new ArrayList<>();
        tracker.filesTotal.set(snapshots.size());
        for (SnapshotRef snapshot : snapshots) {
            tracker.currentPath("snapshot " + snapshot.shortId());
            Deque<BlobId> trees = new ArrayDeque<>();
            BlobId root = parseId(snapshot.snapshot().tree(), "the root tree of snapshot " + snapshot.shortId());
            if (used.add(root)) {
                trees.push(root);
            }
            while (!trees.isEmpty()) {
                BlobId treeId = trees.pop();
                if (!available.test(treeId)) {
                    missing.add(new MissingBlob(BlobType.TREE, treeId, snapshot.id()));
                    continue;
                }
                Tree tree = reader.read(treeId);
                for (Node node : tree.nodes()) {
                    if (node.isDir() && node.subtree() != null) {
                        BlobId sub = parseId(node.subtree(),
                                "the subtree of '" + node.name() + "' in tree " + treeId.shortHex());
                        if (used.add(sub)) {
                            trees.push(sub);
                        }
                    } else if (node.isFile() && node.content() != null) {
                        for (String hex : node.content()) {
                            BlobId data = parseId(hex, "content of '" + node.name() + "' in tree " + treeId.shortHex());
                            if (used.add(data) && !available.test(data)) {
                                missing.add(new MissingBlob(BlobType.DATA, data, snapshot.id()));
                            }
                        }
                    }
                }
            }
            tracker.filesDone.incrementAndGet();
        }
        return new Marked(used, missing);
    }

    private static BlobId parseId(String hex, String what) {
        try {
            return BlobId.parse(hex);
        } catch (IllegalArgumentException e) {
            throw new CorruptObjectException(what + " is not a valid blob id: " + hex, e);
        }
    }
}
