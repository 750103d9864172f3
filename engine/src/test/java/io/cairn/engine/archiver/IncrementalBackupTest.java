package io.cairn.engine.archiver;

import static io.cairn.engine.archiver.BackupFixture.randomBytes;
import static io.cairn.engine.archiver.BackupFixture.restoredPath;
import static io.cairn.engine.archiver.BackupFixture.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.engine.browse.SnapshotBrowser;
import io.cairn.engine.repository.Repository;
import io.cairn.engine.snapshot.SnapshotSummary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Incremental backups (DESIGN principle 2): a file whose metadata matches the parent snapshot is not
 * read, {@code force} reads everything, and every snapshot restores on its own.
 */
class IncrementalBackupTest {

    private static final int[] SIZES = {0, 700, 5_000, 40_000, 120_000};
    private static final long TOTAL = 700 + 5_000 + 40_000 + 120_000;

    @TempDir
    Path dir;

    @Test
    void unchangedFilesAreNotReadAndChangedOnesAre() throws IOException {
        Path src = dir.resolve("src");
        for (int i = 0; i < SIZES.length; i++) {
            write(src, "d" + (i % 2) + "/f" + i, randomBytes(SIZES[i], i));
        }
        Repository repo = BackupFixture.newRepository(dir.resolve("repo"));

        BackupResult first = BackupFixture.backup(repo, BackupFixture.options(), src);
        SnapshotSummary s1 = first.snapshot().summary();
        assertThat(s1.filesNew()).isEqualTo(5);
        assertThat(s1.bytesRead()).isEqualTo(TOTAL);
        assertThat(s1.totalBytes()).isEqualTo(TOTAL);
        assertThat(first.snapshot().parent()).isNull();

        BackupResult second = BackupFixture.backup(repo, BackupFixture.options(), src);
        SnapshotSummary s2 = second.snapshot().summary();
        assertThat(second.snapshot().parent()).isEqualTo(first.snapshotId());
        assertThat(s2.filesUnmodified()).isEqualTo(5);
        assertThat(s2.filesNew()).isZero();
        assertThat(s2.filesChanged()).isZero();
        assertThat(s2.bytesRead()).as("bytes read by a backup of an unchanged tree").isZero();
        assertThat(s2.totalBytes()).isEqualTo(TOTAL);
        assertThat(s2.dataBlobsAdded()).isZero();
        // The source's own tree is identical; its ancestors (/tmp...) may have new mtimes if other processes
        // wrote there meanwhile, so only the source subtree is compared.
        assertThat(subtree(repo, second, src)).as("identical trees deduplicate").isEqualTo(subtree(repo, first, src));

        byte[] changed = randomBytes(40_000, 99);
        write(src, "d1/f3", changed);
        BackupResult third = BackupFixture.backup(repo, BackupFixture.options(), src);
        SnapshotSummary s3 = third.snapshot().summary();
        assertThat(third.snapshot().parent()).isEqualTo(second.snapshotId());
        assertThat(s3.filesChanged()).isOne();
        assertThat(s3.filesUnmodified()).isEqualTo(4);
        assertThat(s3.bytesRead()).isEqualTo(40_000);
        assertThat(s3.dataBlobsAdded()).isPositive();

        BackupResult forced = BackupFixture.backup(repo, BackupFixture.options().withForce(true), src);
        SnapshotSummary s4 = forced.snapshot().summary();
        assertThat(s4.filesUnmodified()).isZero();
        assertThat(s4.bytesRead()).isEqualTo(TOTAL);
        assertThat(s4.dataBlobsAdded()).as("re-read data deduplicates").isZero();
        assertThat(forced.snapshot().tree()).isEqualTo(third.snapshot().tree());

        Path r1 = dir.resolve("r1");
        Path r2 = dir.resolve("r2");
        Path r3 = dir.resolve("r3");
        BackupFixture.restore(repo, first.snapshotId(), r1);
        BackupFixture.restore(repo, second.snapshotId(), r2);
        BackupFixture.restore(repo, third.snapshotId(), r3);
        BackupFixture.assertSameTree(restoredPath(r1, src), restoredPath(r2, src), true);
        BackupFixture.assertSameTree(src, restoredPath(r3, src), true);
        assertThat(Files.readAllBytes(restoredPath(r1, src).resolve("d1/f3"))).isEqualTo(randomBytes(40_000, 3));
        assertThat(Files.readAllBytes(restoredPath(r3, src).resolve("d1/f3"))).isEqualTo(changed);
    }

