package io.cairn.engine.restorer;

import io.cairn.engine.backend.DirectIo;
import io.cairn.engine.backend.RangeReader;
import io.cairn.engine.concurrent.Await;
import io.cairn.engine.concurrent.BufferPool;
import io.cairn.engine.index.BlobLocation;
import io.cairn.engine.tree.NodeType;
import io.cairn.engine.blob.BlobId;
import io.cairn.engine.blob.BlobType;
import io.cairn.engine.blob.Zeros;
import io.cairn.engine.crypto.CorruptObjectException;
import io.cairn.engine.progress.ProgressEvent;
import io.cairn.engine.progress.ProgressListener;
import io.cairn.engine.progress.ProgressTracker;
import io.cairn.engine.repository.Repository;
import io.cairn.engine.repository.RepositoryException;
import io.cairn.engine.snapshot.SnapshotRef;
import io.cairn.engine.snapshot.SnapshotSummary;
import io.cairn.engine.tree.Node;
import io.cairn.engine.tree.Tree;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Restores a snapshot (or parts of it) into a target directory.
 *
 * <p>Safety: every name comes from a tree that passed {@link Tree#decode} (no "..", "/" or NUL),
 * and every output path is checked to lie inside the target after normalisation. Existing entries
 * in the way are never followed: a symlink found where a directory or file is to be written is
 * removed first (or, as the {@link OverwritePolicy} decides, kept as it is and the snapshot's entry
 * skipped), so nothing outside the target is ever written. Symlinks from the snapshot are created
 * verbatim and never followed. A directory in the way of a file or symlink fails the restore.
 *
 * <p>Correctness: every blob is authenticated when read. A file whose data is damaged or missing
 * in the repository is removed from the target (with every hard link to it), the other files are
 * still restored, and the restore then fails with a {@link RepositoryException} (exit code
 * {@link RepositoryException#EXIT_DAMAGED}) naming each such file, blob and pack. A restore that
 * fails for any other reason (disk full, cancelled) removes the files it had not finished. So a
 * file in the target either has its snapshot bytes or is absent: wrong bytes are never left
 * behind. All-zero chunks are not written, so sparse files stay sparse.
 *
 * <p>Speed: a pool of workers (one per core) loads, authenticates and decodes blobs into
 * pooled arrays and writes small files. Each file of more than one chunk is written in order by
 * one of {@link #FILE_WRITERS} writer threads with direct I/O (past the page cache), while chunk
 * loaders of their own (one per core, apart from the workers because their direct reads wait for
 * the device) decode up to {@link #PREFETCH} of its chunks ahead. Subtrees are loaded ahead of the walk on
 * their own threads. At most {@link #PENDING_FILES} files wait to be written, which bounds memory
 * and open files. System calls per entry are few: in a directory this run created nothing is looked
 * up before an exclusive create, a file's metadata is set as soon as it is written, and an owner or
 * mode the entry got at creation ({@link CreationDefaults}) is not set again.
 */
public final class Restorer {

    /** Files of more than one chunk, or of this size and more, are written in order with direct I/O. */
    static final long LARGE_FILE = 1 << 20;
    /** Writer threads for large files (they mostly wait for the device and for decoded chunks). */
    static final int FILE_WRITERS = 2;
    /** Chunks of one large file decoded ahead of its writer. */
    static final int PREFETCH = 4;
    /** Files created by the walk and not yet written. */
    static final int PENDING_FILES = 256;
    /** From this many directories of one depth, their metadata is set on several threads. */
    static final int PARALLEL_DIRS_MIN = 128;
    /** Idle decoded-blob arrays kept for reuse. */
    static final int POOLED_BYTES = 24 << 20;

    private final Repository repo;
    private final RestoreOptions options;
    private final ProgressListener listener;

    public Restorer(Repository repo, RestoreOptions options, ProgressListener listener) {
        this.repo = repo;
        this.options = options;
        this.listener = listener;
    }

    public RestoreResult restore(SnapshotRef snapshot, Path target) throws IOException {
        Path root = target.toAbsolutePath().normalize();
        Files.createDirectories(root);
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            throw new RepositoryException("restore target " + root + " is not a directory", RepositoryException.EXIT_FAILURE);
        }
        List<String[]> includes = new ArrayList<>();
        for (String inc : options.includes()) {
            includes.add(splitSnapshotPath(inc));
        }
        Run run = new Run(root, includes, "restore of " + snapshot.shortId() + " to " + root);
        Throwable error = null;
        try {
            return run.execute(snapshot);
        } catch (IOException e) {
            error = e;
            if (isNoSpaceLeft(e)) {
                throw new RepositoryException("no space left on the device of the restore target " + root + " ("
                        + e.getMessage() + "); the files not completely written were removed. Free some space or "
                        + "choose another target, and run the restore again", RepositoryException.EXIT_DISK_FULL, e);
            }
            throw e;
        } catch (Throwable t) {
            error = t;
            throw t;
        } finally {
            run.finish(error);
        }
    }

    /** Whether a failure (or a cause of it) is the operating system's ENOSPC or EDQUOT. */
    private static boolean isNoSpaceLeft(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String text = t.getMessage() == null ? "" : t.getMessage().toLowerCase(java.util.Locale.ROOT);
            if (text.contains("no space left on device") || text.contains("disk quota exceeded")) {
                return true;
            }
        }
        return false;
    }

    /** Splits "/home/ann/docs" into its components, rejecting "..", "." and empty names. */
    public static String[] splitSnapshotPath(String path) {
        List<String> parts = new ArrayList<>();
        for (String p : path.split("/")) {
            if (p.isEmpty()) {
                continue;
            }
            if (!Node.isSafeName(p)) {
                throw new RepositoryException("invalid path '" + path + "': '" + p + "' is not allowed in a snapshot path",
                        RepositoryException.EXIT_FAILURE);
            }
            parts.add(p);
        }
        return parts.toArray(String[]::new);
    }

    private static ExecutorService threads(int n, String name) {
        AtomicInteger no = new AtomicInteger();
        return Executors.newFixedThreadPool(n, r -> {
            Thread t = new Thread(r, name + "-" + no.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Worker threads that decode blobs and write small files: the configured number, else one per core. */
    private int dataThreads() {
        return options.workers() > 0 ? options.workers() : Runtime.getRuntime().availableProcessors();
    }

    private final class Run {
        private final Path root;
        private final List<String[]> includes;
        private final ProgressTracker tracker;
        /** Decodes blobs and writes small files. */
        private final ExecutorService pool;
        /**
         * Loads and decodes large files' chunks for their writers, apart from {@link #pool}: each such chunk is a direct
         * read from its pack that waits ~1-2 ms for the device, which the small files' workers should not wait for, and
         * a large file's next chunk should not queue behind up to {@link #PENDING_FILES} small files (docs/adr/0007).
         */
        private final ExecutorService chunkLoaders;
        /** Writes large files in order, waiting for their chunks from {@link #chunkLoaders}. */
        private final ExecutorService writers;
        /** Loads subtrees ahead of the walk. */
        private final ExecutorService treeLoaders;
        private final BufferPool buffers = new BufferPool(POOLED_BYTES);
        private final Semaphore pendingFiles = new Semaphore(PENDING_FILES);
        private final List<Future<?>> tasks = Collections.synchronizedList(new ArrayList<>());
        private final List<DirToFinish> dirs = new ArrayList<>();
        /** Symlinks, whose metadata is set at the end (a file's is set once it is written). */
        private final List<SymlinkToFinish> symlinks = new ArrayList<>();
        private final Map<String, FileJob> hardlinks = new HashMap<>();
        /** Files not yet complete: removed if the restore fails. */
        private final Set<FileJob> jobs = ConcurrentHashMap.newKeySet();
        private final List<String> damaged = Collections.synchronizedList(new ArrayList<>());
        private final Set<Path> removed = ConcurrentHashMap.newKeySet();
        private final Set<BlobId> zeroBlobs = ConcurrentHashMap.newKeySet();
        private final List<String> warnings = Collections.synchronizedList(new ArrayList<>());
        private final AtomicLong fileCount = new AtomicLong();
        private final AtomicLong symlinkCount = new AtomicLong();
        private final AtomicLong hardlinkCount = new AtomicLong();
        private final AtomicLong bytes = new AtomicLong();
        /** Entries kept as they were because of the overwrite policy. */
        private final AtomicLong skippedCount = new AtomicLong();
        private final boolean root0 = isRoot();
        /** What an entry this run creates gets without a chown or chmod. */
        private final CreationDefaults defaults = CreationDefaults.ofThisProcess();
        /** Reads trees and blobs, keeping their packs open until {@link #finish}. */
        private final RangeReader packs = repo.packReader();

        Run(Path root, List<String[]> includes, String description) {
            this.root = root;
            this.includes = includes;
            this.tracker = new ProgressTracker("restore", description, listener, repo.clock(), options.progressInterval());
            this.pool = threads(dataThreads(), "cairn-restore");
            this.chunkLoaders = threads(dataThreads(), "cairn-restore-chunks");
            this.writers = threads(FILE_WRITERS, "cairn-restore-writer");
            this.treeLoaders = threads(2, "cairn-restore-trees");
        }

        RestoreResult execute(SnapshotRef snapshot) throws IOException {
            repo.index();
            Tree top = repo.loadTree(snapshot.snapshot().tree(), packs);
            SnapshotSummary summary = snapshot.snapshot().summary();
            if (includes.isEmpty() && summary != null) {
                // the whole snapshot: its backup's totals give percent and ETA until the walk has counted
                tracker.filesTotal.set(summary.totalFiles());
                tracker.bytesTotal.set(summary.totalBytes());
            }
            long[] totals = new long[2];
            walk(top, root, new ArrayList<>(), totals, false, !hasSetGroupId(root));
            tracker.filesTotal.set(totals[0]);
            tracker.bytesTotal.set(totals[1]);
            awaitTasks();
            for (SymlinkToFinish link : symlinks) {
                applyMetadata(link.path(), link.meta());
            }
            finishDirectories();
            if (!damaged.isEmpty()) {
                List<String> sorted = new ArrayList<>(damaged);
                Collections.sort(sorted);
                boolean one = sorted.size() == 1;
                throw new RepositoryException(sorted.size() + (one ? " file was" : " files were") + " left out of the "
                        + "restore because repository data " + (one ? "it needs" : "they need") + " is damaged or missing: "
                        + String.join("; ", sorted.subList(0, Math.min(10, sorted.size())))
                        + (sorted.size() > 10 ? "; and " + (sorted.size() - 10) + " more" : "")
                        + ". Everything else was restored. Run 'cairn check --read-data' to see what is affected",
                        RepositoryException.EXIT_DAMAGED);
            }
            return new RestoreResult(fileCount.get(), dirs.size(), symlinkCount.get(), hardlinkCount.get(), bytes.get(),
                    skippedCount.get(), List.copyOf(warnings));
        }

        /**
         * Sets the directories' metadata, deepest first: a parent's mtime is then not undone by its children, and
         * its mode (which may shut out its owner) is set after everything below it. The directories of one depth
         * are independent of each other, so a wide depth is split between this thread and the workers, idle by now
         * (a directory costs ~4 system calls; docs/benchmarks.md has the figures).
         */
        private void finishDirectories() throws IOException {
            TreeMap<Integer, List<DirToFinish>> byDepth = new TreeMap<>(Comparator.reverseOrder());
            for (DirToFinish d : dirs) {
                if (d.applyMeta()) {
                    byDepth.computeIfAbsent(d.path().getNameCount(), k -> new ArrayList<>()).add(d);
                }
            }
            int parts = dataThreads();
            for (List<DirToFinish> level : byDepth.values()) {
                int per = level.size() < PARALLEL_DIRS_MIN ? level.size() : (level.size() + parts - 1) / parts;
                List<Future<?>> others = new ArrayList<>();
                for (int from = per; from < level.size(); from += per) {
                    List<DirToFinish> part = level.subList(from, Math.min(level.size(), from + per));
                    others.add(pool.submit(() -> part.forEach(d -> applyMetadata(d.path(), d.meta()))));
                }
                level.subList(0, per).forEach(d -> applyMetadata(d.path(), d.meta()));
                for (Future<?> f : others) {
                    Await.result(f, "restore");
                }
            }
        }

        void finish(Throwable error) {
            pool.shutdownNow();
            chunkLoaders.shutdownNow();
            writers.shutdownNow();
            treeLoaders.shutdownNow();
            if (error != null) {
                // never leave a half-written file behind: remove every file not completely written
                try {
                    writers.awaitTermination(1, TimeUnit.MINUTES);
                    pool.awaitTermination(1, TimeUnit.MINUTES);
                    chunkLoaders.awaitTermination(1, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                for (FileJob job : new ArrayList<>(jobs)) {
                    job.removeUnlessComplete();
                }
            }
            packs.close();
            tracker.end(error);
        }

        /** Records that {@code out} could not be restored because of damaged or missing data. */
        private void recordDamaged(Path out, String why) {
            damaged.add(out + " (" + why + ")");
            listener.onEvent(new ProgressEvent.Warning(out.toString(), "not restored: " + why));
        }

        /** Whether the path components so far lead to or lie under an include. */
        private int match(List<String> components) {
            if (includes.isEmpty()) {
                return 2;
            }
            int best = 0;
            for (String[] inc : includes) {
                int n = Math.min(inc.length, components.size());
                boolean prefix = true;
                for (int i = 0; i < n; i++) {
                    if (!inc[i].equals(components.get(i))) {
                        prefix = false;
                        break;
                    }
                }
                if (prefix) {
                    best = Math.max(best, components.size() >= inc.length ? 2 : 1);
                }
            }
            return best; // 0: outside, 1: on the way to an include, 2: inside an include
        }

        /**
         * Restores the entries of {@code tree} into {@code dir}. {@code fresh}: this run created
         * {@code dir}, so it was empty, and an entry is created without looking first (an exclusive
         * create that finds something after all falls back to the overwrite policy). {@code plainGroup}:
         * {@code dir} has no set-group-id bit, so what is created in it gets this process's group.
         */
        private void walk(Tree tree, Path dir, List<String> components, long[] totals, boolean fresh,
                boolean plainGroup) throws IOException {
            // load the subtrees of this directory ahead, in parallel, while its entries are handled
            Map<String, Future<Tree>> subtrees = new HashMap<>();
            for (Node node : tree.nodes()) {
                if (node.type() == NodeType.DIR && node.subtree() != null) {
                    components.add(node.name());
                    boolean wanted = match(components) != 0;
                    components.remove(components.size() - 1);
                    if (wanted) {
                        String id = node.subtree();
                        subtrees.put(node.name(), treeLoaders.submit(() -> repo.loadTree(id, packs)));
                    }
                }
            }
            for (Node node : tree.nodes()) {
                components.add(node.name());
                try {
                    int m = match(components);
                    if (m == 0) {
                        continue;
                    }
                    Path out = contained(dir.resolve(node.name()));
                    switch (node.type()) {
                        case DIR -> {
                            Existing existing = fresh ? Existing.NOTHING : existing(out, node);
                            boolean created = existing == Existing.NOTHING && createDirectory(out);
                            if (existing == Existing.NOTHING && !created) {
                                existing = existing(out, node); // something appeared there meanwhile
                            }
                            if (existing == Existing.KEEP) {
                                // a file or symlink the policy keeps: the directory and all below it are skipped
                                Future<Tree> unused = subtrees.remove(node.name());
                                if (unused != null) {
                                    unused.cancel(false);
                                }
                                skippedCount.incrementAndGet();
                                continue;
                            }
                            if (!created) {
                                created = prepareDirectory(out);
                            }
                            if (m == 2) {
                                dirs.add(new DirToFinish(out, meta(node, created, plainGroup),
                                        existing != Existing.MERGE_KEEPING_METADATA));
                            }
                            if (node.subtree() != null) {
                                walk(Await.result(subtrees.remove(node.name()), "restore"), out, components, totals,
                                        created, created && plainGroup);
                            }
                        }
                        case SYMLINK -> {
                            Existing existing = m != 2 || fresh ? Existing.NOTHING : existing(out, node);
                            if (m == 2 && mayWrite(existing)) {
                                restoreSymlink(out, node, existing, plainGroup);
                            }
                        }
                        case FILE -> {
                            if (m == 2) {
                                totals[0]++;
                                totals[1] += node.size();
                                Existing existing = fresh ? Existing.NOTHING : existing(out, node);
                                if (mayWrite(existing)) {
                                    restoreFile(out, node, existing, plainGroup);
                                } else {
                                    tracker.filesDone.incrementAndGet();
                                    tracker.bytesDone.addAndGet(node.size());
                                }
                            }
                        }
                    }
                } finally {
                    components.remove(components.size() - 1);
                }
            }
        }

        private Path contained(Path p) {
            Path n = p.normalize();
            if (!n.startsWith(root) || n.equals(root)) {
                throw new RepositoryException("refusing to write " + p + ": it is outside the restore target " + root,
                        RepositoryException.EXIT_DAMAGED);
            }
            return n;
        }

        /**
         * What is at {@code out} before the snapshot's {@code node} is written there, and what the
         * overwrite policy makes of it. Fails for a directory where a file or symlink is to go.
         */
        private Existing existing(Path out, Node node) throws IOException {
            BasicFileAttributes there;
            try {
                there = Files.readAttributes(out, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            } catch (NoSuchFileException e) {
                return Existing.NOTHING;
            }
            if (there.isDirectory() && node.type() != NodeType.DIR) {
                throw new RepositoryException("cannot restore " + out + ": a directory is in the way",
                        RepositoryException.EXIT_FAILURE);
            }
            boolean replace = switch (options.overwrite()) {
                case ALWAYS -> true;
                case NEVER -> false;
                case IF_NEWER -> node.mtimeNs() > there.lastModifiedTime().to(TimeUnit.NANOSECONDS);
            };
            if (there.isDirectory()) {
                return replace ? Existing.MERGE : Existing.MERGE_KEEPING_METADATA;
            }
            return replace ? Existing.REPLACE : Existing.KEEP;
        }

        /** Whether a file or symlink is to be written where {@code existing} was found; if not, it is counted as skipped. */
        private boolean mayWrite(Existing existing) {
            if (existing == Existing.KEEP) {
                skippedCount.incrementAndGet();
                return false;
            }
            return true;
        }

        /** Creates the directory {@code out} where nothing was found; false if something is there after all. */
        private boolean createDirectory(Path out) throws IOException {
            try {
                Files.createDirectory(out);
                return true;
            } catch (FileAlreadyExistsException e) {
                return false;
            }
        }

        /** Makes {@code out} a directory, replacing a file or symlink; true if this run created it (so it is empty). */
        private boolean prepareDirectory(Path out) throws IOException {
            if (Files.isDirectory(out, LinkOption.NOFOLLOW_LINKS)) {
                return false;
            }
            if (Files.exists(out, LinkOption.NOFOLLOW_LINKS)) {
                Files.delete(out); // a file or symlink is in the way: replace it, never follow it
            }
            Files.createDirectory(out);
            return true;
        }

        /**
         * What is applied to an entry once its content is written; what the entry got when this run
         * created it ({@code created}; its group is this process's if {@code plainGroup}, i.e. the
         * directory it is in has no set-group-id bit) is not applied again.
         */
        private Meta meta(Node node, boolean created, boolean plainGroup) {
            boolean ownerSet = !(options.restoreOwners() && root0)
                    || created && plainGroup && defaults.hasOwner(node.uid(), node.gid());
            // a directory made in a set-group-id directory inherits that bit: its mode is then set
            boolean modeSet = node.isSymlink() || created && (node.type() == NodeType.DIR
                    ? plainGroup && defaults.directoryHasMode(node.mode()) : defaults.fileHasMode(node.mode()));
            return new Meta(node.mode(), node.uid(), node.gid(), node.mtimeNs(), ownerSet, modeSet);
        }

        private void removeIfPresent(Path out) throws IOException {
            if (Files.isDirectory(out, LinkOption.NOFOLLOW_LINKS)) {
                throw new RepositoryException("cannot restore " + out + ": a directory is in the way",
                        RepositoryException.EXIT_FAILURE);
            }
            Files.deleteIfExists(out);
        }

        /**
         * Runs {@code create}, an exclusive create of {@code out} (it never follows or replaces what is
         * there), after removing what {@code existing} found there. Where nothing was found, it is run
         * without looking again; if something appeared at {@code out} since, that is removed and
         * {@code create} run once more.
         */
        private <T> T createAt(Path out, Existing existing, Creation<T> create) throws IOException {
            if (existing == Existing.NOTHING) {
                try {
                    return create.run();
                } catch (FileAlreadyExistsException e) {
                    // appeared during the restore: replaced below
                }
            }
            removeIfPresent(out);
            return create.run();
        }

        private void restoreSymlink(Path out, Node node, Existing existing, boolean plainGroup) throws IOException {
            Path target = Path.of(node.linkTarget() == null ? "" : node.linkTarget());
            createAt(out, existing, () -> Files.createSymbolicLink(out, target));
            symlinkCount.incrementAndGet();
            symlinks.add(new SymlinkToFinish(out, meta(node, true, plainGroup)));
        }

        private void restoreFile(Path out, Node node, Existing existing, boolean plainGroup) throws IOException {
            String linkKey = node.links() > 1 && node.inode() != 0 ? node.device() + ":" + node.inode() : null;
            if (linkKey != null) {
                FileJob first = hardlinks.get(linkKey);
                if (first != null) {
                    if (createAt(out, existing, () -> first.link(out))) {
                        hardlinkCount.incrementAndGet();
                    } else {
                        removed.add(out);
                        recordDamaged(out, "hard link to " + first.path + ", which could not be restored");
                    }
                    tracker.filesDone.incrementAndGet();
                    tracker.bytesDone.addAndGet(node.size());
                    return;
                }
            }
            fileCount.incrementAndGet();
            Meta meta = meta(node, true, plainGroup);
            List<String> content = node.content() == null ? List.of() : node.content();
            boolean large = content.size() > 1 || node.size() >= LARGE_FILE;
            FileChannel channel = createAt(out, existing, () -> FileChannel.open(out, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS));
            FileChannel direct = null;
            if (large) {
                // created above (a refused direct open may still create the file); reopened for direct I/O
                try {
                    direct = DirectIo.open(out, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
                } finally {
                    if (direct != null) {
                        channel.close();
                        channel = direct;
                    }
                }
            }
            FileJob job = new FileJob(out, channel);
            jobs.add(job);
            if (linkKey != null) {
                hardlinks.put(linkKey, job);
            }
            if (content.isEmpty()) {
                job.complete(0, 0);
                applyMetadata(out, meta);
                tracker.filesDone.incrementAndGet();
                listener.onEvent(new ProgressEvent.FileStarted(out.toString(), 0));
                listener.onEvent(new ProgressEvent.FileEnded(out.toString(), 0));
                return;
            }
            listener.onEvent(new ProgressEvent.FileStarted(out.toString(), node.size()));
            // every chunk's place and the file's size come from the index's plaintext lengths
            BlobId[] ids = new BlobId[content.size()];
            BlobLocation[] locations = new BlobLocation[content.size()];
            long expectedSize = 0;
            for (int i = 0; i < ids.length; i++) {
                ids[i] = BlobId.parse(content.get(i));
                locations[i] = repo.index().find(ids[i]);
                if (locations[i] == null) {
                    job.fail(new CorruptObjectException("data blob " + content.get(i).substring(0, 8)
                            + " is missing from the index"));
                    return;
                }
                expectedSize += locations[i].plainLength();
            }
            if (expectedSize != node.size()) {
                job.fail(new CorruptObjectException("its chunks add up to " + expectedSize
                        + " bytes but the snapshot says " + node.size()));
                return;
            }
            try {
                pendingFiles.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("restore cancelled", e);
            }
            long size = expectedSize;
            boolean isDirect = direct != null;
            Callable<Void> write = () -> {
                try {
                    long written = -1;
                    if (large) {
                        writeInOrder(job, isDirect, ids, locations);
                    } else {
                        written = writeSmall(job, ids, locations);
                    }
                    job.complete(size, written);
                    applyMetadata(out, meta); // nothing later changes a complete file's metadata
                    tracker.filesDone.incrementAndGet();
                    listener.onEvent(new ProgressEvent.FileEnded(out.toString(), 0));
                } catch (Throwable t) {
                    job.fail(t);
                } finally {
                    pendingFiles.release();
                }
                return null;
            };
            tasks.add(large ? writers.submit(write) : pool.submit(write));
        }

        /**
         * Writes a file of few chunks with positional writes, on a worker; returns where the last
         * byte written ends (less than the file's size if it ends in a hole).
         */
        private long writeSmall(FileJob job, BlobId[] ids, BlobLocation[] locations) throws IOException {
            long pos = 0;
            long[] end = new long[1];
            for (int i = 0; i < ids.length && !job.failed(); i++) {
                int len = locations[i].plainLength();
                Repository.PooledBlob data = zeroBlobs.contains(ids[i]) ? null : decode(ids[i], locations[i]);
                if (data != null) {
                    try {
                        forEachDataRun(data.bytes(), data.offset(), data.length(), pos, (b, off, n, at) -> {
                            ByteBuffer buf = ByteBuffer.wrap(b, off, n);
                            long p = at;
                            while (buf.hasRemaining()) {
                                p += job.channel.write(buf, p);
                            }
                            end[0] = p;
                        });
                    } finally {
                        data.release();
                    }
                }
                pos += len;
                bytes.addAndGet(len);
                tracker.bytesDone.addAndGet(len);
            }
            return end[0];
        }

        /**
         * Writes a large file from start to end on a writer thread, with direct I/O where the file was
         * opened for it; the workers decode up to {@link #PREFETCH} chunks ahead. All-zero chunks are
         * skipped (holes).
         */
        private void writeInOrder(FileJob job, boolean direct, BlobId[] ids, BlobLocation[] locations)
                throws Exception {
            DirectIo.SequentialWriter out = new DirectIo.SequentialWriter(job.path, job.channel, direct);
            job.writer = out;
            java.util.ArrayDeque<Future<Repository.PooledBlob>> ahead = new java.util.ArrayDeque<>();
            int next = 0;
            try {
                for (int i = 0; i < ids.length; i++) {
                    while (next < ids.length && ahead.size() < PREFETCH) {
                        int k = next++;
                        ahead.add(zeroBlobs.contains(ids[k]) ? CompletableFuture.completedFuture(null)
                                : chunkLoaders.submit(() -> job.failed() ? null : decode(ids[k], locations[k])));
                    }
                    Repository.PooledBlob data = Await.result(ahead.poll(), "restore");
                    int len = locations[i].plainLength();
                    if (job.failed()) {
                        if (data != null) {
                            data.release();
                        }
                        return;
                    }
                    if (data == null) {
                        out.skip(len);
                    } else {
                        long chunkEnd = out.size() + len;
                        try {
                            forEachDataRun(data.bytes(), data.offset(), data.length(), out.size(), (b, off, n, at) -> {
                                out.skip(at - out.size());
                                out.write(b, off, n);
                            });
                        } finally {
                            data.release();
                        }
                        out.skip(chunkEnd - out.size());
                    }
                    bytes.addAndGet(len);
                    tracker.bytesDone.addAndGet(len);
                }
            } finally {
                // release what was decoded ahead if the file failed half way. A decode not done yet is
                // cancelled, not waited for: when the restore fails the pool is shut down and a queued
                // decode would never run (its array, if one is running, is left to the garbage collector)
                for (Future<Repository.PooledBlob> f : ahead) {
                    if (!f.isDone() && f.cancel(false)) {
                        continue;
                    }
                    try {
                        Repository.PooledBlob d = f.get();
                        if (d != null) {
                            d.release();
                        }
                    } catch (Exception ignored) {
                        // its failure is the file's failure, reported already
                    }
                }
            }
        }

        /** Loads and decodes a data blob into pooled arrays; null if it is all zeros (written as a hole). */
        private Repository.PooledBlob decode(BlobId id, BlobLocation location) throws IOException {
            if (location.type() != BlobType.DATA) {
                throw new CorruptObjectException("blob " + id.shortHex() + " is a " + location.type().label()
                        + " blob, expected data");
            }
            Repository.PooledBlob data = repo.loadBlob(location, id, buffers, packs);
            if (Zeros.isAllZero(data.bytes(), data.offset(), data.length())) {
                zeroBlobs.add(id);
                data.release();
                return null;
            }
            return data;
        }

        /**
         * One file being written: its channel, the hard links made to it, and its outcome. Only a
         * complete file stays in the target; a failed or unfinished one is removed with its links.
         */
        private final class FileJob {
            final Path path;
            final FileChannel channel;
            /** Set while a large file is written in order; it finishes the file. */
            volatile DirectIo.SequentialWriter writer;
            final AtomicReference<Throwable> error = new AtomicReference<>();
            private final List<Path> links = new ArrayList<>();
            private boolean complete;
            private boolean removedAll;

            FileJob(Path path, FileChannel channel) {
                this.path = path;
                this.channel = channel;
            }

            boolean failed() {
                return error.get() != null;
            }

            /**
             * Sets the final size, {@code size} (a trailing run of skipped all-zero chunks becomes a hole),
             * and closes. {@code written}: where the data written with positional writes ends (-1 if
             * unknown); a file whose last byte was written needs no truncate (a new file is never longer
             * than what was written to it).
             */
            void complete(long size, long written) throws IOException {
                try {
                    if (writer != null) {
                        writer.finish();
                    } else if (written != size) {
                        channel.truncate(size);
                        if (channel.size() < size) {
                            channel.write(ByteBuffer.allocate(1), size - 1);
                        }
                    }
                } finally {
                    closeChannel();
                }
                synchronized (this) {
                    complete = true;
                }
                jobs.remove(this);
            }

            private void closeChannel() throws IOException {
                if (writer != null) {
                    writer.close();
                } else {
                    channel.close();
                }
            }

            /**
             * Removes the file and its links. Damaged or missing repository data is recorded and the
             * restore goes on; any other failure (disk full, cancelled) is rethrown and ends it.
             */
            void fail(Throwable cause) throws IOException {
                error.compareAndSet(null, cause);
                removeUnlessComplete();
                if (cause instanceof CorruptObjectException) {
                    recordDamaged(path, cause.getMessage());
                    return;
                }
                if (cause instanceof IOException io) {
                    throw io;
                }
                if (cause instanceof RuntimeException re) {
                    throw re;
                }
                if (cause instanceof Error e) {
                    throw e;
                }
                throw new IOException(cause);
            }

            /** Adds a hard link to this file; false if the file was already removed as failed. */
            synchronized boolean link(Path out) throws IOException {
                if (removedAll || failed()) {
                    return false;
                }
                Files.createLink(out, path);
                links.add(out);
                return true;
            }

            synchronized void removeUnlessComplete() {
                if (complete || removedAll) {
                    return;
                }
                removedAll = true;
                try {
                    closeChannel();
                } catch (IOException ignored) {
                    // removing the file below is what matters
                }
                List<Path> all = new ArrayList<>(links);
                all.add(path);
                for (Path p : all) {
                    removed.add(p);
                    try {
                        Files.deleteIfExists(p);
                    } catch (IOException e) {
                        warnings.add(p + ": could not remove this incompletely restored file: " + e.getMessage());
                    }
                }
            }
        }

        private void awaitTasks() throws IOException {
            int i = 0;
            while (true) {
                Future<?> f;
                synchronized (tasks) {
                    if (i >= tasks.size()) {
                        break;
                    }
                    f = tasks.get(i++);
                }
                Await.result(f, "restore");
            }
        }

        private void applyMetadata(Path path, Meta node) {
            try {
                PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class,
                        LinkOption.NOFOLLOW_LINKS);
                if (!node.ownerSet() && view != null) {
                    Files.setAttribute(path, "unix:uid", node.uid(), LinkOption.NOFOLLOW_LINKS);
                    Files.setAttribute(path, "unix:gid", node.gid(), LinkOption.NOFOLLOW_LINKS);
                }
                if (!node.modeSet()) {
                    Files.setPosixFilePermissions(path, permissions(node.mode()));
                    if ((node.mode() & 07000) != 0) {
                        Files.setAttribute(path, "unix:mode", node.mode(), LinkOption.NOFOLLOW_LINKS);
                    }
                }
                // the access time is the restore's (as before the mtime is set): given, so that the
                // JDK does not stat the file to keep it
                FileTime mtime = FileTime.from(node.mtimeNs(), TimeUnit.NANOSECONDS);
                FileTime atime = FileTime.from(repo.clock().instant());
                Files.getFileAttributeView(path, java.nio.file.attribute.BasicFileAttributeView.class,
                        LinkOption.NOFOLLOW_LINKS).setTimes(mtime, atime, null);
            } catch (IOException | RuntimeException e) {
                warnings.add(path + ": cannot restore metadata: " + e.getMessage());
                listener.onEvent(new ProgressEvent.Warning(path.toString(), "cannot restore metadata: " + e.getMessage()));
            }
        }
    }

    /** Receives a run of bytes to write at a file position. */
    @FunctionalInterface
    interface DataRunSink {
        void write(byte[] data, int off, int len, long filePosition) throws IOException;
    }

    /**
     * Passes the runs of {@code data[off, off+len)}, which belongs at {@code filePosition} of a new
     * file, that are not all-zero file blocks ({@link DirectIo#BLOCK}, aligned in the file) to
     * {@code sink} in order. The zero blocks are left unwritten and stay holes, so a sparse file
     * whose zeros share chunks with data is restored sparse too.
     */
    static void forEachDataRun(byte[] data, int off, int len, long filePosition, DataRunSink sink)
            throws IOException {
        int end = off + len;
        int runStart = -1;
        int p = off;
        while (p < end) {
            long at = filePosition + (p - off);
            int n = (int) Math.min(end - p, DirectIo.BLOCK - (at & (DirectIo.BLOCK - 1)));
            if (Zeros.isAllZero(data, p, n)) {
                if (runStart >= 0) {
                    sink.write(data, runStart, p - runStart, filePosition + (runStart - off));
                    runStart = -1;
                }
            } else if (runStart < 0) {
                runStart = p;
            }
            p += n;
        }
        if (runStart >= 0) {
            sink.write(data, runStart, end - runStart, filePosition + (runStart - off));
        }
    }

    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
        for (int bit = 0; bit < 9; bit++) {
            if ((mode & (1 << bit)) != 0) {
                set.add(order[bit]);
            }
        }
        return set;
    }

    /** Whether {@code dir} has the set-group-id bit (what is created in it gets its group); true if unknown. */
    private static boolean hasSetGroupId(Path dir) {
        try {
            return ((Integer) Files.getAttribute(dir, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 02000) != 0;
        } catch (IOException | RuntimeException e) {
            return true;
        }
    }

    private static boolean isRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * What is applied to an entry once its content is written: not the whole node (its chunk list).
     * {@code ownerSet} and {@code modeSet}: the entry has its owner, or its mode, already (owners are
     * not restored, or this run created it with them; symlinks have no mode of their own).
     */
    private record Meta(int mode, int uid, int gid, long mtimeNs, boolean ownerSet, boolean modeSet) {
    }

    /** An exclusive create: fails with {@link FileAlreadyExistsException} if anything is at its path. */
    @FunctionalInterface
    private interface Creation<T> {
        T run() throws IOException;
    }

    /**
     * A directory whose metadata is set once everything below it is written; {@code applyMeta} false
     * for an existing directory the overwrite policy keeps as it was.
     */
    private record DirToFinish(Path path, Meta meta, boolean applyMeta) {
    }

    /** What is at the place an entry is to be restored, as the overwrite policy sees it. */
    private enum Existing {
        /** Nothing: the entry is created. */
        NOTHING,
        /** A file or symlink to be replaced (or, for a directory entry, removed so the directory can be made). */
        REPLACE,
        /** A file or symlink the policy keeps: the entry is skipped. */
        KEEP,
        /** A directory, merged into; its metadata is set from the snapshot. */
        MERGE,
        /** A directory, merged into; its mode and owner are kept, its times are those of the entries added. */
        MERGE_KEEPING_METADATA
    }

    /** A restored symlink, whose metadata is set at the end. */
    private record SymlinkToFinish(Path path, Meta meta) {
    }
}
