package io.cairn.engine.archiver;

import static io.cairn.engine.archiver.BackupFixture.randomBytes;
import static io.cairn.engine.archiver.BackupFixture.restoredPath;
import static io.cairn.engine.archiver.BackupFixture.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.engine.browse.CountingBackend;
import io.cairn.engine.browse.SnapshotBrowser;
import io.cairn.engine.repository.Repository;
import io.cairn.engine.snapshot.SnapshotSummary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The directory cache ({@link DirectoryCache}): a backup with no change loads none of the parent's trees, a change
 * loads only what it must, and a cache that does not describe the parent (written by a backup with other trees,
 * damaged) is not used. Every other incremental test runs with a cache too ({@link BackupFixture#options()}).
 */
class DirectoryCacheTest {

    @TempDir
    Path dir;

    private Path src;
    private Path cache;
    private CountingBackend backend;
    private Repository repo;

    @BeforeEach
    void setUp() throws IOException {
        src = dir.resolve("src");
        for (int i = 0; i < 12; i++) {
            write(src, "p" + (i % 3) + "/q" + (i % 2) + "/secret-name-" + i + ".txt", randomBytes(500 + 100 * i, i));
        }
        write(src, "top.txt", randomBytes(300, 99));
        cache = Files.createDirectories(dir.resolve("cache")); // now, so that a backup does not change dir's mtime
        backend = new CountingBackend(dir.resolve("repo"));
        repo = BackupFixture.newRepository(backend);
    }

    private BackupResult backup(boolean withCache) throws IOException {
        backend.blobReads.set(0);
        return BackupFixture.backup(repo, BackupFixture.options().withCacheDirectory(withCache ? cache : null), src);
    }

    @Test
    void aBackupWithNoChangeLoadsNoneOfTheParentsTrees() throws IOException {
        BackupResult first = backup(true);

        BackupResult second = backup(true);

        assertThat(backend.blobReads).as("pack reads of a backup with no change, with the cache").hasValue(0);
        SnapshotSummary s = second.snapshot().summary();
        assertThat(s.filesUnmodified()).isEqualTo(13);
        assertThat(s.bytesRead()).isZero();
        assertThat(s.totalBytes()).isEqualTo(first.snapshot().summary().totalBytes());
        assertThat(subtree(second)).isEqualTo(subtree(first));

        BackupResult third = backup(false);
        assertThat(backend.blobReads).as("the same without the cache loads the parent's trees").hasPositiveValue();
        assertThat(subtree(third)).isEqualTo(subtree(first));
    }

    @Test
    void aChangedFileIsReadAndOnlyTheTreesAboveItAreLoaded() throws IOException {
        backup(false);
        backup(false);
        int withoutCache = backend.blobReads.get();
        backup(true); // writes the cache for the next backup's parent
        byte[] changed = randomBytes(2_000, 1234);
        write(src, "p1/q0/secret-name-4.txt", changed);

        BackupResult second = backup(true);

        SnapshotSummary s = second.snapshot().summary();
        assertThat(s.filesChanged()).isOne();
        assertThat(s.filesUnmodified()).isEqualTo(12);
        assertThat(s.bytesRead()).isEqualTo(2_000);
        assertThat(backend.blobReads.get()).as("trees loaded: those above the changed file, not all %d", withoutCache)
                .isPositive().isLessThan(withoutCache);
        Path restored = dir.resolve("restored");
        BackupFixture.restore(repo, second.snapshotId(), restored);
        BackupFixture.assertSameTree(src, restoredPath(restored, src), true);
        assertThat(restoredPath(restored, src).resolve("p1/q0/secret-name-4.txt")).hasBinaryContent(changed);
    }

    @Test
    void aCacheOfOtherTreesThanTheParentsIsNotUsed() throws IOException {
        backup(true);
        write(src, "p2/q1/secret-name-5.txt", randomBytes(900, 55));
        backup(false); // the parent of the next backup; the cache still describes the first

        BackupResult third = backup(true);

        assertThat(backend.blobReads).as("the cache is not the parent's: the parent's trees are loaded").hasPositiveValue();
        assertThat(third.snapshot().summary().filesUnmodified()).isEqualTo(13);
        BackupResult fourth = backup(true);
        assertThat(backend.blobReads).as("the cache written by the third backup serves the fourth").hasValue(0);
        assertThat(subtree(fourth)).isEqualTo(subtree(third));
    }

    @Test
    void aCacheServesAParentWithTheSameTreesFromABackupThatKeptNoCache() throws IOException {
        backup(true);
        backup(false); // no change: a snapshot with the same trees as the one the cache was written for

        backup(true);

        assertThat(backend.blobReads).hasValue(0);
    }

    @Test
    void aCacheThatCannotBeWrittenLeavesTheBackupWhole() throws IOException {
        Files.delete(cache);
        Files.writeString(cache, "a file where the cache's directory should be");

        BackupResult first = backup(true);

        assertThat(first.warnings()).as("the snapshot is complete: no warning, no exit code 3").isEmpty();
        BackupResult second = backup(true);
        assertThat(backend.blobReads).as("without a cache the parent's trees are loaded").hasPositiveValue();
        assertThat(subtree(second)).isEqualTo(subtree(first));
    }

    @Test
    void aDamagedCacheIsIgnoredAndWrittenAgain() throws IOException {
        BackupResult first = backup(true);
        List<Path> files = cacheFiles();
        assertThat(files).hasSize(1);
        byte[] bytes = Files.readAllBytes(files.get(0));
        bytes[bytes.length / 2] ^= 0x10;
        Files.write(files.get(0), bytes);

        BackupResult second = backup(true);

        assertThat(second.warnings()).isEmpty();
        assertThat(backend.blobReads).as("a damaged cache is not used").hasPositiveValue();
        assertThat(subtree(second)).isEqualTo(subtree(first));
        backup(true);
        assertThat(backend.blobReads).as("and is written again by the next backup").hasValue(0);
    }

    @Test
    void theCacheFileGivesNoNamesAwayAndOnlyItsOwnerReadsIt() throws IOException {
        backup(true);

        for (Path file : cacheFiles()) {
            assertThat(Files.getPosixFilePermissions(file)).as("the cache file's mode")
                    .isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(Files.getPosixFilePermissions(file.getParent())).as("its directory's mode")
                    .isEqualTo(PosixFilePermissions.fromString("rwx------"));
            assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1)).doesNotContain("secret-name")
                    .doesNotContain("p1");
            assertThat(file.toString()).doesNotContain("src");
        }
    }

    private List<Path> cacheFiles() throws IOException {
        try (Stream<Path> walk = Files.walk(cache)) {
            return walk.filter(Files::isRegularFile).toList();
        }
    }

    private String subtree(BackupResult result) throws IOException {
        return new SnapshotBrowser(repo, repo.loadSnapshot(result.snapshotId())).resolve(src.toAbsolutePath().toString())
                .node().subtree();
    }
}
