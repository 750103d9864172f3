package io.cairn.engine.retention;

import java.util.Objects;

/**
 * A snapshot that the policy does not keep, so {@code forget} removes it.
 *
 * @param candidate the snapshot
 * @param reason    why it goes; today always {@link #NOT_MATCHED}
 */
public record RemovedSnapshot(RetentionCandidate candidate, String reason) {

    /** The reason for every removal: the rules are ORed, so a snapshot goes only when none keeps it. */
    public static final String NOT_MATCHED = "not matched by any keep rule";

    /** Rejects nulls. */
    public RemovedSnapshot {
        Objects.requireNonNull(candidate, "candidate");
        Objects.requireNonNull(reason, "reason");
    }
}
