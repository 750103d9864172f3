package io.cairn.engine.check;

import java.util.List;

/**
 * A snapshot that damage reaches, and exactly what of it cannot be restored. Every path of the
 * snapshot that is not listed (and not below a listed directory) restores correctly.
 *
 * @param snapshotId   the snapshot's full id
 * @param time         when the backup started (ISO-8601), null if the snapshot itself is unreadable
 * @param hostname     the host it was taken on, null if unreadable
 * @param paths        the paths that were backed up, empty if unreadable
 * @param damagedPaths the files and directories that cannot be restored in full, sorted by path
 */
public record AffectedSnapshot(String snapshotId, String time, String hostname, List<String> paths,
                               List<DamagedPath> damagedPaths) {

    public AffectedSnapshot {
        paths = paths == null ? List.of() : List.copyOf(paths);
        damagedPaths = List.copyOf(damagedPaths);
    }

    public String shortId() {
        return snapshotId.substring(0, Math.min(8, snapshotId.length()));
    }
}
