package io.cairn.engine.prune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.engine.backend.FileType;
import io.cairn.engine.blob.BlobType;
import io.cairn.engine.progress.ProgressListener;
import io.cairn.engine.repository.BlobWriter;
import io.cairn.engine.repository.Repository;
import io.cairn.engine.repository.RepositoryLock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stops a prune at every step that changes the repository (each save and each delete of a pack or
 * an index object, failing before or after the call takes effect) and proves that every snapshot
 * still restores afterwards, and that the next prune completes and leaves a clean repository.
 */
class PruneCrashSafetyTest {

    private static final PruneOptions OPTIONS = PruneOptions.defaults().withSmallPackLimit(0)
            .withProgressInterval(Duration.ZERO);

    @TempDir
    Path tmp;

    /** A repository where prune must repack, delete used-up packs, remove a leftover and merge indexes. */
    private record Scenario(RepoFixture fixture, FailingBackend backend, List<String> snapshots) {
    }

    private static Scenario scenario(Path dir) throws IOException {
        Files.createDirectories(dir);
        FailingBackend[] backend = new FailingBackend[1];
        RepoFixture f = new RepoFixture(dir, new MutableClock(Instant.parse("2024-05-01T10:00:00Z")),
                b -> backend[0] = new FailingBackend(b));
        f.write("a.bin", 40_000);
        f.write("b.bin", 40_000);
        String s1 = f.backup();
        f.delete("b.bin");
        f.write("c.bin", 40_000);
        String s2 = f.backup();
        f.write("d.bin", 40_000);
        String s3 = f.backup();
        // an interrupted backup: one full pack uploaded, no index
        BlobWriter writer = new BlobWriter(f.repo, f.repo.defaultCompression());
        Random random = new Random(3);
        for (int i = 0; i < 6; i++) {
            byte[] chunk = new byte[60_000];
            random.nextBytes(chunk);
            writer.saveAndId(BlobType.DATA, chunk);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (writer.packsWritten() < 1 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        writer.close();
        assertThat(writer.packsWritten()).as("precondition: the interrupted backup uploaded a pack").isEqualTo(1);
        new Forgetter(f.repo, ForgetOptions.defaults(), ProgressListener.NONE).forgetSnapshots(List.of(s1));
        f.repo.setIndex(f.repo.loadIndex());
        return new Scenario(f, backend[0], List.of(s2, s3));
    }

    @TestFactory
    Stream<DynamicTest> everySnapshotSurvivesAFailureAtEveryStep() throws IOException {
        int steps;
        Scenario probe = scenario(tmp.resolve("probe"));
        try (RepoFixture f = probe.fixture()) {
            probe.backend().failMutation(0, false);
            PruneReport report = new Pruner(f.repo, OPTIONS, ProgressListener.NONE).prune();
            assertThat(report.packsRepacked()).as("precondition: the scenario repacks").isEqualTo(1);
            assertThat(report.packsDeleted()).as("precondition: the scenario deletes a pack").isPositive();
            assertThat(report.unindexedPacksDeleted()).as("precondition: the scenario has a leftover").isEqualTo(1);
            assertThat(report.indexFilesReplaced()).as("precondition: the scenario merges indexes").isEqualTo(3);
            steps = probe.backend().mutations();
        }
        assertThat(steps).as("saves and deletes of packs and indexes in one prune").isGreaterThanOrEqualTo(8);
        List<DynamicTest> tests = new ArrayList<>();
        for (boolean afterEffect : new boolean[] {false, true}) {
            for (int step = 1; step <= steps; step++) {
                int n = step;
                String name = "failure at step " + n + " of " + steps + (afterEffect ? ", after it took effect" : "");
                tests.add(DynamicTest.dynamicTest(name, () -> crashAt(n, afterEffect)));
            }
        }
        return tests.stream();
    }

    private void crashAt(int step, boolean afterEffect) throws IOException {
        Scenario s = scenario(tmp.resolve("step-" + step + (afterEffect ? "-after" : "-before")));
        try (RepoFixture f = s.fixture()) {
            s.backend().failMutation(step, afterEffect);
            assertThatThrownBy(() -> new Pruner(f.repo, OPTIONS, ProgressListener.NONE).prune())
                    .isInstanceOf(IOException.class).hasMessageContaining("injected failure");
            assertThat(s.backend().injected()).isEqualTo(1);
            s.backend().failMutation(0, false);

            try (Repository fresh = f.reopen()) {
                assertThat(RepositoryLock.list(fresh)).as("the failed prune released its lock").isEmpty();
                for (String snapshot : s.snapshots()) {
                    f.assertRestores(fresh, snapshot);
                }
                PruneReport recovery = new Pruner(fresh, OPTIONS, ProgressListener.NONE).prune();
                assertThat(recovery.snapshots()).isEqualTo(s.snapshots().size());
                for (String snapshot : s.snapshots()) {
                    f.assertRestores(fresh, snapshot);
                }
            }
            try (Repository fresh = f.reopen()) {
                PruneReport clean = new Pruner(fresh, OPTIONS, ProgressListener.NONE).prune();
                assertThat(clean.nothingToDo()).as("the repository is clean after the recovery: %s", clean).isTrue();
                assertThat(f.names(FileType.INDEX)).hasSize(1);
                f.assertRestores(fresh, s.snapshots().get(s.snapshots().size() - 1));
            }
        }
    }
}
