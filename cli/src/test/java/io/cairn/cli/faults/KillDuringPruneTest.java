package io.cairn.cli.faults;

import static io.cairn.cli.faults.Fixtures.manifest;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.engine.archiver.Archiver;
import io.cairn.engine.archiver.BackupOptions;
import io.cairn.engine.backend.LocalBackend;
import io.cairn.engine.check.CheckProblem;
import io.cairn.engine.check.CheckReport;
import io.cairn.engine.progress.ProgressListener;
import io.cairn.engine.repository.Repository;
import io.cairn.engine.snapshot.SnapshotRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a real {@code cairn prune} process at many points: while it marks, repacks, writes
 * the new index, deletes old index objects, or deletes packs. After every kill each remaining
 * snapshot restores byte for byte, a structure check finds no error, and the exclusive lock the
 * dead prune left is stale and blocks nothing. At the end a prune completes, leaves nothing
 * unreferenced, {@code cairn check --read-data} passes and a backup works.
 *
 * <p>Each round makes prune work: a new generation of the data (half its files new) is backed up
 * and the generation before the previous one is forgotten, so packs become partly unused and are
 * repacked ({@code --max-unused 0}) or deleted. The snapshot kept from the previous generation
 * shares half its data with the new one, so repacking must move data a kept snapshot needs.
 */
class KillDuringPruneTest {

    private static final int FILES = 8;
    private static final int FILE_SIZE = 512 * 1024;
    /** Kill points as fractions of an undisturbed prune's duration, counted from taking the lock. */
    private static final double[] KILL_POINTS = {0.0, 0.15, 0.3, 0.5, 0.7, 0.9};

    @TempDir
    Path dir;

    private Path repo;
    private Path source;
    private Path password;
    private final Map<String, TreeMap<String, String>> contentByTag = new HashMap<>();

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void everySnapshotSurvivesAPruneKilledAtAnyPointAndTheNextPruneFinishes() throws Exception {
        repo = dir.resolve("repo");
        source = dir.resolve("source");
        password = Fixtures.passwordFile(dir, "password", Fixtures.PASSWORD);
        Fixtures.initRepository(repo, 64 * 1024);
        newGeneration(0);
        newGeneration(1);

        // an undisturbed prune, to measure how long one takes here
        CairnProcess calibration = startPrune("prune-calibration");
        long lockedAt = calibration.awaitLockOrExit(repo);
        assertThat(calibration.await()).as(calibration.log()).isZero();
        long fullNanos = System.nanoTime() - lockedAt;
        verifyAfterCrash();

        List<String> timeline = new ArrayList<>();
        int killed = 0;
        int locksLeft = 0;
        int rounds = KILL_POINTS.length + 2;
        for (int round = 1; round <= rounds; round++) {
            newGeneration(round + 1);
            Set<String> indexBefore = names(repo.resolve("index"));
            Set<String> packsBefore = packNames();
            CairnProcess child = startPrune("prune-round-" + round);
            long started = child.awaitLockOrExit(repo);
            int exit;
            String when;
            if (round <= KILL_POINTS.length) {
                long delay = Math.round(KILL_POINTS[round - 1] * fullNanos);
                when = String.format("at %.2f of a prune = %d ms", KILL_POINTS[round - 1], delay / 1_000_000);
                exit = child.killAt(started + delay);
            } else if (round == KILL_POINTS.length + 1) {
                when = "as soon as its new index object appeared";
                exit = child.killWhen(() -> !indexBefore.containsAll(names(repo.resolve("index"))));
            } else {
                when = "as soon as it had deleted a pack";
                exit = child.killWhen(() -> !packNames().containsAll(packsBefore));
            }
            if (exit == 0) {
                fullNanos = Math.min(fullNanos, System.nanoTime() - started);
            } else {
                assertThat(exit).as("exit status of prune round %d; %s", round, child.log()).isEqualTo(-1);
                killed++;
            }
            timeline.add(String.format("round %d: kill %s: %s", round, when,
                    exit == -1 ? "killed" : "had exited with " + exit));
            locksLeft += verifyAfterCrash();
        }
        String story = String.join("\n", timeline);
        System.out.println(story);
        assertThat(killed).as("prunes killed while running:\n%s", story).isGreaterThanOrEqualTo(4);
        assertThat(locksLeft).as("locks left by killed prunes:\n%s", story).isPositive();

        // the next prune finishes the job: nothing unreferenced remains, all data reads back
        Cli.Result prune = Cli.run("prune", "--repo", repo.toString(), "--password-file", password.toString(),
                "--max-unused", "0", "--lock-wait", "PT0S");
        assertThat(prune.exitCode()).as(prune.toString()).isZero();
        verifyAfterCrash();
        Cli.Result check = Cli.run("check", "--read-data", "--repo", repo.toString(), "--password-file",
                password.toString());
        assertThat(check.exitCode()).as(check.toString()).isZero();
        try (Repository r = Fixtures.open(repo)) {
            CheckReport report = CrashChecks.assertCheckFindsNoError(r, true);
            assertThat(report.infos()).as("left after a complete prune").noneMatch(p ->
                    p.kind() == CheckProblem.Kind.PACK_UNREFERENCED || p.kind() == CheckProblem.Kind.UNUSED_BLOBS);
        }
        newGeneration(rounds + 2);
        verifyAfterCrash();
    }

