/**
 * Browsing snapshots without restoring them: resolving a path, listing directories, walking a whole
 * tree, reading one file's content as a stream, comparing two snapshots, and counting sizes.
 *
 * <h2>Glossary</h2>
 * <ul>
 *   <li><b>snapshot path</b>: an absolute, '/'-separated path inside a snapshot, e.g.
 *       {@code /home/ann/docs/a.txt}; {@code /} is the snapshot's root tree. A requested path is split
 *       with {@link io.cairn.engine.restorer.Restorer#splitSnapshotPath}, so ".", ".." and names with NUL or
 *       '\' are rejected before anything is read. Symlinks inside a snapshot are never followed.</li>
 *   <li><b>entry</b>: a {@link io.cairn.engine.browse.SnapshotEntry}, one node of a tree together with its
 *       full snapshot path.</li>
 *   <li><b>walk</b>: a depth-first, pre-order visit of every entry below a directory, in tree order
 *       (names sorted by UTF-8 bytes), loading one tree blob at a time.</li>
 * </ul>
 *
 * <h2>Contract</h2>
 * Everything here only reads. Every tree and data blob is authenticated by
 * {@link io.cairn.engine.repository.Repository#loadBlob}; damaged or missing data raises
 * {@link io.cairn.engine.crypto.CorruptObjectException} and is never returned. Paths that do not exist
 * or are not allowed raise {@link io.cairn.engine.repository.RepositoryException} with exit code 1.
 * Memory stays bounded by the depth of the tree and one data blob, whatever the size of a file or
 * snapshot. No lock is taken (like restore): read-only browsing works on read-only media.
 */
package io.cairn.engine.browse;
