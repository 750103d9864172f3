package io.cairn.engine.browse;

/**
 * What {@link SnapshotStats} counted. Fields a mode does not count are 0.
 *
 * @param mode         what was counted
 * @param snapshots    number of snapshots looked at
 * @param files        regular files: summed over snapshots ({@code restore-size}), or distinct contents
 *                     ({@code files-by-contents})
 * @param dirs         directories below the snapshot roots, summed over snapshots ({@code restore-size})
 * @param symlinks     symlinks, summed over snapshots ({@code restore-size})
 * @param totalSize    bytes a restore writes ({@code restore-size}); bytes of distinct contents
 *                     ({@code files-by-contents}); plaintext bytes of the unique blobs ({@code raw-data})
 * @param dataBlobs    unique data blobs referenced ({@code raw-data})
 * @param treeBlobs    unique tree blobs referenced ({@code raw-data})
 * @param missingBlobs referenced blobs the index does not know: damage ({@code raw-data}); 0 when healthy
 * @param plainSize    plaintext bytes of the unique blobs found in the index ({@code raw-data})
 * @param storedSize   stored bytes (compressed and sealed, as in the packs) of those blobs ({@code raw-data})
 * @param packs        pack files in the repository, whoever references them ({@code raw-data})
 * @param packBytes    bytes of every pack file in the repository, including unreferenced data and pack
 *                     headers ({@code raw-data})
 */
public record StatsReport(StatsMode mode, long snapshots, long files, long dirs, long symlinks, long totalSize,
                          long dataBlobs, long treeBlobs, long missingBlobs, long plainSize, long storedSize, long packs,
                          long packBytes) {

    /** Unique blobs referenced (data and tree). */
    public long blobs() {
        return dataBlobs + treeBlobs;
    }

    /**
     * Plaintext size divided by stored size of the referenced blobs (2.0 means they take half their
     * size); 0 when nothing is stored. The stored size includes the per-blob encryption overhead.
     */
    public double compressionRatio() {
        return storedSize == 0 ? 0 : (double) plainSize / storedSize;
    }
}
