package io.cairn.server.schedule;

import static io.cairn.server.job.BackupTestSupport.awaitEnd;
import static io.cairn.server.job.BackupTestSupport.createSource;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.server.ServerTestBase;
import io.cairn.server.TestHttp;
import io.cairn.server.job.Job;
import io.cairn.server.job.JobId;
import io.cairn.server.job.JobService;
import io.cairn.server.job.TriggerKind;
import io.cairn.server.source.SourceService;
import io.cairn.server.user.Role;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Firings with time pinned: a firing queues a scheduled backup once per instant, a missed run runs once
 * or is skipped as the schedule says, and the next run is computed from the clock across DST changes.
 * The firing service runs on the real server's beans, with a clock the test moves.
 */
class ScheduleFiringTest extends ServerTestBase {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    @Autowired
    Schedules schedules;
    @Autowired
    ScheduleService service;
    @Autowired
    JobService jobs;
    @Autowired
    SourceService sources;
    @Autowired
    PlatformTransactionManager transactions;
    @TempDir
    Path dir;

    private TestHttp operator;
    private long source;
    private MutableClock clock;
    private ScheduleFiring firing;

    @BeforeEach
    void setUp() throws Exception {
        operator = http().withBearer(tokenFor(newUser(Role.OPERATOR)));
        Path folder = Files.createDirectories(dir.resolve("data"));
        Files.writeString(folder.resolve("a.txt"), "scheduled\n");
        source = createSource(operator, "{\"name\":\"fire " + System.nanoTime() + "\",\"type\":\"PATH\",\"path\":\""
                + folder + "\"}");
        clock = new MutableClock(Instant.parse("2026-03-28T11:00:00Z"));
        firing = new ScheduleFiring(schedules, jobs, sources, transactions, clock, new SplittableRandom(42));
    }

    /** A schedule stored directly (no execution row, so the real scheduler never fires it during the test). */
    private ScheduleId schedule(String cron, MissedRunPolicy policy, int jitterSeconds) {
        return schedules.insert(new Schedules.Row("test " + System.nanoTime(), source, null, cron, "Europe/Berlin",
                io.cairn.server.job.BackupType.INCREMENTAL, null, true, policy, jitterSeconds, RetentionSettings.NONE),
                clock.instant());
    }

    private static Instant berlin(String local) {
        return LocalDateTime.parse(local).atZone(BERLIN).toInstant();
    }

    @Test
    void a_firing_queues_one_scheduled_backup_and_a_repeat_of_the_same_instant_queues_nothing() throws Exception {
        ScheduleId id = schedule("30 2 * * *", MissedRunPolicy.RUN_ONCE, 0);
        Instant due = berlin("2026-03-29T03:30");
        clock.set(due.plusSeconds(3));

        ScheduleFiring.Outcome first = firing.fire(id, due);
        assertThat(first.fired()).isTrue();
        assertThat(first.missed()).isFalse();
        assertThat(first.jobIds()).hasSize(1);
        Job job = jobs.get(new JobId(first.jobIds().get(0)));
        assertThat(job.trigger()).isEqualTo(TriggerKind.SCHEDULE);
        assertThat(job.requestedBy()).startsWith("schedule test ");
        assertThat(schedules.scheduleOfJob(job.id().value())).contains(id);

        ScheduleFiring.Outcome repeat = firing.fire(id, due);
        assertThat(repeat.fired()).isFalse();
        assertThat(repeat.jobIds()).isEmpty();
        assertThat(repeat.summary()).contains("already fired");
        assertThat(schedules.jobsPerFiring(id)).hasSize(1);
        assertThat(schedules.jobsPerFiring(id).get(0)[1]).isEqualTo(1);

        assertThat(awaitEnd(operator, job.id().value(), Duration.ofMinutes(1)).get("status").asText())
                .isEqualTo("SUCCEEDED");
        assertThat(schedules.find(id).orElseThrow().lastRunOutcome()).startsWith("Run of 2026-03-29 03:30: 1 backup queued");
    }

    @Test
    void after_a_firing_the_next_run_follows_the_clock_through_spring_forward_and_fall_back() {
        ScheduleId id = schedule("30 2 * * *", MissedRunPolicy.RUN_ONCE, 0);
        clock.set(berlin("2026-03-28T12:00"));
        assertThat(firing.nextRun(id)).as("02:30 does not exist on 29 March: it runs at 03:30")
                .isEqualTo(berlin("2026-03-29T03:30"));
        clock.set(berlin("2026-03-29T03:30").plusSeconds(1));
        assertThat(firing.nextRun(id)).isEqualTo(berlin("2026-03-30T02:30"));

        clock.set(berlin("2026-10-24T12:00"));
        Instant first = firing.nextRun(id);
        assertThat(first).isEqualTo(Instant.parse("2026-10-25T00:30:00Z"));
        clock.set(first.plusSeconds(1));
        assertThat(firing.nextRun(id)).as("the repeated 02:30 (01:30Z) does not run again")
                .isEqualTo(Instant.parse("2026-10-26T01:30:00Z"));
        assertThat(schedules.find(id).orElseThrow().nextRunAt()).isEqualTo(Instant.parse("2026-10-26T01:30:00Z"));
    }

