package io.cairn.server.schedule;

import io.cairn.server.job.Job;
import io.cairn.server.job.JobQuery;
import io.cairn.server.job.JobService;
import io.cairn.server.job.JobStatus;
import io.cairn.server.job.StartRequest;
import io.cairn.server.job.TriggerKind;
import io.cairn.server.problem.ProblemException;
import io.cairn.server.source.ProjectId;
import io.cairn.server.source.Source;
import io.cairn.server.source.SourceId;
import io.cairn.server.source.SourceService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What happens when a schedule's time comes (db-scheduler calls {@link #fire} on exactly one server):
 * the firing is claimed for its scheduled instant (a repeat queues nothing), a missed firing follows the
 * schedule's policy, and otherwise one backup job per source is queued with {@link TriggerKind#SCHEDULE} —
 * except for a source that already has a job waiting, which gets no second one. Then {@link #nextRun}
 * computes when it fires again. Time comes from the injected {@link Clock}.
 */
@Component
public class ScheduleFiring {

    /** db-scheduler's task name; the instance id is the schedule id. */
    public static final String TASK_NAME = "cairn-schedule";
    /** A firing later than this (plus the schedule's jitter) after its time was missed. */
    public static final Duration GRACE = Duration.ofMinutes(2);

    private static final Logger log = LoggerFactory.getLogger(ScheduleFiring.class);
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT);
    private static final DateTimeFormatter WHEN_SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

    private final Schedules schedules;
    private final JobService jobs;
    private final SourceService sources;
    private final TransactionTemplate transaction;
    private final Clock clock;
    private final RandomGenerator random;

    @Autowired
    ScheduleFiring(Schedules schedules, JobService jobs, SourceService sources, PlatformTransactionManager transactions,
                   Clock clock) {
        this(schedules, jobs, sources, transactions, clock, new SplittableRandom());
    }

    ScheduleFiring(Schedules schedules, JobService jobs, SourceService sources, PlatformTransactionManager transactions,
                   Clock clock, RandomGenerator random) {
        this.schedules = schedules;
        this.jobs = jobs;
        this.sources = sources;
        this.transaction = new TransactionTemplate(transactions);
        this.clock = clock;
        this.random = random;
    }

    /** What one firing did. */
    public record Outcome(boolean fired, boolean missed, List<Long> jobIds, String summary) {
    }

    /**
     * Fires a schedule for its scheduled instant: queues its backups (or skips them, see the class comment),
     * records what it did, and returns that.
     */
    public Outcome fire(ScheduleId id, Instant scheduledFor) {
        Optional<Schedule> found = schedules.find(id);
        if (found.isEmpty() || !found.get().enabled()) {
            return new Outcome(false, false, List.of(), "The schedule is deleted or disabled; nothing queued.");
        }
        Schedule schedule = found.get();
        Instant now = clock.instant();
        boolean missed = Duration.between(scheduledFor, now)
                .compareTo(GRACE.plusSeconds(schedule.jitterSeconds())) > 0;
        java.time.ZonedDateTime local = scheduledFor.atZone(zoneOf(schedule));
        String when = local.getSecond() == 0 ? WHEN.format(local) : WHEN_SECONDS.format(local);
        Outcome outcome = transaction.execute(tx -> {
            if (!schedules.claimFiring(id, scheduledFor)) {
                return new Outcome(false, missed, List.of(), "The run of " + when + " was already fired; nothing queued.");
            }
            if (missed && schedule.missedRunPolicy() == MissedRunPolicy.SKIP) {
                Outcome skipped = new Outcome(false, true, List.of(), "Missed the run of " + when
                        + " (no server was running); skipped as the schedule says.");
                schedules.recordRun(id, now, skipped.summary());
                return skipped;
            }
            Outcome queued = queue(schedule, scheduledFor, missed, when);
            schedules.recordRun(id, now, queued.summary());
            return queued;
        });
        log.info("schedule {} ({}): {}", schedule.name(), id, outcome.summary());
        return outcome;
    }

    private Outcome queue(Schedule schedule, Instant scheduledFor, boolean missed, String when) {
        List<Source> targets = new ArrayList<>();
        try {
            if (schedule.sourceId() != null) {
                targets.add(sources.get(new SourceId(schedule.sourceId())));
            } else {
                targets.addAll(sources.listByProject(new ProjectId(schedule.projectId())));
            }
        } catch (ProblemException e) {
            return new Outcome(false, missed, List.of(), "The run of " + when + " found nothing to back up: "
                    + e.getMessage());
        }
        StartRequest request = new StartRequest(schedule.backupType(), false, schedule.compression());
        List<Long> queued = new ArrayList<>();
        List<String> waiting = new ArrayList<>();
        for (Source source : targets) {
            boolean alreadyWaiting = jobs.search(new JobQuery(source.id().value(), null, null, JobStatus.QUEUED, null,
                    null, null, "queued", true), 0, 1).total() > 0;
            if (alreadyWaiting) {
                waiting.add(source.name());
                continue;
            }
            Job job = jobs.start(source.id(), request, TriggerKind.SCHEDULE, "schedule " + schedule.name());
            schedules.recordJob(job.id().value(), schedule.id(), scheduledFor);
            queued.add(job.id().value());
        }
        StringBuilder summary = new StringBuilder(missed ? "Missed the run of " + when + "; ran it once at start-up: "
                : "Run of " + when + ": ");
        summary.append(queued.isEmpty() ? "no backup queued" : queued.size() == 1 ? "1 backup queued"
                : queued.size() + " backups queued");
        if (!waiting.isEmpty()) {
            summary.append("; skipped ").append(String.join(", ", waiting))
                    .append(" (its previous backup is still waiting to start)");
        }
        if (targets.isEmpty()) {
            summary.append(" (the project has no sources)");
        }
        return new Outcome(!queued.isEmpty(), missed, List.copyOf(queued), summary.append('.').toString());
    }

    /**
     * When the schedule fires next, from now (a missed series is not caught up): its next cron time plus
     * 0..jitter seconds, stored as the schedule's next run. Null (and no next run) when the schedule is
     * deleted or disabled.
     */
    public Instant nextRun(ScheduleId id) {
        Optional<Schedule> found = schedules.find(id);
        if (found.isEmpty()) {
            return null;
        }
        Schedule schedule = found.get();
        Instant next = null;
        if (schedule.enabled()) {
            Instant from = clock.instant();
            if (schedule.lastFiredFor() != null && schedule.lastFiredFor().isAfter(from)) {
                from = schedule.lastFiredFor();
            }
            next = schedule.cronSchedule().next(from);
            if (next != null && schedule.jitterSeconds() > 0) {
                next = next.plusSeconds(random.nextInt(schedule.jitterSeconds() + 1));
            }
        }
        schedules.setNextRun(id, next);
        return next;
    }

    private static ZoneId zoneOf(Schedule schedule) {
        return CronSchedule.parseZone(schedule.zone());
    }
}
