package io.cairn.server.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.engine.retention.RetentionCandidate;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Retention decisions pinned as golden files (src/test/resources/retention/*.txt): a year and a month of
 * nightly backups at 02:00 Europe/Berlin (across both DST changes) plus hourly ones on the last day,
 * under several schedules' policies. A changed decision fails here; if the change is intended, rerun with
 * {@code -Dcairn.golden.write=true} and review the diff. Key facts of restic's documented semantics are
 * also asserted directly.
 */
class RetentionDecisionGoldenTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final Instant NOW = LocalDateTime.parse("2026-11-05T12:00").atZone(BERLIN).toInstant();
    private static final Path GOLDEN = Path.of("src/test/resources/retention");
    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm xxx");

    /** Nightly at 02:00 from 2025-10-01 to 2026-11-05 (401 backups), plus hourly 03:00..11:00 on 2026-11-05. */
    static List<RetentionCandidate> history(LocalDateTime lastNight) {
        List<RetentionCandidate> out = new ArrayList<>();
        int n = 0;
        for (LocalDateTime t = lastNight.minusDays(400); !t.isAfter(lastNight); t = t.plusDays(1)) {
            out.add(new RetentionCandidate(String.format("n%03d", n++), t.atZone(BERLIN).toInstant(),
                    Set.of("source-7"), "source-7"));
        }
        for (int h = 3; h <= 11; h++) {
            out.add(new RetentionCandidate(String.format("h%02d", h),
                    lastNight.withHour(h).atZone(BERLIN).toInstant(), Set.of("source-7"), "source-7"));
        }
        return out;
    }

    private static final List<RetentionCandidate> HISTORY = history(LocalDateTime.parse("2026-11-05T02:00"));

    static String render(RetentionDecision d) {
        StringBuilder b = new StringBuilder("policy: ").append(d.policy()).append('\n')
                .append("kept: ").append(d.kept().size()).append(", removed: ").append(d.removed().size())
                .append(d.refused() ? ", REFUSED (would remove every backup)" : "").append('\n');
        for (RetentionDecision.Entry e : d.kept()) {
            b.append("KEEP ").append(e.snapshotId()).append(' ').append(FORMAT.format(e.time().atZone(BERLIN)))
                    .append("  ").append(String.join(", ", e.reasons())).append('\n');
        }
        for (RetentionDecision.Entry e : d.removed()) {
            b.append("DROP ").append(e.snapshotId()).append(' ').append(FORMAT.format(e.time().atZone(BERLIN)))
                    .append('\n');
        }
        return b.toString();
    }

    private static void assertGolden(String name, RetentionDecision decision) throws IOException {
        String actual = render(decision);
        Path file = GOLDEN.resolve(name + ".txt");
        if (Boolean.getBoolean("cairn.golden.write")) {
            Files.writeString(file, actual, StandardCharsets.UTF_8);
        }
        assertThat(file).as("golden file " + file + " (write it with -Dcairn.golden.write=true)").exists();
        assertThat(actual).isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
    }

    private static RetentionSettings settings(Integer last, Integer hourly, Integer daily, Integer weekly, Integer monthly,
                                              Integer yearly, String within, Integer days, boolean force) {
        return new RetentionSettings(last, hourly, daily, weekly, monthly, yearly, within, days, force);
    }

    @Test
    void grandfather_father_son() throws IOException {
        RetentionDecision d = RetentionDecision.decide(HISTORY, settings(3, 4, 7, 4, 6, 3, null, null, false), BERLIN, NOW);
        assertGolden("gfs-last3-hourly4-daily7-weekly4-monthly6-yearly3", d);
        assertThat(d.kept().get(0).snapshotId()).isEqualTo("h11");
        assertThat(d.kept().get(0).reasons()).contains("last snapshot", "hourly snapshot", "daily snapshot");
        assertThat(d.kept()).as("restic keeps the oldest snapshot for a yearly rule with count left")
                .anyMatch(e -> e.snapshotId().equals("n000") && e.reasons().contains("oldest yearly snapshot"));
        assertThat(d.refused()).isFalse();
    }

    @Test
    void retention_days_counts_from_now() throws IOException {
        RetentionDecision d = RetentionDecision.decide(HISTORY, settings(null, null, null, null, null, null, null, 30,
                false), BERLIN, NOW);
        assertGolden("retention-days-30", d);
        assertThat(d.kept()).allMatch(e -> e.reasons().equals(List.of("within 30 retention days")));
        assertThat(d.kept()).hasSize(30 + 9);
    }

    @Test
    void keep_within_counts_from_the_newest_backup_with_monthly() throws IOException {
        RetentionDecision d = RetentionDecision.decide(HISTORY, settings(null, null, null, null, 3, null, "14d", null,
                false), BERLIN, NOW);
        assertGolden("within-14d-monthly3", d);
    }

    @Test
    void retention_days_that_would_remove_every_backup_is_refused_unless_forced() throws IOException {
        List<RetentionCandidate> stale = history(LocalDateTime.parse("2026-08-01T02:00")).subList(300, 401);
        RetentionDecision refused = RetentionDecision.decide(stale, settings(null, null, null, null, null, null, null, 30,
                false), BERLIN, NOW);
        assertThat(refused.removesEverything()).isTrue();
        assertThat(refused.refused()).isTrue();
        assertThat(refused.toRemove()).isEmpty();
        assertGolden("retention-days-30-stale-refused", refused);

        RetentionDecision forced = RetentionDecision.decide(stale, settings(null, null, null, null, null, null, null, 30,
                true), BERLIN, NOW);
        assertThat(forced.refused()).isFalse();
        assertThat(forced.toRemove()).hasSize(stale.size());

        RetentionDecision withLast = RetentionDecision.decide(stale, settings(1, null, null, null, null, null, null, 30,
                false), BERLIN, NOW);
        assertThat(withLast.refused()).as("a keep-last rule always keeps the newest").isFalse();
        assertThat(withLast.kept()).hasSize(1);
    }

    @Test
    void no_rule_keeps_everything() {
        RetentionDecision d = RetentionDecision.decide(HISTORY, RetentionSettings.NONE, BERLIN, NOW);
        assertThat(d.removed()).isEmpty();
        assertThat(d.kept()).hasSize(HISTORY.size());
        assertThat(d.policy()).isEqualTo("keep everything");
    }
}
