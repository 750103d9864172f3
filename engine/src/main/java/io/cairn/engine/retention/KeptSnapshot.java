package io.cairn.engine.retention;

import java.util.List;
import java.util.Objects;

/**
 * A snapshot that the policy keeps, with every rule that kept it, in the order the rules are checked:
 * tags, {@code keep-within}, then last, hourly, daily, weekly, monthly, yearly, then the
 * {@code keep-within-*} rules. The words are restic's, e.g. {@code "last snapshot"},
 * {@code "daily snapshot"}, {@code "oldest yearly snapshot"}, {@code "within 7d"},
 * {@code "daily within 1m"}, {@code "tag prod"}.
 *
 * @param candidate the snapshot
 * @param reasons   at least one reason, unmodifiable
 */
public record KeptSnapshot(RetentionCandidate candidate, List<String> reasons) {

    /** Rejects a kept snapshot without a reason. */
    public KeptSnapshot {
        Objects.requireNonNull(candidate, "candidate");
        reasons = List.copyOf(reasons);
        if (reasons.isEmpty()) {
            throw new IllegalArgumentException("a kept snapshot needs at least one reason: " + candidate.id());
        }
    }
}
