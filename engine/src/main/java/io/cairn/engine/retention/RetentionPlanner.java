package io.cairn.engine.retention;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Applies a {@link RetentionPolicy} to snapshots and returns a {@link RetentionPlan}. Pure and
 * deterministic: no clock, no I/O, and the same input (in any order) gives the same plan.
 *
 * <h2>How a group is decided (restic's {@code forget} semantics)</h2>
 * Candidates are split by {@link RetentionCandidate#group()} and each group is decided on its own.
 * Within a group the candidates are sorted newest first; equal times are ordered by id ascending.
 * Walking that list once, a candidate is kept when any rule keeps it:
 * <ul>
 *   <li><b>keepTags</b>: it has one of the tags ({@code ""} matches a candidate with no tags at all).
 *       Reason {@code "tag <tag>"} or {@code "untagged"}.</li>
 *   <li><b>keepWithin d</b>: its time is strictly after the <i>cutoff</i> of {@code d} (below).
 *       Reason {@code "within <d>"}.</li>
 *   <li><b>keepLast n</b>: it is one of the n newest. Reason {@code "last snapshot"}.</li>
 *   <li><b>keepHourly/Daily/Weekly/Monthly/Yearly n</b>: it is the newest candidate of its calendar
 *       bucket (wall-clock hour, calendar day, ISO week, month or year in the given zone), and
 *       fewer than n buckets have been kept by this rule so far ({@code -1}: no limit). Only buckets
 *       that hold a snapshot count, so "7 daily" means the 7 newest days that have one, not the last
 *       7 calendar days. Reason {@code "daily snapshot"} etc.</li>
 *   <li><b>keepWithinHourly/Daily/... d</b>: it is after the cutoff of {@code d} and the newest
 *       candidate of its bucket. Reason {@code "daily within <d>"} etc.</li>
 *   <li><b>Oldest snapshot</b> (restic 0.16 and later): when a bucket rule still has count left
 *       (always, for {@code -1}) as the walk reaches the group's oldest candidate (or, for a
 *       within-bucket rule, that candidate is still after the cutoff), the oldest candidate is kept
 *       even if a newer one already took its
 *       bucket, with the reason prefixed {@code "oldest "} ({@code "oldest yearly snapshot"}). This
 *       keeps the longest history the counts allow, e.g. the first backup of a half year under
 *       {@code keepYearly 3}.</li>
 * </ul>
 * Everything else is removed with the reason {@link RemovedSnapshot#NOT_MATCHED}.
 *
 * <h2>Durations are relative to the latest snapshot, not to now</h2>
 * As in restic, the {@code keepWithin*} rules measure back from the <i>latest</i> snapshot of the
 * group: the newest candidate whose time is not after {@code now}. So a machine whose backups stopped
 * a year ago still keeps its last {@code 7d} of snapshots. {@code now} is used only to ignore
 * snapshots from the future: they never become the latest, and as they are after any cutoff every
 * within rule keeps them. If every candidate of a group is in the future, there is no latest and
 * the within rules match every candidate.
 *
 * <p>The <i>cutoff</i> of {@code d = Ny Mm Dd Hh} is computed like restic (Go's {@code AddDate}): take
 * the latest snapshot's wall-clock date and time in the zone, subtract N years and M months from the
 * year/month, then D days; a day number past the end of the month rolls over into the next month
 * (31 March minus 1 month is 3 March, or 2 March in a leap year, not 28/29 February). Resolve that
 * wall-clock time in the zone (a time in a DST gap moves forward, an ambiguous one takes the latest
 * snapshot's offset), then subtract H hours of elapsed time. So {@code 1d} across a DST change spans
 * 23 or 25 hours, while {@code 24h} is always 24 hours.
 *
 * <h2>Refusals</h2>
 * An {@linkplain RetentionPolicy#isEmpty() empty} policy is rejected (restic would keep everything;
 * we make the caller say what it means). Duplicate ids are rejected. A plan that empties a group
 * (possible only with tag rules alone) is returned, flagged by
 * {@link RetentionPlan#removesEverythingInSomeGroup()}; whether to carry it out (e.g. {@code --force})
 * is the caller's decision.
 */
public final class RetentionPlanner {

    private static final String EMPTY_POLICY_MESSAGE = "no keep rule given; refusing to remove every snapshot";
    private static final String UNTAGGED_REASON = "untagged";
    private static final String OLDEST_PREFIX = "oldest ";
    private static final int FIRST_SUPPORTED_YEAR = -100_000;

    private static final Comparator<RetentionCandidate> NEWEST_FIRST =
            Comparator.comparing(RetentionCandidate::time).reversed().thenComparing(RetentionCandidate::id);

    private RetentionPlanner() {
    }

    /**
     * Decides which candidates the policy keeps.
     *
     * @param candidates the snapshots to consider, in any order; ids must be unique
     * @param policy     the keep rules; must not be {@linkplain RetentionPolicy#isEmpty() empty}
     * @param zone       the zone for calendar buckets and calendar durations (restic uses the
     *                   snapshot's local time; pass the zone the backups were taken in)
     * @param now        the current time; only used to tell snapshots from the future apart
     * @return the plan, groups sorted by key, each group's lists newest first
     * @throws IllegalArgumentException if the policy is empty or an id appears twice
     */
    public static RetentionPlan plan(List<RetentionCandidate> candidates, RetentionPolicy policy, ZoneId zone,
            Instant now) {
        Objects.requireNonNull(candidates, "candidates");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(now, "now");
        if (policy.isEmpty()) {
            throw new IllegalArgumentException(EMPTY_POLICY_MESSAGE);
        }
        Map<String, List<RetentionCandidate>> byGroup = new TreeMap<>();
        Set<String> ids = new HashSet<>();
        for (RetentionCandidate candidate : candidates) {
            Objects.requireNonNull(candidate, "candidates must not contain null");
            if (!ids.add(candidate.id())) {
                throw new IllegalArgumentException("snapshot id " + candidate.id()
                        + " appears more than once; every candidate needs its own id");
            }
            byGroup.computeIfAbsent(candidate.group(), key -> new ArrayList<>()).add(candidate);
        }
        List<RetentionGroupPlan> groups = new ArrayList<>();
        for (Map.Entry<String, List<RetentionCandidate>> group : byGroup.entrySet()) {
            groups.add(planGroup(group.getKey(), group.getValue(), policy, zone, now));
        }
        return new RetentionPlan(policy, zone, now, groups);
    }

    private static RetentionGroupPlan planGroup(String group, List<RetentionCandidate> members,
            RetentionPolicy policy, ZoneId zone, Instant now) {
        List<RetentionCandidate> newestFirst = new ArrayList<>(members);
        newestFirst.sort(NEWEST_FIRST);
        Instant latest = latestNotInFuture(newestFirst, now);

        WithinRule within = WithinRule.of(policy.keepWithin(), latest, zone);
        List<CountRule> countRules = List.of(
                CountRule.last(policy.keepLast()),
                new CountRule(CalendarBucket.HOUR, policy.keepHourly()),
                new CountRule(CalendarBucket.DAY, policy.keepDaily()),
                new CountRule(CalendarBucket.ISO_WEEK, policy.keepWeekly()),
                new CountRule(CalendarBucket.MONTH, policy.keepMonthly()),
                new CountRule(CalendarBucket.YEAR, policy.keepYearly()));
        List<WithinBucketRule> withinBucketRules = List.of(
                new WithinBucketRule(CalendarBucket.HOUR, WithinRule.of(policy.keepWithinHourly(), latest, zone)),
                new WithinBucketRule(CalendarBucket.DAY, WithinRule.of(policy.keepWithinDaily(), latest, zone)),
                new WithinBucketRule(CalendarBucket.ISO_WEEK, WithinRule.of(policy.keepWithinWeekly(), latest, zone)),
                new WithinBucketRule(CalendarBucket.MONTH, WithinRule.of(policy.keepWithinMonthly(), latest, zone)),
                new WithinBucketRule(CalendarBucket.YEAR, WithinRule.of(policy.keepWithinYearly(), latest, zone)));

        List<KeptSnapshot> kept = new ArrayList<>();
        List<RemovedSnapshot> removed = new ArrayList<>();
        for (int index = 0; index < newestFirst.size(); index++) {
            RetentionCandidate candidate = newestFirst.get(index);
            boolean oldest = index == newestFirst.size() - 1;
            ZonedDateTime localTime = candidate.time().atZone(zone);
            List<String> reasons = new ArrayList<>();
            addTagReasons(reasons, candidate, policy.keepTags());
            if (within != null && within.contains(candidate.time())) {
                reasons.add("within " + within.duration());
            }
            for (CountRule rule : countRules) {
                rule.offer(index, localTime, oldest, reasons);
            }
            for (WithinBucketRule rule : withinBucketRules) {
                rule.offer(candidate.time(), localTime, oldest, reasons);
            }
            if (reasons.isEmpty()) {
                removed.add(new RemovedSnapshot(candidate, RemovedSnapshot.NOT_MATCHED));
            } else {
                kept.add(new KeptSnapshot(candidate, reasons));
            }
        }
        return new RetentionGroupPlan(group, kept, removed);
    }

    /** The newest time not after now, or null when every candidate is in the future. */
    private static Instant latestNotInFuture(List<RetentionCandidate> newestFirst, Instant now) {
        for (RetentionCandidate candidate : newestFirst) {
            if (!candidate.time().isAfter(now)) {
                return candidate.time();
            }
        }
        return null;
    }

    private static void addTagReasons(List<String> reasons, RetentionCandidate candidate, Set<String> keepTags) {
        for (String tag : keepTags) {
            if (tag.isEmpty()) {
                if (candidate.tags().isEmpty()) {
                    reasons.add(UNTAGGED_REASON);
                }
            } else if (candidate.tags().contains(tag)) {
                reasons.add("tag " + tag);
            }
        }
    }

    /**
     * The cutoff instant of a duration measured back from the latest snapshot (see the class comment),
     * or null when every time counts as within (no latest snapshot, or a cutoff before year -100000).
     */
    static Instant cutoffOf(RetentionDuration duration, Instant latest, ZoneId zone) {
        if (latest == null) {
            return null;
        }
        ZonedDateTime latestLocal = latest.atZone(zone);
        LocalDateTime wallClock = latestLocal.toLocalDateTime();
        long monthIndex = wallClock.getYear() * 12L + (wallClock.getMonthValue() - 1)
                - duration.years() * 12L - duration.months();
        long year = Math.floorDiv(monthIndex, 12);
        int month = (int) Math.floorMod(monthIndex, 12) + 1;
        if (year < FIRST_SUPPORTED_YEAR) {
            return null;
        }
        LocalDate date = LocalDate.of((int) year, month, 1)
                .plusDays(wallClock.getDayOfMonth() - 1L - duration.days());
        if (date.getYear() < FIRST_SUPPORTED_YEAR) {
            return null;
        }
        ZonedDateTime shifted = ZonedDateTime.ofLocal(LocalDateTime.of(date, wallClock.toLocalTime()), zone,
                latestLocal.getOffset());
        return shifted.toInstant().minus(Duration.ofHours(duration.hours()));
    }

    /** A used duration and its cutoff; a null cutoff means every time is within. */
    private record WithinRule(RetentionDuration duration, Instant cutoff) {

        /** Null when the duration is zero (rule not used). */
        static WithinRule of(RetentionDuration duration, Instant latest, ZoneId zone) {
            return duration.isZero() ? null : new WithinRule(duration, cutoffOf(duration, latest, zone));
        }

        boolean contains(Instant time) {
            return cutoff == null || time.isAfter(cutoff);
        }
    }

    /** keepLast and keepHourly..keepYearly: the newest of each bucket, while count is left. */
    private static final class CountRule {
        /** Null for keepLast, where every snapshot is its own bucket. */
        private final CalendarBucket bucket;
        private final String reason;
        private int remaining;
        private Long lastKey;

        CountRule(CalendarBucket bucket, int count) {
            this(bucket, count, bucket.adjective() + " snapshot");
        }

        private CountRule(CalendarBucket bucket, int count, String reason) {
            this.bucket = bucket;
            this.remaining = count;
            this.reason = reason;
        }

        static CountRule last(int count) {
            return new CountRule(null, count, "last snapshot");
        }

        void offer(int index, ZonedDateTime localTime, boolean oldest, List<String> reasons) {
            if (remaining == 0) {
                return;
            }
            long key = bucket == null ? index : bucket.key(localTime);
            boolean newBucket = lastKey == null || lastKey != key;
            if (newBucket || oldest) {
                reasons.add(newBucket ? reason : OLDEST_PREFIX + reason);
                lastKey = key;
                if (remaining != RetentionPolicy.UNLIMITED) {
                    remaining--;
                }
            }
        }
    }

    /** keepWithinHourly..keepWithinYearly: the newest of each bucket after the cutoff. */
    private static final class WithinBucketRule {
        private final CalendarBucket bucket;
        private final WithinRule within;
        private Long lastKey;

        WithinBucketRule(CalendarBucket bucket, WithinRule within) {
            this.bucket = bucket;
            this.within = within;
        }

        void offer(Instant time, ZonedDateTime localTime, boolean oldest, List<String> reasons) {
            if (within == null || !within.contains(time)) {
                return;
            }
            long key = bucket.key(localTime);
            boolean newBucket = lastKey == null || lastKey != key;
            if (newBucket || oldest) {
                String reason = bucket.adjective() + " within " + within.duration();
                reasons.add(newBucket ? reason : OLDEST_PREFIX + reason);
                lastKey = key;
            }
        }
    }
}