    @Test
    void aFileWithOnlyANewMtimeIsReadAgainButAddsNoData() throws IOException {
        Path src = dir.resolve("src");
        Path file = write(src, "f", randomBytes(30_000, 1));
        Repository repo = BackupFixture.newRepository(dir.resolve("repo"));
        BackupFixture.backup(repo, BackupFixture.options(), src);

        BackupFixture.setMtime(file, Files.getLastModifiedTime(file).toMillis() * 1_000_000L + 5_000_000_000L);
        SnapshotSummary s = BackupFixture.backup(repo, BackupFixture.options(), src).snapshot().summary();

        assertThat(s.filesChanged()).isOne();
        assertThat(s.bytesRead()).isEqualTo(30_000);
        assertThat(s.dataBlobsAdded()).isZero();
        assertThat(s.treeBlobsAdded()).as("the new mtime makes new trees").isPositive();
    }

    @Test
    void anUnchangedDirectoryKeepsItsParentsTreeAndAModeChangeMakesNewTreesUpToTheRoot() throws IOException {
        Path src = dir.resolve("src");
        write(src, "a/x", randomBytes(1_000, 1));
        write(src, "b/y", randomBytes(2_000, 2));
        Path z = write(src, "b/c/z", randomBytes(3_000, 3));
        Repository repo = BackupFixture.newRepository(dir.resolve("repo"));
        BackupResult first = BackupFixture.backup(repo, BackupFixture.options(), src);

        java.nio.file.attribute.PosixFilePermission[] ownerOnly = {
                java.nio.file.attribute.PosixFilePermission.OWNER_READ, java.nio.file.attribute.PosixFilePermission.OWNER_WRITE};
        Files.setPosixFilePermissions(z, java.util.EnumSet.of(ownerOnly[0], ownerOnly[1]));
        BackupResult second = BackupFixture.backup(repo, BackupFixture.options(), src);

        assertThat(subtree(repo, second, src.resolve("a"))).as("untouched directory").isEqualTo(subtree(repo, first, src.resolve("a")));
        for (String changed : new String[] {"b/c", "b", ""}) {
            assertThat(subtree(repo, second, src.resolve(changed))).as("tree of '%s' after a mode change below it", changed)
                    .isNotEqualTo(subtree(repo, first, src.resolve(changed)));
        }
        assertThat(second.snapshot().summary().treeBlobsAdded()).isGreaterThanOrEqualTo(3);
        SnapshotBrowser browser = new SnapshotBrowser(repo, repo.loadSnapshot(second.snapshotId()));
        assertThat(browser.resolve(z.toAbsolutePath().toString()).node().mode() & 0777).isEqualTo(0600);

        Path restored = dir.resolve("restored");
        BackupFixture.restore(repo, second.snapshotId(), restored);
        BackupFixture.assertSameTree(src, restoredPath(restored, src), true);
        assertThat(Files.getPosixFilePermissions(restoredPath(restored, src).resolve("b/c/z")))
                .containsExactlyInAnyOrder(ownerOnly);
    }

    @Test
    void anExplicitEmptyParentReadsEverything() throws IOException {
        Path src = dir.resolve("src");
        write(src, "f", randomBytes(10_000, 1));
        Repository repo = BackupFixture.newRepository(dir.resolve("repo"));
        BackupFixture.backup(repo, BackupFixture.options(), src);

        BackupResult again = BackupFixture.backup(repo, BackupFixture.options().withParent(""), src);
        assertThat(again.snapshot().parent()).isNull();
        assertThat(again.snapshot().summary().bytesRead()).isEqualTo(10_000);
        assertThat(again.snapshot().summary().filesNew()).isOne();
    }

    @Test
    void aParentOfAnotherHostIsNotUsed() throws IOException {
        Path src = dir.resolve("src");
        write(src, "f", randomBytes(10_000, 1));
        Repository repo = BackupFixture.newRepository(dir.resolve("repo"));
        BackupFixture.backup(repo, BackupFixture.options().withHostname("host-a"), src);

        BackupResult other = BackupFixture.backup(repo, BackupFixture.options().withHostname("host-b"), src);
        assertThat(other.snapshot().parent()).isNull();
        assertThat(other.snapshot().hostname()).isEqualTo("host-b");
        BackupResult same = BackupFixture.backup(repo, BackupFixture.options().withHostname("host-a"), src);
        assertThat(same.snapshot().summary().filesUnmodified()).isOne();
    }

    /** The id of the tree of {@code dir} in a backup's snapshot. */
    private static String subtree(Repository repo, BackupResult backup, Path dir) throws IOException {
        SnapshotBrowser browser = new SnapshotBrowser(repo, repo.loadSnapshot(backup.snapshotId()));
        return browser.resolve(dir.toAbsolutePath().toString()).node().subtree();
    }