    /**
     * Rewrites half of the source's files (all of them for generation 0), backs it up tagged
     * {@code gen-N}, and forgets generation N-2, so only the last two generations remain.
     */
    private void newGeneration(int generation) throws IOException {
        Files.createDirectories(source);
        for (int i = 0; i < FILES; i++) {
            if (generation == 0 || (i + generation) % 2 == 0) {
                Files.write(source.resolve("file-" + i + ".bin"), Fixtures.randomBytes(generation * 100L + i, FILE_SIZE));
            }
        }
        String tag = "gen-" + generation;
        contentByTag.put(tag, manifest(source));
        try (Repository r = Fixtures.open(repo)) {
            new Archiver(r, BackupOptions.defaults().withForce(true).withTags(List.of(tag)).withLockWait(Duration.ZERO),
                    ProgressListener.NONE).backup(List.of(source));
            for (SnapshotRef s : r.snapshots()) {
                int gen = Integer.parseInt(s.snapshot().tags().get(0).substring("gen-".length()));
                if (gen < generation - 1) {
                    r.deleteSnapshot(s.id());
                }
            }
        }
    }

    private CairnProcess startPrune(String name) throws IOException {
        return CairnProcess.start(dir.resolve("logs"), name, "prune", "--repo", repo.toString(), "--password-file",
                password.toString(), "--max-unused", "0", "--lock-wait", "PT0S");
    }

    private static Set<String> names(Path directory) throws IOException {
        try (Stream<Path> s = Files.list(directory)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(LocalBackend.TEMP_FILE_PREFIX))
                    .collect(Collectors.toSet());
        }
    }

    private Set<String> packNames() throws IOException {
        Set<String> all = new HashSet<>();
        try (Stream<Path> shards = Files.list(repo.resolve("data"))) {
            for (Path shard : shards.toList()) {
                all.addAll(names(shard));
            }
        }
        return all;
    }

    /** Checks the repository after a kill; returns how many locks the killed process left. */
    private int verifyAfterCrash() throws IOException {
        try (Repository r = Fixtures.open(repo)) {
            // prune may move any blob: every remaining snapshot is restored after every kill
            List<SnapshotRef> snapshots = CrashChecks.assertSnapshotsRestore(r, dir, source, contentByTag, s -> true);
            assertThat(snapshots).as("snapshots kept").hasSize(2);
            int locks = CrashChecks.assertLeftLocksAreStale(r);
            CrashChecks.assertCheckFindsNoError(r, false);
            return locks;
        }
    }
}
