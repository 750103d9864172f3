package io.cairn.engine.restorer;

import java.util.List;

/** What a restore wrote, and what it could not (warnings; the restore still completed). */
public record RestoreResult(long files, long dirs, long symlinks, long hardlinks, long bytes, List<String> warnings) {
}