    /**
     * A large file that changed is read as the walk meets it, not when its directory's whole subtree is done:
     * read last, it ran alone on the readers at the end of the backup (Archiver#readsAtOnce).
     */
    @Test
    void aLargeChangedFileIsReadWhenTheWalkMeetsItNotAfterTheSubtreeBesideIt() throws IOException {
        Path src = dir.resolve("src");
        int large = (int) Archiver.EARLY_READ_MIN + 100_000;
        write(src, "a-large.img", randomBytes(large, 1));
        for (int i = 0; i < 20; i++) {
            write(src, "sub/f" + i, randomBytes(3_000, 100 + i));
        }
        Repository repo = BackupFixture.newRepository(dir.resolve("repo"));
        BackupFixture.backup(repo, BackupFixture.options(), src);

        byte[] changedLarge = randomBytes(large, 2);
        write(src, "a-large.img", changedLarge);
        for (int i = 0; i < 20; i++) {
            write(src, "sub/f" + i, randomBytes(3_000, 200 + i));
        }
        BackupResult second = backupStartingLargeFileFirst(repo, src, changedLarge);
        assertThat(second.snapshot().summary().filesChanged()).isEqualTo(21);
        assertThat(Thread.getAllStackTraces().keySet()).as("the changed large file was read with requests ahead of it")
                .anyMatch(t -> t.getName().startsWith("cairn-read-ahead-"));
    }

    /**
     * Backs up {@code src} (a-large.img and 20 small files in sub/), asserting that the large file started before the
     * small ones and that the snapshot restores to the source.
     */
    private BackupResult backupStartingLargeFileFirst(Repository repo, Path src, byte[] large) throws IOException {
        java.util.List<String> started = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        BackupResult result = new Archiver(repo, BackupFixture.options(), event -> {
            if (event instanceof io.cairn.engine.progress.ProgressEvent.FileStarted f) {
                started.add(Path.of(f.path()).getFileName().toString());
            }
        }).backup(java.util.List.of(src));
        assertThat(started).contains("a-large.img").hasSize(21);
        assertThat(started.indexOf("a-large.img")).as("small files of sub/ started before the large file, in " + started)
                // read last it would be 21st; the other reader may start a few small files while this one opens it
                .isLessThan(10);
        Path restored = dir.resolve("restored-" + result.snapshotId());
        BackupFixture.restore(repo, result.snapshotId(), restored);
        assertThat(Files.readAllBytes(restoredPath(restored, src).resolve("a-large.img"))).isEqualTo(large);
        BackupFixture.assertSameTree(src, restoredPath(restored, src), true);
        return result;
    }

    /** In a first backup too, a large file is read as the walk meets it, not after the subtree beside it. */
    @Test
    void aLargeFileOfAFirstBackupIsReadWhenTheWalkMeetsIt() throws IOException {
        Path src = dir.resolve("src");
        int large = (int) Archiver.EARLY_READ_MIN + 100_000;
        byte[] image = randomBytes(large, 3);
        write(src, "a-large.img", image);
        for (int i = 0; i < 20; i++) {
            write(src, "sub/f" + i, randomBytes(3_000, 500 + i));
        }
        Repository repo = BackupFixture.newRepository(dir.resolve("repo"));
        BackupResult first = backupStartingLargeFileFirst(repo, src, image);
        assertThat(first.snapshot().parent()).isNull();
    }

    /** Several large files cut at once share the blocks without waiting on each other for ever. */
    @Test
    @org.junit.jupiter.api.Timeout(120)
    void severalLargeFilesAtOnceAllArriveWhole() throws IOException {
        Path src = dir.resolve("src");
        int size = 2 * Archiver.BLOCK_SIZE + 12_345;
        for (int i = 0; i < 4; i++) {
            write(src, "d" + i + "/large.bin", randomBytes(size, 300 + i));
            write(src, "d" + i + "/small.txt", randomBytes(500, 400 + i));
        }
        Repository repo = BackupFixture.newRepository(dir.resolve("repo"));
        BackupResult result = BackupFixture.backup(repo, BackupFixture.options(), src);

        assertThat(result.snapshot().summary().bytesRead()).isEqualTo(4L * (size + 500));
        Path restored = dir.resolve("restored");
        BackupFixture.restore(repo, result.snapshotId(), restored);
        BackupFixture.assertSameTree(src, restoredPath(restored, src), true);
    }
}
