package io.cairn.server.restore;

import io.cairn.engine.concurrent.TreeWalkThreads;
import io.cairn.server.audit.AuditAction;
import io.cairn.server.audit.AuditLog;
import io.cairn.server.audit.AuditOutcome;
import io.cairn.server.cluster.ClusterMembership;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs restore operations in the background (at most two at once, in the server that received them),
 * ends them with their result or error, and audits how they ended. Operations left unfinished by a server
 * that is gone — this server's previous process, found at start, or another server sharing the database
 * that stopped beating ({@link ClusterMembership#isOrphaned}), looked for every heartbeat — are marked
 * FAILED: their target may hold a partial restore. Every second it cancels the restores running here that
 * a user cancelled on another server.
 */
@Component
class RestoreRunner implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(RestoreRunner.class);
    static final int CONCURRENCY = 2;

    private final Restores restores;
    private final AuditLog audit;
    private final Clock clock;
    private final JsonMapper json;
    private final ClusterMembership cluster;
    private final Map<RestoreId, RestoreExecution> running = new ConcurrentHashMap<>();
    private ExecutorService workers;
    private ScheduledExecutorService ticker;
    private Instant lastOrphanCheck = Instant.EPOCH;
    private volatile boolean started;

    RestoreRunner(Restores restores, AuditLog audit, Clock clock, JsonMapper json, ClusterMembership cluster) {
        this.restores = restores;
        this.audit = audit;
        this.clock = clock;
        this.json = json;
        this.cluster = cluster;
    }

    /** The server that runs the restores this runner is given. */
    String nodeName() {
        return cluster.nodeName();
    }

    @Override
    public void start() {
        AtomicInteger n = new AtomicInteger();
        workers = Executors.newFixedThreadPool(CONCURRENCY, r -> {
            Thread t = TreeWalkThreads.newThread(r, "cairn-restore-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        settleOrphans(true);
        lastOrphanCheck = clock.instant();
        started = true;
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cairn-restore-ticker");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleWithFixedDelay(this::tickSafely, 1, 1, TimeUnit.SECONDS);
    }

    private void tickSafely() {
        try {
            Instant now = clock.instant();
            boolean orphanCheck = java.time.Duration.between(lastOrphanCheck, now)
                    .compareTo(cluster.heartbeatInterval()) >= 0;
            if (running.isEmpty() && !orphanCheck) {
                return;
            }
            if (orphanCheck) {
                lastOrphanCheck = now;
            }
            for (Restores.Unfinished u : restores.unfinished()) {
                RestoreExecution here = running.get(u.restore().id());
                if (here != null && (u.cancelRequested() || !cluster.nodeName().equals(u.runnerNode()))) {
                    here.cancel();
                } else if (orphanCheck) {
                    settleIfOrphaned(u, false);
                }
            }
        } catch (RuntimeException e) {
            log.warn("restore ticker: {}", e.getMessage(), e);
        }
    }

    private void settleOrphans(boolean atStart) {
        for (Restores.Unfinished u : restores.unfinished()) {
            settleIfOrphaned(u, atStart);
        }
    }

    private void settleIfOrphaned(Restores.Unfinished u, boolean atStart) {
        if (!cluster.isOrphaned(u.runnerNode(), running.containsKey(u.restore().id()), atStart)) {
            return;
        }
        String who = u.runnerNode() == null || u.runnerNode().equals(cluster.nodeName()) ? "The server"
                : "Server " + u.runnerNode();
        end(u.restore(), RestoreStatus.FAILED, null, who + " stopped while this restore ran; the target may hold "
                + "a partial restore. Check it, or restore again (into a new target to be safe).");
    }

    @Override
    public void stop() {
        started = false;
        running.values().forEach(RestoreExecution::cancel);
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

    /** Runs a restore inserted with this server's {@link #nodeName()}. */
    void submit(RestoreExecution execution) {
        running.put(execution.restore().id(), execution);
        workers.submit(() -> run(execution));
    }

    private void run(RestoreExecution execution) {
        Restore restore = execution.restore();
        try {
            if (!restores.claim(restore.id(), clock.instant())) {
                return; // cancelled before it started
            }
            Map<String, Object> result = execution.run();
            end(restore, RestoreStatus.SUCCEEDED, json.writeValueAsString(result), null);
        } catch (Exception e) {
            if (execution.isCancelled()) {
                end(restore, RestoreStatus.CANCELLED, null, "Cancelled by a user. " + partialNote(execution));
            } else {
                String message = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName()
                        : e.getMessage();
                if (!(e instanceof java.io.IOException)) {
                    log.error("restore {} failed unexpectedly", restore.id(), e);
                }
                end(restore, RestoreStatus.FAILED, null, message);
            }
        } finally {
            running.remove(restore.id());
        }
    }

    private static String partialNote(RestoreExecution execution) {
        return execution.restore().targetKind() == TargetKind.FOLDER
                ? "Files not completely written were removed; the files restored before the cancel stay."
                : "The database restore runs in one transaction where the database allows it (PostgreSQL, "
                + "MySQL tables): what was started is rolled back.";
    }

    /** Cancels a queued or running restore (here, or on the server running it); false if it had already ended. */
    boolean cancel(Restore restore) {
        RestoreExecution e = running.get(restore.id());
        if (e != null) {
            e.cancel();
            if (restore.status() == RestoreStatus.QUEUED) {
                end(restore, RestoreStatus.CANCELLED, null, "Cancelled by a user before it started.");
            }
            return true;
        }
        return restores.requestCancel(restore.id());
    }

    /** Restores running (or queued) in this server now. */
    int runningCount() {
        return running.size();
    }

    Optional<RestoreExecution> running(RestoreId id) {
        return Optional.ofNullable(running.get(id));
    }

    private void end(Restore restore, RestoreStatus status, String result, String error) {
        if (!restores.finish(restore.id(), status, clock.instant(), result, error)) {
            return;
        }
        String target = "backup " + restore.backupId() + " → " + restore.target();
        switch (status) {
            case SUCCEEDED -> audit.recordAs(restore.requestedBy(), AuditAction.RESTORE_SUCCEEDED, target,
                    AuditOutcome.SUCCESS, "restore " + restore.id());
            case CANCELLED -> audit.recordAs(restore.requestedBy(), AuditAction.RESTORE_CANCELLED, target,
                    AuditOutcome.FAILURE, "restore " + restore.id());
            default -> audit.recordAs(restore.requestedBy(), AuditAction.RESTORE_FAILED, target,
                    AuditOutcome.FAILURE, "restore " + restore.id() + ": " + error);
        }
    }
}
