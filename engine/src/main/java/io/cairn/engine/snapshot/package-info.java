/**
 * Snapshots: the commit record of a backup (root tree, time, host, paths, tags, parent, summary).
 * A snapshot is complete on its own: its tree references every blob it needs, so it restores
 * without any other snapshot.
 */
package io.cairn.engine.snapshot;
