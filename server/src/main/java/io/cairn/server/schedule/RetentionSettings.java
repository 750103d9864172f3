package io.cairn.server.schedule;

import io.cairn.engine.retention.RetentionPolicy;

/**
 * A schedule's retention policy, as stored and as the API takes it; null or 0 counts mean "no such rule".
 * {@code retentionDays} is the seeds' simple form: keep every backup of the last N days ({@code keepWithin Nd}).
 * With no rule at all, nothing is removed.
 *
 * @param keepWithin restic duration such as {@code 30d}, {@code 1y6m} or {@code 12h}
 * @param force      apply even a plan that removes every backup of the source
 */
public record RetentionSettings(Integer keepLast, Integer keepHourly, Integer keepDaily, Integer keepWeekly,
                                Integer keepMonthly, Integer keepYearly, String keepWithin, Integer retentionDays,
                                boolean force) {

    public static final RetentionSettings NONE = new RetentionSettings(null, null, null, null, null, null, null, null,
            false);

    /** Whether any rule is set (otherwise retention keeps everything and does not run). */
    public boolean isSet() {
        return positive(keepLast) || positive(keepHourly) || positive(keepDaily) || positive(keepWeekly)
                || positive(keepMonthly) || positive(keepYearly) || (keepWithin != null && !keepWithin.isBlank())
                || positive(retentionDays);
    }

    /** The engine's policy; only for {@link #isSet()} settings. {@code keepWithin} must be valid. */
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
        } else if (positive(retentionDays)) {
            b.keepWithin(retentionDays + "d");
        }
        return b.build();
    }

    /** In words: "keep 7 daily, 4 weekly, within 30d"; "keep everything" when no rule is set. */
    public String describe() {
        return isSet() ? toPolicy().describe() : "keep everything";
    }

    private static boolean positive(Integer n) {
        return n != null && n > 0;
    }
}
