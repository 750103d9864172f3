package io.cairn.server.restore;

import io.cairn.server.audit.AuditAction;
import io.cairn.server.audit.AuditLog;
import io.cairn.server.audit.AuditOutcome;
import io.cairn.server.job.Job;
import io.cairn.server.job.JobId;
import io.cairn.server.job.JobService;
import io.cairn.server.job.JobStatus;
import io.cairn.server.problem.ProblemException;
import io.cairn.server.repository.RepositoryService;
import io.cairn.server.source.DatabaseConnections;
import io.cairn.server.source.ProjectId;
import io.cairn.server.source.ProjectService;
import io.cairn.server.source.Source;
import io.cairn.server.source.SourceService;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;
import tools.jackson.databind.json.JsonMapper;

/**
 * Restore operations: plan one (what it would do, whether it overwrites), start one, follow it, cancel it,
 * list them per backup or all. Starting checks the plan again: a restore that would overwrite data runs only
 * when the request allows overwriting and repeats the target's name in {@code confirm}.
 */
@Service
public class RestoreService {

    private final Restores restores;
    private final RestorePlanner planner;
    private final RestoreRunner runner;
    private final JobService jobs;
    private final SourceService sources;
    private final ProjectService projects;
    private final RepositoryService repositories;
    private final DatabaseConnections databases;
    private final AuditLog audit;
    private final Clock clock;
    private final JsonMapper json;

    RestoreService(Restores restores, RestorePlanner planner, RestoreRunner runner, JobService jobs,
                   SourceService sources, ProjectService projects, RepositoryService repositories,
                   DatabaseConnections databases, AuditLog audit, Clock clock, JsonMapper json) {
        this.projects = projects;
        this.restores = restores;
        this.planner = planner;
        this.runner = runner;
        this.jobs = jobs;
        this.sources = sources;
        this.repositories = repositories;
        this.databases = databases;
        this.audit = audit;
        this.clock = clock;
        this.json = json;
    }

    /** A page of operations, newest first, and how many there are. */
    public record Page(List<Restore> items, long total, int offset, int limit) {
    }

    /** What restoring this backup with this request would do; writes nothing. */
    public RestorePlan plan(JobId backupId, RestoreRequest request) {
        Job backup = restorable(backupId);
        return planner.plan(backup, sources.get(backup.sourceId()), request);
    }

    /**
     * Starts a restore. Refused (409) when it would overwrite data and the request does not both allow it and
     * repeat the target's name in {@code confirm}.
     */
    public Restore start(JobId backupId, RestoreRequest request, String actor) {
        Job backup = restorable(backupId);
        Source source = sources.get(backup.sourceId());
        RestorePlan plan = planner.plan(backup, source, request);
        if (plan.overwrites()) {
            boolean allowed = plan.kind() == TargetKind.DATABASE ? request.overwriteAllowed()
                    : !"NEVER".equals(plan.details().overwritePolicy());
            if (!allowed) {
                throw new ProblemException(org.springframework.http.HttpStatus.CONFLICT, "Target holds data",
                        plan.target() + " already holds " + plan.existing() + ". Restore into a new database (leave "
                        + "\"database\" empty), or set \"overwrite\": true and confirm by repeating \""
                        + plan.confirmationText() + "\" in \"confirm\".", Map.of());
            }
            if (!plan.confirmationText().equals(request.confirm())) {
                throw new ProblemException(org.springframework.http.HttpStatus.CONFLICT, "Confirmation needed",
                        "This restore replaces data in " + plan.target() + " (" + plan.existing() + "). To go ahead, "
                        + "repeat \"" + plan.confirmationText() + "\" in \"confirm\".", Map.of("confirm",
                        "type " + plan.confirmationText() + " to confirm"));
            }
        }
        RestoreId id = restores.insert(backup.id(), source.id(), plan.kind(), plan.target(),
                json.writeValueAsString(plan.details()), plan.overwrites(), actor, RestoreExecution.STEPS, runner.nodeName(),
                clock.instant());
        audit.record(AuditAction.RESTORE_STARTED, "backup " + backup.id() + " → " + plan.target(), AuditOutcome.SUCCESS,
                "restore " + id + ", source " + source.name() + (plan.overwrites() ? ", overwrites " + plan.existing()
                        + " (confirmed)" : "") + (plan.details().withRoles() ? ", with roles and permissions" : ""));
        Restore restore = get(id);
        runner.submit(new RestoreExecution(restore, backup, source, plan, repositories, databases, restores, clock));
        return restore;
    }

