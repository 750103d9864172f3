package io.cairn.engine.archiver;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A scan of a backup's sources started before the backup itself, typically before the repository is
 * opened: opening spends a few hundred milliseconds deriving the key from the password, time in which the
 * scan already brings directories and file metadata into the kernel's caches (on a cold cache the walk
 * of a backup otherwise waits for them one at a time). Hand it to {@link Archiver#backup(List, SourcePrescan)}
 * with the same paths and options; a prescan of other paths or patterns is ignored and a new scan started.
 */
public final class SourcePrescan {

    private final List<Path> roots;
    private final BackupOptions options;
    private final CompletableFuture<long[]> totals;

    private SourcePrescan(List<Path> roots, BackupOptions options, CompletableFuture<long[]> totals) {
        this.roots = roots;
        this.options = options;
        this.totals = totals;
    }

    /** Starts scanning {@code paths} as a backup with {@code options} will (its include and exclude patterns). */
    public static SourcePrescan start(List<Path> paths, BackupOptions options) {
        List<Path> roots = Archiver.roots(paths);
        return new SourcePrescan(roots, options,
                new SourceScanner(new PathFilter(options.excludes(), options.includes())).start(roots));
    }

    /** The scan's totals ({files, bytes}) if it scanned these roots with these patterns, else null. */
    CompletableFuture<long[]> totalsFor(List<Path> backupRoots, BackupOptions backupOptions) {
        boolean same = roots.equals(backupRoots) && options.excludes().equals(backupOptions.excludes())
                && options.includes().equals(backupOptions.includes());
        return same ? totals : null;
    }
}
