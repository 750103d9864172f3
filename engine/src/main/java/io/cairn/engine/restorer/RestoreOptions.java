package io.cairn.engine.restorer;

import java.time.Duration;
import java.util.List;

/**
 * How a restore runs.
 *
 * @param includes         snapshot paths to restore (with everything below them); empty means all.
 *                         Written as absolute snapshot paths, e.g. "/home/ann/docs".
 * @param workers          parallel file writers; 0 means two per core
 * @param restoreOwners    set uid/gid (only works as root; otherwise silently skipped)
 * @param progressInterval how often to emit status events
 * @param overwrite        what to do with a file or symlink already at the target
 *                         ({@link OverwritePolicy#ALWAYS} when null)
 */
public record RestoreOptions(List<String> includes, int workers, boolean restoreOwners, Duration progressInterval,
                             OverwritePolicy overwrite) {

    public RestoreOptions {
        includes = includes == null ? List.of() : List.copyOf(includes);
        progressInterval = progressInterval == null ? Duration.ofSeconds(1) : progressInterval;
        overwrite = overwrite == null ? OverwritePolicy.ALWAYS : overwrite;
    }

    /** Options replacing whatever is in the way ({@link OverwritePolicy#ALWAYS}). */
    public RestoreOptions(List<String> includes, int workers, boolean restoreOwners, Duration progressInterval) {
        this(includes, workers, restoreOwners, progressInterval, OverwritePolicy.ALWAYS);
    }

    public static RestoreOptions defaults() {
        return new RestoreOptions(List.of(), 0, true, null, OverwritePolicy.ALWAYS);
    }

    public RestoreOptions withIncludes(List<String> paths) {
        return new RestoreOptions(paths, workers, restoreOwners, progressInterval, overwrite);
    }

    public RestoreOptions withProgressInterval(Duration d) {
        return new RestoreOptions(includes, workers, restoreOwners, d, overwrite);
    }

    /** These options with another policy for files and symlinks already at the target. */
    public RestoreOptions withOverwrite(OverwritePolicy policy) {
        return new RestoreOptions(includes, workers, restoreOwners, progressInterval, policy);
    }
}
