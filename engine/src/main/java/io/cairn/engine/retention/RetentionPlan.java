package io.cairn.engine.retention;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What {@code forget} would do under a policy: per group, which snapshots stay (and why) and which go.
 * A plan changes nothing by itself; the caller shows it (dry run) or carries it out.
 *
 * @param policy the policy that was applied
 * @param zone   the time zone in which calendar buckets and durations were computed
 * @param now    the time the plan was made for (snapshots after it count as "in the future")
 * @param groups one entry per group that had candidates, sorted by group key
 */
public record RetentionPlan(RetentionPolicy policy, ZoneId zone, Instant now, List<RetentionGroupPlan> groups) {

    /** Copies the group list. */
    public RetentionPlan {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(now, "now");
        groups = List.copyOf(groups);
    }

    /** Every kept snapshot, group by group. */
    public List<KeptSnapshot> kept() {
        List<KeptSnapshot> all = new ArrayList<>();
        for (RetentionGroupPlan group : groups) {
            all.addAll(group.kept());
        }
        return List.copyOf(all);
    }

    /** Every removed snapshot, group by group. */
    public List<RemovedSnapshot> removed() {
        List<RemovedSnapshot> all = new ArrayList<>();
        for (RetentionGroupPlan group : groups) {
            all.addAll(group.removed());
        }
        return List.copyOf(all);
    }

    /** The ids of every removed snapshot, group by group. */
    public List<String> removedIds() {
        List<String> ids = new ArrayList<>();
        for (RemovedSnapshot removed : removed()) {
            ids.add(removed.candidate().id());
        }
        return List.copyOf(ids);
    }

    /**
     * True when at least one group would lose all its snapshots ({@link #groupsEmptied()} is not
     * empty). The caller should refuse such a plan unless the user explicitly forces it.
     */
    public boolean removesEverythingInSomeGroup() {
        return !groupsEmptied().isEmpty();
    }

    /** The keys of the groups that would lose all their snapshots, sorted. */
    public List<String> groupsEmptied() {
        List<String> emptied = new ArrayList<>();
        for (RetentionGroupPlan group : groups) {
            if (group.isEmptied()) {
                emptied.add(group.group());
            }
        }
        return List.copyOf(emptied);
    }
}
