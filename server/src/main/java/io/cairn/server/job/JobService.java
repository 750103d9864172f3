package io.cairn.server.job;

import io.cairn.engine.repository.Repository;
import io.cairn.engine.repository.RepositoryLock;
import io.cairn.server.audit.AuditAction;
import io.cairn.server.audit.AuditLog;
import io.cairn.server.audit.AuditOutcome;
import io.cairn.server.problem.ProblemException;
import io.cairn.server.repository.RepositoryId;
import io.cairn.server.repository.RepositoryService;
import io.cairn.server.source.ProjectId;
import io.cairn.server.source.ProjectService;
import io.cairn.server.source.Source;
import io.cairn.server.source.SourceId;
import io.cairn.server.source.SourceService;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Backup jobs: start one (or a project's), cancel, list and search, read logs and telemetry, delete a
 * backup (its snapshot leaves the repository; the job stays in the history as deleted).
 */
@Service
public class JobService {

    private final Jobs jobs;
    private final JobLogs logs;
    private final JobTelemetry telemetry;
    private final JobRunner runner;
    private final SourceService sources;
    private final ProjectService projects;
    private final RepositoryService repositories;
    private final AuditLog audit;
    private final Clock clock;

    JobService(Jobs jobs, JobLogs logs, JobTelemetry telemetry, JobRunner runner, SourceService sources,
               ProjectService projects, RepositoryService repositories, AuditLog audit, Clock clock) {
        this.jobs = jobs;
        this.logs = logs;
        this.telemetry = telemetry;
        this.runner = runner;
        this.sources = sources;
        this.projects = projects;
        this.repositories = repositories;
        this.audit = audit;
        this.clock = clock;
    }

    /** A page of jobs and the total number of matches. */
    public record Page(List<Job> items, long total, int offset, int limit) {
    }

    /** Queues a backup of one source; it starts as soon as the queue allows. */
    public Job start(SourceId sourceId, StartRequest request, TriggerKind trigger, String actor) {
        Source source = sources.get(sourceId);
        BackupType type = request.type() == null ? BackupType.INCREMENTAL : request.type();
        JobId id = jobs.insert(source.id(), source.repositoryId(), source.projectId(), type, trigger, actor,
                request.verify(), request.compression() != null ? request.compression() : source.compression(),
                clock.instant());
        audit.record(AuditAction.BACKUP_STARTED, "source " + source.name(), AuditOutcome.SUCCESS,
                "job " + id + ", " + type.name().toLowerCase() + (request.verify() ? ", verify" : "") + ", " + trigger);
        dispatchWhenVisible();
        return get(id);
    }

    /**
     * Starts the queue now, or, when the job was queued inside a transaction (a schedule's firing), once that
     * transaction committed: a worker on another connection must be able to see the job's row.
     */
    private void dispatchWhenVisible() {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    runner.dispatch();
                }
            });
        } else {
            runner.dispatch();
        }
    }

    /** Queues a backup of every source of a project. */
    public List<Job> startProject(ProjectId projectId, StartRequest request, TriggerKind trigger, String actor) {
        projects.get(projectId);
        List<Source> members = sources.listByProject(projectId);
        if (members.isEmpty()) {
            throw ProblemException.conflict("The project has no sources yet; add sources to it first.");
        }
        List<Job> started = new ArrayList<>();
        for (Source s : members) {
            started.add(start(s.id(), request, trigger, actor));
        }
        return started;
    }

    /** How many backups this server runs now (others sharing the database may run more). */
    public int runningHere() {
        return runner.runningCount();
    }

    public Job get(JobId id) {
        return jobs.find(id).orElseThrow(() -> ProblemException.notFound("There is no backup with id " + id + "."));
    }

    public Page search(JobQuery query, int offset, int limit) {
        return new Page(jobs.search(query, offset, limit), jobs.count(query), offset, limit);
    }

    /** Cancels a queued or running job. */
    public Job cancel(JobId id) {
        Job job = get(id);
        if (job.status().isFinished() || !runner.cancel(job)) {
            throw ProblemException.conflict("This backup already ended (" + job.status() + "); there is nothing to cancel.");
        }
        audit.record(AuditAction.BACKUP_CANCEL_REQUESTED, "source " + sourceName(job.sourceId()), AuditOutcome.SUCCESS,
                "job " + id + (job.runnerNode() == null ? "" : ", running on " + job.runnerNode()));
        return get(id);
    }

    /**
     * Deletes a backup: its snapshot leaves the repository (the data it alone used is freed by the next
     * prune) and the job is kept in the history as deleted. A running backup must be cancelled first.
     * Deleting takes a shared lock: it only makes data unreferenced, which is safe while other backups
     * run; prune, which frees data, takes the exclusive lock.
     */
    public void delete(JobId id) {
        Job job = get(id);
        if (!job.status().isFinished()) {
            throw ProblemException.conflict("This backup is still " + job.status().name().toLowerCase()
                    + "; cancel it first.");
        }
        if (job.snapshotId() != null) {
            try (Repository repo = repositories.open(new RepositoryId(job.repositoryId()));
                 RepositoryLock lock = RepositoryLock.acquire(repo, false, "forget", Duration.ofMinutes(1))) {
                repo.deleteSnapshot(job.snapshotId());
            } catch (IOException e) {
                throw new ProblemException(org.springframework.http.HttpStatus.SERVICE_UNAVAILABLE,
                        "Repository unavailable", "The backup could not be deleted: " + e.getMessage(), Map.of());
            }
        }
        jobs.markDeleted(id, clock.instant());
        audit.record(AuditAction.BACKUP_DELETED, "source " + sourceName(job.sourceId()), AuditOutcome.SUCCESS, "job " + id
                + (job.snapshotId() == null ? "" : ", snapshot " + job.snapshotId().substring(0, 8)));
    }

    /** A source's name for the audit log; its id when it was deleted meanwhile. */
    private String sourceName(SourceId id) {
        return sources.list().stream().filter(s -> s.id().equals(id)).map(Source::name).findFirst()
                .orElse(id.toString());
    }

    public List<JobLogs.Line> logs(JobId id, long afterId, int limit) {
        get(id);
        return logs.after(id, afterId, Math.min(Math.max(limit, 1), 1000));
    }

    /** Live progress of a running job. */
    public Optional<LiveProgress> live(JobId id) {
        return runner.live(id);
    }

    /** Telemetry samples of a running job (a finished job has its rollup in {@link Job#performance()}). */
    public List<JobTelemetry.Sample> samples(JobId id) {
        get(id);
        return telemetry.of(id);
    }

    /** How long the last successful backup of a source took, for the dialog's estimate; null if none yet. */
    public Duration estimate(SourceId source) {
        return jobs.lastSucceeded(source).map(j -> Duration.between(j.startedAt(), j.finishedAt())).orElse(null);
    }

    public Optional<Job> lastSucceeded(SourceId source) {
        return jobs.lastSucceeded(source);
    }

    /** Per-source backup statistics since a moment (counts, averages, last success). */
    public List<SourceJobStats> statsBySource(Instant since) {
        return jobs.statsBySource(since).stream().map(s -> new SourceJobStats(new SourceId(s.sourceId()), s.total(),
                s.succeeded(), s.failed(), s.running(), s.averageBytes(), Duration.ofMillis(s.averageMillis()),
                s.lastSuccessAt(), s.lastJobAt())).toList();
    }

    /** The newest job of every source that has one. */
    public List<Job> latestPerSource() {
        return jobs.latestPerSource();
    }

    /** Per day since a moment: {@code [day start (epoch ms), jobs, succeeded, bytes read]}; one source or all. */
    public List<long[]> dailyTotals(SourceId source, Instant since) {
        return jobs.dailyTotals(source == null ? null : source.value(), since);
    }

    /** Jobs queued since a moment, by status (for the dashboard's "today" card). */
    public Map<JobStatus, Long> countsSince(Instant since) {
        return jobs.countsSince(since);
    }
}
