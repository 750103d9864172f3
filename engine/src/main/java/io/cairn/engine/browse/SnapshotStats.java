package io.cairn.engine.browse;

import io.cairn.engine.backend.FileInfo;
import io.cairn.engine.backend.FileType;
import io.cairn.engine.blob.BlobId;
import io.cairn.engine.crypto.CorruptObjectException;
import io.cairn.engine.index.BlobLocation;
import io.cairn.engine.index.Index;
import io.cairn.engine.repository.Repository;
import io.cairn.engine.snapshot.SnapshotRef;
import io.cairn.engine.tree.Node;
import io.cairn.engine.tree.Tree;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Counts sizes of snapshots; see {@link StatsMode} for what each mode counts.
 *
 * <p>Each tree blob is loaded at most once per run: {@code restore-size} remembers the totals of every
 * subtree it has summed (snapshots of a slowly changing source share most subtrees), the other modes
 * skip subtrees already seen because everything below them has been counted.
 */
public final class SnapshotStats {

    private final Repository repo;

    public SnapshotStats(Repository repo) {
        this.repo = repo;
    }

    /** Counts over {@code snapshots} in {@code mode}. */
    public StatsReport compute(List<SnapshotRef> snapshots, StatsMode mode) throws IOException {
        return switch (mode) {
            case RESTORE_SIZE -> restoreSize(snapshots);
            case RAW_DATA -> rawData(snapshots);
            case FILES_BY_CONTENTS -> filesByContents(snapshots);
        };
    }

    // ---------------------------------------------------------------- restore-size

    /** Totals of one subtree; hard-linked files are kept apart so each counts once per snapshot. */
    private record TreeTotals(long files, long dirs, long symlinks, long size, Map<String, Long> hardlinks) {
    }

    private StatsReport restoreSize(List<SnapshotRef> snapshots) throws IOException {
        Map<String, TreeTotals> memo = new HashMap<>();
        long files = 0;
        long dirs = 0;
        long symlinks = 0;
        long size = 0;
        for (SnapshotRef s : snapshots) {
            TreeTotals t = totals(s.snapshot().tree(), memo);
            files += t.files();
            dirs += t.dirs();
            symlinks += t.symlinks();
            size += t.size();
            for (long linked : t.hardlinks().values()) {
                size += linked;
            }
        }
        return new StatsReport(StatsMode.RESTORE_SIZE, snapshots.size(), files, dirs, symlinks, size, 0, 0, 0, 0, 0, 0,
                0);
    }

    private TreeTotals totals(String treeId, Map<String, TreeTotals> memo) throws IOException {
        TreeTotals known = memo.get(treeId);
        if (known != null) {
            return known;
        }
        Tree tree = repo.loadTree(treeId);
        long files = 0;
        long dirs = 0;
        long symlinks = 0;
        long size = 0;
        Map<String, Long> hardlinks = new HashMap<>();
        for (Node n : tree.nodes()) {
            switch (n.type()) {
                case FILE -> {
                    files++;
                    if (n.links() > 1 && n.inode() != 0) {
                        hardlinks.putIfAbsent(n.device() + ":" + n.inode(), n.size());
                    } else {
                        size += n.size();
                    }
                }
                case SYMLINK -> symlinks++;
                case DIR -> {
                    dirs++;
                    if (n.subtree() != null) {
                        TreeTotals sub = totals(n.subtree(), memo);
                        files += sub.files();
                        dirs += sub.dirs();
                        symlinks += sub.symlinks();
                        size += sub.size();
                        sub.hardlinks().forEach(hardlinks::putIfAbsent);
                    }
                }
            }
        }
        TreeTotals result = new TreeTotals(files, dirs, symlinks, size, hardlinks.isEmpty() ? Map.of() : hardlinks);
        memo.put(treeId, result);
        return result;
    }

    // ---------------------------------------------------------------- raw-data

    private StatsReport rawData(List<SnapshotRef> snapshots) throws IOException {
        Set<BlobId> trees = new HashSet<>();
        Set<BlobId> data = new HashSet<>();
        for (SnapshotRef s : snapshots) {
            forEachNewTree(s, trees, tree -> {
                for (Node n : tree.nodes()) {
                    if (n.isFile() && n.content() != null) {
                        for (String id : n.content()) {
                            data.add(parse(id));
                        }
                    }
                }
            });
        }
        Index index = repo.index();
        long missing = 0;
        long plain = 0;
        long stored = 0;
        for (Set<BlobId> set : List.of(trees, data)) {
            for (BlobId id : set) {
                BlobLocation loc = index.find(id);
                if (loc == null) {
                    missing++;
                } else {
                    plain += loc.plainLength();
                    stored += loc.sealedLength();
                }
            }
        }
        long packs = 0;
        long packBytes = 0;
        for (FileInfo f : repo.backend().list(FileType.PACK)) {
            packs++;
            packBytes += f.size();
        }
        return new StatsReport(StatsMode.RAW_DATA, snapshots.size(), 0, 0, 0, plain, data.size(), trees.size(), missing,
                plain, stored, packs, packBytes);
    }

    // ---------------------------------------------------------------- files-by-contents

    private StatsReport filesByContents(List<SnapshotRef> snapshots) throws IOException {
        Set<BlobId> trees = new HashSet<>();
        Set<ByteBuffer> contents = new HashSet<>();
        long[] totals = new long[2];
        MessageDigest sha = sha256();
        for (SnapshotRef s : snapshots) {
            forEachNewTree(s, trees, tree -> {
                for (Node n : tree.nodes()) {
                    if (n.isFile()) {
                        sha.reset();
                        if (n.content() != null) {
                            for (String id : n.content()) {
                                sha.update(id.getBytes(StandardCharsets.US_ASCII));
                            }
                        }
                        if (contents.add(ByteBuffer.wrap(sha.digest()))) {
                            totals[0]++;
                            totals[1] += n.size();
                        }
                    }
                }
            });
        }
        return new StatsReport(StatsMode.FILES_BY_CONTENTS, snapshots.size(), totals[0], 0, 0, totals[1], 0, 0, 0, 0, 0,
                0, 0);
    }

    // ---------------------------------------------------------------- helpers

    private interface TreeVisitor {
        void visit(Tree tree) throws IOException;
    }

    /** Visits every tree of a snapshot not in {@code seen} (adding it), skipping subtrees already seen. */
    private void forEachNewTree(SnapshotRef snapshot, Set<BlobId> seen, TreeVisitor visitor) throws IOException {
        Deque<BlobId> pending = new ArrayDeque<>();
        BlobId root = parse(snapshot.snapshot().tree());
        if (seen.add(root)) {
            pending.push(root);
        }
        while (!pending.isEmpty()) {
            BlobId id = pending.pop();
            Tree tree = repo.loadTree(id);
            visitor.visit(tree);
            for (Node n : tree.nodes()) {
                if (n.isDir() && n.subtree() != null) {
                    BlobId sub = parse(n.subtree());
                    if (seen.add(sub)) {
                        pending.push(sub);
                    }
                }
            }
        }
    }

    private static BlobId parse(String hex) {
        try {
            return BlobId.parse(hex);
        } catch (IllegalArgumentException e) {
            throw new CorruptObjectException("a tree references an invalid blob id '" + hex + "'", e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
