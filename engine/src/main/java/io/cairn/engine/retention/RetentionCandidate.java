package io.cairn.engine.retention;

import java.time.Instant;
import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * One snapshot as the retention planner sees it: only what the keep rules look at.
 *
 * @param id    the snapshot's id; unique within one call of {@link RetentionPlanner#plan}
 * @param time  when the snapshot was taken
 * @param tags  the snapshot's tags (copied into a sorted, unmodifiable set)
 * @param group the key of the snapshot's group; the policy is applied to each group on its own. The
 *              caller computes it (restic's default is host + paths)
 */
public record RetentionCandidate(String id, Instant time, Set<String> tags, String group) {

    /** Rejects nulls and copies the tags. */
    public RetentionCandidate {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(tags, "tags");
        Objects.requireNonNull(group, "group");
        for (String tag : tags) {
            Objects.requireNonNull(tag, "tags must not contain null");
        }
        tags = Collections.unmodifiableSortedSet(new TreeSet<>(tags));
    }
}
