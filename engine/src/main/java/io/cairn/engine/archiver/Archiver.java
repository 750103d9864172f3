package io.cairn.engine.archiver;

import io.cairn.engine.concurrent.Await;
import io.cairn.engine.concurrent.BufferPool;
import io.cairn.engine.backend.DirectIo;
import io.cairn.engine.backend.RangeReader;
import io.cairn.engine.blob.BlobId;
import io.cairn.engine.blob.BlobType;
import io.cairn.engine.blob.Compression;
import io.cairn.engine.blob.Zeros;
import io.cairn.engine.chunker.Chunker;
import io.cairn.engine.chunker.ChunkerParams;
import io.cairn.engine.index.Index;
import io.cairn.engine.progress.ProgressEvent;
import io.cairn.engine.progress.ProgressListener;
import io.cairn.engine.progress.ProgressTracker;
import io.cairn.engine.repository.BlobWriter;
import io.cairn.engine.repository.Repository;
import io.cairn.engine.repository.RepositoryException;
import io.cairn.engine.repository.RepositoryLock;
import io.cairn.engine.snapshot.Snapshot;
import io.cairn.engine.snapshot.SnapshotRef;
import io.cairn.engine.snapshot.SnapshotSummary;
import io.cairn.engine.tree.Node;
import io.cairn.engine.tree.NodeType;
import io.cairn.engine.tree.Tree;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * Backs up directory trees, a stream, or a command's output into a new snapshot.
 *
 * <p>Pipeline: the calling thread walks the tree and compares with the parent snapshot; {@link #READERS}
 * reader threads read changed files (large ones with direct I/O) and cut them into chunks; a pool of
 * workers hashes, compresses, encrypts and packs each chunk; an uploader thread writes the packs.
 * At most {@link #BLOCKS} blocks of large files' data, {@link #IN_FLIGHT_BYTES} of small files and
 * {@link #QUEUED_FILES} files wait between the walker, the readers and the workers, which bounds
 * memory. A directory's tree blob is saved as soon as all its entries are done.
 *
 * <p>Commit: after the root tree, every pack and the index are flushed, then the snapshot is
 * written. If anything fails before that, no snapshot exists and the packs written so far are
 * unreferenced (prune removes them; the next backup reuses any that an index lists).
 *
 * <p>Incremental: a file whose size, mtime, ctime and inode equal those in the parent snapshot is
 * not read; its content list is copied (if every blob is still indexed). {@link BackupOptions#force}
 * reads everything. Either way the snapshot is complete on its own.
 */
public final class Archiver {

    /** Bytes (array capacity) of small files' chunks allowed between the readers and the workers. */
    static final int IN_FLIGHT_BYTES = 4 << 20;
    /** Idle arrays for small files kept for reuse. */
    static final int POOLED_BYTES = 2 << 20;
    /** Files read at once: a disk serves several outstanding reads faster than one at a time. */
    static final int READERS = 2;
    /** Readers that may cut large files at once. */
    static final int LARGE_FILE_READERS = 2;
    /**
     * Blocks that files larger than one chunk are read and cut in ({@link ChunkBlocks}); their chunks go to the
     * workers as ranges of a block. Up to {@link #LARGE_FILE_READERS} readers cut such files at once, each holding
     * one block and, when its block is full, taking the next before it lets the old one go: one block more than
     * readers always lets one of them go on (the workers release the blocks they store from). Until 2026-12-04 one
     * reader at a time, with two blocks: a second large file then held up the other reader, the small files queued
     * behind it and so the walk (in the benchmark's mutation backup the walk stood still for ~1.8 s while the
     * disk image was cut).
     */
    static final int BLOCKS = LARGE_FILE_READERS + 1;
    /** Size of a block (at least 1.5 times the maximum chunk size). */
    static final int BLOCK_SIZE = 6 << 20;
    /** Files the walker may hand to the readers ahead of them. */
    static final int QUEUED_FILES = 256;
    static final String PROGRAM = "cairn 0.1.0";
    /**
     * Files from this size on are read with direct I/O (see {@link DirectIo}); smaller ones through the
     * page cache, whose read-ahead serves many small files better than one device request each.
     */
    static final long DIRECT_READ_MIN = 1 << 20;
    /** Files from this size on that must be read start as the walk meets them (see {@code readsAtOnce}). */
    static final long EARLY_READ_MIN = 16 << 20;
    /**
     * Direct reads kept on their way to the device ahead of the reader of a large file that changed since the parent
     * snapshot ({@link DirectIo#newInputStream(Path, int)}). In an incremental backup such a file is mostly read while
     * little else runs, and its reader is what the backup waits for: reading one request at a time it waited ~0.9 s
     * for the device over the benchmark's 1 GiB disk image (each request took ~1 ms with the cores busy, against
     * 0.45 ms alone), with four on their way ~0.1 s; the mutation backup took 3.65 s against 3.95 s (4 alternating
     * pairs, every one faster). Not for first backups and new files: there the cores are busy with other files anyway
     * (first backup 7.5-8.1 s either way) and the four 1 MiB buffers per file only added to the peak memory.
     */
    static final int READ_AHEAD_REQUESTS = 4;

    private final Repository repo;
    private final BackupOptions options;
    private final ProgressListener listener;
    private Consumer<String> commandOutput = line -> System.err.println(line);

    public Archiver(Repository repo, BackupOptions options, ProgressListener listener) {
        this.repo = repo;
        this.options = options;
        this.listener = listener;
    }

    /** Where lines a {@link #backupCommand} program writes to stderr go (default: this process's stderr). */
    public Archiver onCommandOutput(Consumer<String> sink) {
        this.commandOutput = sink;
        return this;
    }

    /** Backs up files and directories. Paths are made absolute; each must exist. */
    public BackupResult backup(List<Path> paths) throws IOException {
        return backup(paths, null);
    }

    /**
     * Backs up files and directories, using a scan of them started earlier ({@link SourcePrescan}, may be null)
     * for the progress totals instead of starting one.
     */
    public BackupResult backup(List<Path> paths, SourcePrescan prescan) throws IOException {
        if (paths.isEmpty()) {
            throw new RepositoryException("nothing to back up: give at least one path", RepositoryException.EXIT_FAILURE);
        }
        List<Path> roots = roots(paths);
        for (Path abs : roots) {
            if (!Files.exists(abs, LinkOption.NOFOLLOW_LINKS)) {
                throw new RepositoryException("cannot back up " + abs + ": no such file or directory",
                        RepositoryException.EXIT_FAILURE);
            }
        }
        try (RepositoryLock lock = RepositoryLock.acquire(repo, false, "backup", options.lockWait())) {
            Session session = new Session(roots.stream().map(Path::toString).toList(), "backup of " + roots, false);
            return session.runPaths(roots, prescan == null ? null : prescan.totalsFor(roots, options));
        }
    }

    /** The backup roots of {@code paths}: absolute, normalized, sorted. */
    static List<Path> roots(List<Path> paths) {
        List<Path> roots = new ArrayList<>();
        for (Path p : paths) {
            roots.add(p.toAbsolutePath().normalize());
        }
        Collections.sort(roots);
        return roots;
    }

    /** Backs up one stream as a single file named {@code filename}. */
    public BackupResult backupStream(String filename, InputStream in) throws IOException {
        return backupStream(filename, in, () -> { });
    }

    /**
     * A check run after the stream ended and before the commit; it throws to abort the commit (for example
     * when the program that produced the stream failed, so the stream may be truncated).
     */
    @FunctionalInterface
    public interface CommitCheck {
        void verify() throws IOException;
    }

    /**
     * Backs up one stream as a single file named {@code filename}; after the stream's end and before the
     * snapshot is written, {@code check} runs, and if it throws, no snapshot is written.
     */
    public BackupResult backupStream(String filename, InputStream in, CommitCheck check) throws IOException {
        if (!Node.isSafeName(filename)) {
            throw new RepositoryException("invalid --stdin-filename '" + filename + "': use a plain file name without '/'",
                    RepositoryException.EXIT_FAILURE);
        }
        try (RepositoryLock lock = RepositoryLock.acquire(repo, false, "backup", options.lockWait())) {
            Session session = new Session(List.of(filename), "backup of " + filename, true);
            return session.runStream(filename, in, check);
        }
    }

    /**
     * Runs {@code command} and backs up its standard output as a file named {@code filename}. A
     * non-zero exit status (or death by a signal) fails the backup and no snapshot is written.
     */
    public BackupResult backupCommand(String filename, List<String> command) throws IOException {
        if (command.isEmpty()) {
            throw new RepositoryException("no command given", RepositoryException.EXIT_FAILURE);
        }
        Process process;
        try {
            process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            throw new RepositoryException("cannot run '" + command.get(0) + "': " + e.getMessage()
                    + ". Check that it is installed and on the PATH", RepositoryException.EXIT_FAILURE, e);
        }
        StringBuilder tail = new StringBuilder();
        Thread stderr = new Thread(() -> {
            try (var reader = new java.io.BufferedReader(new java.io.InputStreamReader(process.getErrorStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    commandOutput.accept(line);
                    synchronized (tail) {
                        tail.append(line).append('\n');
                        if (tail.length() > 4096) {
                            tail.delete(0, tail.length() - 4096);
                        }
                    }
                }
            } catch (IOException ignored) {
                // the process is gone; its exit status tells what happened
            }
        }, "cairn-command-stderr");
        stderr.setDaemon(true);
        stderr.start();
        try (InputStream out = process.getInputStream()) {
            return backupStream(filename, out, () -> {
                int code;
                try {
                    code = process.waitFor();
                    stderr.join(2000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while waiting for '" + command.get(0) + "'", e);
                }
                if (code != 0) {
                    String why;
                    synchronized (tail) {
                        why = tail.toString().strip();
                    }
                    throw new RepositoryException("'" + String.join(" ", command) + "' failed with exit status " + code
                            + (code > 128 ? " (killed by signal " + (code - 128) + ")" : "")
                            + (why.isEmpty() ? "" : ": " + lastLines(why, 5))
                            + ". Its output is incomplete, so no snapshot was saved", RepositoryException.EXIT_FAILURE);
                }
            });
        } finally {
            if (process.isAlive()) {
                process.destroyForcibly();
            }
        }
    }

    private static String lastLines(String text, int n) {
        String[] lines = text.split("\n");
        return String.join(" | ", java.util.Arrays.asList(lines).subList(Math.max(0, lines.length - n), lines.length));
    }

    /** One backup run: its threads, counters and writer. */
    private final class Session {
        private final List<String> snapshotPaths;
        private final ProgressTracker tracker;
        private final FileMetadata metadata = new FileMetadata();
        private final PathFilter filter;
        private final Compression compression;
        private final Index index;
        private final Chunker chunker;
        private final int minChunk;
        private final ExecutorService workers;
        private final int workerCount;
        private final Semaphore inFlight = new Semaphore(IN_FLIGHT_BYTES >> 10);
        /** Files handed to the readers and not yet read: keeps the walk (and its memory) near the readers. */
        private final Semaphore queuedFiles = new Semaphore(QUEUED_FILES);
        private final BufferPool buffers = new BufferPool(POOLED_BYTES);
        private final Map<Integer, BlobId> zeroChunkIds = new java.util.concurrent.ConcurrentHashMap<>();
        private final ChunkBlocks blocks;
        private final Semaphore largeFiles = new Semaphore(LARGE_FILE_READERS);
        private final int maxChunk;
        private final ExecutorService readers;
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final List<String> warnings = Collections.synchronizedList(new ArrayList<>());
        /** How many of the warnings are about entries left out of the snapshot. */
        private final AtomicInteger missingEntries = new AtomicInteger();
        private final AtomicLong filesNew = new AtomicLong();
        private final AtomicLong filesChanged = new AtomicLong();
        private final AtomicLong filesUnmodified = new AtomicLong();
        private final AtomicLong dirs = new AtomicLong();
        private final AtomicLong totalBytes = new AtomicLong();
        /** File bytes actually read (the summary's bytesRead); unchanged files skipped via the parent add none. */
        private final AtomicLong bytesRead = new AtomicLong();
        private final java.time.Instant startTime = repo.clock().instant();
        private BlobWriter writer;
        private SnapshotRef parent;
        /** Reads the parent's trees, keeping their packs open until {@link #finish}. */
        private final RangeReader parentReads = repo.packReader();
        /** What the parent's backup found in its directories, and what this one finds; null without a cache. */
        private DirectoryCache directoryCache;

        /**
         * @param stream whether the session backs up a stream: its chunks are cut with the repository's
         *               stream parameters ({@link Repository#streamChunkerParams()})
         */
        Session(List<String> snapshotPaths, String description, boolean stream) throws IOException {
            this.snapshotPaths = snapshotPaths;
            this.tracker = new ProgressTracker("backup", description, listener, repo.clock(), options.progressInterval());
            this.filter = new PathFilter(options.excludes(), options.includes());
            this.compression = options.compression() != null ? options.compression() : repo.defaultCompression();
            this.index = repo.refreshIndex();
            ChunkerParams params = stream ? repo.streamChunkerParams() : repo.chunkerParams();
            this.chunker = new Chunker(params);
            this.minChunk = params.minSize();
            this.maxChunk = params.maxSize();
            this.blocks = new ChunkBlocks(BLOCKS, Math.max(BLOCK_SIZE, maxChunk + maxChunk / 2));
            int n = options.workers() > 0 ? options.workers() : Runtime.getRuntime().availableProcessors();
            this.workerCount = n;
            AtomicInteger threadNo = new AtomicInteger();
            this.workers = new ThreadPoolExecutor(n, n, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                Thread t = new Thread(r, "cairn-backup-worker-" + threadNo.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            AtomicInteger readerNo = new AtomicInteger();
            this.readers = java.util.concurrent.Executors.newFixedThreadPool(READERS, r -> {
                Thread t = new Thread(r, "cairn-backup-reader-" + readerNo.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        }

        /** @param scanned totals of a scan of {@code roots} started earlier, or null to start one */
        BackupResult runPaths(List<Path> roots, CompletableFuture<long[]> scanned) throws IOException {
            Throwable error = null;
            try {
                parent = findParent();
                if (parent != null && parent.snapshot().summary() != null) {
                    // the parent's totals estimate progress and ETA until the scanner has counted
                    tracker.filesTotal.set(parent.snapshot().summary().totalFiles());
                    tracker.bytesTotal.set(parent.snapshot().summary().totalBytes());
                }
                (scanned != null ? scanned : new SourceScanner(filter).start(roots)).thenAccept(totals -> {
                    tracker.filesTotal.set(totals[0]);
                    tracker.bytesTotal.set(totals[1]);
                });
                writer = new BlobWriter(repo, compression);
                if (options.cacheDirectory() != null) {
                    // used only if written by a backup with the parent's trees (DirectoryCache checks the root's id)
                    boolean usable = parent != null && !options.force();
                    directoryCache = DirectoryCache.open(options.cacheDirectory(), repo.config().id(), hostname(),
                            snapshotPaths, repo.masterKey(), usable ? parent.snapshot().tree() : null);
                }
                ParentDir parentRoot = parent == null || options.force() ? null : new ParentDir(parent.snapshot().tree());
                VirtualDir top = new VirtualDir();
                for (Path root : roots) {
                    VirtualDir d = top;
                    for (Path component : root) {
                        d = d.children.computeIfAbsent(component.toString(), k -> new VirtualDir());
                    }
                    d.target = root;
                }
                CompletableFuture<BlobId> rootTree = saveVirtual(top, Path.of("/"), parentRoot);
                return commit(rootTree);
            } catch (Aborted a) {
                error = a.getCause();
                throw Await.rethrow(a.getCause());
            } catch (Throwable t) {
                error = t;
                throw t;
            } finally {
                finish(error);
            }
        }

        BackupResult runStream(String filename, InputStream in, CommitCheck check) throws IOException {
            Throwable error = null;
            try {
                writer = new BlobWriter(repo, compression);
                long now = repo.clock().instant().toEpochMilli() * 1_000_000L;
                Node template = new Node(filename, NodeType.FILE, 0600, uidOfProcess(), gidOfProcess(), Repository.username(),
                        null, now, now, 0, 0, 1, 0, List.of(), null, null);
                tracker.currentPath(filename);
                CompletableFuture<Node> file = readFile(in, template, filename, null);
                filesNew.incrementAndGet();
                CompletableFuture<BlobId> rootTree = saveTree(List.of(file), null, null, null);
                awaitRoot(rootTree);
                totalBytes.addAndGet(file.join().size()); // the stream's size, as a file's size counts for files
                check.verify();
                return commit(rootTree);
            } catch (Aborted a) {
                error = a.getCause();
                throw Await.rethrow(a.getCause());
            } catch (Throwable t) {
                error = t;
                throw t;
            } finally {
                finish(error);
            }
        }

        private void finish(Throwable error) {
            readers.shutdownNow();
            workers.shutdownNow();
            parentReads.close();
            if (writer != null) {
                writer.close();
            }
            tracker.end(error);
        }

        private SnapshotRef findParent() throws IOException {
            if ("".equals(options.parent())) {
                return null;
            }
            if (options.parent() != null) {
                return repo.findSnapshot(options.parent());
            }
            String host = hostname();
            SnapshotRef latest = null;
            for (SnapshotRef s : repo.snapshots()) {
                if (host.equals(s.snapshot().hostname()) && s.snapshot().paths().equals(snapshotPaths)) {
                    latest = s;
                }
            }
            return latest;
        }

        private String hostname() {
            return options.hostname() != null ? options.hostname() : Repository.hostname();
        }

        /** Builds the directories leading to the backup roots ("/", "/home", ...). */
        private CompletableFuture<BlobId> saveVirtual(VirtualDir dir, Path path, ParentDir parentDir) throws IOException {
            List<CompletableFuture<Node>> nodes = new ArrayList<>();
            for (Map.Entry<String, VirtualDir> e : dir.children.entrySet()) {
                Path childPath = path.resolve(e.getKey());
                VirtualDir child = e.getValue();
                if (child.target != null) {
                    CompletableFuture<Node> node = processEntry(childPath, e.getKey(), parentDir, true, null);
                    if (node != null) {
                        nodes.add(node);
                    }
                } else {
                    FileMetadata.Stat stat = metadata.stat(childPath, e.getKey());
                    CompletableFuture<BlobId> subtree = saveVirtual(child, childPath,
                            parentDir == null ? null : parentDir.child(e.getKey()));
                    nodes.add(subtree.thenApply(id -> stat.node().withSubtree(id.hex())));
                }
            }
            return saveTree(nodes, null, null, null);
        }

        /**
         * A directory of the parent snapshot, its tree loaded on first use: a directory that the {@link DirectoryCache}
         * finds unchanged never needs it, nor do the directories above it. Used by the walk's thread only.
         */
        private final class ParentDir {
            private final ParentDir up;
            private final String name;
            private String treeId;
            private Tree tree;
            private Map<String, Node> byName;
            private boolean loaded;

            /** The root of the parent snapshot. */
            ParentDir(String rootTreeId) {
                this.up = null;
                this.name = null;
                this.treeId = rootTreeId;
            }

            private ParentDir(ParentDir up, String name) {
                this.up = up;
                this.name = name;
            }

            ParentDir child(String childName) {
                return new ParentDir(this, childName);
            }

            /** The parent snapshot's entry of this name in this directory, or null. */
            Node node(String childName) throws IOException {
                load();
                return byName.get(childName);
            }

            /** The parent snapshot's tree of this directory, or null if it had none (or it is unreadable). */
            Tree tree() throws IOException {
                load();
                return tree;
            }

            /** The id of {@link #tree()}, or null. */
            String treeId() throws IOException {
                load();
                return tree == null ? null : treeId;
            }

            private void load() throws IOException {
                if (loaded) {
                    return;
                }
                loaded = true;
                if (up != null) {
                    Node node = up.node(name);
                    treeId = node == null || !node.isDir() ? null : node.subtree();
                }
                if (treeId != null) {
                    try {
                        tree = repo.loadTree(treeId, parentReads);
                    } catch (RuntimeException e) {
                        warn(name == null ? "/" : name, "parent snapshot's tree is unreadable, reading everything: "
                                + e.getMessage());
                    }
                }
                byName = tree == null ? Map.of() : tree.byName();
            }
        }

        /**
         * Processes one entry; returns null if it is skipped. {@code parentDir} is the directory holding it in the
         * parent snapshot (null: none). A regular file is added to {@code deferred} (when given) and
         * {@link #DEFERRED} returned: the directory decides later whether it needs reading.
         */
        private CompletableFuture<Node> processEntry(Path path, String name, ParentDir parentDir, boolean isRoot,
                List<DeferredFile> deferred) throws IOException {
            checkAlive();
            if (!isRoot && filter.excluded(path)) {
                return null;
            }
            FileMetadata.Stat stat;
            try {
                stat = metadata.stat(path, name);
            } catch (NoSuchFileException e) {
                missing(path.toString(), "vanished before it could be read");
                return null;
            } catch (IOException e) {
                missing(path.toString(), "cannot read metadata: " + e.getMessage());
                return null;
            }
            if (stat.type() == null) {
                missing(path.toString(), "skipped special file (device, fifo or socket)");
                return null;
            }
            Node node = stat.node();
            switch (stat.type()) {
                case DIR -> {
                    dirs.incrementAndGet();
                    ParentDir here = parentDir == null ? null : parentDir.child(name);
                    List<String> names = new ArrayList<>();
                    try (DirectoryStream<Path> ds = Files.newDirectoryStream(path)) {
                        for (Path child : ds) {
                            names.add(child.getFileName().toString());
                        }
                    } catch (IOException e) {
                        missing(path.toString(), "cannot list directory: " + describe(e));
                        return null;
                    }
                    Collections.sort(names);
                    List<CompletableFuture<Node>> children = new ArrayList<>(names.size());
                    List<DeferredFile> files = new ArrayList<>();
                    for (String childName : names) {
                        CompletableFuture<Node> child = processEntry(path.resolve(childName), childName, here, false, files);
                        if (child == DEFERRED) {
                            files.get(files.size() - 1).slot = children.size();
                        }
                        if (child != null) {
                            children.add(child);
                        }
                    }
                    BlobId unchanged = unchangedDirectory(children, files);
                    if (unchanged != null) {
                        for (DeferredFile f : files) {
                            countUnmodified(f.node);
                        }
                        return CompletableFuture.completedFuture(node.withSubtree(unchanged.hex()));
                    }
                    for (DeferredFile f : files) {
                        children.set(f.slot, processFile(f.path, f.node, here == null ? null : here.node(f.node.name())));
                    }
                    return saveTree(children, here == null ? null : here.tree(), here == null ? null : here.treeId(),
                            directoryCache).thenApply(id -> node.withSubtree(id.hex()));
                }
                case SYMLINK -> {
                    return filter.included(path) ? CompletableFuture.completedFuture(node) : null;
                }
                default -> {
                    if (!filter.included(path)) {
                        return null;
                    }
                    if (deferred != null && !readsAtOnce(node, parentDir, name)) {
                        deferred.add(new DeferredFile(path, node));
                        return DEFERRED;
                    }
                    return processFile(path, node, parentDir == null ? null : parentDir.node(name));
                }
            }
        }

        /**
         * Whether a file the walk meets is read at once instead of when its directory is done: a large file that
         * will be read in any case (new, changed, or {@code --force}, and every file of a first backup). Deferring it
         * would leave it to the end of its directory, after the whole subtree below, and a large file read last runs
         * alone on the readers while the walk has nothing left to overlap it with (a changed 1 GiB disk image at the
         * top of the benchmark's tree was ~2.5 s of a 5.5 s backup; in the first backup, the last ~2 s of 7.5, with
         * the cores ~80% busy: 7.24 s against 7.62 s read at once, 7 alternating pairs, every one faster, peak RSS
         * ~6 MiB higher). Its directory then cannot come from the directory cache, which it could not anyway: one of
         * its files changed, or there is no parent.
         */
        private boolean readsAtOnce(Node node, ParentDir parentDir, String name) throws IOException {
            if (node.size() < EARLY_READ_MIN) {
                return false;
            }
            if (parentDir == null || options.force()) {
                return true; // read in any case, and no directory can come from the cache
            }
            Node before = parentDir.node(name);
            return before == null || !unchanged(node, before);
        }

        /**
         * The tree the parent's backup stored for a directory whose entries are these (files as they are now, the
         * subdirectories as this backup stored them), if the {@link DirectoryCache} knows it and the repository
         * still has it; null otherwise, also while a subdirectory is still being stored (it changed).
         */
        private BlobId unchangedDirectory(List<CompletableFuture<Node>> children, List<DeferredFile> files) {
            if (directoryCache == null || !directoryCache.knowsAny()) {
                return null;
            }
            List<Node> entries = new ArrayList<>(children.size());
            int nextFile = 0;
            for (CompletableFuture<Node> child : children) {
                Node entry;
                if (child == DEFERRED) {
                    entry = files.get(nextFile++).node;
                } else if (child.isDone() && !child.isCompletedExceptionally()) {
                    entry = child.join();
                } else {
                    return null;
                }
                if (entry != null) {
                    entries.add(entry);
                }
            }
            BlobId tree = directoryCache.unchangedTree(entries);
            if (tree == null || !index.has(tree)) {
                return null;
            }
            directoryCache.record(entries, tree);
            return tree;
        }

        private void countUnmodified(Node file) {
            totalBytes.addAndGet(file.size());
            filesUnmodified.incrementAndGet();
            tracker.filesDone.incrementAndGet();
            tracker.bytesDone.addAndGet(file.size());
        }

        private CompletableFuture<Node> processFile(Path path, Node node, Node parentNode) throws IOException {
            if (parentNode != null && !options.force() && unchanged(node, parentNode)) {
                countUnmodified(node);
                return CompletableFuture.completedFuture(node.withContent(parentNode.content(), parentNode.size()));
            }
            totalBytes.addAndGet(node.size());
            (parentNode == null ? filesNew : filesChanged).incrementAndGet();
            try {
                queuedFiles.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Aborted(new IOException("backup cancelled", e));
            }
            return CompletableFuture.supplyAsync(() -> {
                try {
                    return readFromDisk(path, node, parentNode);
                } finally {
                    queuedFiles.release();
                }
            }, readers).thenCompose(f -> f);
        }

        /**
         * On a reader thread: reads one file; a file that cannot be read is skipped with a warning. {@code parentNode}:
         * the file as the parent snapshot has it (null if it has none); a large file that has one changed, and is read
         * with {@link #READ_AHEAD_REQUESTS} direct reads on their way ahead of it, and the parent's chunks are tried
         * first ({@link ParentChunks}).
         */
        private CompletableFuture<Node> readFromDisk(Path path, Node node, Node parentNode) {
            String display = path.toString();
            if (failure.get() != null) {
                return CompletableFuture.failedFuture(failure.get());
            }
            tracker.currentPath(display);
            boolean readAhead = parentNode != null && node.size() >= EARLY_READ_MIN;
            try (InputStream in = readAhead ? DirectIo.newInputStream(path, READ_AHEAD_REQUESTS)
                    : node.size() >= DIRECT_READ_MIN ? DirectIo.newInputStream(path)
                    : new BoundedReadInputStream(Files.newInputStream(path))) {
                return readFile(in, node, display, parentNode);
            } catch (NoSuchFileException e) {
                missing(display, "vanished before it could be read");
            } catch (AccessDeniedException e) {
                missing(display, "permission denied");
            } catch (IOException e) {
                missing(display, "cannot read: " + describe(e));
            } catch (Aborted e) {
                return CompletableFuture.failedFuture(e.getCause());
            }
            return CompletableFuture.completedFuture(null);
        }

        private boolean unchanged(Node now, Node before) throws IOException {
            if (!before.isFile() || before.size() != now.size() || before.mtimeNs() != now.mtimeNs()
                    || before.ctimeNs() != now.ctimeNs() || before.inode() != now.inode() || before.content() == null) {
                return false;
            }
            for (String id : before.content()) {
                if (!index.has(BlobId.parse(id))) {
                    return false;
                }
            }
            return true;
        }

        /** Reads a stream, submits its chunks, and returns the file node once all chunks are stored. */
        private CompletableFuture<Node> readFile(InputStream in, Node node, String display, Node parentNode)
                throws IOException {
            listener.onEvent(new ProgressEvent.FileStarted(display, node.size()));
            List<CompletableFuture<BlobId>> chunks = new ArrayList<>();
            AtomicLong added = new AtomicLong();
            long[] size = new long[1];
            boolean small = node.size() > 0 && node.size() < minChunk;
            if (small) {
                // small file: one read into a pooled buffer, one chunk (unless it grew since stat)
                byte[] buf = buffers.take((int) node.size() + 1);
                int n = in.readNBytes(buf, 0, buf.length);
                if (n < buf.length) {
                    size[0] = n;
                    if (n > 0) {
                        chunks.add(submit(buf, n, added));
                    } else {
                        buffers.give(buf);
                    }
                } else {
                    in = new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(buf.clone(), 0, n), in);
                    buffers.give(buf);
                    small = false;
                }
            }
            if (!small && (node.size() != 0 || node.inode() == 0)) {
                size[0] += cutIntoBlocks(in, chunks, added, ParentChunks.of(parentNode, index, minChunk, maxChunk));
            }
            long finalSize = size[0];
            if (finalSize != node.size() && node.inode() != 0) {
                warn(display, "changed size while being read (" + node.size() + " → " + finalSize
                        + " bytes); saved what was read");
            }
            return CompletableFuture.allOf(chunks.toArray(CompletableFuture[]::new)).thenApply(v -> {
                List<String> ids = new ArrayList<>(chunks.size());
                for (CompletableFuture<BlobId> c : chunks) {
                    ids.add(c.join().hex());
                }
                tracker.filesDone.incrementAndGet();
                listener.onEvent(new ProgressEvent.FileEnded(display, added.get()));
                return node.withContent(ids, finalSize);
            });
        }

        /**
         * Reads {@code in} into blocks and hands out its chunks as ranges of them; returns the bytes read.
         * Reads until a chunk's end is certain (a boundary is found, {@code maxSize} bytes are there,
         * or the input ends); when a block is full, the unfinished chunk moves to the next block.
         */
        private long cutIntoBlocks(InputStream in, List<CompletableFuture<BlobId>> chunks, AtomicLong added,
                                   ParentChunks parentChunks) throws IOException {
            try {
                largeFiles.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Aborted(new IOException("backup cancelled", e));
            }
            try {
                return cutIntoBlocksAlone(in, chunks, added, parentChunks);
            } finally {
                largeFiles.release();
            }
        }

        /** {@link #cutIntoBlocks} for the one reader allowed at a time (two would each hold a block the other needs). */
        private long cutIntoBlocksAlone(InputStream in, List<CompletableFuture<BlobId>> chunks, AtomicLong added,
                                        ParentChunks parentChunks) throws IOException {
            long total = 0;
            Map<Long, BlobId> tried = Map.of(); // keyed hashes of the bytes now where parent's chunks started (by offset)
            ChunkBlocks.Block block = takeBlock();
            int pos = 0;
            int filled = 0;
            boolean eof = false;
            try {
                while (true) {
                    checkAlive();
                    int capacity = block.bytes.length;
                    while (!eof && filled < capacity && filled - pos < maxChunk) {
                        int n = in.read(block.bytes, filled, capacity - filled);
                        if (n < 0) {
                            eof = true;
                        } else {
                            filled += n;
                        }
                    }
                    while (pos < filled) {
                        int available = filled - pos;
                        ParentChunks.Chunk before = parentChunks == null ? null : parentChunks.startingAt(total);
                        if (before != null && before.length() <= available) {
                            if (!tried.containsKey(total)) {
                                tried = tryParentChunks(parentChunks, block.bytes, pos, total, available);
                            }
                            if (tried.get(total).equals(before.id())) {
                                // the parent's chunk, byte for byte: the cut rule would end it where it ended then
                                chunks.add(known(before.id(), before.length()));
                                pos += before.length();
                                total += before.length();
                                continue;
                            }
                        }
                        int length = chunker.cut(block.bytes, pos, available);
                        if (length == available && available < maxChunk && !eof) {
                            break; // no boundary yet and more input to come: not final
                        }
                        ChunkBlocks.hold(block);
                        // changed inside but ending where it did: its keyed hash is known already
                        boolean sameEnd = before != null && before.length() == length;
                        BlobId id = sameEnd ? tried.get(total) : null;
                        chunks.add(submit(block, pos, length, added, id));
                        pos += length;
                        total += length;
                    }
                    if (eof && pos == filled) {
                        return total;
                    }
                    if (filled == capacity) {
                        ChunkBlocks.Block next = takeBlock();
                        System.arraycopy(block.bytes, pos, next.bytes, 0, filled - pos);
                        filled -= pos;
                        pos = 0;
                        blocks.release(block);
                        block = next;
                    }
                }
            } finally {
                blocks.release(block);
            }
        }

        /**
         * The keyed hashes of the bytes of {@code data} where the parent's chunks started, for the run of them that
         * starts at file offset {@code total} (at {@code data[pos]}) and lies whole in the next {@code available}
         * bytes; by file offset. The reader hashes them with the workers that are idle: where a large file changed
         * in a few places (a disk image, a database file) these hashes are most of a backup's work, and one thread
         * alone would leave the other cores waiting for it. Chunks after one that changed are hashed ahead for
         * nothing when the cut after the change does not meet the parent's cut points again (bytes inserted or
         * removed): at most one block's worth each time.
         */
        private Map<Long, BlobId> tryParentChunks(ParentChunks parentChunks, byte[] data, int pos, long total,
                                                  int available) {
            List<ParentChunks.Chunk> run = parentChunks.runFrom(total, total + available);
            int n = run.size();
            IntFunction<BlobId> hashOf = i -> {
                ParentChunks.Chunk c = run.get(i);
                return blobId(data, pos + (int) (c.offset() - total), c.length());
            };
            BlobId[] ids = new BlobId[n];
            AtomicInteger next = new AtomicInteger();
            CountDownLatch done = new CountDownLatch(n);
            Runnable hashing = () -> {
                for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                    try {
                        ids[i] = hashOf.apply(i);
                    } catch (RuntimeException e) {
                        // left null: the reader hashes it again below, and so meets the error itself
                    } finally {
                        done.countDown();
                    }
                }
            };
            try {
                for (int helpers = Math.min(n - 1, workerCount); helpers > 0; helpers--) {
                    workers.execute(hashing);
                }
            } catch (java.util.concurrent.RejectedExecutionException stopping) {
                // the backup is ending: the reader hashes them alone
            }
            hashing.run();
            try {
                done.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Aborted(new IOException("backup cancelled", e));
            }
            Map<Long, BlobId> byOffset = new HashMap<>(n * 2);
            for (int i = 0; i < n; i++) {
                byOffset.put(run.get(i).offset(), ids[i] != null ? ids[i] : hashOf.apply(i));
            }
            return byOffset;
        }

        private ChunkBlocks.Block takeBlock() {
            try {
                return blocks.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Aborted(new IOException("backup cancelled", e));
            }
        }

        /**
         * Hands a chunk that is a range of {@code block} to a worker, which releases the block when done; {@code id}:
         * the chunk's keyed hash if already known, else null.
         */
        private CompletableFuture<BlobId> submit(ChunkBlocks.Block block, int offset, int length, AtomicLong fileAdded,
                                                 BlobId id) {
            tracker.bytesDone.addAndGet(length);
            bytesRead.addAndGet(length);
            return CompletableFuture.supplyAsync(() -> {
                try {
                    return store(block.bytes, offset, length, fileAdded, id);
                } finally {
                    blocks.release(block);
                }
            }, workers);
        }

        /**
         * The keyed hash of a chunk. Runs of zeros (sparse disk images, preallocated files) are cut
         * into chunks of the same few lengths again and again: their ids are computed once per length.
         */
        private BlobId blobId(byte[] data, int offset, int length) {
            if (length >= ZERO_CHECK_FROM && data[offset] == 0 && data[offset + length - 1] == 0
                    && Zeros.isAllZero(data, offset, length)) {
                return zeroChunkIds.computeIfAbsent(length, n -> BlobId.wrap(repo.masterKey().blobId(data, offset, n)));
            }
            return BlobId.wrap(repo.masterKey().blobId(data, offset, length));
        }

        /** A chunk read that the repository holds already (a parent's chunk, unchanged): nothing to hash or store. */
        private CompletableFuture<BlobId> known(BlobId id, int length) {
            tracker.bytesDone.addAndGet(length);
            bytesRead.addAndGet(length);
            return CompletableFuture.completedFuture(id);
        }

        /** On a worker: hashes (unless {@code knownId} is its hash already) and stores one chunk. */
        private BlobId store(byte[] data, int offset, int length, AtomicLong fileAdded, BlobId knownId) {
            try {
                if (failure.get() != null) {
                    throw new CompletionException(failure.get());
                }
                BlobId id = knownId != null ? knownId : blobId(data, offset, length);
                if (writer.save(BlobType.DATA, id, data, offset, length)) {
                    fileAdded.addAndGet(length);
                    tracker.bytesAdded.addAndGet(length);
                }
                return id;
            } catch (IOException | RuntimeException e) {
                failure.compareAndSet(null, e);
                throw e instanceof CompletionException ce ? ce : new CompletionException(e);
            }
        }

        /** Hands {@code data[0, length)} to a worker; the worker returns {@code data} to the pool. */
        private CompletableFuture<BlobId> submit(byte[] data, int length, AtomicLong fileAdded) {
            // counted by the array's capacity, which is what occupies memory
            int permits = Math.max(1, Math.min(data.length >> 10, IN_FLIGHT_BYTES >> 10));
            try {
                inFlight.acquire(permits);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                buffers.give(data);
                throw new Aborted(new IOException("backup cancelled", e));
            }
            tracker.bytesDone.addAndGet(length);
            bytesRead.addAndGet(length);
            return CompletableFuture.supplyAsync(() -> {
                try {
                    return store(data, 0, length, fileAdded, null);
                } finally {
                    buffers.give(data);
                    inFlight.release(permits);
                }
            }, workers);
        }

        /**
         * Saves the tree listing {@code nodes} once they are all known. When they equal the nodes of the
         * parent snapshot's tree for this directory ({@code parentTree}, stored as {@code parentTreeId}), that
         * tree is the result as it is: same nodes, same canonical bytes, same id, already in the repository. A
         * no-change backup so neither encodes nor hashes its unchanged directories.
         */
        /**
         * Stores the tree of these entries once all are known (or keeps the parent's, {@code parentTreeId}, if it
         * is the same), recording it in {@code cache} when given.
         */
        private CompletableFuture<BlobId> saveTree(List<CompletableFuture<Node>> nodes, Tree parentTree,
                                                   String parentTreeId, DirectoryCache cache) {
            return CompletableFuture.allOf(nodes.toArray(CompletableFuture[]::new)).thenApply(v -> {
                List<Node> done = new ArrayList<>(nodes.size());
                for (CompletableFuture<Node> n : nodes) {
                    Node node = n.join();
                    if (node != null) {
                        done.add(node);
                    }
                }
                Tree tree = Tree.of(done);
                // the cache records the fingerprint of the entries as stored, not the one unchangedDirectory
                // computed from the entries as found: a file that could not be read is not in the tree, so the
                // next backup misses, reads it again and warns again instead of keeping the tree without it
                if (parentTreeId != null && tree.nodes().equals(parentTree.nodes())) {
                    BlobId kept = BlobId.parse(parentTreeId);
                    if (cache != null) {
                        cache.record(tree.nodes(), kept);
                    }
                    return kept;
                }
                byte[] encoded = tree.encode();
                try {
                    BlobId id = writer.saveAndId(BlobType.TREE, encoded);
                    if (cache != null) {
                        cache.record(tree.nodes(), id);
                    }
                    return id;
                } catch (IOException e) {
                    failure.compareAndSet(null, e);
                    throw new CompletionException(e);
                }
            });
        }

        private void awaitRoot(CompletableFuture<BlobId> root) throws IOException {
            Await.result(root, "backup");
        }

        private BackupResult commit(CompletableFuture<BlobId> rootTree) throws IOException {
            awaitRoot(rootTree);
            writer.flush();
            SnapshotSummary summary = new SnapshotSummary(filesNew.get(), filesChanged.get(), filesUnmodified.get(),
                    dirs.get(), filesNew.get() + filesChanged.get() + filesUnmodified.get(), totalBytes.get(),
                    bytesRead.get(), writer.dataBlobsAdded(), writer.treeBlobsAdded(), writer.plainBytesAdded(),
                    writer.storedBytesAdded(), tracker.elapsed().toMillis(), warnings.size());
            Snapshot snapshot = new Snapshot(1, startTime.toString(), rootTree.join().hex(), snapshotPaths,
                    hostname(), Repository.username(), options.tags(), parent == null ? null : parent.id(), PROGRAM, summary);
            String id = repo.saveSnapshot(snapshot);
            if (directoryCache != null) {
                try {
                    directoryCache.save(snapshot.tree());
                } catch (IOException | RuntimeException e) {
                    // not a warning about the snapshot (which is committed and complete), so no exit code 3:
                    // without the cache the next backup only loads the parent's trees
                    System.getLogger(Archiver.class.getName()).log(System.Logger.Level.WARNING, "cannot write the "
                            + "directory cache in " + options.cacheDirectory() + " (" + e + "); the next backup loads "
                            + "the parent snapshot's trees instead. Use --cache-dir or --no-cache to change this.");
                }
            }
            return new BackupResult(id, snapshot, List.copyOf(warnings), missingEntries.get());
        }

        /** Stops the walk (with {@link Aborted}) once the backup was cancelled or a worker failed. */
        private void checkAlive() {
            if (Thread.currentThread().isInterrupted()) {
                throw new Aborted(new IOException("backup cancelled"));
            }
            Throwable t = failure.get();
            if (t != null) {
                throw new Aborted(t);
            }
        }

        /** A warning about an entry that is left out of the snapshot. */
        private void missing(String path, String message) {
            missingEntries.incrementAndGet();
            warn(path, message);
        }

        private void warn(String path, String message) {
            warnings.add(path + ": " + message);
            listener.onEvent(new ProgressEvent.Warning(path, message));
        }
    }

    private static final int ZERO_CHECK_FROM = 64 << 10;

    private static String describe(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        return Objects.toString(e.getMessage(), e.getClass().getSimpleName());
    }

    /** What {@code processEntry} returns for a regular file whose reading its directory decides later. */
    private static final CompletableFuture<Node> DEFERRED = CompletableFuture.completedFuture(null);

    /** A regular file of a directory being walked, and its place among the directory's entries. */
    private static final class DeferredFile {
        final Path path;
        final Node node;
        int slot;

        DeferredFile(Path path, Node node) {
            this.path = path;
            this.node = node;
        }
    }

    private static int uidOfProcess() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static int gidOfProcess() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:gid");
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** Unwinds the walk when the backup must stop; carries the real cause. */
    private static final class Aborted extends RuntimeException {
        Aborted(Throwable cause) {
            super(cause);
        }
    }

    /** A directory on the way from "/" to a backup root. */
    private static final class VirtualDir {
        final Map<String, VirtualDir> children = new TreeMap<>();
        Path target;
    }
}
