package io.cairn.engine.prune;

import io.cairn.engine.progress.ProgressListener;
import io.cairn.engine.progress.ProgressTracker;
import io.cairn.engine.repository.Repository;
import io.cairn.engine.repository.RepositoryException;
import io.cairn.engine.repository.RepositoryLock;
import io.cairn.engine.retention.KeptSnapshot;
import io.cairn.engine.retention.RemovedSnapshot;
import io.cairn.engine.retention.RetentionCandidate;
import io.cairn.engine.retention.RetentionGroupPlan;
import io.cairn.engine.retention.RetentionPlan;
import io.cairn.engine.retention.RetentionPlanner;
import io.cairn.engine.retention.RetentionPolicy;
import io.cairn.engine.snapshot.SnapshotRef;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Removes snapshots: those a {@link RetentionPolicy} does not keep, or those named by id. Only the
 * snapshot objects are deleted; the data they alone referenced stays until {@link Pruner} runs.
 *
 * <p>A policy is applied to each group of snapshots on its own ({@link SnapshotGrouping}); the
 * decision itself is {@link RetentionPlanner}'s. A policy that would remove every snapshot of a group
 * (possible only with tag rules alone) is refused unless {@link ForgetOptions#force()} is set.
 *
 * <p>Locking: a real run holds an exclusive lock, so it never removes a snapshot while a backup
 * uses it as its parent; a dry run reads under a shared lock. Snapshots are read after the lock is
 * taken. Every decision is made, and every named snapshot resolved, before the first deletion; a
 * crash during the deletions leaves some of the snapshots removed and the rest intact, and running
 * the same forget again finishes the job.
 *
 * <p>Progress: one start/end pair named {@value #OPERATION}.
 */
public final class Forgetter {

    /** The operation name in progress events and in the lock. */
    public static final String OPERATION = "forget";

    private final Repository repo;
    private final ForgetOptions options;
    private final ProgressListener listener;

    public Forgetter(Repository repo, ForgetOptions options, ProgressListener listener) {
        this.repo = repo;
        this.options = options;
        this.listener = listener;
    }

    /**
     * Applies {@code policy} to every group and removes the snapshots it does not keep.
     *
     * @throws IllegalArgumentException if the policy has no rule
     * @throws RepositoryException      if the policy empties a group and {@code force} is not set
     *                                  (nothing is removed then)
     */
    public ForgetReport forget(RetentionPolicy policy) throws IOException {
        if (policy.isEmpty()) {
            throw new IllegalArgumentException("no keep rule given: forget needs at least one --keep-* option, or "
                    + "snapshot ids to remove");
        }
        return run("forget by policy: " + policy.describe(), () -> {
            List<SnapshotRef> snapshots = repo.snapshots();
            Map<String, SnapshotRef> byId = new HashMap<>();
            Map<String, SnapshotGroup> groupsByKey = new HashMap<>();
            List<RetentionCandidate> candidates = new ArrayList<>();
            for (SnapshotRef s : snapshots) {
                SnapshotGroup group = options.grouping().groupOf(s.snapshot());
                groupsByKey.put(group.key(), group);
                byId.put(s.id(), s);
                candidates.add(new RetentionCandidate(s.id(), s.snapshot().instant(), new HashSet<>(s.snapshot().tags()),
                        group.key()));
            }
            Instant now = repo.clock().instant();
            RetentionPlan plan = RetentionPlanner.plan(candidates, policy, options.zone(), now);
            List<ForgetReport.Group> groups = new ArrayList<>();
            List<SnapshotGroup> emptied = new ArrayList<>();
            for (RetentionGroupPlan g : plan.groups()) {
                List<ForgetReport.Decision> kept = new ArrayList<>();
                for (KeptSnapshot k : g.kept()) {
                    kept.add(new ForgetReport.Decision(byId.get(k.candidate().id()), k.reasons()));
                }
                List<ForgetReport.Decision> removed = new ArrayList<>();
                for (RemovedSnapshot r : g.removed()) {
                    removed.add(new ForgetReport.Decision(byId.get(r.candidate().id()), List.of(r.reason())));
                }
                groups.add(new ForgetReport.Group(groupsByKey.get(g.group()), kept, removed));
                if (g.isEmptied()) {
                    emptied.add(groupsByKey.get(g.group()));
                }
            }
            if (!emptied.isEmpty() && !options.dryRun() && !options.force()) {
                throw new RepositoryException("refusing to forget: the policy (" + policy.describe() + ") would remove "
                        + "every snapshot of " + emptied.stream().map(e -> "{" + e.describe() + "}")
                        .collect(Collectors.joining(", ")) + ". Nothing was removed. Check the --keep-* options, or add "
                        + "--force if removing all of them is what you want", RepositoryException.EXIT_FAILURE);
            }
            List<SnapshotRef> removed = plan.removedIds().stream().map(byId::get)
                    .sorted(Comparator.comparing((SnapshotRef s) -> s.snapshot().instant()).thenComparing(SnapshotRef::id))
                    .toList();
            delete(removed);
            return new Partial(policy.describe(), groups, removed, emptied);
        });
    }

    /**
     * Removes the named snapshots: full ids, unique prefixes, or "latest". Every name is resolved
     * before the first deletion, so a typo removes nothing.
     *
     * @throws IllegalArgumentException if no snapshot is named
     * @throws RepositoryException      if a name matches no snapshot or several
     */
    public ForgetReport forgetSnapshots(List<String> refs) throws IOException {
        if (refs.isEmpty()) {
            throw new IllegalArgumentException("no snapshot given to forget");
        }
        return run("forget " + String.join(" ", refs), () -> {
            Map<String, SnapshotRef> found = new LinkedHashMap<>();
            for (String ref : refs) {
                SnapshotRef s = repo.findSnapshot(ref);
                found.putIfAbsent(s.id(), s);
            }
            List<SnapshotRef> removed = found.values().stream()
                    .sorted(Comparator.comparing((SnapshotRef s) -> s.snapshot().instant()).thenComparing(SnapshotRef::id))
                    .toList();
            delete(removed);
            return new Partial(null, List.of(), removed, List.of());
        });
    }

    private void delete(List<SnapshotRef> snapshots) throws IOException {
        if (options.dryRun()) {
            return;
        }
        for (SnapshotRef s : snapshots) {
            repo.deleteSnapshot(s.id());
        }
    }

    /** The report without its timing. */
    private record Partial(String policy, List<ForgetReport.Group> groups, List<SnapshotRef> removed,
                           List<SnapshotGroup> emptied) {
    }

    @FunctionalInterface
    private interface Body {
        Partial run() throws IOException;
    }

    private ForgetReport run(String description, Body body) throws IOException {
        Instant started = repo.clock().instant();
        ProgressTracker tracker = new ProgressTracker(OPERATION, options.dryRun() ? description + " (dry run)" : description,
                listener, repo.clock(), Duration.ZERO);
        Throwable error = null;
        try (RepositoryLock lock = RepositoryLock.acquire(repo, !options.dryRun(), OPERATION, options.lockWait())) {
            Partial p = body.run();
            return new ForgetReport(options.dryRun(), p.policy(), p.groups(), p.removed(), p.emptied(),
                    Duration.between(started, repo.clock().instant()));
        } catch (Throwable t) {
            error = t;
            throw t;
        } finally {
            tracker.end(error);
        }
    }
}
