package io.cairn.engine.archiver;

import io.cairn.engine.concurrent.TreeWalkThreads;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveTask;

/**
 * Walks the backup's source trees ahead of the archiver, several directories at a time, and
 * reports how many files and bytes they hold (for progress and ETA). Reading directories and file
 * metadata in parallel also brings them into the kernel's caches before the archiver's single
 * walker needs them: on a cold cache that walk is bound by the latency of one metadata read at a
 * time. Failures are ignored here; the archiver reports them when it meets them.
 */
final class SourceScanner {

    private static final int PARALLELISM = 4;

    private final PathFilter filter;

    SourceScanner(PathFilter filter) {
        this.filter = filter;
    }

    /**
     * Starts the scan on daemon threads; the result completes with {files, bytes} when it is done, and never
     * completes if the scan failed (the backup then estimates from its parent, and reports real errors itself).
     */
    CompletableFuture<long[]> start(List<Path> roots) {
        CompletableFuture<long[]> totals = new CompletableFuture<>();
        ForkJoinPool pool = new ForkJoinPool(PARALLELISM, p -> {
            var t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(p);
            t.setDaemon(true);
            t.setName("cairn-backup-scanner-" + t.getPoolIndex());
            return t;
        }, null, false);
        Thread coordinator = TreeWalkThreads.newThread(() -> {
            try {
                long files = 0;
                long bytes = 0;
                for (Path root : roots) {
                    long[] counts = root.toFile().isDirectory() && !Files.isSymbolicLink(root)
                            ? pool.invoke(new DirectoryScan(root)) : countFile(root);
                    files += counts[0];
                    bytes += counts[1];
                }
                totals.complete(new long[] {files, bytes});
            } catch (RuntimeException | StackOverflowError e) {
                // totals stay as they were; the backup itself reports real errors
            } finally {
                pool.shutdown();
            }
        }, "cairn-backup-scanner");
        coordinator.setDaemon(true);
        coordinator.start();
        return totals;
    }

    private long[] countFile(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return a.isRegularFile() && filter.included(file) ? new long[] {1, a.size()} : new long[2];
        } catch (IOException e) {
            return new long[2];
        }
    }

    /** Lists one directory, counts its files and forks a task per subdirectory. */
    private final class DirectoryScan extends RecursiveTask<long[]> {
        private final Path dir;

        DirectoryScan(Path dir) {
            this.dir = dir;
        }

        @Override
        protected long[] compute() {
            long[] counts = new long[2];
            List<DirectoryScan> subdirectories = new ArrayList<>();
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
                for (Path entry : entries) {
                    if (filter.excluded(entry)) {
                        continue;
                    }
                    BasicFileAttributes a;
                    try {
                        a = Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    } catch (IOException e) {
                        continue;
                    }
                    if (a.isDirectory()) {
                        DirectoryScan sub = new DirectoryScan(entry);
                        sub.fork();
                        subdirectories.add(sub);
                    } else if (a.isRegularFile() && filter.included(entry)) {
                        counts[0]++;
                        counts[1] += a.size();
                    }
                }
            } catch (IOException | RuntimeException e) {
                // unreadable directory: the archiver warns about it
            }
            for (DirectoryScan sub : subdirectories) {
                long[] c = sub.join();
                counts[0] += c[0];
                counts[1] += c[1];
            }
            return counts;
        }
    }
}
