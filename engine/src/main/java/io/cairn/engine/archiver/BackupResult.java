package io.cairn.engine.archiver;

import io.cairn.engine.snapshot.Snapshot;
import java.util.List;

/**
 * A committed backup: the snapshot's id and content, its warnings, and how many of them are about entries
 * left out of the snapshot ({@code missing}: unreadable, vanished, special files). The other warnings are
 * about entries that were saved (a file that changed size while being read: what was read is saved).
 */
public record BackupResult(String snapshotId, Snapshot snapshot, List<String> warnings, int missing) {

    /** Whether some entries could not be read and are missing from the snapshot. */
    public boolean incomplete() {
        return missing > 0;
    }
}
