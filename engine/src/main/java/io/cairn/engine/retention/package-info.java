/**
 * Retention ("forget"): deciding which snapshots a policy keeps and which it removes. Pure logic with
 * no I/O and no clock: the caller loads the snapshots, passes the time zone and the current time, and
 * carries out (or only shows) the returned plan.
 *
 * <h2>Glossary</h2>
 * <dl>
 *   <dt>candidate</dt><dd>a snapshot reduced to what the rules read: id, time, tags, group
 *       ({@link io.cairn.engine.retention.RetentionCandidate}).</dd>
 *   <dt>group</dt><dd>snapshots that are judged together, e.g. one host and set of paths. The policy
 *       is applied to each group on its own, so one machine's backups never push out another's.</dd>
 *   <dt>keep rule</dt><dd>one {@code keep*} setting of a
 *       {@link io.cairn.engine.retention.RetentionPolicy}; rules are ORed.</dd>
 *   <dt>bucket</dt><dd>a calendar hour, day, ISO week (Monday to Sunday), month or year in the given
 *       time zone; a bucket rule keeps the newest snapshot of a bucket.</dd>
 *   <dt>latest snapshot</dt><dd>the newest snapshot of a group that is not in the future; every
 *       {@code keepWithin*} duration is measured back from it, not from now.</dd>
 *   <dt>cutoff</dt><dd>the latest snapshot's time minus a
 *       {@link io.cairn.engine.retention.RetentionDuration}; "within" means strictly after it.</dd>
 *   <dt>oldest snapshot</dt><dd>the oldest snapshot of a group; a bucket rule with count to spare
 *       keeps it too (marked {@code "oldest ..."}).</dd>
 *   <dt>plan</dt><dd>the result: per group the kept snapshots with all their reasons and the removed
 *       ones ({@link io.cairn.engine.retention.RetentionPlan}).</dd>
 * </dl>
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>Semantics follow restic's documented {@code forget} policy (restic 0.16 and later, including
 *       the "oldest snapshot" rule and {@code unlimited} counts); the details are in
 *       {@link io.cairn.engine.retention.RetentionPlanner}.</li>
 *   <li>Deterministic: the same candidates in any order, policy, zone and now give an equal plan.
 *       Equal times are ordered by id, ascending.</li>
 *   <li>Every candidate appears in the plan exactly once, kept with at least one reason or removed.</li>
 *   <li>An empty policy is refused with {@link java.lang.IllegalArgumentException}; it never yields a
 *       plan that removes everything. A policy can still empty a group when it has only tag rules;
 *       the plan says so ({@code removesEverythingInSomeGroup()}, {@code groupsEmptied()}) and the
 *       caller decides.</li>
 *   <li>Where Cairn differs from restic: the empty policy is an error (restic keeps everything);
 *       {@code keepTags} is a set of single tags, any of which keeps a snapshot (restic's
 *       {@code --keep-tag a --keep-tag b}; restic's comma-joined "all of these tags" lists are not
 *       offered); reasons for tags read {@code "tag prod"} (restic: {@code "has tags [prod]"}); a
 *       snapshot exactly at {@code now} is not in the future.</li>
 * </ul>
 */
package io.cairn.engine.retention;
