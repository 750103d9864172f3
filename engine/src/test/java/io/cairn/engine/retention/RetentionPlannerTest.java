package io.cairn.engine.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * One test (or a few) per keep rule, plus the edges: ties, DST days in Europe/Berlin, snapshots in the
 * future, calendar arithmetic of durations, groups. Times are written with their offset, e.g.
 * {@code "2023-10-29T02:30+01:00"}.
 */
class RetentionPlannerTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final Instant NOW = at("2030-01-01T00:00Z");
    private static final String GROUP = "host1:/data";

    // ---- helpers -------------------------------------------------------------------------------

    private static Instant at(String offsetDateTime) {
        return OffsetDateTime.parse(offsetDateTime).toInstant();
    }

    private static RetentionCandidate snapshot(String id, String time, String... tags) {
        return new RetentionCandidate(id, at(time), Set.of(tags), GROUP);
    }

    private static RetentionCandidate snapshotIn(String group, String id, String time) {
        return new RetentionCandidate(id, at(time), Set.of(), group);
    }

    private static RetentionPlan plan(RetentionPolicy policy, RetentionCandidate... candidates) {
        return RetentionPlanner.plan(List.of(candidates), policy, BERLIN, NOW);
    }

    /** id -> reasons of each kept snapshot, newest first. */
    private static Map<String, List<String>> keptReasons(RetentionPlan plan) {
        Map<String, List<String>> kept = new LinkedHashMap<>();
        for (KeptSnapshot snapshot : plan.kept()) {
            kept.put(snapshot.candidate().id(), snapshot.reasons());
        }
        return kept;
    }

    private static List<String> keptIds(RetentionPlan plan) {
        return List.copyOf(keptReasons(plan).keySet());
    }

    // ---- refusals and plan shape ---------------------------------------------------------------

    @Nested
    class Refusals {

        @Test
        void anEmptyPolicyIsRefused() {
            assertThatThrownBy(() -> plan(RetentionPolicy.builder().build(), snapshot("a", "2024-01-01T10:00Z")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("no keep rule given; refusing to remove every snapshot");
        }

        @Test
        void anEmptyPolicyIsRefusedEvenWithoutSnapshots() {
            assertThatThrownBy(() -> plan(RetentionPolicy.builder().keepWithin("0h").build()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("no keep rule given; refusing to remove every snapshot");
        }

        @Test
        void duplicateIdsAreRefused() {
            assertThatThrownBy(() -> plan(RetentionPolicy.builder().keepLast(1).build(),
                    snapshot("a", "2024-01-01T10:00Z"), snapshotIn("other", "a", "2024-01-02T10:00Z")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("snapshot id a appears more than once; every candidate needs its own id");
        }
    }

    @Test
    void noCandidatesGiveAnEmptyPlan() {
        RetentionPlan plan = plan(RetentionPolicy.builder().keepLast(1).build());
        assertThat(plan.groups()).isEmpty();
        assertThat(plan.removesEverythingInSomeGroup()).isFalse();
    }

    @Test
    void removedSnapshotsSayNoRuleMatched() {
        RetentionPlan plan = plan(RetentionPolicy.builder().keepLast(1).build(),
                snapshot("old", "2024-01-01T10:00Z"), snapshot("new", "2024-01-02T10:00Z"));
        assertThat(plan.removed()).singleElement().satisfies(removed -> {
            assertThat(removed.candidate().id()).isEqualTo("old");
            assertThat(removed.reason()).isEqualTo("not matched by any keep rule");
        });
        assertThat(plan.removedIds()).containsExactly("old");
        assertThat(keptReasons(plan)).containsExactly(Map.entry("new", List.of("last snapshot")));
    }

    // ---- count rules ---------------------------------------------------------------------------

    @Nested
    class CountRules {

        @Test
        void keepLastKeepsTheNewest() {
            RetentionPlan plan = plan(RetentionPolicy.builder().keepLast(2).build(),
                    snapshot("s1", "2024-06-01T10:00Z"), snapshot("s2", "2024-06-02T10:00Z"),
                    snapshot("s3", "2024-06-03T10:00Z"), snapshot("s4", "2024-06-04T10:00Z"));
            assertThat(keptIds(plan)).containsExactly("s4", "s3");
            assertThat(plan.removedIds()).containsExactly("s2", "s1");
        }

        @Test
        void keepLastUnlimitedKeepsEverything() {
            RetentionPlan plan = plan(RetentionPolicy.builder().keepLast(RetentionPolicy.UNLIMITED).build(),
                    snapshot("s1", "2024-06-01T10:00Z"), snapshot("s2", "2024-06-01T10:00Z"));
            assertThat(keptIds(plan)).containsExactly("s1", "s2");
        }

        @Test
        void keepHourlyKeepsTheNewestOfEachHour() {
            RetentionPlan plan = plan(RetentionPolicy.builder().keepHourly(2).build(),
                    snapshot("h10a", "2024-06-01T10:05+02:00"), snapshot("h10b", "2024-06-01T10:40+02:00"),
                    snapshot("h11", "2024-06-01T11:10+02:00"), snapshot("h12", "2024-06-01T12:00+02:00"));
            assertThat(keptReasons(plan)).containsExactly(
                    Map.entry("h12", List.of("hourly snapshot")),
                    Map.entry("h11", List.of("hourly snapshot")));
        }

        @Test
        void keepDailyCountsOnlyDaysThatHaveSnapshots() {
            RetentionPlan plan = plan(RetentionPolicy.builder().keepDaily(2).build(),
                    snapshot("jun01", "2024-06-01T10:00+02:00"), snapshot("jun10", "2024-06-10T10:00+02:00"),
                    snapshot("jun20early", "2024-06-20T08:00+02:00"), snapshot("jun20late", "2024-06-20T22:00+02:00"));
            // "2 daily" = the 2 newest days with a snapshot (20th and 10th), not the last 2 calendar days
            assertThat(keptIds(plan)).containsExactly("jun20late", "jun10");
            assertThat(plan.removedIds()).containsExactly("jun20early", "jun01");
        }

        @Test
        void keepWeeklyUsesIsoWeeksAcrossTheYearBoundary() {
            // 2020-12-28 (Mon) .. 2021-01-03 (Sun) is ISO week 2020-W53; 2021-01-04 starts 2021-W01
            RetentionPlan plan = plan(RetentionPolicy.builder().keepWeekly(2).build(),
                    snapshot("mon28", "2020-12-28T12:00+01:00"), snapshot("thu31", "2020-12-31T12:00+01:00"),
                    snapshot("sun03", "2021-01-03T23:59+01:00"), snapshot("mon04", "2021-01-04T00:01+01:00"));
            assertThat(keptReasons(plan)).containsExactly(
                    Map.entry("mon04", List.of("weekly snapshot")),
                    Map.entry("sun03", List.of("weekly snapshot")));
        }

        @Test
        void keepMonthlyAndYearly() {
            RetentionPlan plan = plan(RetentionPolicy.builder().keepMonthly(2).keepYearly(2).build(),
                    snapshot("2022-12", "2022-12-15T12:00+01:00"), snapshot("2023-11", "2023-11-30T12:00+01:00"),
                    snapshot("2023-12a", "2023-12-01T12:00+01:00"), snapshot("2023-12b", "2023-12-31T23:30+01:00"),
                    snapshot("2024-01", "2024-01-01T00:30+01:00"));
            assertThat(keptReasons(plan)).containsExactly(
                    Map.entry("2024-01", List.of("monthly snapshot", "yearly snapshot")),
                    Map.entry("2023-12b", List.of("monthly snapshot", "yearly snapshot")));
        }

        @Test
        void unlimitedKeepsTheNewestOfEveryBucket() {
            RetentionPlan plan = plan(RetentionPolicy.builder().keepMonthly(RetentionPolicy.UNLIMITED).build(),
                    snapshot("jan", "2024-01-20T12:00+01:00"), snapshot("mar-a", "2024-03-01T12:00+01:00"),
                    snapshot("mar-b", "2024-03-02T12:00+01:00"), snapshot("may", "2024-05-05T12:00+02:00"));
            assertThat(keptIds(plan)).containsExactly("may", "mar-b", "jan");
        }

        @Test
        void rulesAreOredAndReasonsListEveryMatchingRule() {
            RetentionPlan plan = plan(RetentionPolicy.builder().keepLast(1).keepDaily(2).keepWeekly(1).build(),
                    snapshot("mon", "2024-06-10T10:00+02:00"), snapshot("tue", "2024-06-11T10:00+02:00"),
                    snapshot("wed", "2024-06-12T10:00+02:00"));
            assertThat(keptReasons(plan)).containsExactly(
                    Map.entry("wed", List.of("last snapshot", "daily snapshot", "weekly snapshot")),
                    Map.entry("tue", List.of("daily snapshot")));
        }
    }

    // ---- the oldest-snapshot rule (restic 0.16+) -----------------------------------------------

    @Nested
    class OldestSnapshot {

        @Test
        void aBucketRuleWithCountLeftAlsoKeepsTheOldestSnapshot() {
            // 10 hourly buckets wanted, only 3 hours have snapshots: keep the oldest one too
            RetentionPlan plan = plan(RetentionPolicy.builder().keepHourly(10).build(),
                    snapshot("h10a", "2024-06-01T10:05+02:00"), snapshot("h10b", "2024-06-01T10:40+02:00"),
                    snapshot("h11", "2024-06-01T11:10+02:00"), snapshot("h12", "2024-06-01T12:00+02:00"));
            assertThat(keptReasons(plan)).containsExactly(
                    Map.entry("h12", List.of("hourly snapshot")),
                    Map.entry("h11", List.of("hourly snapshot")),
                    Map.entry("h10b", List.of("hourly snapshot")),
                    Map.entry("h10a", List.of("oldest hourly snapshot")));
        }

        @Test
        void anExhaustedRuleDoesNotKeepTheOldest() {
            RetentionPlan plan = plan(RetentionPolicy.builder().keepYearly(1).build(),
                    snapshot("first", "2024-01-01T10:00+01:00"), snapshot("second", "2024-06-01T10:00+02:00"));
            assertThat(keptIds(plan)).containsExactly("second");
        }

        @Test
        void unlimitedAlwaysKeepsTheOldest() {
            RetentionPlan plan = plan(RetentionPolicy.builder().keepYearly(RetentionPolicy.UNLIMITED).build(),
                    snapshot("first", "2024-01-01T10:00+01:00"), snapshot("second", "2024-06-01T10:00+02:00"));
            assertThat(keptReasons(plan)).containsExactly(
                    Map.entry("second", List.of("yearly snapshot")),
                    Map.entry("first", List.of("oldest yearly snapshot")));
        }

        @Test
        void withinBucketRulesKeepTheOldestWhenItIsStillWithin() {
            RetentionPlan plan = plan(RetentionPolicy.builder().keepWithinDaily("3d").build(),
                    snapshot("d1-early", "2024-06-01T08:00+02:00"), snapshot("d1-late", "2024-06-01T20:00+02:00"),
                    snapshot("d2", "2024-06-02T12:00+02:00"));
            assertThat(keptReasons(plan)).containsExactly(
                    Map.entry("d2", List.of("daily within 3d")),
                    Map.entry("d1-late", List.of("daily within 3d")),
                    Map.entry("d1-early", List.of("oldest daily within 3d")));
        }

        @Test
        void keepLastNeverMarksOldest() {
            RetentionPlan plan = plan(RetentionPolicy.builder().keepLast(5).build(),
                    snapshot("a", "2024-06-01T08:00Z"), snapshot("b", "2024-06-01T09:00Z"));
            assertThat(keptReasons(plan)).containsExactly(
                    Map.entry("b", List.of("last snapshot")),
                    Map.entry("a", List.of("last snapshot")));
        }
    }

    // ---- within rules --------------------------------------------------------------------------

    @Nested
    class WithinRules {

        @Test
        void keepWithinCountsFromTheLatestSnapshotNotFromNow() {
            // backups stopped in January; "now" is years later, yet the last 7 days of backups stay
            RetentionPlan plan = plan(RetentionPolicy.builder().keepWithin("7d").build(),
                    snapshot("dec25", "2023-12-25T12:00+01:00"), snapshot("jan03", "2024-01-03T12:00+01:00"),
                    snapshot("jan05", "2024-01-05T12:00+01:00"), snapshot("jan10", "2024-01-10T12:00+01:00"));
            assertThat(keptReasons(plan)).containsExactly(
                    Map.entry("jan10", List.of("within 7d")),
                    Map.entry("jan05", List.of("within 7d")));
        }

        @Test
        void theCutoffItselfIsNotWithin() {
            RetentionPlan plan = plan(RetentionPolicy.builder().keepWithin("1d2h").build(),
                    snapshot("exactly", "2024-01-09T10:00+01:00"), snapshot("oneSecondLater", "2024-01-09T10:00:01+01:00"),
                    snapshot("latest", "2024-01-10T12:00+01:00"));
            assertThat(keptIds(plan)).containsExactly("latest", "oneSecondLater");
        }

        @Test
        void monthsRollOverLikeRestic() {
            // 2024-03-31 minus 1 month is "2024-02-31" = 2024-03-02 (leap year), not 2024-02-29
            RetentionPlan plan = plan(RetentionPolicy.builder().keepWithin("1m").build(),
                    snapshot("mar01", "2024-03-01T12:00+01:00"), snapshot("mar02", "2024-03-02T12:30+01:00"),
                    snapshot("latest", "2024-03-31T12:00+02:00"));
            assertThat(keptIds(plan)).containsExactly("latest", "mar02");
            assertThat(RetentionPlanner.cutoffOf(RetentionDuration.parse("1m"), at("2024-03-31T12:00+02:00"), BERLIN))
                    .isEqualTo(at("2024-03-02T12:00+01:00"));
            assertThat(RetentionPlanner.cutoffOf(RetentionDuration.parse("1m"), at("2023-03-31T12:00+02:00"), BERLIN))
                    .isEqualTo(at("2023-03-03T12:00+01:00"));
            assertThat(RetentionPlanner.cutoffOf(RetentionDuration.parse("1y"), at("2024-02-29T12:00+01:00"), BERLIN))
                    .isEqualTo(at("2023-03-01T12:00+01:00"));
        }

        @Test
        void daysAreCalendarDaysAndHoursAreElapsedTimeAcrossDst() {
            // 2023-03-26 has 23 hours in Berlin: "1d" back from 12:00 CEST is 12:00 CET the day before
            // (23 hours), while "24h" is 24 hours
            RetentionCandidate latest = snapshot("latest", "2023-03-26T12:00+02:00");
            RetentionCandidate between = snapshot("23h30mBefore", "2023-03-25T11:30+01:00");
            assertThat(keptIds(plan(RetentionPolicy.builder().keepWithin("1d").build(), latest, between)))
                    .containsExactly("latest");
            assertThat(keptIds(plan(RetentionPolicy.builder().keepWithin("24h").build(), latest, between)))
                    .containsExactly("latest", "23h30mBefore");
        }

        @Test
        void keepWithinBucketRulesKeepOnePerBucketInsideTheDuration() {
            RetentionPlan plan = plan(RetentionPolicy.builder().keepWithinDaily("2d").keepWithinWeekly("1m").build(),
                    snapshot("may01", "2024-05-01T12:00+02:00"), snapshot("may20", "2024-05-20T12:00+02:00"),
                    snapshot("jun03", "2024-06-03T09:00+02:00"),
                    snapshot("jun08", "2024-06-08T20:00+02:00"),
                    snapshot("jun09a", "2024-06-09T08:00+02:00"), snapshot("jun09b", "2024-06-09T18:00+02:00"),
                    snapshot("jun10a", "2024-06-10T08:00+02:00"), snapshot("jun10b", "2024-06-10T18:00+02:00"));
            assertThat(keptReasons(plan)).containsExactly(
                    Map.entry("jun10b", List.of("daily within 2d", "weekly within 1m")),
                    Map.entry("jun09b", List.of("daily within 2d", "weekly within 1m")),
                    Map.entry("jun08", List.of("daily within 2d")),
                    Map.entry("may20", List.of("weekly within 1m")));
            // cutoffs: 2d -> 2024-06-08 18:00, 1m -> 2024-05-10 18:00; jun03 shares ISO week 23 with jun09b
            assertThat(plan.removedIds()).containsExactly("jun10a", "jun09a", "jun03", "may01");
        }

        @Test
        void everyWithinBucketRuleHasItsReason() {
            RetentionPlan plan = plan(RetentionPolicy.builder().keepWithinHourly("1h").keepWithinDaily("1d")
                            .keepWithinWeekly("1d").keepWithinMonthly("1d").keepWithinYearly("1d").build(),
                    snapshot("only", "2024-06-10T18:00+02:00"));
            assertThat(keptReasons(plan)).containsExactly(Map.entry("only", List.of("hourly within 1h",
                    "daily within 1d", "weekly within 1d", "monthly within 1d", "yearly within 1d")));
        }

        @Test
        void aHugeDurationKeepsEverything() {
            RetentionPlan plan = plan(RetentionPolicy.builder().keepWithin("2147483647y").build(),
                    snapshot("old", "1970-01-01T00:00Z"), snapshot("new", "2024-01-01T00:00Z"));
            assertThat(keptIds(plan)).containsExactly("new", "old");
        }
    }

    // ---- snapshots in the future ---------------------------------------------------------------

    @Nested
    class FutureSnapshots {

        private final Instant now = at("2024-06-30T12:00Z");

        @Test
        void aFutureSnapshotDoesNotMoveTheWithinWindowAndIsKept() {
            List<RetentionCandidate> candidates = List.of(
                    snapshot("future", "2024-07-05T12:00Z"), snapshot("latest", "2024-06-30T10:00Z"),
                    snapshot("jun29", "2024-06-29T12:00Z"), snapshot("jun20", "2024-06-20T12:00Z"));
            RetentionPlan plan = RetentionPlanner.plan(candidates, RetentionPolicy.builder().keepWithin("2d").build(),
                    BERLIN, now);
            assertThat(keptIds(plan)).containsExactly("future", "latest", "jun29");
        }

        @Test
        void countRulesCountFutureSnapshotsLikeAnyOther() {
            List<RetentionCandidate> candidates = List.of(
                    snapshot("future", "2024-07-05T12:00Z"), snapshot("latest", "2024-06-30T10:00Z"));
            RetentionPlan plan = RetentionPlanner.plan(candidates, RetentionPolicy.builder().keepLast(1).build(),
                    BERLIN, now);
            assertThat(keptIds(plan)).containsExactly("future");
        }

        @Test
        void whenEverySnapshotIsInTheFutureWithinRulesKeepThemAll() {
            List<RetentionCandidate> candidates = List.of(
                    snapshot("f1", "2024-07-05T12:00Z"), snapshot("f2", "2025-07-05T12:00Z"));
            RetentionPlan plan = RetentionPlanner.plan(candidates, RetentionPolicy.builder().keepWithin("1h").build(),
                    BERLIN, now);
            assertThat(keptIds(plan)).containsExactly("f2", "f1");
        }

        @Test
        void aSnapshotExactlyAtNowIsNotInTheFuture() {
            List<RetentionCandidate> candidates = List.of(
                    snapshot("atNow", "2024-06-30T12:00Z"), snapshot("hourAgo", "2024-06-30T11:00Z"),
                    snapshot("dayAgo", "2024-06-29T11:00Z"));
            RetentionPlan plan = RetentionPlanner.plan(candidates, RetentionPolicy.builder().keepWithin("2h").build(),
                    BERLIN, now);
            assertThat(keptIds(plan)).containsExactly("atNow", "hourAgo");
        }
    }

    // ---- tags ----------------------------------------------------------------------------------

    @Nested
    class Tags {

        @Test
        void aSnapshotWithAnyKeepTagIsKept() {
            RetentionPlan plan = plan(RetentionPolicy.builder().keepTags("prod", "manual").build(),
                    snapshot("both", "2024-06-01T10:00Z", "prod", "manual"),
                    snapshot("prod", "2024-06-02T10:00Z", "prod", "nightly"),
                    snapshot("nightly", "2024-06-03T10:00Z", "nightly"),
                    snapshot("none", "2024-06-04T10:00Z"));
            assertThat(keptReasons(plan)).containsExactly(
                    Map.entry("prod", List.of("tag prod")),
                    Map.entry("both", List.of("tag manual", "tag prod")));
        }

        @Test
        void theEmptyTagKeepsUntaggedSnapshots() {
            RetentionPlan plan = plan(RetentionPolicy.builder().keepTags("").build(),
                    snapshot("tagged", "2024-06-01T10:00Z", "prod"), snapshot("untagged", "2024-06-02T10:00Z"));
            assertThat(keptReasons(plan)).containsExactly(Map.entry("untagged", List.of("untagged")));
        }

        @Test
        void aTagOnlyPolicyCanEmptyAGroupAndThePlanSaysSo() {
            RetentionPlan plan = RetentionPlanner.plan(List.of(
                            new RetentionCandidate("a1", at("2024-06-01T10:00Z"), Set.of("prod"), "alpha"),
                            new RetentionCandidate("a2", at("2024-06-02T10:00Z"), Set.of(), "alpha"),
                            new RetentionCandidate("b1", at("2024-06-01T10:00Z"), Set.of("test"), "beta"),
                            new RetentionCandidate("c1", at("2024-06-01T10:00Z"), Set.of(), "gamma")),
                    RetentionPolicy.builder().keepTags("prod").build(), BERLIN, NOW);
            assertThat(plan.removesEverythingInSomeGroup()).isTrue();
            assertThat(plan.groupsEmptied()).containsExactly("beta", "gamma");
            assertThat(plan.groups()).extracting(RetentionGroupPlan::isEmptied).containsExactly(false, true, true);
        }
    }

    @Test
    void reasonsComeInRuleOrder() {
        RetentionPlan plan = plan(RetentionPolicy.builder().keepTags("prod").keepWithin("1d").keepLast(1)
                        .keepDaily(1).keepWithinDaily("1d").build(),
                snapshot("s", "2024-06-01T10:00Z", "prod"));
        assertThat(keptReasons(plan)).containsExactly(Map.entry("s",
                List.of("tag prod", "within 1d", "last snapshot", "daily snapshot", "daily within 1d")));
    }

    // ---- groups, ties, order -------------------------------------------------------------------

    @Test
    void groupsAreDecidedIndependentlyAndSortedByKey() {
        RetentionPlan plan = RetentionPlanner.plan(List.of(
                        snapshotIn("web", "w1", "2024-06-01T10:00Z"), snapshotIn("web", "w2", "2024-06-02T10:00Z"),
                        snapshotIn("db", "d1", "2023-01-01T10:00Z"), snapshotIn("db", "d2", "2023-01-02T10:00Z")),
                RetentionPolicy.builder().keepLast(1).build(), BERLIN, NOW);
        assertThat(plan.groups()).extracting(RetentionGroupPlan::group).containsExactly("db", "web");
        assertThat(keptIds(plan)).containsExactly("d2", "w2");
        assertThat(plan.removedIds()).containsExactly("d1", "w1");
    }

    @Test
    void tiesAreBrokenByIdWhateverTheInputOrder() {
        RetentionCandidate b = snapshot("b", "2024-06-01T10:00Z");
        RetentionCandidate a = snapshot("a", "2024-06-01T10:00Z");
        RetentionCandidate c = snapshot("c", "2024-06-01T10:00Z");
        for (List<RetentionCandidate> order : List.of(List.of(b, a, c), List.of(c, b, a), List.of(a, b, c))) {
            RetentionPlan last = RetentionPlanner.plan(order, RetentionPolicy.builder().keepLast(1).build(), BERLIN,
                    NOW);
            assertThat(keptIds(last)).containsExactly("a");
            assertThat(last.removedIds()).containsExactly("b", "c");
            RetentionPlan daily = RetentionPlanner.plan(order, RetentionPolicy.builder().keepDaily(5).build(), BERLIN,
                    NOW);
            // the day's bucket goes to "a"; "c" is the group's oldest, kept by the unfilled daily count
            assertThat(keptReasons(daily)).containsExactly(
                    Map.entry("a", List.of("daily snapshot")),
                    Map.entry("c", List.of("oldest daily snapshot")));
        }
    }

    @Test
    void thePlanDoesNotDependOnInputOrder() {
        List<RetentionCandidate> candidates = RetentionGoldenSnapshots.generate();
        RetentionPolicy policy = RetentionPolicy.builder().keepLast(3).keepDaily(7).keepWeekly(4)
                .keepWithinMonthly("1y").keepTags("prod").build();
        RetentionPlan expected = RetentionPlanner.plan(candidates, policy, BERLIN, NOW);
        List<RetentionCandidate> shuffled = new ArrayList<>(candidates);
        Collections.shuffle(shuffled, new Random(7));
        assertThat(RetentionPlanner.plan(shuffled, policy, BERLIN, NOW)).isEqualTo(expected);
    }

    @Test
    void everyCandidateAppearsExactlyOnce() {
        List<RetentionCandidate> candidates = RetentionGoldenSnapshots.generate();
        for (RetentionPolicy policy : RetentionGoldenTest.policies().values()) {
            RetentionPlan plan = RetentionPlanner.plan(candidates, policy, BERLIN, NOW);
            List<String> seen = new ArrayList<>(keptIds(plan));
            seen.addAll(plan.removedIds());
            assertThat(seen).as(policy.describe())
                    .containsExactlyInAnyOrderElementsOf(candidates.stream().map(RetentionCandidate::id).toList());
        }
    }

    // ---- daylight saving time in Europe/Berlin -------------------------------------------------

    @Nested
    class DaylightSavingTimeInBerlin {

        @Test
        void theLongAutumnDayIsOneDailyBucket() {
            // 2023-10-29 has 25 hours in Berlin; 00:30 CEST and 23:30 CET are the same day there but
            // fall on different UTC days, while 2023-10-28 23:30 CEST is the previous Berlin day
            RetentionCandidate sat = snapshot("sat2330", "2023-10-28T23:30+02:00");
            RetentionCandidate sunEarly = snapshot("sun0030", "2023-10-29T00:30+02:00");
            RetentionCandidate sunLate = snapshot("sun2330", "2023-10-29T23:30+01:00");
            RetentionPolicy policy = RetentionPolicy.builder().keepDaily(2).build();

            RetentionPlan berlin = RetentionPlanner.plan(List.of(sat, sunEarly, sunLate), policy, BERLIN, NOW);
            assertThat(keptIds(berlin)).containsExactly("sun2330", "sat2330");

            RetentionPlan utc = RetentionPlanner.plan(List.of(sat, sunEarly, sunLate), policy, ZoneOffset.UTC, NOW);
            assertThat(keptIds(utc)).containsExactly("sun2330", "sun0030");
        }

        @Test
        void theShortSpringDayIsOneDailyBucket() {
            // 2023-03-26 has 23 hours: 02:00 CET jumps to 03:00 CEST
            RetentionPlan plan = plan(RetentionPolicy.builder().keepDaily(2).build(),
                    snapshot("sat", "2023-03-25T23:00+01:00"),
                    snapshot("sun0130", "2023-03-26T01:30+01:00"), snapshot("sun0330", "2023-03-26T03:30+02:00"));
            assertThat(keptIds(plan)).containsExactly("sun0330", "sat");
        }

        @Test
        void theRepeatedAutumnHourIsOneHourlyBucket() {
            // 02:30 CEST and 02:30 CET are an hour apart but show the same wall-clock hour, as in restic
            RetentionPlan plan = plan(RetentionPolicy.builder().keepHourly(2).build(),
                    snapshot("0130", "2023-10-29T01:30+02:00"),
                    snapshot("0230cest", "2023-10-29T02:30+02:00"), snapshot("0230cet", "2023-10-29T02:30+01:00"));
            assertThat(keptIds(plan)).containsExactly("0230cet", "0130");
            assertThat(plan.removedIds()).containsExactly("0230cest");
        }

        @Test
        void aWithinCutoffInsideTheSpringGapMovesForward() {
            // 2023-03-27 02:30 minus 1d is 2023-03-26 02:30, which does not exist in Berlin: it becomes 03:30 CEST
            assertThat(RetentionPlanner.cutoffOf(RetentionDuration.parse("1d"), at("2023-03-27T02:30+02:00"), BERLIN))
                    .isEqualTo(at("2023-03-26T03:30+02:00"));
        }
    }

    @Test
    void candidateTagsAreCopiedAndSorted() {
        RetentionCandidate candidate = new RetentionCandidate("x", at("2024-01-01T00:00Z"),
                new java.util.HashSet<>(Arrays.asList("b", "a")), GROUP);
        assertThat(candidate.tags()).containsExactly("a", "b");
        assertThatThrownBy(() -> candidate.tags().add("c")).isInstanceOf(UnsupportedOperationException.class);
    }
}
