/**
 * Restoring snapshots to a directory: {@link io.cairn.engine.restorer.Restorer} writes files,
 * directories, symlinks and hard links with their modes, owners and times, never outside the
 * target and never with unauthenticated bytes.
 */
package io.cairn.engine.restorer;
