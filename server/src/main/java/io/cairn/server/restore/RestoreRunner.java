package io.cairn.server.restore;

import io.cairn.server.audit.AuditAction;
import io.cairn.server.audit.AuditLog;
import io.cairn.server.audit.AuditOutcome;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs restore operations in the background (at most two at once, in the server that received them),
 * ends them with their result or error, and audits how they ended. At start it marks the operations a
 * previous process left unfinished as FAILED: their target may hold a partial restore.
 */
@Component
class RestoreRunner implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(RestoreRunner.class);
    static final int CONCURRENCY = 2;

    private final Restores restores;
    private final AuditLog audit;
    private final Clock clock;
    private final JsonMapper json;
    private final Map<RestoreId, RestoreExecution> running = new ConcurrentHashMap<>();
    private ExecutorService workers;
    private volatile boolean started;

    RestoreRunner(Restores restores, AuditLog audit, Clock clock, JsonMapper json) {
        this.restores = restores;
        this.audit = audit;
        this.clock = clock;
        this.json = json;
    }

    @Override
    public void start() {
        AtomicInteger n = new AtomicInteger();
        workers = Executors.newFixedThreadPool(CONCURRENCY, r -> {
            Thread t = new Thread(r, "cairn-restore-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        for (Restore r : restores.unfinished()) {
            end(r, RestoreStatus.FAILED, null, "The server stopped while this restore ran; the target may hold a "
                    + "partial restore. Check it, or restore again (into a new target to be safe).");
        }
        started = true;
    }

    @Override
    public void stop() {
        started = false;
        running.values().forEach(RestoreExecution::cancel);
        if (workers != null) {
            workers.shutdownNow();
        }
    }

    @Override
    public boolean isRunning() {
        return started;
    }

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

    /** Cancels a queued or running restore; false if it had already ended. */
    boolean cancel(Restore restore) {
        RestoreExecution e = running.get(restore.id());
        if (e != null) {
            e.cancel();
            if (restore.status() == RestoreStatus.QUEUED) {
                end(restore, RestoreStatus.CANCELLED, null, "Cancelled by a user before it started.");
            }
            return true;
        }
        return false;
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
