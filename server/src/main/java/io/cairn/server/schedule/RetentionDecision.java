package io.cairn.server.schedule;

import io.cairn.engine.retention.KeptSnapshot;
import io.cairn.engine.retention.RetentionCandidate;
import io.cairn.engine.retention.RetentionPlan;
import io.cairn.engine.retention.RetentionPlanner;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which backups of one source a schedule's retention keeps, and why. Pure: candidates, settings, zone and
 * "now" in, decision out — so decisions are pinned by golden files.
 *
 * <p>The keep rules (last, hourly … yearly, within) are the engine's {@link RetentionPlanner}, i.e. restic's
 * {@code forget} semantics: "within" counts back from the newest backup. "Retention days N" is the seeds'
 * simpler rule and counts back from <i>now</i>: backups taken in the last N days are kept. A backup is kept
 * when any rule keeps it. Because "retention days" counts from now, a source whose backups all stopped more
 * than N days ago would lose every backup: such a decision is {@linkplain #refused() refused} unless forced.
 */
public record RetentionDecision(String policy, List<Entry> kept, List<Entry> removed, boolean removesEverything,
                                boolean forced, boolean refused) {

    /** One backup and the reasons it stays (kept) or the reason it goes (removed). */
    public record Entry(String snapshotId, Instant time, List<String> reasons) {
    }

    /** {@code refused}: the decision would remove every backup and the schedule does not force it; nothing is removed. */
    private static RetentionDecision of(String policy, List<Entry> kept, List<Entry> removed, boolean removesEverything,
                                        boolean forced) {
        return new RetentionDecision(policy, kept, removed, removesEverything, forced, removesEverything && !forced);
    }

    /** What to remove: nothing when refused. */
    public List<Entry> toRemove() {
        return refused() ? List.of() : removed;
    }

    public static RetentionDecision decide(List<RetentionCandidate> candidates, RetentionSettings settings, ZoneId zone,
                                           Instant now) {
        if (!settings.isSet()) {
            List<Entry> all = candidates.stream().sorted(NEWEST_FIRST)
                    .map(c -> new Entry(c.id(), c.time(), List.of("no retention rule: keep everything"))).toList();
            return of(settings.describe(), all, List.of(), false, settings.force());
        }
        Map<String, List<String>> reasons = new HashMap<>();
        candidates.forEach(c -> reasons.put(c.id(), new ArrayList<>()));
        RetentionSettings rules = withoutDays(settings);
        if (rules.isSet()) {
            RetentionPlan plan = RetentionPlanner.plan(candidates, rules.toPolicy(), zone, now);
            for (KeptSnapshot k : plan.kept()) {
                reasons.get(k.candidate().id()).addAll(k.reasons());
            }
        }
        Integer days = settings.retentionDays();
        if (days != null && days > 0) {
            Instant cutoff = now.minus(Duration.ofDays(days));
            for (RetentionCandidate c : candidates) {
                if (c.time().isAfter(cutoff)) {
                    reasons.get(c.id()).add("within " + days + " retention days");
                }
            }
        }
        List<Entry> kept = new ArrayList<>();
        List<Entry> removed = new ArrayList<>();
        for (RetentionCandidate c : candidates.stream().sorted(NEWEST_FIRST).toList()) {
            List<String> why = reasons.get(c.id());
            if (why.isEmpty()) {
                removed.add(new Entry(c.id(), c.time(), List.of("not kept by any rule")));
            } else {
                kept.add(new Entry(c.id(), c.time(), List.copyOf(why)));
            }
        }
        return of(describe(settings), List.copyOf(kept), List.copyOf(removed),
                kept.isEmpty() && !removed.isEmpty(), settings.force());
    }

    private static final Comparator<RetentionCandidate> NEWEST_FIRST =
            Comparator.comparing(RetentionCandidate::time).reversed().thenComparing(RetentionCandidate::id);

    private static RetentionSettings withoutDays(RetentionSettings s) {
        return new RetentionSettings(s.keepLast(), s.keepHourly(), s.keepDaily(), s.keepWeekly(), s.keepMonthly(),
                s.keepYearly(), s.keepWithin(), null, s.force());
    }

    /** The settings in words, "retention days" included. */
    static String describe(RetentionSettings s) {
        RetentionSettings rules = withoutDays(s);
        List<String> parts = new ArrayList<>();
        if (rules.isSet()) {
            parts.add(rules.toPolicy().describe());
        }
        if (s.retentionDays() != null && s.retentionDays() > 0) {
            parts.add("keep backups of the last " + s.retentionDays() + " days");
        }
        return parts.isEmpty() ? "keep everything" : String.join("; ", parts);
    }
}
