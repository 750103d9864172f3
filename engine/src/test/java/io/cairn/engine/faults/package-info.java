/**
 * Fault tests of the engine: what the archiver and restorer do when the repository or the input
 * misbehaves.
 *
 * <h2>Glossary</h2>
 * <dl>
 *   <dt>crafted repository</dt><dd>a repository whose trees or snapshots were written by the test
 *       directly (as JSON bytes), bypassing the archiver, to contain what the archiver never writes:
 *       entry names like {@code ../x}, {@code a/b} or the empty name.</dd>
 *   <dt>canary</dt><dd>a file outside the restore target whose bytes and modification time must be
 *       unchanged after the restore; any write outside the target would show there.</dd>
 *   <dt>damaged pack</dt><dd>a pack file on disk with one bit flipped or with its tail cut off.</dd>
 * </dl>
 *
 * <h2>Contract proven here</h2>
 * <ul>
 *   <li>A restore never creates, changes or follows anything outside its target, whatever the
 *       snapshot contains and whatever symlinks the target already holds.</li>
 *   <li>A restore never leaves a file with wrong bytes: damaged data fails with an error naming
 *       the blob and the pack (exit code 4), and snapshots not using the damaged pack still restore.</li>
 *   <li>A backup of a command's output saves no snapshot when the command fails or is killed.</li>
 * </ul>
 * The CLI-level fault tests (exit codes, full disk, kill -9) live in the cli module's
 * {@code io.cairn.cli.faults} package.
 */
package io.cairn.engine.faults;
