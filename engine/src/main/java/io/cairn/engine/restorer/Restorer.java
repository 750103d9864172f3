package io.cairn.engine.restorer;

import io.cairn.engine.concurrent.Await;
import io.cairn.engine.blob.BlobId;
import io.cairn.engine.blob.BlobType;
import io.cairn.engine.crypto.CorruptObjectException;
import io.cairn.engine.progress.ProgressEvent;
import io.cairn.engine.progress.ProgressListener;
import io.cairn.engine.progress.ProgressTracker;
import io.cairn.engine.repository.Repository;
import io.cairn.engine.repository.RepositoryException;
import io.cairn.engine.snapshot.SnapshotRef;
import io.cairn.engine.tree.Node;
import io.cairn.engine.tree.Tree;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Restores a snapshot (or parts of it) into a target directory.
 *
 * <p>Safety: every name comes from a tree that passed {@link Tree#decode} (no "..", "/" or NUL),
 * and every output path is checked to lie inside the target after normalisation. Existing entries
 * in the way are replaced, never followed: a symlink found where a directory or file is to be
 * written is removed first, so nothing outside the target is ever written. Symlinks from the
 * snapshot are created verbatim and never followed.
 *
 * <p>Correctness: every blob is authenticated when read. A file whose data is damaged or missing
 * in the repository is removed from the target (with every hard link to it), the other files are
 * still restored, and the restore then fails with a {@link RepositoryException} (exit code
 * {@link RepositoryException#EXIT_DAMAGED}) naming each such file, blob and pack. A restore that
 * fails for any other reason (disk full, cancelled) removes the files it had not finished. So a
 * file in the target either has its snapshot bytes or is absent: wrong bytes are never left
 * behind. All-zero chunks are not written, so sparse files stay sparse.
 *
 * <p>Speed: files are written by a pool of workers with positional writes; big files are split
 * into ranges of chunks so both cores work on one large file.
 */
public final class Restorer {

    private static final int CHUNKS_PER_TASK = 8;

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

    private final class Run {
        private final Path root;
        private final List<String[]> includes;
        private final ProgressTracker tracker;
        private final ExecutorService pool;
        private final List<Future<?>> tasks = Collections.synchronizedList(new ArrayList<>());
        private final List<DirToFinish> dirs = new ArrayList<>();
        private final List<FileToFinish> files = Collections.synchronizedList(new ArrayList<>());
        private final Map<String, FileJob> hardlinks = new HashMap<>();
        private final List<FileJob> jobs = Collections.synchronizedList(new ArrayList<>());
        private final List<String> damaged = Collections.synchronizedList(new ArrayList<>());
        private final Set<Path> removed = ConcurrentHashMap.newKeySet();
        private final Set<BlobId> zeroBlobs = ConcurrentHashMap.newKeySet();
        private final List<String> warnings = Collections.synchronizedList(new ArrayList<>());
        private final AtomicLong fileCount = new AtomicLong();
        private final AtomicLong symlinkCount = new AtomicLong();
        private final AtomicLong hardlinkCount = new AtomicLong();
        private final AtomicLong bytes = new AtomicLong();
        private final boolean root0 = isRoot();

        Run(Path root, List<String[]> includes, String description) {
            this.root = root;
            this.includes = includes;
            this.tracker = new ProgressTracker("restore", description, listener, repo.clock(), options.progressInterval());
            int n = options.workers() > 0 ? options.workers() : 2 * Runtime.getRuntime().availableProcessors();
            AtomicInteger no = new AtomicInteger();
            this.pool = Executors.newFixedThreadPool(n, r -> {
                Thread t = new Thread(r, "cairn-restore-" + no.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        }

        RestoreResult execute(SnapshotRef snapshot) throws IOException {
            repo.index();
            Tree top = repo.loadTree(snapshot.snapshot().tree());
            long[] totals = new long[2];
            walk(top, root, new ArrayList<>(), totals);
            tracker.filesTotal.set(totals[0]);
            tracker.bytesTotal.set(totals[1]);
            awaitTasks();
            for (FileToFinish f : files) {
                if (!removed.contains(f.path())) {
                    applyMetadata(f.path(), f.node());
                }
            }
            // deepest directories first, so setting a parent's mtime is not undone by its children
            Collections.reverse(dirs);
            for (DirToFinish d : dirs) {
                applyMetadata(d.path(), d.node());
            }
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
                    List.copyOf(warnings));
        }

        void finish(Throwable error) {
            pool.shutdownNow();
            if (error != null) {
                // never leave a half-written file behind: remove every file not completely written
                try {
                    pool.awaitTermination(1, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                synchronized (jobs) {
                    for (FileJob job : jobs) {
                        job.removeUnlessComplete();
                    }
                }
            }
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

        private void walk(Tree tree, Path dir, List<String> components, long[] totals) throws IOException {
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
                            prepareDirectory(out);
                            if (m == 2) {
                                dirs.add(new DirToFinish(out, node));
                            }
                            if (node.subtree() != null) {
                                walk(repo.loadTree(node.subtree()), out, components, totals);
                            }
                        }
                        case SYMLINK -> {
                            if (m == 2) {
                                restoreSymlink(out, node);
                            }
                        }
                        case FILE -> {
                            if (m == 2) {
                                totals[0]++;
                                totals[1] += node.size();
                                restoreFile(out, node);
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

        private void prepareDirectory(Path out) throws IOException {
            if (Files.isDirectory(out, LinkOption.NOFOLLOW_LINKS)) {
                return;
            }
            if (Files.exists(out, LinkOption.NOFOLLOW_LINKS)) {
                Files.delete(out); // a file or symlink is in the way: replace it, never follow it
            }
            Files.createDirectory(out);
        }

        private void removeIfPresent(Path out) throws IOException {
            if (Files.isDirectory(out, LinkOption.NOFOLLOW_LINKS)) {
                throw new RepositoryException("cannot restore " + out + ": a directory is in the way",
                        RepositoryException.EXIT_FAILURE);
            }
            Files.deleteIfExists(out);
        }

        private void restoreSymlink(Path out, Node node) throws IOException {
            removeIfPresent(out);
            Files.createSymbolicLink(out, Path.of(node.linkTarget() == null ? "" : node.linkTarget()));
            symlinkCount.incrementAndGet();
            files.add(new FileToFinish(out, node));
        }

        private void restoreFile(Path out, Node node) throws IOException {
            removeIfPresent(out);
            String linkKey = node.links() > 1 && node.inode() != 0 ? node.device() + ":" + node.inode() : null;
            if (linkKey != null) {
                FileJob first = hardlinks.get(linkKey);
                if (first != null) {
                    if (first.link(out)) {
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
            files.add(new FileToFinish(out, node));
            FileChannel channel = FileChannel.open(out, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS);
            FileJob job = new FileJob(out, channel);
            jobs.add(job);
            if (linkKey != null) {
                hardlinks.put(linkKey, job);
            }
            List<String> content = node.content() == null ? List.of() : node.content();
            if (content.isEmpty()) {
                job.complete(0);
                tracker.filesDone.incrementAndGet();
                listener.onEvent(new ProgressEvent.FileStarted(out.toString(), 0));
                listener.onEvent(new ProgressEvent.FileEnded(out.toString(), 0));
                return;
            }
            listener.onEvent(new ProgressEvent.FileStarted(out.toString(), node.size()));
            int ranges = (content.size() + CHUNKS_PER_TASK - 1) / CHUNKS_PER_TASK;
            AtomicInteger remaining = new AtomicInteger(ranges);
            long[] offsets = new long[ranges];
            // each range starts at the sum of the plaintext lengths (from the index) of the chunks before it
            long offset = 0;
            for (int r = 0; r < ranges; r++) {
                offsets[r] = offset;
                for (int i = r * CHUNKS_PER_TASK; i < Math.min(content.size(), (r + 1) * CHUNKS_PER_TASK); i++) {
                    var loc = repo.index().find(BlobId.parse(content.get(i)));
                    if (loc == null) {
                        job.fail(new CorruptObjectException("data blob " + content.get(i).substring(0, 8)
                                + " is missing from the index"));
                        return;
                    }
                    offset += loc.plainLength();
                }
            }
            long expectedSize = offset;
            if (expectedSize != node.size()) {
                job.fail(new CorruptObjectException("its chunks add up to " + expectedSize
                        + " bytes but the snapshot says " + node.size()));
                return;
            }
            for (int r = 0; r < ranges; r++) {
                int from = r * CHUNKS_PER_TASK;
                int to = Math.min(content.size(), from + CHUNKS_PER_TASK);
                long start = offsets[r];
                tasks.add(pool.submit(() -> {
                    try {
                        if (!job.failed()) {
                            writeRange(channel, content.subList(from, to), start);
                        }
                    } catch (Throwable t) {
                        job.error.compareAndSet(null, t);
                    } finally {
                        if (remaining.decrementAndGet() == 0) {
                            Throwable t = job.error.get();
                            if (t == null) {
                                job.complete(expectedSize);
                                tracker.filesDone.incrementAndGet();
                                listener.onEvent(new ProgressEvent.FileEnded(out.toString(), 0));
                            } else {
                                job.fail(t);
                            }
                        }
                    }
                    return null;
                }));
            }
        }

        /**
         * One file being written: its channel, the hard links made to it, and its outcome. Only a
         * complete file stays in the target; a failed or unfinished one is removed with its links.
         */
        private final class FileJob {
            final Path path;
            final FileChannel channel;
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

            /** Sets the final size (a trailing run of skipped all-zero chunks becomes a hole) and closes. */
            void complete(long size) throws IOException {
                try {
                    channel.truncate(size);
                    if (channel.size() < size) {
                        channel.write(ByteBuffer.allocate(1), size - 1);
                    }
                } finally {
                    channel.close();
                }
                synchronized (this) {
                    complete = true;
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
                    channel.close();
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

        private void writeRange(FileChannel channel, List<String> ids, long start) throws IOException {
            long pos = start;
            for (String hex : ids) {
                BlobId id = BlobId.parse(hex);
                var loc = repo.index().find(id);
                int len = loc.plainLength();
                if (!zeroBlobs.contains(id)) {
                    byte[] data = repo.loadBlob(BlobType.DATA, id);
                    if (isAllZero(data)) {
                        zeroBlobs.add(id);
                    } else {
                        ByteBuffer buf = ByteBuffer.wrap(data);
                        long p = pos;
                        while (buf.hasRemaining()) {
                            p += channel.write(buf, p);
                        }
                    }
                }
                pos += len;
                bytes.addAndGet(len);
                tracker.bytesDone.addAndGet(len);
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

        private void applyMetadata(Path path, Node node) {
            try {
                PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class,
                        LinkOption.NOFOLLOW_LINKS);
                if (options.restoreOwners() && root0 && view != null) {
                    Files.setAttribute(path, "unix:uid", node.uid(), LinkOption.NOFOLLOW_LINKS);
                    Files.setAttribute(path, "unix:gid", node.gid(), LinkOption.NOFOLLOW_LINKS);
                }
                if (!node.isSymlink()) {
                    Files.setPosixFilePermissions(path, permissions(node.mode()));
                    if ((node.mode() & 07000) != 0) {
                        Files.setAttribute(path, "unix:mode", node.mode(), LinkOption.NOFOLLOW_LINKS);
                    }
                }
                FileTime mtime = FileTime.from(node.mtimeNs(), TimeUnit.NANOSECONDS);
                Files.getFileAttributeView(path, java.nio.file.attribute.BasicFileAttributeView.class,
                        LinkOption.NOFOLLOW_LINKS).setTimes(mtime, null, null);
            } catch (IOException | RuntimeException e) {
                warnings.add(path + ": cannot restore metadata: " + e.getMessage());
                listener.onEvent(new ProgressEvent.Warning(path.toString(), "cannot restore metadata: " + e.getMessage()));
            }
        }
    }

    static boolean isAllZero(byte[] data) {
        int i = 0;
        int n = data.length;
        for (; i + 8 <= n; i += 8) {
            if (data[i] != 0 || data[i + 1] != 0 || data[i + 2] != 0 || data[i + 3] != 0 || data[i + 4] != 0
                    || data[i + 5] != 0 || data[i + 6] != 0 || data[i + 7] != 0) {
                return false;
            }
        }
        for (; i < n; i++) {
            if (data[i] != 0) {
                return false;
            }
        }
        return true;
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

    private static boolean isRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private record DirToFinish(Path path, Node node) {
    }

    private record FileToFinish(Path path, Node node) {
    }
}
