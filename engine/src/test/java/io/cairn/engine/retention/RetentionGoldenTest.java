package io.cairn.engine.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden vectors for retention: the planner's full decision (every snapshot kept with its reasons,
 * or removed) for eight policies over the 217 snapshots of {@link RetentionGoldenSnapshots}, pinned
 * in {@code src/test/resources/golden/retention/*.txt} (the input list itself in {@code snapshots.txt}).
 * Any difference fails the test. A deliberate change of semantics regenerates the files with
 * {@code ./mvnw -o -pl engine test -Dtest='RetentionGolden*' -Dcairn.golden.update=true}, and the diff
 * is reviewed like code.
 *
 * <p><b>How the files were checked.</b> They were generated once by this code, then:
 * <ol>
 *   <li><b>Against real restic</b> (restic 0.14.0 from Debian bookworm), with
 *       {@code golden/retention/restic-crosscheck.py}: it builds a scratch repository holding the same
 *       217 snapshots ({@code restic backup --time ... --host ... --tag ...} on a one-file directory,
 *       offsets as in {@code snapshots.txt}), runs each policy as
 *       {@code restic forget --dry-run --json --group-by host} under {@code TZ=Europe/Berlin} and
 *       compares every snapshot's fate and reasons. All eight policies matched with zero differences
 *       after normalising three documented version differences: reasons starting with
 *       {@code "oldest "} (restic 0.16's oldest-snapshot rule, which 0.14 lacks) are dropped;
 *       {@code "tag prod"} is compared as restic's {@code "has tags [prod]"}; {@code unlimited} is
 *       passed to 0.14 as a large count, as 0.14 ignores {@code -1}. Twins at the same second with
 *       the same tags are compared as a multiset, since restic orders ties by its own ids.</li>
 *   <li><b>By hand</b>, against restic's documented semantics:
 *       {@code calendar.txt}: the 7 daily are the newest snapshots of 24..30 June 2024, the 5 weekly
 *       the newest of ISO weeks 22..26 (w152 on Sunday 2 June closes week 22), the 12 monthly run from
 *       July 2023 to June 2024, the 3 yearly are w203, w127, w069 (2024, 2023, 2022), and in the db
 *       group d001 is kept as "oldest monthly/yearly snapshot" because those counts were not used up;
 *       {@code within-tags.txt}: the cutoff is 2024-06-30 20:31 minus 1m15d = 2024-05-15 20:31, so
 *       w145 (20 May) stays and w144 (9 May) goes, plus every {@code prod} snapshot;
 *       {@code within-buckets.txt}: the retired db group counts from its latest snapshot d014
 *       (2023-04-02 03:00), not from now; the 7d cutoff is exactly d013's time, so d013 is not
 *       "daily within" (within means strictly after);
 *       {@code hourly-unlimited.txt}: w118 (02:30 CEST) and w119 (02:30 CET) on 2023-10-29 share one
 *       wall-clock hour, so only w119 is the hour's snapshot, and the second of each twin goes;
 *       {@code oldest-yearly.txt}: 10 yearly buckets are more than the 4 years of data, so w001
 *       (2021-07-01) stays as "oldest yearly snapshot"; {@code tags-only.txt}: the db group has no
 *       {@code manual} tag, so it is emptied and the file says so.</li>
 * </ol>
 */
class RetentionGoldenTest {

    private static final Path SOURCE_DIR = Path.of("src/test/resources/golden/retention");
    private static final DateTimeFormatter LOCAL_TIME = DateTimeFormatter.ISO_OFFSET_DATE_TIME;

    static Map<String, RetentionPolicy> policies() {
        Map<String, RetentionPolicy> policies = new LinkedHashMap<>();
        policies.put("calendar", RetentionPolicy.builder()
                .keepDaily(7).keepWeekly(5).keepMonthly(12).keepYearly(3).build());
        policies.put("last-hourly", RetentionPolicy.builder()
                .keepLast(3).keepHourly(24).build());
        policies.put("within-tags", RetentionPolicy.builder()
                .keepWithin("1m15d").keepTags("prod").build());
        policies.put("within-buckets", RetentionPolicy.builder()
                .keepWithinDaily("7d").keepWithinWeekly("1m").keepWithinMonthly("1y").keepWithinYearly("75y")
                .build());
        policies.put("unlimited-monthly", RetentionPolicy.builder()
                .keepLast(2).keepMonthly(RetentionPolicy.UNLIMITED).build());
        policies.put("oldest-yearly", RetentionPolicy.builder()
                .keepWeekly(8).keepYearly(10).build());
        policies.put("hourly-unlimited", RetentionPolicy.builder()
                .keepHourly(RetentionPolicy.UNLIMITED).build());
        policies.put("tags-only", RetentionPolicy.builder()
                .keepTags("manual").build());
        return policies;
    }

    static List<String> policyNames() {
        return List.copyOf(policies().keySet());
    }

    @Test
    void snapshotListMatchesGolden() throws IOException {
        StringBuilder text = new StringBuilder();
        text.append("# Input of every retention golden file: id group time(Europe/Berlin) tags\n");
        text.append("# generated by RetentionGoldenSnapshots; now = ").append(RetentionGoldenSnapshots.NOW)
                .append('\n');
        for (RetentionCandidate candidate : RetentionGoldenSnapshots.generate()) {
            text.append(candidate.id()).append(' ').append(candidate.group()).append(' ')
                    .append(localTime(candidate)).append(' ').append(tagText(candidate)).append('\n');
        }
        compareOrUpdate("snapshots.txt", text.toString());
    }

    @ParameterizedTest
    @MethodSource("policyNames")
    void planMatchesGolden(String name) throws IOException {
        RetentionPolicy policy = policies().get(name);
        RetentionPlan plan = RetentionPlanner.plan(RetentionGoldenSnapshots.generate(), policy,
                RetentionGoldenSnapshots.ZONE, RetentionGoldenSnapshots.NOW);
        compareOrUpdate(name + ".txt", render(plan));
    }

    static String render(RetentionPlan plan) {
        StringBuilder text = new StringBuilder();
        text.append("# Cairn retention golden file: generated by RetentionGoldenTest, review diffs like code.\n");
        text.append("# policy: ").append(plan.policy().describe()).append('\n');
        text.append("# zone: ").append(plan.zone()).append(", now: ").append(plan.now())
                .append(", input: snapshots.txt\n");
        for (RetentionGroupPlan group : plan.groups()) {
            text.append("group ").append(group.group()).append('\n');
            // one line per snapshot, newest first, in the order the planner walked them
            List<KeptSnapshot> kept = group.kept();
            List<RemovedSnapshot> removed = group.removed();
            int keptIndex = 0;
            int removedIndex = 0;
            while (keptIndex < kept.size() || removedIndex < removed.size()) {
                boolean takeKept = removedIndex >= removed.size()
                        || (keptIndex < kept.size() && comesFirst(kept.get(keptIndex).candidate(),
                                removed.get(removedIndex).candidate()));
                if (takeKept) {
                    KeptSnapshot snapshot = kept.get(keptIndex++);
                    text.append("  keep   ").append(line(snapshot.candidate())).append("  ")
                            .append(String.join(", ", snapshot.reasons())).append('\n');
                } else {
                    RemovedSnapshot snapshot = removed.get(removedIndex++);
                    text.append("  remove ").append(line(snapshot.candidate())).append("  ")
                            .append(snapshot.reason()).append('\n');
                }
            }
            text.append("  summary: kept ").append(kept.size()).append(", removed ").append(removed.size())
                    .append(group.isEmptied() ? ", EMPTIED" : "").append('\n');
        }
        text.append("groups emptied: ").append(plan.groupsEmptied()).append('\n');
        return text.toString();
    }

    private static boolean comesFirst(RetentionCandidate a, RetentionCandidate b) {
        int byTime = b.time().compareTo(a.time());
        return byTime != 0 ? byTime < 0 : a.id().compareTo(b.id()) < 0;
    }

    private static String line(RetentionCandidate candidate) {
        return candidate.id() + " " + localTime(candidate) + " " + tagText(candidate);
    }

    private static String localTime(RetentionCandidate candidate) {
        return LOCAL_TIME.format(candidate.time().atZone(RetentionGoldenSnapshots.ZONE));
    }

    private static String tagText(RetentionCandidate candidate) {
        return candidate.tags().isEmpty() ? "[]" : "[" + String.join(",", candidate.tags()) + "]";
    }

    private static void compareOrUpdate(String fileName, String actual) throws IOException {
        if (Boolean.getBoolean("cairn.golden.update")) {
            Files.createDirectories(SOURCE_DIR);
            Files.writeString(SOURCE_DIR.resolve(fileName), actual, StandardCharsets.UTF_8);
            return;
        }
        String resource = "/golden/retention/" + fileName;
        try (InputStream in = RetentionGoldenTest.class.getResourceAsStream(resource)) {
            assertThat(in).as("golden file %s is missing; see the class javadoc to create it", resource).isNotNull();
            String expected = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(actual).as("plan differs from golden file %s", resource).isEqualTo(expected);
        }
    }
}
