package io.cairn.engine.prune;

import java.time.Duration;

/**
 * What a prune did, or in a dry run would do. Counts of packs are disjoint: every pack on disk
 * before the prune is exactly one of kept, deleted, repacked, or unindexed-deleted.
 *
 * @param dryRun                whether this is only the plan (nothing was written or deleted)
 * @param snapshots             snapshots whose data was kept
 * @param usedBlobs             distinct blobs reachable from those snapshots
 * @param packsKept             packs left as they were
 * @param packsDeleted          indexed packs deleted because none of their blobs is used
 * @param unindexedPacksDeleted packs no index listed (left by interrupted backups), deleted
 * @param packsRepacked         packs whose used blobs were copied into new packs, then deleted
 * @param packsWritten          new packs the repack wrote (estimated in a dry run)
 * @param blobsRemoved          blob copies removed from indexed packs (blobs in unindexed packs are
 *                              not counted: their headers are not read)
 * @param bytesFreed            bytes of pack files deleted minus bytes of new packs written (a dry
 *                              run leaves out the small headers of the packs it would write)
 * @param bytesRepacked         sealed blob bytes copied into new packs
 * @param unusedBytesKept       bytes of blobs no snapshot references that stay in kept packs, below the
 *                              repack threshold
 * @param indexFilesReplaced    old index objects deleted (all of them, whenever the index is rewritten)
 * @param indexFilesWritten     new index objects written (0 or 1)
 * @param missingPacksDropped   packs an index listed but that were gone, holding only blobs no
 *                              snapshot needs (or that exist elsewhere); their entries were dropped
 * @param tempFilesRemoved      temporary files of interrupted writes removed from a local repository
 * @param duration              how long the prune took, waiting for the lock included
 */
public record PruneReport(boolean dryRun, int snapshots, long usedBlobs, int packsKept, int packsDeleted,
                          int unindexedPacksDeleted, int packsRepacked, int packsWritten, long blobsRemoved,
                          long bytesFreed, long bytesRepacked, long unusedBytesKept, int indexFilesReplaced,
                          int indexFilesWritten, int missingPacksDropped, int tempFilesRemoved, Duration duration) {

    /** Pack files removed in total: unused, unindexed and repacked ones. */
    public int packFilesRemoved() {
        return packsDeleted + unindexedPacksDeleted + packsRepacked;
    }

    /** Whether the prune found nothing to change. */
    public boolean nothingToDo() {
        return packFilesRemoved() == 0 && indexFilesWritten == 0 && indexFilesReplaced == 0 && missingPacksDropped == 0
                && tempFilesRemoved == 0;
    }
}
