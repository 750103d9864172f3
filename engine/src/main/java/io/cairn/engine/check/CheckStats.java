package io.cairn.engine.check;

/**
 * What a check looked at.
 *
 * @param snapshots         snapshot objects listed
 * @param indexes           index objects listed
 * @param packs             pack files listed in the backend
 * @param packsRead         packs read whole (read-data)
 * @param bytesRead         bytes of packs read whole
 * @param blobs             distinct blobs in the index
 * @param treesChecked      distinct trees loaded and decoded
 * @param blobsVerified     blobs opened and hashed by read-data
 * @param unreferencedPacks packs that no index lists
 * @param unusedBlobs       blobs in the index that no snapshot uses; 0 when a snapshot or tree could not be
 *                          read (what it uses is then unknown)
 * @param unusedBytes       plaintext bytes of those blobs
 */
public record CheckStats(int snapshots, int indexes, int packs, int packsRead, long bytesRead, int blobs,
                         int treesChecked, long blobsVerified, int unreferencedPacks, long unusedBlobs,
                         long unusedBytes) {
}
