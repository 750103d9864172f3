package io.cairn.engine.archiver;

import io.cairn.engine.blob.Compression;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How a backup runs.
 *
 * @param compression      compression for new data blobs; null means the repository's default
 * @param force            re-read every file instead of trusting the parent snapshot's metadata
 * @param parent           snapshot id (or prefix) to compare with; null picks the latest snapshot of
 *                         the same host and paths; "" means none
 * @param excludes         exclude globs (see {@link PathFilter})
 * @param includes         include globs (see {@link PathFilter})
 * @param tags             tags recorded on the snapshot
 * @param hostname         host recorded on the snapshot; null means this host
 * @param workers          threads that hash, compress and encrypt; 0 means one per core
 * @param lockWait         how long to wait for a conflicting lock (prune) to go away
 * @param progressInterval how often to emit status events (zero: never)
 * @param cacheDirectory   where to keep what each backup found in its directories ({@link DirectoryCache}), so that
 *                         the next one need not load the parent's trees of unchanged directories; null: no cache
 */
public record BackupOptions(Compression compression, boolean force, String parent, List<String> excludes,
                            List<String> includes, List<String> tags, String hostname, int workers, Duration lockWait,
                            Duration progressInterval, Path cacheDirectory) {

    public BackupOptions {
        excludes = excludes == null ? List.of() : List.copyOf(excludes);
        includes = includes == null ? List.of() : List.copyOf(includes);
        tags = tags == null ? List.of() : List.copyOf(tags);
        lockWait = lockWait == null ? Duration.ofHours(6) : lockWait;
        progressInterval = progressInterval == null ? Duration.ofSeconds(1) : progressInterval;
    }

    public static BackupOptions defaults() {
        return new BackupOptions(null, false, null, List.of(), List.of(), List.of(), null, 0, null, null, null);
    }

    public BackupOptions withForce(boolean f) {
        return new BackupOptions(compression, f, parent, excludes, includes, tags, hostname, workers, lockWait,
                progressInterval, cacheDirectory);
    }

    public BackupOptions withParent(String p) {
        return new BackupOptions(compression, force, p, excludes, includes, tags, hostname, workers, lockWait,
                progressInterval, cacheDirectory);
    }

    public BackupOptions withExcludes(List<String> e) {
        return new BackupOptions(compression, force, parent, e, includes, tags, hostname, workers, lockWait,
                progressInterval, cacheDirectory);
    }

    public BackupOptions withIncludes(List<String> i) {
        return new BackupOptions(compression, force, parent, excludes, i, tags, hostname, workers, lockWait,
                progressInterval, cacheDirectory);
    }

    public BackupOptions withTags(List<String> t) {
        return new BackupOptions(compression, force, parent, excludes, includes, t, hostname, workers, lockWait,
                progressInterval, cacheDirectory);
    }

    public BackupOptions withCompression(Compression c) {
        return new BackupOptions(c, force, parent, excludes, includes, tags, hostname, workers, lockWait,
                progressInterval, cacheDirectory);
    }

    public BackupOptions withHostname(String h) {
        return new BackupOptions(compression, force, parent, excludes, includes, tags, h, workers, lockWait,
                progressInterval, cacheDirectory);
    }

    public BackupOptions withWorkers(int w) {
        return new BackupOptions(compression, force, parent, excludes, includes, tags, hostname, w, lockWait,
                progressInterval, cacheDirectory);
    }

    public BackupOptions withLockWait(Duration d) {
        return new BackupOptions(compression, force, parent, excludes, includes, tags, hostname, workers, d,
                progressInterval, cacheDirectory);
    }

    public BackupOptions withProgressInterval(Duration d) {
        return new BackupOptions(compression, force, parent, excludes, includes, tags, hostname, workers, lockWait, d,
                cacheDirectory);
    }

    public BackupOptions withCacheDirectory(Path c) {
        return new BackupOptions(compression, force, parent, excludes, includes, tags, hostname, workers, lockWait,
                progressInterval, c);
    }
}
