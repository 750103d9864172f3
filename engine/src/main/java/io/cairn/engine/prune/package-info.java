/**
 * Removing snapshots ({@link io.cairn.engine.prune.Forgetter}) and then the data no snapshot needs
 * any more ({@link io.cairn.engine.prune.Pruner}).
 *
 * <h2>Glossary</h2>
 * <dl>
 *   <dt>forget</dt><dd>delete snapshot objects, chosen by a
 *       {@link io.cairn.engine.retention.RetentionPolicy} applied per group, or named by id. Frees
 *       no space by itself: the blobs stay until prune.</dd>
 *   <dt>group</dt><dd>snapshots judged together by a policy
 *       ({@link io.cairn.engine.prune.SnapshotGroup}); by default those of one host and one set of
 *       paths ({@link io.cairn.engine.prune.SnapshotGrouping}).</dd>
 *   <dt>used blob</dt><dd>a blob reachable from some snapshot: its root tree, every subtree, and
 *       every data blob of every file.</dd>
 *   <dt>unused bytes</dt><dd>the sealed bytes of a pack's blobs that are not used (or whose used
 *       copy is kept in another pack).</dd>
 *   <dt>repack</dt><dd>copy the used blobs of a mostly unused (or small) pack into new packs, then
 *       delete the old pack. Sealed blobs are copied verbatim after authenticating them: a blob's
 *       seal is bound to its type and id, not to the pack it lives in.</dd>
 *   <dt>unindexed pack</dt><dd>a pack no index object lists: what a backup leaves when it is
 *       interrupted before its index is written. No snapshot can reference it.</dd>
 * </dl>
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>Both operations hold an exclusive {@link io.cairn.engine.repository.RepositoryLock} while
 *       they change the repository: they wait for running backups, and backups started meanwhile
 *       wait for them.</li>
 *   <li>Prune decides everything before it changes anything, and changes the repository in an order
 *       that leaves every snapshot restorable after a crash at any point (see
 *       {@link io.cairn.engine.prune.Pruner}).</li>
 *   <li>Prune refuses to delete anything when a blob some snapshot needs is in no pack.</li>
 *   <li>Forget refuses a policy that would remove every snapshot of a group unless forced.</li>
 *   <li>Both have a dry run that reports exactly what would be done and writes nothing but a lock.</li>
 * </ul>
 */
package io.cairn.engine.prune;
