package io.cairn.engine.prune;

import io.cairn.engine.backend.Backend;
import io.cairn.engine.backend.BackendFullException;
import io.cairn.engine.backend.FileHandle;
import io.cairn.engine.backend.FileInfo;
import io.cairn.engine.backend.FileType;
import io.cairn.engine.backend.LocalBackend;
import io.cairn.engine.blob.BlobId;
import io.cairn.engine.blob.BlobType;
import io.cairn.engine.crypto.CorruptObjectException;
import io.cairn.engine.index.BlobLocation;
import io.cairn.engine.index.Index;
import io.cairn.engine.index.IndexFile;
import io.cairn.engine.pack.PackEntry;
import io.cairn.engine.progress.ProgressEvent;
import io.cairn.engine.progress.ProgressListener;
import io.cairn.engine.progress.ProgressTracker;
import io.cairn.engine.repository.Repository;
import io.cairn.engine.repository.RepositoryException;
import io.cairn.engine.repository.RepositoryLock;
import io.cairn.engine.snapshot.SnapshotRef;
import io.cairn.engine.tree.Tree;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Removes data that no snapshot references and rewrites packs that are mostly unused.
 *
 * <h2>Locking</h2>
 * Prune holds an <em>exclusive</em> {@link RepositoryLock} from before it reads anything until it
 * has deleted the last object. It first waits (up to {@link PruneOptions#lockWait()}) for running
 * backups, which hold shared locks, to finish; a backup started while prune runs waits in its own
 * lock acquisition until prune is done and then works against the pruned index. So no backup ever
 * deduplicates against a blob that prune is deleting, and every pack that exists while prune holds
 * the lock was written by a finished (committed or interrupted) process.
 *
 * <h2>Steps</h2>
 * <ol>
 *   <li><b>Load.</b> Read every index object and list every pack on disk. An index entry whose pack
 *       is gone is noted; a pack that no index lists is <em>unindexed</em>.</li>
 *   <li><b>Mark.</b> Walk every snapshot: root tree, subtrees, file content. If a blob some
 *       snapshot needs is in no existing pack, stop with an error before changing anything: the
 *       repository is damaged and {@code cairn check} must look at it first.</li>
 *   <li><b>Plan.</b> Each used blob gets one home: its only copy, or, among duplicates, the copy in
 *       the best-used pack. Each pack on disk is then exactly one of: <em>keep</em> (no unused
 *       blobs, or unused bytes at most {@link PruneOptions#maxUnusedPercent()} of its blob bytes),
 *       <em>delete</em> (no used blob), <em>repack</em> (more unused than that, or one of at least
 *       {@link PruneOptions#smallPackLimit()} small packs), or <em>unindexed</em> (deleted). A dry
 *       run stops here and reports the plan.</li>
 *   <li><b>Repack.</b> Copy the used blobs of the repack packs (those with no copy in a kept pack)
 *       into new packs; see {@link PackRepacker}.</li>
 *   <li><b>Write the new index.</b> One index object lists every kept pack with all its blobs (an
 *       index listing always mirrors the pack's header) and every new pack; it names every old index
 *       object as superseded.</li>
 *   <li><b>Delete the old index objects</b>, all of them.</li>
 *   <li><b>Delete the packs</b> planned for deletion, the repacked ones and the unindexed ones.</li>
 * </ol>
 *
 * <h2>Why a crash at any point is safe</h2>
 * The invariant is: <em>every blob a snapshot needs is listed, by an index object that readers use,
 * in a pack that exists</em>. Readers ({@link Repository#loadIndex()}) use every index object except
 * those another index object names as superseded. Steps 1 to 3 write nothing. Step 4 only adds packs
 * that no index lists yet: a crash leaves unindexed packs, which the next prune deletes. Step 5 adds
 * an index that lists every pack that survives and supersedes every old index object: from the moment
 * it is durable, readers use it alone (plus whatever backups index later), and it lists only packs
 * that exist and covers every used blob. A crash after it leaves old index objects that readers
 * already skip. Step 6 removes them. Step 7 deletes packs only when no index object lists them any
 * more; a crash leaves some of them behind as unindexed packs for the next prune. Objects are never
 * modified, only added or deleted, so there is no torn state.
 *
 * <p>Prune itself reads every index object, superseded ones included: that is a superset of what
 * readers see, so nothing a reader can reach is taken for unreferenced, and the index it writes is
 * complete on its own whichever objects it came from.
 *
 * <h2>Progress</h2>
 * One {@link ProgressEvent.OperationStarted}/{@link ProgressEvent.OperationEnded} pair named
 * {@value #OPERATION}. In status events, files count the snapshots marked and bytes the sealed
 * bytes repacked; the current path names the step. Packs listed in the index but missing (and not
 * needed) are reported as {@link ProgressEvent.Warning}s.
 */
public final class Pruner {

    /** The operation name in progress events and in the lock. */
    public static final String OPERATION = "prune";
    /** Temporary files of a local repository older than this are left by crashed writers. */
    static final Duration TEMP_FILE_MIN_AGE = Duration.ofHours(1);

    private final Repository repo;
    private final PruneOptions options;
    private final ProgressListener listener;

    public Pruner(Repository repo, PruneOptions options, ProgressListener listener) {
        this.repo = repo;
        this.options = options;
        this.listener = listener;
    }

    /**
     * Prunes (or with {@link PruneOptions#dryRun()} plans) under an exclusive lock.
     *
     * @throws RepositoryException with {@link RepositoryException#EXIT_DAMAGED} if a snapshot needs a
     *                             blob that is in no pack, or a needed object is damaged (nothing is
     *                             changed then); with {@link RepositoryException#EXIT_LOCKED} if
     *                             backups still hold the repository after the lock wait
     */
    public PruneReport prune() throws IOException {
        Instant started = repo.clock().instant();
        ProgressTracker tracker = new ProgressTracker(OPERATION, options.dryRun() ? "prune (dry run)" : "prune", listener,
                repo.clock(), options.progressInterval());
        Throwable error = null;
        try (RepositoryLock lock = RepositoryLock.acquire(repo, true, OPERATION, options.lockWait())) {
            return new Run(tracker, started).execute();
        } catch (Throwable t) {
            error = t;
            throw t;
        } finally {
            tracker.end(error);
        }
    }

    /** What happens to a pack on disk. */
    enum Fate {
        KEEP, DELETE, REPACK, UNINDEXED
    }

    /** One prune: the state read in step 1 and the plan of step 3. */
    private final class Run {
        private final ProgressTracker tracker;
        private final Instant started;
        private final Backend backend = repo.backend();
        private final Map<String, IndexFile> indexFiles = new TreeMap<>();
        private final Map<String, Long> packSizes = new TreeMap<>();
        private final Map<String, List<PackEntry>> indexed = new TreeMap<>();
        private final Set<String> missingPacks = new TreeSet<>();
        private final Map<String, Long> blobBytes = new HashMap<>();
        private final Map<BlobId, List<BlobLocation>> locations = new HashMap<>();
        private final Map<String, Fate> fates = new TreeMap<>();
        private final Map<String, List<PackEntry>> toCopy = new TreeMap<>();

        Run(ProgressTracker tracker, Instant started) {
            this.tracker = tracker;
            this.started = started;
        }

        PruneReport execute() throws IOException {
            List<SnapshotRef> snapshots;
            Set<BlobId> used;
            try {
                load();
                snapshots = repo.snapshots();
                used = mark(snapshots);
            } catch (CorruptObjectException e) {
                throw new RepositoryException("prune stopped before changing anything: " + e.getMessage()
                        + ". Run 'cairn check --read-data' to see what is damaged", RepositoryException.EXIT_DAMAGED, e);
            }
            Map<BlobId, BlobLocation> homes = chooseHomes(used);
            plan(homes);
            chooseCopies(homes);
            verifyEveryUsedBlobSurvives(used);

            long bytesRepacked = 0;
            for (List<PackEntry> entries : toCopy.values()) {
                for (PackEntry e : entries) {
                    bytesRepacked += e.sealedLength();
                }
            }
            boolean rewriteIndex = count(Fate.DELETE) + count(Fate.REPACK) > 0 || !missingPacks.isEmpty()
                    || indexFiles.size() > 1;
            boolean keepsAnyPack = count(Fate.KEEP) > 0 || bytesRepacked > 0;
            for (String pack : missingPacks) {
                tracker.emit(new ProgressEvent.Warning(FileHandle.of(FileType.PACK, pack).toString(), "the index lists this "
                        + "pack but it is missing; no snapshot needs its blobs, so prune drops its index entries"));
            }
            if (options.dryRun()) {
                return report(snapshots, used, estimatePacksWritten(), bytesRepacked, bytesRepacked,
                        rewriteIndex ? indexFiles.size() : 0, rewriteIndex && keepsAnyPack ? 1 : 0, 0);
            }

            // step 4: repack
            tracker.bytesTotal.set(bytesRepacked);
            PackRepacker repacker = new PackRepacker(repo, tracker);
            Map<String, List<PackEntry>> written;
            try {
                for (Map.Entry<String, List<PackEntry>> pack : toCopy.entrySet()) {
                    repacker.copy(pack.getKey(), pack.getValue());
                }
                written = repacker.finish();
            } catch (CorruptObjectException e) {
                throw new RepositoryException("prune stopped before deleting anything: " + e.getMessage() + ". Every "
                        + "snapshot is as it was (the packs already written are removed by the next prune). Run "
                        + "'cairn check --read-data' to see what is damaged", RepositoryException.EXIT_DAMAGED, e);
            }

            // steps 5 and 6: the new index, then away with the old ones
            int indexWritten = 0;
            if (rewriteIndex) {
                Map<String, List<PackEntry>> listing = new LinkedHashMap<>();
                for (Map.Entry<String, Fate> pack : fates.entrySet()) {
                    if (pack.getValue() == Fate.KEEP) {
                        listing.put(pack.getKey(), indexed.get(pack.getKey()));
                    }
                }
                listing.putAll(written);
                Index fresh = new Index();
                if (!listing.isEmpty()) {
                    tracker.currentPath("writing the new index");
                    IndexFile file = new IndexFile(List.copyOf(indexFiles.keySet()), listing);
                    fresh.addIndexFile(saveIndex(file), file);
                    indexWritten = 1;
                }
                repo.setIndex(fresh);
                tracker.currentPath("deleting old index objects");
                for (String old : indexFiles.keySet()) {
                    backend.delete(FileHandle.of(FileType.INDEX, old));
                }
            } else {
                Index fresh = new Index();
                for (Map.Entry<String, IndexFile> file : indexFiles.entrySet()) {
                    fresh.addIndexFile(file.getKey(), file.getValue());
                }
                repo.setIndex(fresh);
            }

            // step 7: packs nothing lists any more
            tracker.currentPath("deleting packs");
            for (Map.Entry<String, Fate> pack : fates.entrySet()) {
                if (pack.getValue() != Fate.KEEP) {
                    backend.delete(FileHandle.of(FileType.PACK, pack.getKey()));
                }
            }
            int tempFiles = 0;
            if (backend instanceof LocalBackend local) {
                tempFiles = local.cleanupTempFiles(TEMP_FILE_MIN_AGE);
            }
            return report(snapshots, used, written.size(), bytesRepacked, repacker.bytesWritten(),
                    rewriteIndex ? indexFiles.size() : 0, indexWritten, tempFiles);
        }

        /** Step 1. */
        private void load() throws IOException {
            tracker.currentPath("loading the index");
            indexFiles.putAll(repo.loadIndexFiles());
            for (FileInfo info : backend.list(FileType.PACK)) {
                packSizes.put(info.handle().name(), info.size());
            }
            for (IndexFile file : indexFiles.values()) {
                for (Map.Entry<String, List<PackEntry>> pack : file.packs().entrySet()) {
                    indexed.putIfAbsent(pack.getKey(), pack.getValue());
                }
            }
            for (Map.Entry<String, List<PackEntry>> pack : indexed.entrySet()) {
                String packId = pack.getKey();
                if (!packSizes.containsKey(packId)) {
                    missingPacks.add(packId);
                    continue;
                }
                long bytes = 0;
                for (PackEntry e : pack.getValue()) {
                    bytes += e.sealedLength();
                    locations.computeIfAbsent(e.id(), k -> new ArrayList<>(1))
                            .add(new BlobLocation(packId, e.type(), e.offset(), e.sealedLength(), e.plainLength()));
                }
                blobBytes.put(packId, bytes);
            }
        }

        /** Step 2: the used blobs; refuses to go on if one is in no existing pack. */
        private Set<BlobId> mark(List<SnapshotRef> snapshots) throws IOException {
            BlobMarker marker = new BlobMarker(this::readTree, locations::containsKey, tracker);
            BlobMarker.Marked marked = marker.mark(snapshots);
            if (!marked.missing().isEmpty()) {
                throw missingBlobs(marked.missing());
            }
            return marked.used();
        }

        private Tree readTree(BlobId id) throws IOException {
            BlobLocation location = locations.get(id).get(0);
            if (location.type() != BlobType.TREE) {
                throw new CorruptObjectException("blob " + id.shortHex() + " is used as a tree but stored as a "
                        + location.type().label() + " blob");
            }
            return Tree.decode(repo.loadBlob(location, id), "tree " + id.shortHex());
        }

        private RepositoryException missingBlobs(List<BlobMarker.MissingBlob> missing) {
            StringBuilder examples = new StringBuilder();
            for (BlobMarker.MissingBlob m : missing.subList(0, Math.min(5, missing.size()))) {
                examples.append(examples.length() == 0 ? "" : "; ").append(m.type().label()).append(' ')
                        .append(m.id().shortHex()).append(" of snapshot ").append(m.snapshotId(), 0, 8);
            }
            String packs = missingPacks.isEmpty() ? "" : " The index lists " + missingPacks.size() + " pack"
                    + (missingPacks.size() == 1 ? "" : "s") + " that " + (missingPacks.size() == 1 ? "is" : "are")
                    + " missing (e.g. " + missingPacks.iterator().next().substring(0, 8) + ").";
            return new RepositoryException("prune refused: " + missing.size() + " blob" + (missing.size() == 1 ? "" : "s")
                    + " that snapshots need " + (missing.size() == 1 ? "is" : "are") + " in no existing pack (" + examples
                    + ")." + packs + " Nothing was deleted. Run 'cairn check' to see which snapshots are damaged, "
                    + "and repair or forget them before pruning", RepositoryException.EXIT_DAMAGED);
        }

        /** Step 3a: one location per used blob. */
        private Map<BlobId, BlobLocation> chooseHomes(Set<BlobId> used) {
            Map<String, Long> potential = new HashMap<>();
            for (BlobId id : used) {
                for (BlobLocation l : locations.get(id)) {
                    potential.merge(l.packId(), (long) l.sealedLength(), Long::sum);
                }
            }
            Map<BlobId, BlobLocation> homes = new HashMap<>(used.size() * 2);
            for (BlobId id : used) {
                List<BlobLocation> copies = locations.get(id);
                BlobLocation home = copies.get(0);
                if (copies.size() > 1) {
                    Comparator<BlobLocation> best = Comparator
                            .comparingDouble((BlobLocation l) -> -usedShare(potential, l.packId()))
                            .thenComparing(BlobLocation::packId).thenComparingInt(BlobLocation::offset);
                    home = copies.stream().min(best).orElseThrow();
                }
                homes.put(id, home);
            }
            return homes;
        }

        /** The share of a pack's blob bytes that {@code used} attributes to it. */
        private double usedShare(Map<String, Long> used, String packId) {
            return (double) used.getOrDefault(packId, 0L) / Math.max(1, blobBytes(packId));
        }

        /** Step 3b: the fate of every pack on disk. */
        private void plan(Map<BlobId, BlobLocation> homes) {
            Map<String, Long> usedBytes = new HashMap<>();
            for (BlobLocation home : homes.values()) {
                usedBytes.merge(home.packId(), (long) home.sealedLength(), Long::sum);
            }
            for (Map.Entry<String, Long> pack : packSizes.entrySet()) {
                String id = pack.getKey();
                if (!indexed.containsKey(id)) {
                    fates.put(id, Fate.UNINDEXED);
                    continue;
                }
                long total = blobBytes(id);
                long usedInPack = usedBytes.getOrDefault(id, 0L);
                long unused = total - usedInPack;
                if (usedInPack == 0) {
                    fates.put(id, Fate.DELETE);
                } else if (unused * 100 > (long) options.maxUnusedPercent() * total) {
                    fates.put(id, Fate.REPACK);
                } else {
                    fates.put(id, Fate.KEEP);
                }
            }
            if (options.smallPackLimit() > 0) {
                long small = repo.config().packSize() / 4;
                List<String> smallPacks = new ArrayList<>();
                for (Map.Entry<String, Fate> pack : fates.entrySet()) {
                    if (pack.getValue() == Fate.KEEP && packSizes.get(pack.getKey()) < small) {
                        smallPacks.add(pack.getKey());
                    }
                }
                if (smallPacks.size() >= options.smallPackLimit()) {
                    for (String id : smallPacks) {
                        fates.put(id, Fate.REPACK);
                    }
                }
            }
        }

        /** Step 3c: the used blobs each repacked pack must give up (unless a kept pack has a copy). */
        private void chooseCopies(Map<BlobId, BlobLocation> homes) {
            for (Map.Entry<String, Fate> pack : fates.entrySet()) {
                if (pack.getValue() != Fate.REPACK) {
                    continue;
                }
                List<PackEntry> entries = new ArrayList<>();
                for (PackEntry e : indexed.get(pack.getKey())) {
                    BlobLocation home = homes.get(e.id());
                    if (home != null && home.packId().equals(pack.getKey()) && home.offset() == e.offset()
                            && !hasKeptCopy(e.id())) {
                        entries.add(e);
                    }
                }
                entries.sort(Comparator.comparingInt(PackEntry::offset));
                toCopy.put(pack.getKey(), entries);
            }
        }

        private boolean hasKeptCopy(BlobId id) {
            for (BlobLocation l : locations.get(id)) {
                if (fates.get(l.packId()) == Fate.KEEP) {
                    return true;
                }
            }
            return false;
        }

        /** A guard against planning bugs: no used blob may lose its last copy. */
        private void verifyEveryUsedBlobSurvives(Set<BlobId> used) {
            Set<BlobId> copied = new java.util.HashSet<>();
            for (List<PackEntry> entries : toCopy.values()) {
                for (PackEntry e : entries) {
                    copied.add(e.id());
                }
            }
            for (BlobId id : used) {
                if (!copied.contains(id) && !hasKeptCopy(id)) {
                    throw new IllegalStateException("prune planned to delete every copy of used blob " + id.shortHex()
                            + "; nothing was changed. This is a bug in Cairn, please report it");
                }
            }
        }

        /** The sealed bytes of all blobs the index lists in an existing pack. */
        private long blobBytes(String packId) {
            return blobBytes.get(packId);
        }

        private int count(Fate fate) {
            int n = 0;
            for (Fate f : fates.values()) {
                if (f == fate) {
                    n++;
                }
            }
            return n;
        }

        private int estimatePacksWritten() {
            Map<BlobType, Long> bytes = new EnumMap<>(BlobType.class);
            for (List<PackEntry> entries : toCopy.values()) {
                for (PackEntry e : entries) {
                    bytes.merge(e.type(), (long) e.sealedLength(), Long::sum);
                }
            }
            int packs = 0;
            for (long b : bytes.values()) {
                packs += (int) ((b + repo.config().packSize() - 1) / repo.config().packSize());
            }
            return packs;
        }

        private String saveIndex(IndexFile file) throws IOException {
            try {
                return repo.saveIndex(file);
            } catch (RepositoryException e) {
                if (e.getCause() instanceof BackendFullException) {
                    throw new RepositoryException("prune ran out of space at " + backend.location() + " while writing the "
                            + "new index. Nothing has been deleted yet and every snapshot is intact; the packs it "
                            + "wrote are removed by the next prune. Free some space and run prune again",
                            RepositoryException.EXIT_DISK_FULL, e);
                }
                throw e;
            }
        }

        private PruneReport report(List<SnapshotRef> snapshots, Set<BlobId> used, int packsWritten, long bytesRepacked,
                                   long bytesWritten, int indexReplaced, int indexWritten, int tempFiles) {
            long blobsRemoved = 0;
            long bytesDeleted = 0;
            long unusedKept = 0;
            for (Map.Entry<String, Fate> pack : fates.entrySet()) {
                String id = pack.getKey();
                switch (pack.getValue()) {
                    case KEEP -> {
                        long usedHere = 0;
                        for (PackEntry e : indexed.get(id)) {
                            if (used.contains(e.id())) {
                                usedHere += e.sealedLength();
                            }
                        }
                        unusedKept += blobBytes(id) - usedHere;
                    }
                    case DELETE -> {
                        blobsRemoved += indexed.get(id).size();
                        bytesDeleted += packSizes.get(id);
                    }
                    case REPACK -> {
                        blobsRemoved += indexed.get(id).size() - toCopy.get(id).size();
                        bytesDeleted += packSizes.get(id);
                    }
                    case UNINDEXED -> bytesDeleted += packSizes.get(id);
                }
            }
            return new PruneReport(options.dryRun(), snapshots.size(), used.size(), count(Fate.KEEP), count(Fate.DELETE),
                    count(Fate.UNINDEXED), count(Fate.REPACK), packsWritten, blobsRemoved, bytesDeleted - bytesWritten,
                    bytesRepacked, unusedKept, indexReplaced, indexWritten, missingPacks.size(), tempFiles,
                    Duration.between(started, repo.clock().instant()));
        }
    }
}
