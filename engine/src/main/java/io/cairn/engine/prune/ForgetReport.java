package io.cairn.engine.prune;

import io.cairn.engine.snapshot.SnapshotRef;
import java.time.Duration;
import java.util.List;

/**
 * What a forget did, or in a dry run would do.
 *
 * @param dryRun        whether nothing was deleted
 * @param policy        the policy in words ({@link io.cairn.engine.retention.RetentionPolicy#describe()}),
 *                      or null when snapshots were named explicitly
 * @param groups        per group, the kept snapshots with their reasons and the removed ones, newest
 *                      first; empty when snapshots were named explicitly
 * @param removed       every snapshot removed (or to be removed), oldest first
 * @param groupsEmptied groups the policy removes completely; a real run carries that out only when
 *                      forced
 * @param duration      how long the forget took, waiting for the lock included
 */
public record ForgetReport(boolean dryRun, String policy, List<Group> groups, List<SnapshotRef> removed,
                           List<SnapshotGroup> groupsEmptied, Duration duration) {

    /** Copies the lists. */
    public ForgetReport {
        groups = List.copyOf(groups);
        removed = List.copyOf(removed);
        groupsEmptied = List.copyOf(groupsEmptied);
    }

    /** The ids of the removed snapshots, oldest first. */
    public List<String> removedIds() {
        return removed.stream().map(SnapshotRef::id).toList();
    }

    /**
     * A snapshot and why it is kept or removed.
     *
     * @param snapshot the snapshot
     * @param reasons  for a kept one every rule that keeps it ("last snapshot", "daily snapshot"...);
     *                 for a removed one why it goes
     */
    public record Decision(SnapshotRef snapshot, List<String> reasons) {
        /** Copies the reasons. */
        public Decision {
            reasons = List.copyOf(reasons);
        }
    }

    /**
     * The decision for one group.
     *
     * @param group   the group's key
     * @param kept    snapshots that stay, newest first
     * @param removed snapshots that go, newest first
     */
    public record Group(SnapshotGroup group, List<Decision> kept, List<Decision> removed) {
        /** Copies the lists. */
        public Group {
            kept = List.copyOf(kept);
            removed = List.copyOf(removed);
        }

        /** Whether every snapshot of the group goes. */
        public boolean emptied() {
            return kept.isEmpty() && !removed.isEmpty();
        }
    }
}
