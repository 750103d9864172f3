package io.cairn.server.schedule;

import io.cairn.engine.repository.Repository;
import io.cairn.engine.repository.RepositoryLock;
import io.cairn.engine.retention.RetentionCandidate;
import io.cairn.engine.snapshot.SnapshotRef;
import io.cairn.server.audit.AuditAction;
import io.cairn.server.audit.AuditLog;
import io.cairn.server.audit.AuditOutcome;
import io.cairn.server.job.BackupSucceeded;
import io.cairn.server.job.JobId;
import io.cairn.server.job.JobService;
import io.cairn.server.problem.ProblemException;
import io.cairn.server.repository.RepositoryId;
import io.cairn.server.repository.RepositoryService;
import io.cairn.server.source.ProjectId;
import io.cairn.server.source.Source;
import io.cairn.server.source.SourceId;
import io.cairn.server.source.SourceService;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * A schedule's retention on the backups of its sources (snapshots tagged {@code source-<id>}): a dry run
 * that shows what would go and why each backup stays, and the real run after each backup the schedule
 * queued succeeds. A backup that goes is deleted like a user's delete ({@link JobService#delete}: its
 * snapshot leaves the repository, the job stays in the history as deleted); the data it alone used is
 * freed by the next prune.
 */
@Component
public class ScheduleRetention {

    private static final Logger log = LoggerFactory.getLogger(ScheduleRetention.class);

    private final Schedules schedules;
    private final SourceService sources;
    private final RepositoryService repositories;
    private final JobService jobs;
    private final AuditLog audit;
    private final Clock clock;

    ScheduleRetention(Schedules schedules, SourceService sources, RepositoryService repositories, JobService jobs,
                      AuditLog audit, Clock clock) {
        this.schedules = schedules;
        this.sources = sources;
        this.repositories = repositories;
        this.jobs = jobs;
        this.audit = audit;
        this.clock = clock;
    }

    /** The decision for one source of a schedule. */
    public record SourceDecision(long sourceId, String sourceName, RetentionDecision decision) {
    }

    /** What the schedule's retention would do now to each of its sources' backups; changes nothing. */
    public List<SourceDecision> dryRun(ScheduleId id) {
        Schedule schedule = schedules.find(id).orElseThrow(() ->
                ProblemException.notFound("There is no schedule with id " + id + "."));
        List<SourceDecision> out = new ArrayList<>();
        for (Source source : sourcesOf(schedule)) {
            out.add(new SourceDecision(source.id().value(), source.name(), decide(schedule, source)));
        }
        return out;
    }

    /** After a backup a schedule queued succeeded: apply that schedule's retention to the backup's source. */
    @EventListener
    public void onBackupSucceeded(BackupSucceeded event) {
        Optional<ScheduleId> scheduled = schedules.scheduleOfJob(event.jobId().value());
        if (scheduled.isEmpty()) { // a retry of a scheduled backup whose server stopped counts as that backup
            JobId retried = jobs.get(event.jobId()).retryOf();
            scheduled = retried == null ? Optional.empty() : schedules.scheduleOfJob(retried.value());
        }
        scheduled.flatMap(schedules::find).ifPresent(schedule -> {
            if (!schedule.retention().isSet()) {
                return;
            }
            try {
                apply(schedule, sources.get(new SourceId(event.sourceId())));
            } catch (RuntimeException e) {
                log.warn("retention of schedule {} after job {}: {}", schedule.id(), event.jobId(), e.getMessage(), e);
                audit.recordAs(AuditLog.SYSTEM, AuditAction.RETENTION_APPLIED, "schedule " + schedule.name(),
                        AuditOutcome.FAILURE, "after job " + event.jobId() + ": " + e.getMessage()
                                + "; it is tried again after the next scheduled backup");
            }
        });
    }

    /** Applies the schedule's retention to one source now; returns the decision it carried out. */
    RetentionDecision apply(Schedule schedule, Source source) {
        RetentionDecision decision = decide(schedule, source);
        String target = "schedule " + schedule.name();
        if (decision.refused()) {
            audit.recordAs(AuditLog.SYSTEM, AuditAction.RETENTION_REFUSED, target, AuditOutcome.FAILURE,
                    "source " + source.name() + ": \"" + decision.policy() + "\" would remove all "
                            + decision.removed().size() + " backups; nothing removed. Add a keep-last rule, or set "
                            + "force if that is what you want.");
            return decision;
        }
        int removed = 0;
        for (RetentionDecision.Entry entry : decision.toRemove()) {
            removeSnapshot(source, entry.snapshotId());
            removed++;
        }
        if (removed > 0) {
            audit.recordAs(AuditLog.SYSTEM, AuditAction.RETENTION_APPLIED, target, AuditOutcome.SUCCESS,
                    "source " + source.name() + ": removed " + removed + ", kept " + decision.kept().size() + " ("
                            + decision.policy() + ")");
        }
        return decision;
    }

    private void removeSnapshot(Source source, String snapshotId) {
        Long jobId = null;
        try (Repository repo = repositories.open(new RepositoryId(source.repositoryId()))) {
            for (String tag : repo.loadSnapshot(snapshotId).snapshot().tags()) {
                if (tag.startsWith("job-")) {
                    jobId = Long.parseLong(tag.substring(4));
                }
            }
            if (jobId == null) {
                try (RepositoryLock lock = RepositoryLock.acquire(repo, false, "forget", Duration.ofMinutes(1))) {
                    repo.deleteSnapshot(snapshotId);
                }
                return;
            }
        } catch (IOException e) {
            throw unavailable(e);
        }
        try {
            jobs.delete(new JobId(jobId));
        } catch (ProblemException e) {
            // The job row is gone (or never was ours): remove the snapshot alone.
            try (Repository repo = repositories.open(new RepositoryId(source.repositoryId()));
                 RepositoryLock lock = RepositoryLock.acquire(repo, false, "forget", Duration.ofMinutes(1))) {
                repo.deleteSnapshot(snapshotId);
            } catch (IOException io) {
                throw unavailable(io);
            }
        }
    }

    private RetentionDecision decide(Schedule schedule, Source source) {
        String tag = "source-" + source.id().value();
        List<RetentionCandidate> candidates = new ArrayList<>();
        try (Repository repo = repositories.open(new RepositoryId(source.repositoryId()))) {
            for (SnapshotRef ref : repo.snapshots()) {
                if (ref.snapshot().tags().contains(tag)) {
                    candidates.add(new RetentionCandidate(ref.id(), ref.snapshot().instant(),
                            new HashSet<>(ref.snapshot().tags()), tag));
                }
            }
        } catch (IOException e) {
            throw unavailable(e);
        }
        return RetentionDecision.decide(candidates, schedule.retention(), CronSchedule.parseZone(schedule.zone()),
                clock.instant());
    }

    private List<Source> sourcesOf(Schedule schedule) {
        if (schedule.sourceId() != null) {
            return List.of(sources.get(new SourceId(schedule.sourceId())));
        }
        return sources.listByProject(new ProjectId(schedule.projectId()));
    }

    private static ProblemException unavailable(IOException e) {
        return new ProblemException(HttpStatus.SERVICE_UNAVAILABLE, "Repository unavailable",
                "The repository could not be read: " + e.getMessage() + ". Check that its storage is reachable.",
                Map.of());
    }
}
