package io.cairn.engine.browse;

/**
 * Totals of a {@link SnapshotDiff}.
 *
 * <p>Bytes count file sizes, not storage: {@code bytesAdded} is the size of every file that is new in
 * the second snapshot or whose content changed (its new size); {@code bytesRemoved} is the size of every
 * file that is gone or whose content changed (its old size). A file turned into a directory counts as
 * removed bytes, and the reverse as added bytes.
 *
 * @param filesAdded       regular files only in the second snapshot
 * @param filesRemoved     regular files only in the first snapshot
 * @param filesChanged     regular files in both whose content differs
 * @param dirsAdded        directories only in the second snapshot
 * @param dirsRemoved      directories only in the first snapshot
 * @param symlinksAdded    symlinks only in the second snapshot
 * @param symlinksRemoved  symlinks only in the first snapshot
 * @param typeChanged      paths whose type differs
 * @param symlinksChanged  symlinks whose target differs
 * @param metadataChanged  paths where only mode, owner or mtime differ
 * @param bytesAdded       see above
 * @param bytesRemoved     see above
 */
public record DiffSummary(long filesAdded, long filesRemoved, long filesChanged, long dirsAdded, long dirsRemoved,
                          long symlinksAdded, long symlinksRemoved, long typeChanged, long symlinksChanged,
                          long metadataChanged, long bytesAdded, long bytesRemoved) {
}
