package io.cairn.engine.retention;

import java.util.List;
import java.util.Objects;

/**
 * The decision for one group of snapshots. Both lists are newest first (ties broken by id), and
 * together they hold every candidate of the group exactly once.
 *
 * @param group   the group key shared by the candidates
 * @param kept    the snapshots that stay, with their reasons
 * @param removed the snapshots that {@code forget} removes
 */
public record RetentionGroupPlan(String group, List<KeptSnapshot> kept, List<RemovedSnapshot> removed) {

    /** Copies the lists. */
    public RetentionGroupPlan {
        Objects.requireNonNull(group, "group");
        kept = List.copyOf(kept);
        removed = List.copyOf(removed);
    }

    /**
     * True when the plan would remove every snapshot of this group. Only a policy made of tag rules
     * alone can do that (every other rule keeps at least the newest snapshot); restic refuses to
     * carry out such a plan, and a caller should too unless the user forces it.
     */
    public boolean isEmptied() {
        return kept.isEmpty() && !removed.isEmpty();
    }
}