    /** One source of a project, the backup a project restore would use for it (null: none succeeded yet) and its plan. */
    public record ProjectPart(Source source, Job backup, RestorePlan plan, String problem) {
    }

    /**
     * What restoring a project would do: for each of its sources, its newest backup that succeeded, restored
     * with the defaults (a new database, a new folder), which never overwrite anything.
     */
    public List<ProjectPart> planProject(ProjectId projectId) {
        projects.get(projectId);
        List<ProjectPart> parts = new ArrayList<>();
        for (Source s : sources.listByProject(projectId)) {
            Job backup = jobs.lastSucceeded(s.id()).orElse(null);
            if (backup == null) {
                parts.add(new ProjectPart(s, null, null, "No backup of this source has succeeded yet."));
                continue;
            }
            try {
                parts.add(new ProjectPart(s, backup, planner.plan(backup, s, RestoreRequest.defaults()), null));
            } catch (ProblemException e) {
                parts.add(new ProjectPart(s, backup, null, e.getMessage()));
            }
        }
        return parts;
    }

    /**
     * Restores a project: the newest backup of each of its sources (or of those named), each into a new place.
     * Refused when none of them can be restored.
     */
    public List<Restore> startProject(ProjectId projectId, List<Long> onlySources, String actor) {
        List<Restore> started = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (ProjectPart part : planProject(projectId)) {
            if (onlySources != null && !onlySources.isEmpty() && !onlySources.contains(part.source().id().value())) {
                continue;
            }
            if (part.plan() == null) {
                skipped.add(part.source().name() + ": " + part.problem());
                continue;
            }
            started.add(start(part.backup().id(), RestoreRequest.defaults(), actor));
        }
        if (started.isEmpty()) {
            throw ProblemException.conflict("Nothing of this project can be restored" + (skipped.isEmpty() ? ": it has "
                    + "no sources (or none of those named)." : ": " + String.join(" ", skipped)));
        }
        return started;
    }

    public Restore get(RestoreId id) {
        return restores.find(id).orElseThrow(() -> ProblemException.notFound("There is no restore with id " + id + "."));
    }

    /** The restores of one backup, newest first. */
    public List<Restore> ofBackup(JobId backupId) {
        jobs.get(backupId);
        return restores.ofBackup(backupId);
    }

    public Page list(int offset, int limit) {
        return new Page(restores.page(offset, limit), restores.count(), offset, limit);
    }

    /** How many restores this server runs (or has queued) now. */
    public int runningHere() {
        return runner.runningCount();
    }

    /** Cancels a queued or running restore. */
    public Restore cancel(RestoreId id) {
        Restore restore = get(id);
        if (restore.status().isFinished() || !runner.cancel(restore)) {
            throw ProblemException.conflict("This restore already ended (" + restore.status() + "); there is nothing "
                    + "to cancel.");
        }
        audit.record(AuditAction.RESTORE_CANCEL_REQUESTED, "backup " + restore.backupId() + " → " + restore.target(),
                AuditOutcome.SUCCESS, "restore " + id);
        return get(id);
    }

    private Job restorable(JobId backupId) {
        Job backup = jobs.get(backupId);
        if (backup.status() != JobStatus.SUCCEEDED || backup.snapshotId() == null) {
            throw ProblemException.conflict("Backup " + backupId + " " + (backup.status().isFinished()
                    ? "did not succeed (" + backup.status() + ")" : "is still " + backup.status())
                    + "; only a backup that succeeded can be restored. Choose another one.");
        }
        return backup;
    }
}
