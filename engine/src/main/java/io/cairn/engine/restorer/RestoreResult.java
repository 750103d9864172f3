package io.cairn.engine.restorer;

import java.util.List;

/**
 * What a restore wrote, and what it could not (warnings; the restore still completed).
 *
 * @param files     regular files written (not counting hard links to them)
 * @param dirs      directories created or merged into
 * @param symlinks  symlinks created
 * @param hardlinks hard links made to files written by this restore
 * @param bytes     bytes of file content written
 * @param skipped   entries left as they were at the target because of the {@link OverwritePolicy}
 *                  (files, symlinks and hard links; a kept file where the snapshot has a directory
 *                  counts once, for the whole directory)
 * @param warnings  what could not be done (metadata not set, ...)
 */
public record RestoreResult(long files, long dirs, long symlinks, long hardlinks, long bytes, long skipped,
                            List<String> warnings) {

    public RestoreResult {
        warnings = List.copyOf(warnings);
    }

    /** A result with nothing skipped. */
    public RestoreResult(long files, long dirs, long symlinks, long hardlinks, long bytes, List<String> warnings) {
        this(files, dirs, symlinks, hardlinks, bytes, 0, warnings);
    }
}
