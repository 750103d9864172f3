package io.cairn.engine.prune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.engine.backend.FileHandle;
import io.cairn.engine.backend.FileType;
import io.cairn.engine.blob.BlobId;
import io.cairn.engine.blob.BlobType;
import io.cairn.engine.index.BlobLocation;
import io.cairn.engine.index.Index;
import io.cairn.engine.pack.PackEntry;
import io.cairn.engine.progress.ProgressEvent;
import io.cairn.engine.progress.ProgressListener;
import io.cairn.engine.repository.BlobWriter;
import io.cairn.engine.repository.Repository;
import io.cairn.engine.repository.RepositoryException;
import io.cairn.engine.repository.RepositoryLock;
import io.cairn.engine.retention.RetentionPolicy;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrunerTest {

    /** Defaults, except that small packs are not gathered (each backup here writes small packs). */
    private static final PruneOptions OPTIONS = PruneOptions.defaults().withSmallPackLimit(0)
            .withProgressInterval(Duration.ZERO);

    @TempDir
    Path tmp;

    @Test
    void forgetThenPruneFreesSpaceAndTheRemainingSnapshotsRestore() throws IOException {
        try (RepoFixture f = new RepoFixture(tmp)) {
            f.write("a.bin", 40_000);
            f.write("b.bin", 40_000);
            f.write("c.bin", 40_000);
            String s1 = f.backup();
            f.write("a.bin", 40_000);
            String s2 = f.backup();
            f.write("b.bin", 40_000);
            f.write("sub/d.bin", 30_000);
            String s3 = f.backup();
            f.delete("c.bin");
            String s4 = f.backup();
            List<BlobId> onlyInS1 = f.contentOf(f.repo, s1, "a.bin");
            List<BlobId> sharedWithS3 = f.contentOf(f.repo, s3, "b.bin");

            ForgetReport forgotten = new Forgetter(f.repo, ForgetOptions.defaults(), ProgressListener.NONE)
                    .forget(RetentionPolicy.builder().keepLast(2).build());
            assertThat(forgotten.removedIds()).containsExactly(s1, s2);
            assertThat(f.names(FileType.SNAPSHOT)).containsExactlyInAnyOrder(s3, s4);

            long before = f.packBytes();
            PruneReport report = new Pruner(f.repo, OPTIONS, ProgressListener.NONE).prune();
            long after = f.packBytes();

            assertThat(after).isLessThan(before);
            assertThat(report.bytesFreed()).isEqualTo(before - after);
            assertThat(report.dryRun()).isFalse();
            assertThat(report.snapshots()).isEqualTo(2);
            assertThat(report.packFilesRemoved()).isPositive();
            assertThat(report.blobsRemoved()).isPositive();
            assertThat(report.indexFilesReplaced()).isEqualTo(4);
            assertThat(report.indexFilesWritten()).isEqualTo(1);
            assertThat(f.names(FileType.INDEX)).hasSize(1);

            try (Repository fresh = f.reopen()) {
                Index index = fresh.loadIndex();
                assertThat(onlyInS1).noneMatch(index::has);
                assertThat(sharedWithS3).allMatch(index::has);
                f.assertRestores(fresh, s3);
                f.assertRestores(fresh, s4);
                PruneReport again = new Pruner(fresh, OPTIONS, ProgressListener.NONE).prune();
                assertThat(again.nothingToDo()).as("a second prune finds nothing to do: %s", again).isTrue();
                assertThat(again.bytesFreed()).isZero();
            }
            // the pruning repository's own cached index was replaced, so it still restores too
            f.assertRestores(f.repo, s4);
        }
    }

    @Test
    void aPackThatIsHalfUsedIsRepackedAndTheRestStillRestores() throws IOException {
        try (RepoFixture f = new RepoFixture(tmp)) {
            f.write("x.bin", 60_000);
            f.write("y.bin", 60_000);
            String s1 = f.backup();
            f.delete("y.bin");
            String s2 = f.backup();
            List<BlobId> x = f.contentOf(f.repo, s2, "x.bin");
            List<BlobId> y = f.contentOf(f.repo, s1, "y.bin");
            Index index = f.repo.loadIndex();
            String mixedPack = index.find(x.get(0)).packId();
            assertThat(x).as("precondition: x is in one pack").allMatch(id -> index.find(id).packId().equals(mixedPack));
            assertThat(y).as("precondition: y shares it").allMatch(id -> index.find(id).packId().equals(mixedPack));
            long xBytes = x.stream().mapToLong(id -> index.find(id).sealedLength()).sum();

            new Forgetter(f.repo, ForgetOptions.defaults(), ProgressListener.NONE).forgetSnapshots(List.of(s1));
            PruneReport report = new Pruner(f.repo, OPTIONS, ProgressListener.NONE).prune();

            assertThat(report.packsRepacked()).isEqualTo(1);
            assertThat(report.packsWritten()).isEqualTo(1);
            assertThat(report.bytesRepacked()).isEqualTo(xBytes);
            assertThat(report.packsDeleted()).as("the tree pack only s1 used").isEqualTo(1);
            assertThat(report.blobsRemoved()).isGreaterThanOrEqualTo(y.size());
            assertThat(f.names(FileType.PACK)).doesNotContain(mixedPack);
            try (Repository fresh = f.reopen()) {
                Index after = fresh.loadIndex();
                assertThat(y).noneMatch(after::has);
                String newPack = after.find(x.get(0)).packId();
                assertThat(newPack).isNotEqualTo(mixedPack);
                List<BlobId> header = fresh.loadPackHeader(newPack).stream().map(PackEntry::id).toList();
                assertThat(header).as("the new pack holds exactly x's blobs").containsExactlyInAnyOrderElementsOf(x);
                f.assertRestores(fresh, s2);
            }
        }
    }

    @Test
    void aDamagedBlobStopsTheRepackBeforeAnythingIsDeleted() throws IOException {
        try (RepoFixture f = new RepoFixture(tmp)) {
            f.write("x.bin", 60_000);
            f.write("y.bin", 60_000);
            String s1 = f.backup();
            f.delete("y.bin");
            f.backup();
            BlobLocation x = f.repo.loadIndex().find(f.contentOf(f.repo, s1, "x.bin").get(0));
            new Forgetter(f.repo, ForgetOptions.defaults(), ProgressListener.NONE).forgetSnapshots(List.of(s1));
            Path pack = f.repoDir.resolve(FileHandle.of(FileType.PACK, x.packId()).relativePath());
            byte[] bytes = java.nio.file.Files.readAllBytes(pack);
            bytes[x.offset() + 30] ^= 0x40;
            java.nio.file.Files.delete(pack);
            java.nio.file.Files.write(pack, bytes);
            Set<String> packs = f.names(FileType.PACK);
            Set<String> indexes = f.names(FileType.INDEX);

            assertThatThrownBy(() -> new Pruner(f.repo, OPTIONS, ProgressListener.NONE).prune())
                    .isInstanceOf(RepositoryException.class)
                    .hasMessageContaining("prune stopped before deleting anything")
                    .hasMessageContaining(x.packId().substring(0, 8))
                    .extracting(e -> ((RepositoryException) e).exitCode()).isEqualTo(RepositoryException.EXIT_DAMAGED);
            assertThat(f.names(FileType.PACK)).containsAll(packs);
            assertThat(f.names(FileType.INDEX)).isEqualTo(indexes);
        }
    }

    @Test
    void aPackBelowTheUnusedThresholdIsKeptWhole() throws IOException {
        try (RepoFixture f = new RepoFixture(tmp)) {
            f.write("x.bin", 60_000);
            f.write("y.bin", 60_000);
            String s1 = f.backup();
            f.delete("y.bin");
            String s2 = f.backup();
            List<BlobId> y = f.contentOf(f.repo, s1, "y.bin");
            String mixedPack = f.repo.loadIndex().find(y.get(0)).packId();
            new Forgetter(f.repo, ForgetOptions.defaults(), ProgressListener.NONE).forgetSnapshots(List.of(s1));

            PruneReport report = new Pruner(f.repo, OPTIONS.withMaxUnusedPercent(60), ProgressListener.NONE).prune();

            assertThat(report.packsRepacked()).isZero();
            assertThat(report.unusedBytesKept()).isPositive();
            assertThat(f.names(FileType.PACK)).contains(mixedPack);
            try (Repository fresh = f.reopen()) {
                assertThat(y).as("the index keeps mirroring the kept pack's header").allMatch(fresh.loadIndex()::has);
                f.assertRestores(fresh, s2);
            }
        }
    }

    @Test
    void packsOfAnInterruptedBackupThatNoIndexListsAreDeleted() throws Exception {
        try (RepoFixture f = new RepoFixture(tmp)) {
            f.write("kept.bin", 30_000);
            String s1 = f.backup();
            Set<String> packsBefore = f.names(FileType.PACK);
            Set<String> indexesBefore = f.names(FileType.INDEX);

            // a backup that uploads full packs and dies before writing its index
            BlobWriter writer = new BlobWriter(f.repo, f.repo.defaultCompression());
            Random random = new Random(7);
            for (int i = 0; i < 12; i++) {
                byte[] chunk = new byte[60_000];
                random.nextBytes(chunk);
                writer.saveAndId(BlobType.DATA, chunk);
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (writer.packsWritten() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            writer.close();
            Set<String> leftovers = new HashSet<>(f.names(FileType.PACK));
            leftovers.removeAll(packsBefore);
            assertThat(leftovers).as("precondition: packs were uploaded").hasSizeGreaterThanOrEqualTo(2);
            assertThat(f.names(FileType.INDEX)).as("precondition: no index was written").isEqualTo(indexesBefore);

            try (Repository fresh = f.reopen()) {
                PruneReport dry = new Pruner(fresh, OPTIONS.withDryRun(true), ProgressListener.NONE).prune();
                assertThat(dry.unindexedPacksDeleted()).isEqualTo(leftovers.size());
                assertThat(f.names(FileType.PACK)).containsAll(leftovers);

                PruneReport report = new Pruner(fresh, OPTIONS, ProgressListener.NONE).prune();
                assertThat(report.unindexedPacksDeleted()).isEqualTo(leftovers.size());
                assertThat(report.packsDeleted()).isZero();
                assertThat(report.indexFilesWritten()).as("nothing indexed changed").isZero();
                assertThat(f.names(FileType.PACK)).isEqualTo(packsBefore);
                f.assertRestores(fresh, s1);
            }
        }
    }

    @Test
    void refusesToDeleteAnythingWhenAPackSnapshotsNeedIsMissing() throws IOException {
        try (RepoFixture f = new RepoFixture(tmp)) {
            f.write("a.bin", 30_000);
            String s1 = f.backup();
            f.write("a.bin", 30_000);
            f.backup();
            new Forgetter(f.repo, ForgetOptions.defaults(), ProgressListener.NONE).forgetSnapshots(List.of(s1));
            String lostPack = f.repo.loadIndex().find(f.contentOf(f.repo, "latest", "a.bin").get(0)).packId();
            f.repo.backend().delete(FileHandle.of(FileType.PACK, lostPack));
            Set<String> packs = f.names(FileType.PACK);
            Set<String> indexes = f.names(FileType.INDEX);

            assertThatThrownBy(() -> new Pruner(f.repo, OPTIONS, ProgressListener.NONE).prune())
                    .isInstanceOf(RepositoryException.class)
                    .hasMessageContaining("in no existing pack")
                    .hasMessageContaining("missing (e.g. " + lostPack.substring(0, 8))
                    .hasMessageContaining("Nothing was deleted")
                    .hasMessageContaining("cairn check")
                    .extracting(e -> ((RepositoryException) e).exitCode()).isEqualTo(RepositoryException.EXIT_DAMAGED);
            assertThat(f.names(FileType.PACK)).isEqualTo(packs);
            assertThat(f.names(FileType.INDEX)).isEqualTo(indexes);
            assertThat(RepositoryLock.list(f.repo)).as("the lock is released").isEmpty();
        }
    }

    @Test
    void dropsTheIndexEntriesOfAMissingPackThatNoSnapshotNeeds() throws IOException {
        try (RepoFixture f = new RepoFixture(tmp)) {
            f.write("a.bin", 30_000);
            String s1 = f.backup();
            f.write("a.bin", 30_000);
            String s2 = f.backup();
            String unneededPack = f.repo.loadIndex().find(f.contentOf(f.repo, s1, "a.bin").get(0)).packId();
            new Forgetter(f.repo, ForgetOptions.defaults(), ProgressListener.NONE).forgetSnapshots(List.of(s1));
            f.repo.backend().delete(FileHandle.of(FileType.PACK, unneededPack));
            List<ProgressEvent> events = new CopyOnWriteArrayList<>();

            PruneReport report = new Pruner(f.repo, OPTIONS, events::add).prune();

            assertThat(report.missingPacksDropped()).isEqualTo(1);
            assertThat(events).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(ProgressEvent.Warning.class,
                    w -> assertThat(w.path()).contains(unneededPack)));
            try (Repository fresh = f.reopen()) {
                for (var entry : fresh.loadIndex().entries()) {
                    assertThat(entry.getValue().packId()).isNotEqualTo(unneededPack);
                }
                f.assertRestores(fresh, s2);
            }
        }
    }

    @Test
    void aDryRunChangesNothingAndPredictsTheRealRun() throws IOException {
        try (RepoFixture f = new RepoFixture(tmp)) {
            f.write("x.bin", 60_000);
            f.write("y.bin", 60_000);
            String s1 = f.backup();
            f.delete("y.bin");
            f.write("z.bin", 20_000);
            String s2 = f.backup();
            f.write("x.bin", 60_000);
            f.backup();
            new Forgetter(f.repo, ForgetOptions.defaults(), ProgressListener.NONE).forgetSnapshots(List.of(s1));
            Set<String> packs = f.names(FileType.PACK);
            Set<String> indexes = f.names(FileType.INDEX);

            PruneReport dry = new Pruner(f.repo, OPTIONS.withDryRun(true), ProgressListener.NONE).prune();
            assertThat(dry.dryRun()).isTrue();
            assertThat(f.names(FileType.PACK)).isEqualTo(packs);
            assertThat(f.names(FileType.INDEX)).isEqualTo(indexes);
            assertThat(f.names(FileType.LOCK)).isEmpty();

            PruneReport real = new Pruner(f.repo, OPTIONS, ProgressListener.NONE).prune();
            assertThat(dry.packsDeleted()).isEqualTo(real.packsDeleted());
            assertThat(dry.packsRepacked()).isEqualTo(real.packsRepacked()).isPositive();
            assertThat(dry.packsWritten()).isEqualTo(real.packsWritten());
            assertThat(dry.bytesRepacked()).isEqualTo(real.bytesRepacked());
            assertThat(dry.blobsRemoved()).isEqualTo(real.blobsRemoved());
            assertThat(dry.indexFilesReplaced()).isEqualTo(real.indexFilesReplaced());
            assertThat(dry.indexFilesWritten()).isEqualTo(real.indexFilesWritten());
            assertThat(dry.bytesFreed()).as("a dry run leaves out only the new packs' headers")
                    .isBetween(real.bytesFreed(), real.bytesFreed() + 4096);
            f.assertAllRestore(f.repo);
        }
    }

    @Test
    void manySmallPacksAreGatheredIntoFewerPacks() throws IOException {
        try (RepoFixture f = new RepoFixture(tmp)) {
            List<String> snapshots = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                f.write("file-" + i + ".bin", 5_000);
                snapshots.add(f.backup());
            }
            int packsBefore = f.names(FileType.PACK).size();
            assertThat(packsBefore).as("precondition: a data and a tree pack per backup").isEqualTo(20);

            PruneReport report = new Pruner(f.repo, OPTIONS.withSmallPackLimit(16), ProgressListener.NONE).prune();

            assertThat(report.packsRepacked()).isEqualTo(20);
            assertThat(report.packsWritten()).isEqualTo(2);
            assertThat(f.names(FileType.PACK)).hasSize(2);
            try (Repository fresh = f.reopen()) {
                for (String s : snapshots) {
                    f.assertRestores(fresh, s);
                }
                PruneReport again = new Pruner(fresh, OPTIONS.withSmallPackLimit(16), ProgressListener.NONE).prune();
                assertThat(again.nothingToDo()).as("two small packs are below the limit: %s", again).isTrue();
            }
        }
    }

    @Test
    void keepsDuplicateCopiesOnlyOnce() throws IOException {
        try (RepoFixture f = new RepoFixture(tmp)) {
            f.write("a.bin", 40_000);
            String s1 = f.backup();
            List<BlobId> a = f.contentOf(f.repo, s1, "a.bin");
            // a second copy of a's blobs in another pack, as an interrupted prune leaves them
            Index index = f.repo.loadIndex();
            try (BlobWriter writer = new BlobWriter(f.repo, f.repo.defaultCompression())) {
                f.repo.setIndex(new Index());
                for (BlobId id : a) {
                    BlobLocation l = index.find(id);
                    writer.save(BlobType.DATA, id, f.repo.loadBlob(l, id));
                }
                writer.flush();
            }
            f.repo.setIndex(f.repo.loadIndex());
            assertThat(f.names(FileType.PACK)).hasSize(3);

            PruneReport report = new Pruner(f.repo, OPTIONS, ProgressListener.NONE).prune();

            assertThat(report.packsDeleted()).as("one of the two equal data packs").isEqualTo(1);
            assertThat(report.blobsRemoved()).isEqualTo(a.size());
            assertThat(f.names(FileType.PACK)).hasSize(2);
            try (Repository fresh = f.reopen()) {
                f.assertRestores(fresh, s1);
            }
        }
    }

    @Test
    void waitsForRunningBackupsAndGivesUpAfterTheLockWait() throws IOException {
        try (RepoFixture f = new RepoFixture(tmp, java.time.Clock.systemUTC(), b -> b)) {
            f.write("a.bin", 10_000);
            f.backup();
            try (RepositoryLock backup = RepositoryLock.acquire(f.repo, false, "backup", Duration.ZERO)) {
                assertThatThrownBy(() -> new Pruner(f.repo, OPTIONS.withLockWait(Duration.ZERO), ProgressListener.NONE)
                        .prune())
                        .isInstanceOf(RepositoryException.class)
                        .hasMessageContaining("locked by backup")
                        .extracting(e -> ((RepositoryException) e).exitCode()).isEqualTo(RepositoryException.EXIT_LOCKED);
            }
            assertThat(new Pruner(f.repo, OPTIONS.withLockWait(Duration.ZERO), ProgressListener.NONE).prune().snapshots())
                    .isEqualTo(1);
        }
    }

    @Test
    void reportsOneStartAndOneEndAlsoWhenItFails() throws IOException {
        try (RepoFixture f = new RepoFixture(tmp)) {
            f.write("a.bin", 10_000);
            f.backup();
            List<ProgressEvent> ok = new CopyOnWriteArrayList<>();
            new Pruner(f.repo, OPTIONS, ok::add).prune();
            assertThat(ok.get(0)).isEqualTo(new ProgressEvent.OperationStarted("prune", "prune"));
            assertThat(ok.get(ok.size() - 1)).isInstanceOfSatisfying(ProgressEvent.OperationEnded.class,
                    e -> assertThat(e.success()).isTrue());
            assertThat(ok.stream().filter(e -> e instanceof ProgressEvent.OperationEnded)).hasSize(1);

            for (String pack : f.names(FileType.PACK)) {
                f.repo.backend().delete(FileHandle.of(FileType.PACK, pack));
            }
            List<ProgressEvent> failed = new CopyOnWriteArrayList<>();
            assertThatThrownBy(() -> new Pruner(f.repo, OPTIONS, failed::add).prune())
                    .isInstanceOf(RepositoryException.class);
            assertThat(failed.get(0)).isInstanceOf(ProgressEvent.OperationStarted.class);
            assertThat(failed.get(failed.size() - 1)).isInstanceOfSatisfying(ProgressEvent.OperationEnded.class, e -> {
                assertThat(e.success()).isFalse();
                assertThat(e.error()).contains("prune refused");
            });
        }
    }

    @Test
    void rejectsAnUnusedPercentOutsideZeroToHundred() {
        assertThatThrownBy(() -> PruneOptions.defaults().withMaxUnusedPercent(101))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("between 0 and 100");
        assertThatThrownBy(() -> PruneOptions.defaults().withMaxUnusedPercent(-1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