    @Test
    void a_run_missed_while_the_server_was_down_runs_once_at_start_up_with_run_once() {
        ScheduleId id = schedule("0 * * * *", MissedRunPolicy.RUN_ONCE, 0);
        Instant due = Instant.parse("2026-03-28T12:00:00Z");
        clock.set(due.plus(Duration.ofHours(5)).plusSeconds(17)); // five hourly runs passed while down

        ScheduleFiring.Outcome outcome = firing.fire(id, due);
        assertThat(outcome.missed()).isTrue();
        assertThat(outcome.jobIds()).as("one backup, not one per missed hour").hasSize(1);
        assertThat(outcome.summary()).contains("ran it once at start-up");
        assertThat(firing.nextRun(id)).as("no catch-up series: the next run is the next hour from now")
                .isEqualTo(Instant.parse("2026-03-28T18:00:00Z"));
    }

    @Test
    void a_run_missed_while_the_server_was_down_is_skipped_with_skip() {
        ScheduleId id = schedule("0 * * * *", MissedRunPolicy.SKIP, 0);
        Instant due = Instant.parse("2026-03-28T12:00:00Z");
        clock.set(due.plus(Duration.ofHours(3)));

        ScheduleFiring.Outcome outcome = firing.fire(id, due);
        assertThat(outcome.missed()).isTrue();
        assertThat(outcome.jobIds()).isEmpty();
        assertThat(schedules.find(id).orElseThrow().lastRunOutcome()).contains("skipped as the schedule says");
        assertThat(schedules.jobsPerFiring(id)).isEmpty();
    }

    @Test
    void a_firing_within_the_grace_period_is_on_time_even_with_skip() {
        ScheduleId id = schedule("0 * * * *", MissedRunPolicy.SKIP, 0);
        Instant due = Instant.parse("2026-03-28T12:00:00Z");
        clock.set(due.plus(ScheduleFiring.GRACE).minusSeconds(1));
        ScheduleFiring.Outcome outcome = firing.fire(id, due);
        assertThat(outcome.missed()).isFalse();
        assertThat(outcome.jobIds()).hasSize(1);
    }

    @Test
    void jitter_delays_the_next_run_by_at_most_its_seconds_and_a_disabled_schedule_has_no_next_run() {
        ScheduleId id = schedule("0 2 * * *", MissedRunPolicy.RUN_ONCE, 600);
        clock.set(berlin("2026-06-01T12:00"));
        Instant next = firing.nextRun(id);
        assertThat(next).isBetween(berlin("2026-06-02T02:00"), berlin("2026-06-02T02:10"));

        schedules.setEnabled(id, false, clock.instant());
        assertThat(firing.nextRun(id)).isNull();
        assertThat(schedules.find(id).orElseThrow().nextRunAt()).isNull();
        assertThat(firing.fire(id, next).jobIds()).isEmpty();
    }

    @Test
    void while_a_backup_of_the_source_runs_a_firing_queues_one_more_and_the_next_firing_skips_it() throws Exception {
        Path busy = Files.createDirectories(dir.resolve("busy"));
        for (int i = 0; i < 40; i++) {
            Files.write(busy.resolve("f" + i + ".bin"), new java.util.Random(i).ints(1 << 18).collect(
                    java.io.ByteArrayOutputStream::new, (o, v) -> o.write(v), (a, c) -> { }).toByteArray());
        }
        long busySource = createSource(operator, "{\"name\":\"busy " + System.nanoTime() + "\",\"type\":\"PATH\","
                + "\"path\":\"" + busy + "\"}");
        ScheduleId id = schedules.insert(new Schedules.Row("overlap " + System.nanoTime(), busySource, null, "* * * * *",
                "UTC", io.cairn.server.job.BackupType.INCREMENTAL, null, true, MissedRunPolicy.RUN_ONCE, 0,
                RetentionSettings.NONE), clock.instant());
        long running = io.cairn.server.job.BackupTestSupport.start(operator, busySource, null);

        Instant first = Instant.parse("2026-03-28T11:01:00Z");
        clock.set(first.plusSeconds(1));
        ScheduleFiring.Outcome queued = firing.fire(id, first);
        assertThat(queued.jobIds()).as("one backup waits behind the running one").hasSize(1);
        assertThat(jobs.get(new JobId(queued.jobIds().get(0))).status().name()).isEqualTo("QUEUED");

        Instant second = first.plusSeconds(60);
        clock.set(second.plusSeconds(1));
        ScheduleFiring.Outcome skipped = firing.fire(id, second);
        assertThat(skipped.jobIds()).as("never a second waiting backup of one source").isEmpty();
        assertThat(skipped.summary()).contains("its previous backup is still waiting to start");

        assertThat(awaitEnd(operator, running, Duration.ofMinutes(2)).get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(awaitEnd(operator, queued.jobIds().get(0), Duration.ofMinutes(2)).get("status").asText())
                .isEqualTo("SUCCEEDED");
    }
}
