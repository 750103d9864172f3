/**
 * Restoring snapshots to a directory: {@link io.cairn.engine.restorer.Restorer} writes files,
 * directories, symlinks and hard links with their modes, owners and times, never outside the
 * target and never with unauthenticated bytes.
 *
 * <p>Glossary: the <b>target</b> is the directory restored into; an entry <b>in the way</b> is one
 * already at the place an entry of the snapshot is to be written. The
 * {@link io.cairn.engine.restorer.OverwritePolicy} of the
 * {@link io.cairn.engine.restorer.RestoreOptions} decides whether a file or symlink in the way is
 * replaced ({@code ALWAYS}, the default), replaced only when the snapshot's entry is newer
 * ({@code IF_NEWER}) or kept ({@code NEVER}); a kept entry is counted in
 * {@link io.cairn.engine.restorer.RestoreResult#skipped()}. An entry in the way is never followed,
 * and a directory in the way of a file or symlink fails the restore whatever the policy.
 */
package io.cairn.engine.restorer;
