package io.cairn.engine.retention;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which snapshots to keep: the {@code --keep-*} options of {@code forget}. A snapshot is kept when at
 * least one rule keeps it (the rules are ORed); every other snapshot of its group is removed. The
 * exact meaning of each rule is in {@link RetentionPlanner}.
 *
 * <p>Counts are {@code 0} (rule not used), a positive number of snapshots or buckets, or
 * {@link #UNLIMITED} ({@code -1}, every bucket). Durations are {@link RetentionDuration#ZERO} when the
 * rule is not used; {@code null} is accepted and read as zero. A policy with no rule at all
 * ({@link #isEmpty()}) is refused by the planner, because it would remove every snapshot.
 *
 * @param keepLast           keep the newest n snapshots
 * @param keepHourly         keep the newest snapshot of each of the newest n hours that have one
 * @param keepDaily          the same per calendar day
 * @param keepWeekly         the same per ISO week (Monday to Sunday)
 * @param keepMonthly        the same per calendar month
 * @param keepYearly         the same per calendar year
 * @param keepWithin         keep every snapshot newer than this duration before the latest snapshot
 * @param keepWithinHourly   keep the newest snapshot of every hour within this duration of the latest
 * @param keepWithinDaily    the same per day
 * @param keepWithinWeekly   the same per ISO week
 * @param keepWithinMonthly  the same per month
 * @param keepWithinYearly   the same per year
 * @param keepTags           keep every snapshot carrying at least one of these tags; the empty string
 *                           matches snapshots without any tag
 */
public record RetentionPolicy(
        int keepLast,
        int keepHourly,
        int keepDaily,
        int keepWeekly,
        int keepMonthly,
        int keepYearly,
        RetentionDuration keepWithin,
        RetentionDuration keepWithinHourly,
        RetentionDuration keepWithinDaily,
        RetentionDuration keepWithinWeekly,
        RetentionDuration keepWithinMonthly,
        RetentionDuration keepWithinYearly,
        Set<String> keepTags) {

    /** The count meaning "every bucket" (restic's {@code unlimited}). */
    public static final int UNLIMITED = -1;

    /** Validates counts, reads {@code null} durations as zero and copies the tags into a sorted set. */
    public RetentionPolicy {
        requireCount("keepLast", keepLast);
        requireCount("keepHourly", keepHourly);
        requireCount("keepDaily", keepDaily);
        requireCount("keepWeekly", keepWeekly);
        requireCount("keepMonthly", keepMonthly);
        requireCount("keepYearly", keepYearly);
        keepWithin = zeroIfNull(keepWithin);
        keepWithinHourly = zeroIfNull(keepWithinHourly);
        keepWithinDaily = zeroIfNull(keepWithinDaily);
        keepWithinWeekly = zeroIfNull(keepWithinWeekly);
        keepWithinMonthly = zeroIfNull(keepWithinMonthly);
        keepWithinYearly = zeroIfNull(keepWithinYearly);
        if (keepTags == null) {
            keepTags = Set.of();
        }
        for (String tag : keepTags) {
            Objects.requireNonNull(tag, "keepTags must not contain null");
        }
        keepTags = Collections.unmodifiableSortedSet(new TreeSet<>(keepTags));
    }

    private static void requireCount(String name, int value) {
        if (value < UNLIMITED) {
            throw new IllegalArgumentException(name + " must be a count >= 0, or -1 for unlimited; was " + value);
        }
    }

    private static RetentionDuration zeroIfNull(RetentionDuration duration) {
        return duration == null ? RetentionDuration.ZERO : duration;
    }

    /** A builder with every rule unused. */
    public static Builder builder() {
        return new Builder();
    }

    /** True when no rule is used: such a policy would remove every snapshot, and the planner refuses it. */
    public boolean isEmpty() {
        return keepLast == 0 && keepHourly == 0 && keepDaily == 0 && keepWeekly == 0 && keepMonthly == 0
                && keepYearly == 0
                && keepWithin.isZero() && keepWithinHourly.isZero() && keepWithinDaily.isZero()
                && keepWithinWeekly.isZero() && keepWithinMonthly.isZero() && keepWithinYearly.isZero()
                && keepTags.isEmpty();
    }

    /**
     * One line for humans, e.g. {@code "keep 7 daily, 4 weekly, all monthly snapshots; daily snapshots
     * within 7d; all snapshots within 1m of the latest; snapshots tagged prod"}.
     */
    public String describe() {
        List<String> clauses = new ArrayList<>();
        List<String> counts = new ArrayList<>();
        addCount(counts, keepLast, "last");
        addCount(counts, keepHourly, "hourly");
        addCount(counts, keepDaily, "daily");
        addCount(counts, keepWeekly, "weekly");
        addCount(counts, keepMonthly, "monthly");
        addCount(counts, keepYearly, "yearly");
        if (!counts.isEmpty()) {
            clauses.add(String.join(", ", counts) + " snapshots");
        }
        addWithinBucket(clauses, keepWithinHourly, "hourly");
        addWithinBucket(clauses, keepWithinDaily, "daily");
        addWithinBucket(clauses, keepWithinWeekly, "weekly");
        addWithinBucket(clauses, keepWithinMonthly, "monthly");
        addWithinBucket(clauses, keepWithinYearly, "yearly");
        if (!keepWithin.isZero()) {
            clauses.add("all snapshots within " + keepWithin + " of the latest");
        }
        if (!keepTags.isEmpty()) {
            List<String> tags = new ArrayList<>();
            for (String tag : keepTags) {
                tags.add(tag.isEmpty() ? "(untagged)" : tag);
            }
            clauses.add("snapshots tagged " + String.join(" or ", tags));
        }
        return clauses.isEmpty() ? "keep nothing (empty policy)" : "keep " + String.join("; ", clauses);
    }

    private static void addCount(List<String> counts, int count, String label) {
        if (count == UNLIMITED) {
            counts.add("all " + label);
        } else if (count > 0) {
            counts.add(count + " " + label);
        }
    }

    private static void addWithinBucket(List<String> clauses, RetentionDuration duration, String label) {
        if (!duration.isZero()) {
            clauses.add(label + " snapshots within " + duration);
        }
    }

    /** Builds a {@link RetentionPolicy}; every rule starts unused. Durations may be given as text. */
    public static final class Builder {
        private int keepLast;
        private int keepHourly;
        private int keepDaily;
        private int keepWeekly;
        private int keepMonthly;
        private int keepYearly;
        private RetentionDuration keepWithin = RetentionDuration.ZERO;
        private RetentionDuration keepWithinHourly = RetentionDuration.ZERO;
        private RetentionDuration keepWithinDaily = RetentionDuration.ZERO;
        private RetentionDuration keepWithinWeekly = RetentionDuration.ZERO;
        private RetentionDuration keepWithinMonthly = RetentionDuration.ZERO;
        private RetentionDuration keepWithinYearly = RetentionDuration.ZERO;
        private final Set<String> keepTags = new TreeSet<>();

        private Builder() {
        }

        /** See {@link RetentionPolicy#keepLast()}. */
        public Builder keepLast(int count) {
            this.keepLast = count;
            return this;
        }

        /** See {@link RetentionPolicy#keepHourly()}. */
        public Builder keepHourly(int count) {
            this.keepHourly = count;
            return this;
        }

        /** See {@link RetentionPolicy#keepDaily()}. */
        public Builder keepDaily(int count) {
            this.keepDaily = count;
            return this;
        }

        /** See {@link RetentionPolicy#keepWeekly()}. */
        public Builder keepWeekly(int count) {
            this.keepWeekly = count;
            return this;
        }

        /** See {@link RetentionPolicy#keepMonthly()}. */
        public Builder keepMonthly(int count) {
            this.keepMonthly = count;
            return this;
        }

        /** See {@link RetentionPolicy#keepYearly()}. */
        public Builder keepYearly(int count) {
            this.keepYearly = count;
            return this;
        }

        /** See {@link RetentionPolicy#keepWithin()}; the text is read by {@link RetentionDuration#parse}. */
        public Builder keepWithin(String duration) {
            this.keepWithin = RetentionDuration.parse(duration);
            return this;
        }

        /** See {@link RetentionPolicy#keepWithinHourly()}. */
        public Builder keepWithinHourly(String duration) {
            this.keepWithinHourly = RetentionDuration.parse(duration);
            return this;
        }

        /** See {@link RetentionPolicy#keepWithinDaily()}. */
        public Builder keepWithinDaily(String duration) {
            this.keepWithinDaily = RetentionDuration.parse(duration);
            return this;
        }

        /** See {@link RetentionPolicy#keepWithinWeekly()}. */
        public Builder keepWithinWeekly(String duration) {
            this.keepWithinWeekly = RetentionDuration.parse(duration);
            return this;
        }

        /** See {@link RetentionPolicy#keepWithinMonthly()}. */
        public Builder keepWithinMonthly(String duration) {
            this.keepWithinMonthly = RetentionDuration.parse(duration);
            return this;
        }

        /** See {@link RetentionPolicy#keepWithinYearly()}. */
        public Builder keepWithinYearly(String duration) {
            this.keepWithinYearly = RetentionDuration.parse(duration);
            return this;
        }

        /** Adds tags to {@link RetentionPolicy#keepTags()}. */
        public Builder keepTags(String... tags) {
            return keepTags(Arrays.asList(tags));
        }

        /** Adds tags to {@link RetentionPolicy#keepTags()}. */
        public Builder keepTags(Collection<String> tags) {
            for (String tag : tags) {
                keepTags.add(Objects.requireNonNull(tag, "tag"));
            }
            return this;
        }

        /** The policy; counts are validated here. */
        public RetentionPolicy build() {
            return new RetentionPolicy(keepLast, keepHourly, keepDaily, keepWeekly, keepMonthly, keepYearly,
                    keepWithin, keepWithinHourly, keepWithinDaily, keepWithinWeekly, keepWithinMonthly,
                    keepWithinYearly, keepTags);
        }
    }
}
