/**
 * Check: verifies that a repository is intact and says what any damage costs.
 *
 * <h2>Glossary</h2>
 * <ul>
 *   <li><b>Structure check</b> (always): the config opens; every key file parses; every index object
 *       opens and decodes; every pack an index lists exists, is long enough for the blobs listed in
 *       it, and has a header that opens and agrees with the index; every snapshot opens; every tree
 *       reachable from a snapshot loads, authenticates and decodes; every data blob a file needs is
 *       in the index. Reads only headers, indexes, snapshots and trees.</li>
 *   <li><b>Read-data</b> ({@link io.cairn.engine.check.CheckOptions#readData}): additionally reads every
 *       selected pack whole, opens (authenticates) and decodes every blob in it and verifies that its
 *       plaintext hashes to its id. A {@link io.cairn.engine.check.DataSubset} selects a part of the
 *       packs: {@code n/t} picks packs by id deterministically, so the runs {@code 1/t .. t/t}
 *       together read every pack exactly once; {@code N%} picks a random sample.</li>
 *   <li><b>Problem</b> ({@link io.cairn.engine.check.CheckProblem}): one finding, an
 *       {@link io.cairn.engine.check.CheckProblem.Severity#ERROR error} (damage, missing data) or an
 *       {@link io.cairn.engine.check.CheckProblem.Severity#INFO info} (unreferenced packs, unused blobs:
 *       space that prune reclaims, not damage). It names the damaged object by type and full id.</li>
 *   <li><b>Affected snapshot</b> ({@link io.cairn.engine.check.AffectedSnapshot}): a snapshot that
 *       cannot be restored in full, with every file whose data is damaged or missing and every
 *       directory whose listing is, as {@link io.cairn.engine.check.DamagedPath}s.</li>
 * </ul>
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>{@link io.cairn.engine.check.Checker#check} never changes the repository except for its own
 *       shared lock (so it runs beside backups and restores, never beside prune).</li>
 *   <li>Damage is reported, never thrown: the check goes on past every damaged object and returns a
 *       {@link io.cairn.engine.check.CheckReport}. Only a failure to run at all (the backend cannot be
 *       listed, the lock cannot be had) is thrown.</li>
 *   <li>A blob stored in several packs counts as lost only when every copy is damaged.</li>
 *   <li>Objects are read in the order that makes a concurrent backup harmless: snapshots are listed
 *       before indexes are read, and indexes before packs are listed, so anything a running backup
 *       adds shows at most as an unreferenced pack (info), never as an error.</li>
 *   <li>Progress comes as a {@code check} start/end pair with status events in between:
 *       {@code filesDone}/{@code filesTotal} count packs, {@code bytesDone}/{@code bytesTotal} count the
 *       bytes of packs read whole.</li>
 * </ul>
 */
package io.cairn.engine.check;
