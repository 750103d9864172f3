package io.cairn.cli.faults;

import static io.cairn.cli.faults.Fixtures.manifest;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.engine.backend.LocalBackend;
import io.cairn.engine.check.CheckProblem;
import io.cairn.engine.check.CheckReport;
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
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a real {@code cairn backup} process at many points: while it reads and packs, writes
 * packs, writes an index, or commits. After every kill: each snapshot in the repository restores
 * byte for byte to the data it was taken from (there is no partial snapshot), the lock the dead
 * process left is stale and does not even block an exclusive lock, and a structure check finds no
 * error. At the end the next backup completes and {@code cairn check --read-data} passes.
 *
 * <p>Most kill points are fractions of the time an undisturbed backup takes here, measured first
 * and lowered whenever a child finishes sooner, so they spread over the whole backup on fast and
 * slow machines alike. Two more are events: the moment the child's first index object appears, and
 * the moment its snapshot appears (killed between commit and releasing its lock). Each round backs
 * up new data tagged with its round, so every round writes packs.
 */
class KillDuringBackupTest {

    private static final int FILES = 4;
    private static final int FILE_SIZE = 2 * 1024 * 1024;
    /** Kill points as fractions of an undisturbed backup's duration, counted from taking the lock. */
    private static final double[] KILL_POINTS = {0.0, 0.05, 0.15, 0.3, 0.45, 0.6, 0.8, 0.95};

    @TempDir
    Path dir;

    private Path repo;
    private Path source;
    private Path password;
    private final Map<String, TreeMap<String, String>> contentByTag = new HashMap<>();
    private final Set<String> restoredSnapshots = new HashSet<>();

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void everyCommittedSnapshotSurvivesKillNineAndTheNextBackupWorks() throws Exception {
        repo = dir.resolve("repo");
        source = dir.resolve("source");
        password = Fixtures.passwordFile(dir, "password", Fixtures.PASSWORD);
        Fixtures.initRepository(repo, 64 * 1024);

        // round 0: undisturbed, to measure how long a backup of this size takes here
        writeRound(0);
        CairnProcess calibration = startBackup(0);
        long lockedAt = calibration.awaitLockOrExit(repo);
        assertThat(calibration.await()).as(calibration.log()).isZero();
        long fullNanos = System.nanoTime() - lockedAt;
        verifyAfterCrash();

        int killedBeforeCommit = 0;
        int locksLeft = 0;
        List<String> timeline = new ArrayList<>();
        int rounds = KILL_POINTS.length + 2;
        for (int round = 1; round <= rounds; round++) {
            writeRound(round);
            Set<String> indexBefore = names(repo.resolve("index"));
            Set<String> snapshotsBefore = names(repo.resolve("snapshots"));
            CairnProcess child = startBackup(round);
            long started = child.awaitLockOrExit(repo);
            int exit;
            String when;
            if (round <= KILL_POINTS.length) {
                long delay = Math.round(KILL_POINTS[round - 1] * fullNanos);
                when = String.format("at %.2f of a backup = %d ms", KILL_POINTS[round - 1], delay / 1_000_000);
                exit = child.killAt(started + delay);
            } else if (round == KILL_POINTS.length + 1) {
                when = "as soon as its first index object appeared";
                exit = child.killWhen(() -> !indexBefore.containsAll(names(repo.resolve("index"))));
            } else {
                when = "as soon as its snapshot appeared";
                exit = child.killWhen(() -> !snapshotsBefore.containsAll(names(repo.resolve("snapshots"))));
            }
            if (exit == 0) {
                fullNanos = Math.min(fullNanos, System.nanoTime() - started);
            } else {
                assertThat(exit).as("exit status of round %d; %s", round, child.log()).isEqualTo(-1);
            }
            boolean committed = hasSnapshotTagged("round-" + round);
            killedBeforeCommit += committed ? 0 : 1;
            timeline.add(String.format("round %d: kill %s: %s, %s", round, when,
                    exit == -1 ? "killed" : "had exited with " + exit, committed ? "snapshot committed" : "no snapshot"));
            locksLeft += verifyAfterCrash();
        }
        String story = String.join("\n", timeline);
        System.out.println(story);
        assertThat(killedBeforeCommit).as("rounds killed before their commit:\n%s", story).isGreaterThanOrEqualTo(5);
        assertThat(locksLeft).as("locks left by killed processes:\n%s", story).isPositive();

        // the next backup, as a user runs it, completes and restores exactly
        writeRound(99);
        Cli.Result next = Cli.run("backup", "--repo", repo.toString(), "--password-file", password.toString(),
                "--tag", "round-99", "--lock-wait", "PT0S", source.toString());
        assertThat(next.exitCode()).as(next.toString()).isZero();
        verifyAfterCrash();

        Cli.Result check = Cli.run("check", "--read-data", "--repo", repo.toString(), "--password-file",
                password.toString());
        assertThat(check.exitCode()).as(check.toString()).isZero();
        try (Repository r = Fixtures.open(repo)) {
            CheckReport report = CrashChecks.assertCheckFindsNoError(r, true);
            assertThat(report.infos()).as("packs that killed backups left unindexed (prune removes them)")
                    .anyMatch(p -> p.kind() == CheckProblem.Kind.PACK_UNREFERENCED);
        }
        // temporary files of killed writers are never listed as objects, and cleanup removes them
        new LocalBackend(repo).cleanupTempFiles(Duration.ZERO);
        try (Stream<Path> walk = Files.walk(repo)) {
            assertThat(walk.filter(p -> p.getFileName().toString().startsWith(LocalBackend.TEMP_FILE_PREFIX)))
                    .as("temporary files after cleanup").isEmpty();
        }
    }

    /** Replaces the source with this round's data and records what it holds. */
    private void writeRound(int round) throws IOException {
        if (Files.exists(source)) {
            CrashChecks.deleteTree(source);
        }
        Fixtures.writeRandomFiles(source, 1000L + round, FILES, FILE_SIZE);
        contentByTag.put("round-" + round, manifest(source));
    }

    private CairnProcess startBackup(int round) throws IOException {
        return CairnProcess.start(dir.resolve("logs"), "backup-round-" + round, "backup", "--repo", repo.toString(),
                "--password-file", password.toString(), "--force", "--tag", "round-" + round, "--lock-wait", "PT0S",
                source.toString());
    }

    /** Object names in a repository directory, without temporary files. */
    private static Set<String> names(Path directory) throws IOException {
        try (Stream<Path> s = Files.list(directory)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(LocalBackend.TEMP_FILE_PREFIX))
                    .collect(java.util.stream.Collectors.toSet());
        }
    }

    private boolean hasSnapshotTagged(String tag) throws IOException {
        try (Repository r = Fixtures.open(repo)) {
            return r.snapshots().stream().anyMatch(s -> s.snapshot().tags().contains(tag));
        }
    }

    /** Checks the repository after a kill; returns how many locks the killed process left. */
    private int verifyAfterCrash() throws IOException {
        try (Repository r = Fixtures.open(repo)) {
            // a backup never touches earlier snapshots: each is restored once, when it first appears
            CrashChecks.assertSnapshotsRestore(r, dir, source, contentByTag,
                    (SnapshotRef s) -> restoredSnapshots.add(s.id()));
            int locks = CrashChecks.assertLeftLocksAreStale(r);
            CrashChecks.assertCheckFindsNoError(r, false);
            return locks;
        }
    }
}
