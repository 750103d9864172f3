package io.cairn.server.job;

import io.cairn.engine.concurrent.TreeWalkThreads;
import io.cairn.engine.progress.ProgressEvent;
import io.cairn.engine.repository.Repository;
import io.cairn.engine.snapshot.SnapshotRef;
import io.cairn.server.audit.AuditAction;
import io.cairn.server.audit.AuditLog;
import io.cairn.server.audit.AuditOutcome;
import io.cairn.server.cluster.ClusterMembership;
import io.cairn.server.config.CairnProperties;
import io.cairn.server.problem.ProblemException;
import io.cairn.server.repository.RepositoryId;
import io.cairn.server.repository.RepositoryService;
import io.cairn.server.source.Source;
import io.cairn.server.source.SourceService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The job queue's engine room: starts queued jobs (at most {@code cairn.jobs.concurrency} at once, never
 * two of one source), saves their progress and telemetry while they run, and settles them when they
 * end. Jobs left RUNNING by a server that is gone — this server's previous process, found at start, or
 * another server sharing the database that stopped beating ({@link ClusterMembership#isOrphaned}), found
 * every heartbeat — are settled: SUCCEEDED if their snapshot exists, else FAILED and queued once more
 * (a retry is not retried again). Every second it stops the jobs it runs that a user cancelled on another
 * server, or that another server settled.
 */
@Component
class JobRunner implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(JobRunner.class);
    /** How long a shutdown waits for the backups it stops to let go before settling them. */
    private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(10);

    private final Jobs jobs;
    private final JobTelemetry telemetry;
    private final JobProgressSink sink;
    private final JobEvents events;
    private final SourceService sources;
    private final SourceReaders readers;
    private final RepositoryService repositories;
    private final AuditLog audit;
    private final ApplicationEventPublisher publisher;
    private final Clock clock;
    private final JsonMapper json;
    private final CairnProperties.Jobs settings;
    /** Where backups of paths keep what they found in each directory ({@code <data-dir>/cache}). */
    private final java.nio.file.Path directoryCache;
    private final ClusterMembership cluster;
    private Instant lastOrphanCheck = Instant.EPOCH;
    private final Map<JobId, Running> running = new ConcurrentHashMap<>();
    private ExecutorService workers;
    private ScheduledExecutorService ticker;
    private volatile boolean started;
    /** Set by {@link #stop}: a backup cancelled from now on was interrupted by the shutdown, not by a user. */
    private volatile boolean shuttingDown;

    private static final class Running {
        final BackupExecution execution;
        volatile Future<?> future;
        Instant lastSampleAt;
        long lastSampleBytes;
        Instant lastSavedAt;
        /** Set, under this object's lock, once the outcome is being written: the ticker then leaves it alone. */
        boolean completing;

        Running(BackupExecution execution) {
            this.execution = execution;
        }
    }

    JobRunner(Jobs jobs, JobTelemetry telemetry, JobProgressSink sink, JobEvents events, SourceService sources,
              SourceReaders readers, RepositoryService repositories, AuditLog audit, ApplicationEventPublisher publisher,
              Clock clock, JsonMapper json, CairnProperties properties, ClusterMembership cluster) {
        this.jobs = jobs;
        this.telemetry = telemetry;
        this.sink = sink;
        this.events = events;
        this.sources = sources;
        this.readers = readers;
        this.repositories = repositories;
        this.audit = audit;
        this.publisher = publisher;
        this.clock = clock;
        this.json = json;
        this.settings = properties.jobs();
        this.directoryCache = properties.resolvedDataDir().resolve("cache");
        this.cluster = cluster;
    }

    @Override
    public void start() {
        AtomicInteger n = new AtomicInteger();
        workers = Executors.newFixedThreadPool(Math.max(1, settings.concurrency()), r -> {
            Thread t = TreeWalkThreads.newThread(r, "cairn-job-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cairn-job-ticker");
            t.setDaemon(true);
            return t;
        });
        started = true;
        settleOrphans(true);
        lastOrphanCheck = clock.instant();
        long tick = settings.tickInterval().toMillis();
        ticker.scheduleWithFixedDelay(this::tickSafely, tick, tick, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        started = false;
        shuttingDown = true;
        handOver(new ArrayList<>(running.values()));
        if (ticker != null) {
            ticker.shutdownNow();
        }
        if (workers != null) {
            workers.shutdownNow();
        }
    }

    @Override
    public boolean isRunning() {
        return started;
    }

    /** Starts whatever queued jobs may start now. */
    synchronized void dispatch() {
        if (!started) {
            return;
        }
        Set<Long> busySources = new HashSet<>();
        running.values().forEach(r -> busySources.add(r.execution.job().sourceId().value()));
        for (Job queued : jobs.queued()) {
            if (running.size() >= settings.concurrency()) {
                return;
            }
            if (busySources.contains(queued.sourceId().value())) {
                continue;
            }
            Source source;
            SourceReader reader;
            try {
                source = sources.get(queued.sourceId());
                reader = readers.create(source, line -> sink.log(queued, "WARN", line));
            } catch (ProblemException | IllegalArgumentException e) {
                end(queued, JobStatus.FAILED, null, e.getMessage(), null);
                continue;
            }
            if (!jobs.claim(queued.id(), queued.sourceId(), cluster.nodeName(), clock.instant())) {
                continue; // another server took it, or runs a backup of its source
            }
            Job job = jobs.find(queued.id()).orElseThrow();
            List<String> secrets = new ArrayList<>();
            sources.password(source.id()).ifPresent(secrets::add);
            sink.secrets(job.id(), secrets);
            BackupExecution execution = new BackupExecution(job, source, reader, repositories, sink, clock, json,
                    directoryCache);
            Running r = new Running(execution);
            r.lastSampleAt = clock.instant();
            r.lastSavedAt = clock.instant();
            running.put(job.id(), r);
            busySources.add(source.id().value());
            events.changed(new JobEvents.JobChanged(job.id().value(), source.id().value(), JobStatus.RUNNING));
            r.future = workers.submit(() -> runJob(r));
        }
    }

    private void runJob(Running r) {
        BackupExecution.Outcome outcome;
        try {
            outcome = r.execution.run();
        } catch (RuntimeException | StackOverflowError | LinkageError e) {
            // an Error too: uncaught, it would leave the job RUNNING and its source blocked until a restart
            outcome = BackupExecution.Outcome.failed(JobStatus.FAILED, "Unexpected failure: " + e);
            log.error("job {} failed unexpectedly", r.execution.job().id(), e);
        }
        try {
            if (shuttingDown && outcome.status() == JobStatus.CANCELLED) {
                return; // stop() settles it: failed by the shutdown, and retried
            }
            complete(r, outcome);
        } finally {
            running.remove(r.execution.job().id());
            sink.forget(r.execution.job().id());
            dispatch();
        }
    }

    private void complete(Running r, BackupExecution.Outcome outcome) {
        Job job = r.execution.job();
        synchronized (r) {
            // a tick saving live progress between the outcome's figures and the end would overwrite them
            saveProgress(r);
            sample(r);
            r.completing = true;
        }
        ProgressEvent.Status s = r.execution.lastStatus();
        long bytes = outcome.bytesRead() >= 0 ? outcome.bytesRead() : s == null ? 0 : s.bytesDone();
        if (outcome.bytesRead() >= 0) {
            LiveProgress p = sink.live(r.execution);
            jobs.progress(job.id(), p.phase(), p.bytesTotal() == null ? null : outcome.bytesRead(), outcome.bytesRead(),
                    outcome.bytesAdded(), outcome.files());
        }
        Instant now = clock.instant();
        Performance performance = Performance.of(telemetry.of(job.id()), r.execution.startedAt(), now, bytes);
        end(job, outcome.status(), outcome.snapshotId(), outcome.error(), json.writeValueAsString(performance));
        telemetry.delete(job.id());
        repositories.forgetUsedSpace(new RepositoryId(job.repositoryId()));
    }

    /** Ends a job (running or queued), audits it, and tells browsers and listeners; false if it had ended. */
    boolean end(Job job, JobStatus status, String snapshotId, String error, String performance) {
        if (!jobs.finish(job.id(), status, clock.instant(), snapshotId, error, performance)) {
            return false;
        }
        String target = "source " + sourceName(job);
        switch (status) {
            case SUCCEEDED -> {
                audit.recordAs(job.requestedBy(), AuditAction.BACKUP_SUCCEEDED, target, AuditOutcome.SUCCESS,
                        "job " + job.id() + ", snapshot " + snapshotId.substring(0, 8));
                publisher.publishEvent(new BackupSucceeded(job.id(), job.sourceId().value(), snapshotId));
            }
            case CANCELLED -> audit.recordAs(job.requestedBy(), AuditAction.BACKUP_CANCELLED, target,
                    AuditOutcome.FAILURE, "job " + job.id());
            default -> {
                audit.recordAs(job.requestedBy(), AuditAction.BACKUP_FAILED, target, AuditOutcome.FAILURE,
                        "job " + job.id() + ": " + error);
                publisher.publishEvent(new BackupFailed(job.id(), job.sourceId().value(), error));
            }
        }
        events.changed(new JobEvents.JobChanged(job.id().value(), job.sourceId().value(), status));
        return true;
    }

    private String sourceName(Job job) {
        try {
            return sources.get(job.sourceId()).name();
        } catch (ProblemException deletedMeanwhile) {
            return String.valueOf(job.sourceId());
        }
    }

    /** Cancels a queued or running job (running here, or on another server); false if it had already ended. */
    boolean cancel(Job job) {
        Running r = running.get(job.id());
        if (r != null) {
            stop(r);
            return true;
        }
        if (job.status() == JobStatus.QUEUED) {
            return end(job, JobStatus.CANCELLED, null, "Cancelled by a user before it started.", null);
        }
        return job.status() == JobStatus.RUNNING && jobs.requestCancel(job.id());
    }

    Optional<LiveProgress> live(JobId id) {
        Running r = running.get(id);
        return r == null ? Optional.empty() : Optional.of(sink.live(r.execution));
    }

    int runningCount() {
        return running.size();
    }

    private void tickSafely() {
        try {
            Instant now = clock.instant();
            for (Running r : running.values()) {
                if (Duration.between(r.lastSavedAt, now).compareTo(settings.progressInterval()) >= 0) {
                    saveProgress(r);
                }
                if (Duration.between(r.lastSampleAt, now).compareTo(settings.telemetryInterval()) >= 0) {
                    sample(r);
                }
            }
            stopCancelledElsewhere();
            if (Duration.between(lastOrphanCheck, now).compareTo(cluster.heartbeatInterval()) >= 0) {
                lastOrphanCheck = now;
                settleOrphans(false);
            }
            dispatch();
        } catch (RuntimeException | LinkageError e) {
            // caught, or the scheduled executor would stop ticking for good: no more progress, no dispatch
            log.warn("job ticker: {}", e.getMessage(), e);
        }
    }

    private void saveProgress(Running r) {
        synchronized (r) {
            if (!r.completing) {
                saveLiveProgress(r);
            }
        }
    }

    private void saveLiveProgress(Running r) {
        LiveProgress p = sink.live(r.execution);
        jobs.progress(r.execution.job().id(), p.phase(), p.bytesTotal(), p.bytesRead(), p.bytesAdded(), p.files());
        r.lastSavedAt = clock.instant();
    }

    private void sample(Running r) {
        synchronized (r) {
            if (!r.completing) {
                addSample(r);
            }
        }
    }

    private void addSample(Running r) {
        Instant now = clock.instant();
        LiveProgress p = sink.live(r.execution);
        long elapsedMs = Math.max(1, Duration.between(r.lastSampleAt, now).toMillis());
        long speed = Math.max(0, (p.bytesRead() - r.lastSampleBytes) * 1000 / elapsedMs);
        telemetry.add(r.execution.job().id(), new JobTelemetry.Sample(now, p.bytesRead(), speed,
                p.percent() < 0 ? null : p.percent(), p.phase()));
        r.lastSampleAt = now;
        r.lastSampleBytes = p.bytesRead();
    }

    /** Stops the jobs running here that a user cancelled on another server, or that another server settled. */
    private void stopCancelledElsewhere() {
        List<Long> ids = running.keySet().stream().map(JobId::value).toList();
        for (Long id : jobs.toStop(cluster.nodeName(), ids)) {
            Running r = running.get(new JobId(id));
            if (r != null) {
                stop(r);
            }
        }
    }

    /** Stops a running execution: its dump tool is killed, its thread interrupted. */
    private static void stop(Running r) {
        r.execution.cancel();
        Future<?> f = r.future;
        if (f != null) {
            f.cancel(true);
        }
    }

    /**
     * Settles the RUNNING jobs nobody runs any more (see the class comment); {@code atStart} also takes
     * those recorded under this server's own name, left by its previous process. Synchronized with
     * {@link #dispatch}, so a job claimed but not yet registered as running here is never taken for one.
     */
    private synchronized void settleOrphans(boolean atStart) {
        for (Job job : jobs.withStatus(JobStatus.RUNNING)) {
            if (cluster.isOrphaned(job.runnerNode(), running.containsKey(job.id()), atStart)) {
                settleOrphan(job);
            }
        }
    }

    /**
     * A shutdown's end of the backups running here: each is stopped (its dump tool killed), given up to
     * {@link #SHUTDOWN_WAIT} to let go, then settled like an orphan — so a rolling restart leaves a retry that
     * another server (or this one, when it is back) runs, not a backup "cancelled by a user".
     */
    private void handOver(List<Running> interrupted) {
        interrupted.forEach(r -> r.execution.cancel());
        long deadline = System.nanoTime() + SHUTDOWN_WAIT.toNanos();
        for (Running r : interrupted) {
            Future<?> f = r.future;
            try {
                if (f != null) {
                    f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                }
            } catch (Exception stillRunningOrFailed) {
                // settled below either way
            }
        }
        for (Running r : interrupted) {
            jobs.find(r.execution.job().id()).filter(j -> j.status() == JobStatus.RUNNING)
                    .ifPresent(j -> settleOrphan(j, "Server " + cluster.nodeName() + " was shut down"));
        }
    }

    private void settleOrphan(Job job) {
        String who = job.runnerNode() == null ? "The server" : "Server " + job.runnerNode();
        Instant heard = cluster.lastHeardFrom(job.runnerNode());
        String when = heard == null || job.runnerNode().equals(cluster.nodeName()) ? ""
                : " (last heard from at " + heard.truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + ")";
        settleOrphan(job, who + " stopped" + when);
    }

    /** Settles a backup nobody runs any more; {@code cause} says why, e.g. "Server b:8080 stopped". */
    private void settleOrphan(Job job, String cause) {
        String snapshot = null;
        try (Repository repo = repositories.open(new RepositoryId(job.repositoryId()))) {
            String tag = "job-" + job.id().value();
            snapshot = repo.snapshots().stream().filter(s -> s.snapshot().tags().contains(tag)).findFirst()
                    .map(SnapshotRef::id).orElse(null);
        } catch (Exception e) {
            log.warn("cannot look for the snapshot of interrupted job {}: {}", job.id(), e.getMessage());
        }
        if (snapshot != null) {
            if (end(job, JobStatus.SUCCEEDED, snapshot, null, null)) {
                sink.log(job, "WARN", cause + " after this backup saved its snapshot; "
                        + cluster.nodeName() + " recorded it as succeeded.");
                telemetry.delete(job.id());
            }
            return;
        }
        boolean retry = job.retryOf() == null;
        String error = cause + " while this backup ran; no snapshot was saved. " + (retry
                ? "It is retried once, as a new backup."
                : "It was already a retry, so it is not retried again: find out why the server stopped "
                + "(its log, memory, disk), then start the backup again.");
        if (!end(job, JobStatus.FAILED, null, error, null)) {
            return; // another server settled it first
        }
        telemetry.delete(job.id());
        if (retry) {
            JobId again = jobs.insertRetry(job, clock.instant());
            Job queued = jobs.find(again).orElseThrow();
            sink.log(job, "WARN", error + " Retry: backup #" + again.value() + ".");
            sink.log(queued, "INFO", "Retry of backup #" + job.id().value() + ": " + cause + " while it ran.");
            audit.recordAs(AuditLog.SYSTEM, AuditAction.BACKUP_STARTED, "source " + sourceName(job), AuditOutcome.SUCCESS,
                    "job " + again + ", retry of job " + job.id() + " (" + cause + ")");
            events.changed(new JobEvents.JobChanged(again.value(), job.sourceId().value(), JobStatus.QUEUED));
            log.warn("backup job {}: {}; queued its retry as job {}", job.id(), cause, again);
        }
    }
}
