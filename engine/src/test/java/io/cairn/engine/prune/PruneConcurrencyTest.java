package io.cairn.engine.prune;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.engine.backend.FileType;
import io.cairn.engine.blob.BlobId;
import io.cairn.engine.progress.ProgressEvent;
import io.cairn.engine.progress.ProgressListener;
import io.cairn.engine.repository.LockInfo;
import io.cairn.engine.repository.Repository;
import io.cairn.engine.repository.RepositoryLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Prune and backups at the same time: the locks keep them apart and no snapshot loses data. */
class PruneConcurrencyTest {

    private static final PruneOptions OPTIONS = PruneOptions.defaults().withSmallPackLimit(0)
            .withProgressInterval(Duration.ZERO).withLockWait(Duration.ofMinutes(1));

    @TempDir
    Path tmp;

    private final ExecutorService threads = Executors.newFixedThreadPool(2);

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    @Test
    void aBackupStartedWhilePruneRunsWaitsForItAndThenSucceeds() throws Exception {
        GatedBackend[] gate = new GatedBackend[1];
        try (RepoFixture f = new RepoFixture(tmp, Clock.systemUTC(), b -> gate[0] = new GatedBackend(b))) {
            f.write("a.bin", 40_000);
            f.write("b.bin", 40_000);
            byte[] b = Files.readAllBytes(f.source.resolve("b.bin"));
            String s1 = f.backup();
            List<BlobId> bBlobs = f.contentOf(f.repo, s1, "b.bin");
            f.delete("b.bin");
            f.write("c.bin", 40_000);
            String s2 = f.backup();
            new Forgetter(f.repo, ForgetOptions.defaults(), ProgressListener.NONE).forgetSnapshots(List.of(s1));

            // prune: it takes the exclusive lock, then is held still at its first read
            gate[0].arm();
            Future<PruneReport> prune = threads.submit(() -> new Pruner(f.repo, OPTIONS, ProgressListener.NONE).prune());
            assertThat(gate[0].awaitHeld(30)).as("prune reached its first read").isTrue();
            List<LockInfo> locks = RepositoryLock.list(f.repo).stream().map(RepositoryLock.LockRecord::info).toList();
            assertThat(locks).singleElement().satisfies(l -> {
                assertThat(l.exclusive()).isTrue();
                assertThat(l.operation()).isEqualTo("prune");
            });

            // a backup from another "process" that brings back b, whose blobs prune is about to drop
            f.write("b.bin", b);
            AtomicLong backupStarted = new AtomicLong();
            Future<String> backup;
            try (Repository other = f.reopen()) {
                long submitted = System.nanoTime();
                backup = threads.submit(() -> f.backup(other, "host-a", List.of(), Duration.ofMinutes(1), event -> {
                    if (event instanceof ProgressEvent.OperationStarted) {
                        backupStarted.compareAndSet(0, System.nanoTime());
                    }
                }));
                Thread.sleep(1500);
                assertThat(backup.isDone()).as("the backup waits while prune holds the lock").isFalse();
                assertThat(backupStarted.get()).as("the backup has not begun its work").isZero();
                assertThat(f.names(FileType.SNAPSHOT)).containsExactly(s2);

                gate[0].openGate();
                PruneReport report = prune.get(30, TimeUnit.SECONDS);
                assertThat(report.packsRepacked()).as("a and b shared a pack; b's half was dropped").isEqualTo(1);
                String s3 = backup.get(30, TimeUnit.SECONDS);

                assertThat(submitted).isLessThan(gate[0].lockDeletedNanos());
                assertThat(backupStarted.get()).as("the backup began only after prune released its lock")
                        .isGreaterThan(gate[0].lockDeletedNanos());
                assertThat(f.names(FileType.SNAPSHOT)).containsExactlyInAnyOrder(s2, s3);
                assertThat(f.contentOf(other, s3, "b.bin")).isEqualTo(bBlobs);
            }
            try (Repository fresh = f.reopen()) {
                f.assertRestores(fresh, s2);
                f.assertRestores(fresh, f.names(FileType.SNAPSHOT).stream().filter(id -> !id.equals(s2)).findFirst()
                        .orElseThrow());
                assertThat(bBlobs).as("the backup stored b again after prune").allMatch(fresh.loadIndex()::has);
                PruneReport after = new Pruner(fresh, OPTIONS, ProgressListener.NONE).prune();
                assertThat(after.packsDeleted() + after.unindexedPacksDeleted()).isZero();
                f.assertAllRestore(fresh);
            }
        }
    }

    @Test
    void pruneWaitsForARunningBackupBeforeItDeletesAnything() throws Exception {
        try (RepoFixture f = new RepoFixture(tmp, Clock.systemUTC(), b -> b)) {
            f.write("a.bin", 30_000);
            String s1 = f.backup();
            f.write("a.bin", 30_000);
            String s2 = f.backup();
            new Forgetter(f.repo, ForgetOptions.defaults(), ProgressListener.NONE).forgetSnapshots(List.of(s1));
            Set<String> packs = f.names(FileType.PACK);

            Future<PruneReport> prune;
            try (RepositoryLock running = RepositoryLock.acquire(f.repo, false, "backup", Duration.ZERO)) {
                prune = threads.submit(() -> new Pruner(f.repo, OPTIONS, ProgressListener.NONE).prune());
                Thread.sleep(1500);
                assertThat(prune.isDone()).as("prune waits for the backup's shared lock").isFalse();
                assertThat(f.names(FileType.PACK)).isEqualTo(packs);
            }
            PruneReport report = prune.get(30, TimeUnit.SECONDS);
            assertThat(report.packsDeleted()).isPositive();
            try (Repository fresh = f.reopen()) {
                f.assertRestores(fresh, s2);
            }
        }
    }
}
