package io.cairn.server.schedule;

import io.cairn.engine.prune.PruneOptions;
import io.cairn.engine.prune.PruneReport;
import io.cairn.engine.prune.Pruner;
import io.cairn.engine.repository.Repository;
import io.cairn.server.audit.AuditAction;
import io.cairn.server.audit.AuditLog;
import io.cairn.server.audit.AuditOutcome;
import io.cairn.server.cluster.ClusterMembership;
import io.cairn.server.problem.ProblemException;
import io.cairn.server.repository.ManagedRepository;
import io.cairn.server.repository.RepositoryId;
import io.cairn.server.repository.RepositoryService;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Service;

/**
 * Prune per repository: removes the data no snapshot references any more (after backups were deleted by a
 * person or by a schedule's retention) and reports the space freed. Each repository prunes on its own
 * schedule, weekly by default ({@link #DEFAULT_CRON}, Sunday 03:00 UTC), and on demand. The scheduled prunes
 * are started by one db-scheduler task that checks every minute which repositories are due, so with several
 * servers on one PostgreSQL a due prune runs once. Prune takes the repository's exclusive lock: it waits for
 * running backups and restores, which hold shared locks (ADR 0002).
 */
@Service
public class RepositoryPruning implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(RepositoryPruning.class);
    /** Weekly, Sunday 03:00. */
    public static final String DEFAULT_CRON = "0 3 * * 0";
    public static final String DEFAULT_ZONE = "UTC";

    private final Prunes prunes;
    private final RepositoryService repositories;
    private final AuditLog audit;
    private final Clock clock;
    private final ClusterMembership cluster;
    private final Set<Long> runningHere = ConcurrentHashMap.newKeySet();
    private ExecutorService onDemand;
    private volatile boolean started;

    RepositoryPruning(Prunes prunes, RepositoryService repositories, AuditLog audit, Clock clock,
                      ClusterMembership cluster) {
        this.prunes = prunes;
        this.repositories = repositories;
        this.audit = audit;
        this.clock = clock;
        this.cluster = cluster;
    }

    /** A repository's prune schedule: the cron, its zone, in words, whether it is on, and the next run. */
    public record PruneSchedule(long repositoryId, String cron, String zone, String description, boolean enabled,
                                Instant nextRunAt) {
    }

    /** A prune as the API and the page show it. */
    public record PruneView(long id, long repositoryId, String trigger, String requestedBy, Instant startedAt,
                            Instant finishedAt, String status, Long bytesFreed, Integer packsRemoved, Integer snapshots,
                            String error) {
        static PruneView of(Prunes.Prune p) {
            return new PruneView(p.id(), p.repositoryId(), p.trigger(), p.requestedBy(), p.startedAt(), p.finishedAt(),
                    p.status(), p.bytesFreed(), p.packsRemoved(), p.snapshots(), p.error());
        }
    }

    @Override
    public void start() {
        onDemand = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "cairn-prune");
            t.setDaemon(true);
            return t;
        });
        settleOrphans(true);
        started = true;
    }

    /**
     * Marks FAILED the prunes left RUNNING by a server that is gone (this server's previous process at
     * start; another server that stopped beating, at every check), so the repository's next prune can run.
     */
    private void settleOrphans(boolean atStart) {
        for (Prunes.Prune p : prunes.allRunning()) {
            if (cluster.isOrphaned(p.runnerNode(), runningHere.contains(p.id()), atStart)) {
                String who = p.runnerNode() == null || p.runnerNode().equals(cluster.nodeName()) ? "The server"
                        : "Server " + p.runnerNode();
                String message = who + " stopped while this prune ran. Nothing referenced was lost (prune deletes "
                        + "only after it wrote what replaces it); the next prune finishes the work.";
                prunes.finish(p.id(), "FAILED", clock.instant(), null, null, null, message);
                audit.recordAs(AuditLog.SYSTEM, AuditAction.PRUNE_FAILED, "repository " + p.repositoryId(),
                        AuditOutcome.FAILURE, "prune " + p.id() + ": " + message);
            }
        }
    }

    @Override
    public void stop() {
        started = false;
        if (onDemand != null) {
            onDemand.shutdownNow();
        }
    }

    @Override
    public boolean isRunning() {
        return started;
    }

    public PruneSchedule schedule(RepositoryId id) {
        ManagedRepository repo = repositories.get(id);
        Prunes.StoredSchedule s = stored(repo.id());
        CronSchedule cron = CronSchedule.parse(s.cron(), s.zone());
        return new PruneSchedule(repo.id().value(), s.cron(), s.zone(), cron.describe(), s.enabled(),
                s.enabled() ? cron.next(clock.instant()) : null);
    }

    private Prunes.StoredSchedule stored(RepositoryId id) {
        return prunes.schedule(id).orElse(new Prunes.StoredSchedule(DEFAULT_CRON, DEFAULT_ZONE, true));
    }

    /** Changes a repository's prune schedule; an invalid cron or zone is a 400 naming the field. */
    public PruneSchedule changeSchedule(RepositoryId id, String cron, String zone, boolean enabled) {
        ManagedRepository repo = repositories.get(id);
        String expression = cron == null || cron.isBlank() ? DEFAULT_CRON : cron.strip();
        String tz = zone == null || zone.isBlank() ? DEFAULT_ZONE : zone.strip();
        CronSchedule parsed;
        try {
            parsed = CronSchedule.parse(expression, tz);
        } catch (InvalidCronException e) {
            throw ProblemException.invalid(e.field(), e.getMessage());
        }
        prunes.saveSchedule(id, expression, tz, enabled, clock.instant());
        audit.record(AuditAction.PRUNE_SCHEDULE_CHANGED, "repository " + repo.name(), AuditOutcome.SUCCESS,
                enabled ? parsed.describe() : "off");
        return schedule(id);
    }

    /** Starts a prune now (in the background); 409 when one is already running for the repository. */
    public PruneView startNow(RepositoryId id, String actor) {
        ManagedRepository repo = repositories.get(id);
        if (prunes.running(id).isPresent()) {
            throw ProblemException.conflict("A prune of \"" + repo.name() + "\" is already running; wait for it to end.");
        }
        long pruneId = prunes.start(id, "MANUAL", actor, cluster.nodeName(), clock.instant());
        runningHere.add(pruneId);
        audit.record(AuditAction.PRUNE_STARTED, "repository " + repo.name(), AuditOutcome.SUCCESS, "prune " + pruneId);
        onDemand.submit(() -> run(repo, pruneId, actor));
        return get(pruneId);
    }

    public PruneView get(long pruneId) {
        return prunes.find(pruneId).map(PruneView::of)
                .orElseThrow(() -> ProblemException.notFound("There is no prune with id " + pruneId + "."));
    }

    public List<PruneView> recent(RepositoryId id, int limit) {
        repositories.get(id);
        return prunes.recent(id, limit).stream().map(PruneView::of).toList();
    }

    /**
     * Runs, one after the other, the prunes that are due at {@code now}: a repository whose schedule is on and
     * whose next run after its last prune (or after its creation) has come. Called by the scheduler's task.
     *
     * @return how many prunes ran
     */
    public int runDue(Instant now) {
        settleOrphans(false);
        int ran = 0;
        for (ManagedRepository repo : repositories.list()) {
            Prunes.StoredSchedule s = stored(repo.id());
            if (!s.enabled() || prunes.running(repo.id()).isPresent()) {
                continue;
            }
            Instant since = prunes.lastStarted(repo.id()).orElse(repo.createdAt());
            Instant due = CronSchedule.parse(s.cron(), s.zone()).next(since);
            if (due != null && !due.isAfter(now)) {
                long pruneId = prunes.start(repo.id(), "SCHEDULE", AuditLog.SYSTEM, cluster.nodeName(), now);
                runningHere.add(pruneId);
                run(repo, pruneId, AuditLog.SYSTEM);
                ran++;
            }
        }
        return ran;
    }

    private void run(ManagedRepository repo, long pruneId, String actor) {
        try (Repository opened = repositories.open(repo.id())) {
            PruneReport report = new Pruner(opened, PruneOptions.defaults(), event -> { }).prune();
            prunes.finish(pruneId, "SUCCEEDED", clock.instant(), report.bytesFreed(), report.packFilesRemoved(),
                    report.snapshots(), null);
            audit.recordAs(actor, AuditAction.PRUNE_SUCCEEDED, "repository " + repo.name(), AuditOutcome.SUCCESS,
                    "prune " + pruneId + ": freed " + report.bytesFreed() + " bytes, " + report.packFilesRemoved()
                            + " pack files removed");
        } catch (Exception e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            prunes.finish(pruneId, "FAILED", clock.instant(), null, null, null, message);
            audit.recordAs(actor, AuditAction.PRUNE_FAILED, "repository " + repo.name(), AuditOutcome.FAILURE,
                    "prune " + pruneId + ": " + message);
            log.warn("prune {} of repository {} failed: {}", pruneId, repo.name(), message);
        } finally {
            runningHere.remove(pruneId);
            repositories.forgetUsedSpace(repo.id());
        }
    }
}
