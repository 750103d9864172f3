package io.cairn.server.schedule;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import io.cairn.engine.retention.RetentionDuration;
import io.cairn.server.audit.AuditAction;
import io.cairn.server.audit.AuditLog;
import io.cairn.server.audit.AuditOutcome;
import io.cairn.server.job.BackupType;
import io.cairn.server.problem.ProblemException;
import io.cairn.server.source.ProjectId;
import io.cairn.server.source.ProjectService;
import io.cairn.server.source.SourceId;
import io.cairn.server.source.SourceService;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;

/**
 * Schedules: create, change, enable, disable, delete, list, and preview a cron expression. Every change
 * is audited and (re)writes the schedule's one db-scheduler execution, which holds its next firing.
 * Validation errors name the field: {@code cron} parts as {@code minute}, {@code hour}… (see
 * {@link InvalidCronException}).
 */
@Service
public class ScheduleService {

    /** How many upcoming runs a preview shows. */
    public static final int PREVIEW_RUNS = 5;
    private static final Logger log = LoggerFactory.getLogger(ScheduleService.class);

    private final Schedules schedules;
    private final ScheduleFiring firing;
    private final SchedulerClient scheduler;
    private final CustomTask<Void> task;
    private final SourceService sources;
    private final ProjectService projects;
    private final AuditLog audit;
    private final Clock clock;

    ScheduleService(Schedules schedules, ScheduleFiring firing, SchedulerClient scheduler, CustomTask<Void> scheduleTask,
                    SourceService sources, ProjectService projects, AuditLog audit, Clock clock) {
        this.schedules = schedules;
        this.firing = firing;
        this.scheduler = scheduler;
        this.task = scheduleTask;
        this.sources = sources;
        this.projects = projects;
        this.audit = audit;
        this.clock = clock;
    }

    /** A cron expression in words with its next runs. */
    public record Preview(String cron, String zone, String description, List<Instant> nextRuns) {
    }

    public List<Schedule> list() {
        return schedules.list();
    }

    /** The enabled schedules that run next, soonest first (for the dashboard). */
    public List<Schedule> nextUp(int limit) {
        return schedules.list().stream().filter(s -> s.enabled() && s.nextRunAt() != null)
                .sorted(java.util.Comparator.comparing(Schedule::nextRunAt)).limit(limit).toList();
    }

    public Schedule get(ScheduleId id) {
        return schedules.find(id).orElseThrow(() -> ProblemException.notFound("There is no schedule with id " + id
                + "."));
    }

    /** The description and next runs of a cron expression (or preset) in a zone, from now. */
    public Preview preview(String cron, String preset, String at, String dayOfWeek, Integer dayOfMonth, String zone) {
        CronSchedule schedule = parseCron(cron, preset, at, dayOfWeek, dayOfMonth, zone == null || zone.isBlank()
                ? "UTC" : zone);
        return new Preview(schedule.cron(), schedule.zone().getId(), schedule.describe(),
                schedule.nextRuns(clock.instant(), PREVIEW_RUNS));
    }

    /** The next runs of a stored schedule, from now (empty while it is disabled). */
    public List<Instant> upcoming(Schedule schedule, int count) {
        return schedule.enabled() ? schedule.cronSchedule().nextRuns(clock.instant(), count) : List.of();
    }

    public Schedule create(ScheduleRequest request) {
        Schedules.Row row = validate(request, null);
        ScheduleId id = schedules.insert(row, clock.instant());
        Schedule created = plan(id);
        audit.record(AuditAction.SCHEDULE_CREATED, "schedule " + created.name(), AuditOutcome.SUCCESS,
                describeForAudit(created));
        return created;
    }

    public Schedule update(ScheduleId id, ScheduleRequest request) {
        Schedule before = get(id);
        Schedules.Row row = validate(request, before);
        schedules.update(id, row, clock.instant());
        Schedule updated = plan(id);
        audit.record(AuditAction.SCHEDULE_UPDATED, "schedule " + updated.name(), AuditOutcome.SUCCESS,
                describeForAudit(updated));
        return updated;
    }

    public Schedule setEnabled(ScheduleId id, boolean enabled) {
        Schedule before = get(id);
        schedules.setEnabled(id, enabled, clock.instant());
        Schedule after = plan(id);
        if (before.enabled() != enabled) {
            audit.record(enabled ? AuditAction.SCHEDULE_ENABLED : AuditAction.SCHEDULE_DISABLED,
                    "schedule " + after.name(), AuditOutcome.SUCCESS, describeForAudit(after));
        }
        return after;
    }

    public void delete(ScheduleId id) {
        Schedule schedule = get(id);
        schedules.delete(id);
        cancelExecution(id);
        audit.record(AuditAction.SCHEDULE_DELETED, "schedule " + schedule.name(), AuditOutcome.SUCCESS,
                describeForAudit(schedule));
    }

    /**
     * At start-up: every enabled schedule without an execution row gets one. An existing row is left alone —
     * an overdue one is a missed run, which the firing handles by the schedule's policy.
     */
    @EventListener(ApplicationReadyEvent.class)
    public void ensureExecutions() {
        for (Schedule s : schedules.list()) {
            if (!s.enabled()) {
                continue;
            }
            try {
                if (scheduler.getScheduledExecution(instance(s.id())).isEmpty()) {
                    Instant next = firing.nextRun(s.id());
                    if (next != null) {
                        scheduler.scheduleIfNotExists(instance(s.id()), next);
                    }
                }
            } catch (RuntimeException e) {
                log.warn("schedule {}: cannot plan its next run: {}", s.id(), e.getMessage());
            }
        }
    }

