package io.cairn.engine.dump;

/**
 * What a dump wrote.
 *
 * @param files     regular file entries with content (in zip, hard-linked files too)
 * @param dirs      directory entries
 * @param symlinks  symlink entries
 * @param hardlinks tar link entries pointing at an earlier file of the archive
 * @param bytes     file content bytes written (not counting archive headers)
 */
public record DumpResult(long files, long dirs, long symlinks, long hardlinks, long bytes) {
}
