package io.cairn.engine.archiver;

import io.cairn.engine.snapshot.Snapshot;
import java.util.List;

/** A committed backup: the snapshot's id and content, and what was skipped (warnings). */
public record BackupResult(String snapshotId, Snapshot snapshot, List<String> warnings) {

    /** Whether some entries could not be read and are missing from the snapshot. */
    public boolean incomplete() {
        return !warnings.isEmpty();
    }
}
