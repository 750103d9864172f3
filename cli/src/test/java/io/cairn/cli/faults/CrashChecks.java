package io.cairn.cli.faults;

import static io.cairn.cli.faults.Fixtures.manifest;
import static io.cairn.cli.faults.Fixtures.restored;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.engine.check.CheckOptions;
import io.cairn.engine.check.CheckReport;
import io.cairn.engine.check.Checker;
import io.cairn.engine.progress.ProgressListener;
import io.cairn.engine.repository.Repository;
import io.cairn.engine.repository.RepositoryLock;
import io.cairn.engine.restorer.RestoreOptions;
import io.cairn.engine.restorer.Restorer;
import io.cairn.engine.snapshot.SnapshotRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** What must hold in a repository after a process working on it was killed with SIGKILL. */
final class CrashChecks {

    private CrashChecks() {
    }

    /**
     * Every snapshot carries exactly one tag, no two share it, and each snapshot {@code selected}
     * restores to exactly the content recorded for its tag ({@code source} was backed up under that
     * tag). Returns the snapshots found.
     */
    static List<SnapshotRef> assertSnapshotsRestore(Repository repo, Path scratch, Path source,
                                                    Map<String, TreeMap<String, String>> contentByTag,
                                                    Predicate<SnapshotRef> selected) throws IOException {
        List<SnapshotRef> snapshots = repo.snapshots();
        Set<String> tags = new HashSet<>();
        for (SnapshotRef s : snapshots) {
            List<String> own = s.snapshot().tags();
            assertThat(own).as("tags of snapshot %s", s.shortId()).hasSize(1);
            assertThat(tags.add(own.get(0))).as("a second snapshot tagged %s", own.get(0)).isTrue();
            assertThat(contentByTag).as("content recorded for tag %s", own.get(0)).containsKey(own.get(0));
            if (selected.test(s)) {
                Path target = Files.createTempDirectory(scratch, "restore-" + s.shortId() + "-");
                new Restorer(repo, RestoreOptions.defaults(), ProgressListener.NONE).restore(s, target);
                assertThat(manifest(restored(target, source))).as("snapshot %s (%s) restored", s.shortId(), own)
                        .isEqualTo(contentByTag.get(own.get(0)));
                deleteTree(target);
            }
        }
        return snapshots;
    }

    /**
     * Every lock left is stale (its process is dead), and an exclusive lock can be taken at once,
     * which proves no leftover lock blocks the next backup or prune. Returns how many were left.
     */
    static int assertLeftLocksAreStale(Repository repo) throws IOException {
        List<RepositoryLock.LockRecord> left = RepositoryLock.list(repo);
        for (RepositoryLock.LockRecord lock : left) {
            assertThat(RepositoryLock.isStale(repo, lock.info()))
                    .as("lock %s of %s pid %d", lock.id(), lock.info().operation(), lock.info().pid()).isTrue();
        }
        try (RepositoryLock exclusive = RepositoryLock.acquire(repo, true, "crash test", Duration.ZERO)) {
            assertThat(RepositoryLock.list(repo)).as("locks while holding the exclusive lock").hasSize(1);
        }
        return left.size();
    }

    /** A check (structure, or also every blob with {@code readData}) finds no error. */
    static CheckReport assertCheckFindsNoError(Repository repo, boolean readData) throws IOException {
        CheckReport report = new Checker(repo).check(CheckOptions.defaults().withReadData(readData)
                .withLockWait(Duration.ZERO));
        assertThat(report.errors()).as("errors found by check%s", readData ? " --read-data" : "").isEmpty();
        return report;
    }

    static void deleteTree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