    /** Writes the schedule's next firing into its execution row (or removes the row when disabled). */
    private Schedule plan(ScheduleId id) {
        Instant next = firing.nextRun(id);
        if (next == null) {
            cancelExecution(id);
        } else {
            TaskInstance<Void> instance = instance(id);
            try {
                if (scheduler.getScheduledExecution(instance).isPresent()) {
                    scheduler.reschedule(instance, next);
                } else {
                    scheduler.scheduleIfNotExists(instance, next);
                }
            } catch (RuntimeException e) {
                // The execution is firing right now: its completion computes the next run from the new row.
                log.info("schedule {}: execution busy, its completion will plan the next run ({})", id, e.getMessage());
            }
        }
        return get(id);
    }

    private void cancelExecution(ScheduleId id) {
        TaskInstance<Void> instance = instance(id);
        try {
            if (scheduler.getScheduledExecution(instance).isPresent()) {
                scheduler.cancel(instance);
            }
        } catch (RuntimeException e) {
            log.info("schedule {}: execution busy, its completion will remove it ({})", id, e.getMessage());
        }
    }

    private TaskInstance<Void> instance(ScheduleId id) {
        return task.instance(Long.toString(id.value()));
    }

    private static CronSchedule parseCron(String cron, String preset, String at, String dayOfWeek, Integer dayOfMonth,
                                          String zone) {
        try {
            String expression = preset != null && !preset.isBlank()
                    ? CronSchedule.preset(preset, at, dayOfWeek, dayOfMonth) : cron;
            return CronSchedule.parse(expression, zone);
        } catch (InvalidCronException e) {
            throw ProblemException.invalid(e.field(), e.getMessage());
        }
    }

    private Schedules.Row validate(ScheduleRequest r, Schedule before) {
        Map<String, String> errors = new LinkedHashMap<>();
        String name = r.name() == null ? "" : r.name().trim();
        if (name.isEmpty()) {
            errors.put("name", "Give the schedule a name, e.g. \"Nightly shop database\".");
        } else if (name.length() > 100) {
            errors.put("name", "Keep the name under 100 characters.");
        }
        boolean hasSource = r.sourceId() != null;
        boolean hasProject = r.projectId() != null;
        if (hasSource == hasProject) {
            errors.put("sourceId", "Choose either one source or one project to back up.");
        } else if (hasSource) {
            try {
                sources.get(new SourceId(r.sourceId()));
            } catch (ProblemException e) {
                errors.put("sourceId", "There is no source with id " + r.sourceId() + ".");
            }
        } else {
            try {
                projects.get(new ProjectId(r.projectId()));
            } catch (ProblemException e) {
                errors.put("projectId", "There is no project with id " + r.projectId() + ".");
            }
        }
        String zone = r.zone() == null || r.zone().isBlank() ? "UTC" : r.zone().trim();
        String cron = null;
        try {
            String expression = r.preset() != null && !r.preset().isBlank()
                    ? CronSchedule.preset(r.preset(), r.at(), r.dayOfWeek(), r.dayOfMonth()) : r.cron();
            CronSchedule parsed = CronSchedule.parse(expression, zone);
            cron = parsed.cron();
            zone = parsed.zone().getId();
        } catch (InvalidCronException e) {
            errors.put(e.field(), e.getMessage());
        }
        int jitter = r.jitterSeconds() == null ? 0 : r.jitterSeconds();
        if (jitter < 0 || jitter > 3600) {
            errors.put("jitterSeconds", "Jitter is 0 to 3600 seconds.");
        }
        RetentionSettings retention = r.retention() == null ? RetentionSettings.NONE : r.retention();
        checkRetention(retention, errors);
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        boolean enabled = r.enabled() != null ? r.enabled() : before == null || before.enabled();
        return new Schedules.Row(name, r.sourceId(), r.projectId(), cron, zone,
                r.backupType() == null ? BackupType.INCREMENTAL : r.backupType(), r.compression(), enabled,
                r.missedRunPolicy() == null ? MissedRunPolicy.RUN_ONCE : r.missedRunPolicy(), jitter, retention);
    }

    private static void checkRetention(RetentionSettings k, Map<String, String> errors) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        counts.put("retention.keepLast", k.keepLast());
        counts.put("retention.keepHourly", k.keepHourly());
        counts.put("retention.keepDaily", k.keepDaily());
        counts.put("retention.keepWeekly", k.keepWeekly());
        counts.put("retention.keepMonthly", k.keepMonthly());
        counts.put("retention.keepYearly", k.keepYearly());
        counts.put("retention.retentionDays", k.retentionDays());
        counts.forEach((field, n) -> {
            if (n != null && (n < 0 || n > 100_000)) {
                errors.put(field, "Use a number from 0 (no such rule) to 100000.");
            }
        });
        if (k.keepWithin() != null && !k.keepWithin().isBlank()) {
            try {
                RetentionDuration.parse(k.keepWithin().trim());
            } catch (IllegalArgumentException e) {
                errors.put("retention.keepWithin", "\"" + k.keepWithin() + "\" is not a duration; use e.g. 30d, "
                        + "6m, 1y6m or 12h (y years, m months, d days, h hours).");
            }
        }
    }

    private static String describeForAudit(Schedule s) {
        return (s.sourceId() != null ? "source " + s.sourceId() : "project " + s.projectId()) + ", " + s.cron() + " "
                + s.zone() + ", " + s.backupType().name().toLowerCase() + (s.enabled() ? "" : ", disabled")
                + ", retention: " + s.retention().describe();
    }
}
