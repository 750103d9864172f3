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
 */
public record RestoreOptions(List<String> includes, int workers, boolean restoreOwners, Duration progressInterval) {

    public RestoreOptions {
        includes = includes == null ? List.of() : List.copyOf(includes);
        progressInterval = progressInterval == null ? Duration.ofSeconds(1) : progressInterval;
    }

    public static RestoreOptions defaults() {
        return new RestoreOptions(List.of(), 0, true, null);
    }

    public RestoreOptions withIncludes(List<String> paths) {
        return new RestoreOptions(paths, workers, restoreOwners, progressInterval);
    }

    public RestoreOptions withProgressInterval(Duration d) {
        return new RestoreOptions(includes, workers, restoreOwners, d);
    }
}
