package io.cairn.server.schedule;

import io.cairn.engine.retention.RetentionPolicy;

/**
 * A schedule's retention policy, as stored and as the API takes it; null or 0 counts mean "no such rule".
 * {@code retentionDays} is the seeds' simple form: keep every backup taken in the last N days (counted from
 * now, unlike {@code keepWithin}, which counts from the newest backup; see {@link RetentionDecision}).
 * With no rule at all, nothing is removed.
 *
 * @param keepWithin restic duration such as {@code 30d}, {@code 1y6m} or {@code 12h}
 * @param force      apply even a plan that removes every backup of the source (absent: false)
 */
public record RetentionSettings(Integer keepLast, Integer keepHourly, Integer keepDaily, Integer keepWeekly,
                                Integer keepMonthly, Integer keepYearly, String keepWithin, Integer retentionDays,
                                Boolean force) {

    /** {@code force} left out (or null) means false. */
    public RetentionSettings {
        force = Boolean.TRUE.equals(force);
    }

    public static final RetentionSettings NONE = new RetentionSettings(null, null, null, null, null, null, null, null,
            false);

    /** Whether any rule is set (otherwise retention keeps everything and does not run). */
    public boolean isSet() {
        return positive(keepLast) || positive(keepHourly) || positive(keepDaily) || positive(keepWeekly)
                || positive(keepMonthly) || positive(keepYearly) || (keepWithin != null && !keepWithin.isBlank())
                || positive(retentionDays);
    }

    /**
     * The engine's policy of the restic-style rules ({@code retentionDays} is applied by
     * {@link RetentionDecision}); at least one of them must be set, and {@code keepWithin} must be valid.
     */
    public RetentionPolicy toPolicy() {
        RetentionPolicy.Builder b = RetentionPolicy.builder();
        if (positive(keepLast)) {
            b.keepLast(keepLast);
        }
        if (positive(keepHourly)) {
            b.keepHourly(keepHourly);
        }
        if (positive(keepDaily)) {
            b.keepDaily(keepDaily);
        }
        if (positive(keepWeekly)) {
            b.keepWeekly(keepWeekly);
        }
        if (positive(keepMonthly)) {
            b.keepMonthly(keepMonthly);
        }
        if (positive(keepYearly)) {
            b.keepYearly(keepYearly);
        }
        if (keepWithin != null && !keepWithin.isBlank()) {
            b.keepWithin(keepWithin.trim());
        }
        return b.build();
    }

    /** In words: "keep 7 daily, 4 weekly snapshots; keep backups of the last 30 days"; "keep everything" with no rule. */
    public String describe() {
        return RetentionDecision.describe(this);
    }

    private static boolean positive(Integer n) {
        return n != null && n > 0;
    }
}
