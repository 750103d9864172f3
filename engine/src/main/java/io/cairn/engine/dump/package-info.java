/**
 * Dumping part of a snapshot as a byte stream: one file's content, or a directory as a tar or zip
 * archive, written to any {@link java.io.OutputStream} (stdout, a file, an HTTP response).
 *
 * <h2>Glossary</h2>
 * <ul>
 *   <li><b>dumped entry</b>: the snapshot entry the user asked for. A directory's archive holds
 *       everything below it, named relative to it ("docs/a.txt", directories with a trailing '/');
 *       the directory itself is not an entry. A file or symlink becomes a one-entry archive under its
 *       own name.</li>
 *   <li><b>tar</b>: POSIX (pax) tar: long names, big numbers and non-ASCII names use pax headers, so
 *       nothing is truncated. Directories, files, symlinks (verbatim targets) and hard links (a link
 *       entry naming the first path of the same device and inode inside the archive) keep their mode,
 *       owner and mtime.</li>
 *   <li><b>zip</b>: deflated zip with Zip64 when needed and UTF-8 names. Unix modes go in the external
 *       attributes. A symlink is stored the Info-ZIP way: an entry with mode {@code S_IFLNK} whose data
 *       is the link target, which {@code unzip} recreates as a symlink and other tools show as a small
 *       file holding the target. Hard links are stored as separate regular files (zip has no links).</li>
 * </ul>
 *
 * <h2>Contract</h2>
 * Entry names are built only from names in the snapshot's trees, which {@link io.cairn.engine.tree.Tree#decode}
 * has validated (no "..", '/', '\' or NUL), so an archive never names a path outside its extraction
 * directory. File content is streamed blob by blob (memory stays at one blob), and every blob is
 * authenticated; damaged data raises {@link io.cairn.engine.crypto.CorruptObjectException} and leaves the
 * archive unfinished rather than completing it with wrong bytes. The destination stream is flushed but
 * never closed: the caller owns it.
 */
package io.cairn.engine.dump;
