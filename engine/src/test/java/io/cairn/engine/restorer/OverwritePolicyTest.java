package io.cairn.engine.restorer;

import static io.cairn.engine.archiver.BackupFixture.randomBytes;
import static io.cairn.engine.archiver.BackupFixture.restoredPath;
import static io.cairn.engine.archiver.BackupFixture.setMtime;
import static io.cairn.engine.archiver.BackupFixture.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.engine.archiver.BackupFixture;
import io.cairn.engine.progress.ProgressListener;
import io.cairn.engine.repository.Repository;
import io.cairn.engine.repository.RepositoryException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restores over a target that already holds some of the snapshot's entries, once per
 * {@link OverwritePolicy}, with real files and real modification times: the snapshot's files are
 * from 2021; "older" existing entries are from 2020, "newer" ones from 2023.
 */
class OverwritePolicyTest {

    private static final long SNAPSHOT_MTIME = nanos("2021-06-01T12:00:00Z");
    private static final long OLDER = nanos("2020-01-01T00:00:00Z");
    private static final long NEWER = nanos("2023-01-01T00:00:00Z");
    /** Large enough to be written in order with direct I/O, with a hole in the middle. */
    private static final int LARGE = 3 << 20;

    @TempDir
    static Path dir;
    static Path src;
    static Repository repo;
    static String snapshotId;

    @BeforeAll
    static void backUp() throws IOException {
        src = dir.resolve("src");
        write(src, "older.txt", "snapshot older.txt\n".getBytes());
        write(src, "newer.txt", "snapshot newer.txt\n".getBytes());
        write(src, "same-time.txt", "snapshot same-time.txt\n".getBytes());
        write(src, "absent.txt", "snapshot absent.txt\n".getBytes());
        byte[] large = new byte[LARGE];
        System.arraycopy(randomBytes(1 << 20, 1), 0, large, 0, 1 << 20);
        System.arraycopy(randomBytes(1 << 20, 2), 0, large, 2 << 20, 1 << 20);
        write(src, "large.bin", large);
        write(src, "dir/inner.txt", "snapshot inner\n".getBytes());
        Files.createSymbolicLink(src.resolve("link"), Path.of("older.txt"));
        for (String name : new String[] {"older.txt", "newer.txt", "same-time.txt", "absent.txt", "large.bin",
            "dir/inner.txt", "link"}) {
            setMtime(src.resolve(name), SNAPSHOT_MTIME);
        }
        repo = BackupFixture.newRepository(dir.resolve("repo"));
        snapshotId = BackupFixture.backup(repo, BackupFixture.options(), src).snapshotId();
    }

    @AfterAll
    static void close() throws IOException {
        repo.close();
    }

    private static long nanos(String instant) {
        return Instant.parse(instant).toEpochMilli() * 1_000_000L;
    }

    /** A target already holding older.txt (2020), newer.txt (2023), same-time.txt (the snapshot's time) and large.bin (2020). */
    private static Path prepareTarget(String name) throws IOException {
        Path target = dir.resolve(name);
        Path restored = restoredPath(target, src);
        write(restored, "older.txt", "existing older.txt\n".getBytes());
        setMtime(restored.resolve("older.txt"), OLDER);
        write(restored, "newer.txt", "existing newer.txt\n".getBytes());
        setMtime(restored.resolve("newer.txt"), NEWER);
        write(restored, "same-time.txt", "existing same-time.txt\n".getBytes());
        setMtime(restored.resolve("same-time.txt"), SNAPSHOT_MTIME);
        write(restored, "large.bin", "existing large.bin\n".getBytes());
        setMtime(restored.resolve("large.bin"), OLDER);
        return target;
    }

    private static RestoreResult restore(Path target, OverwritePolicy policy) throws IOException {
        return new Restorer(repo, RestoreOptions.defaults().withProgressInterval(Duration.ZERO).withOverwrite(policy),
                ProgressListener.NONE).restore(repo.findSnapshot(snapshotId), target);
    }

    private static String content(Path target, String name) throws IOException {
        return Files.readString(restoredPath(target, src).resolve(name));
    }

    private static long mtime(Path target, String name) throws IOException {
        return Files.getLastModifiedTime(restoredPath(target, src).resolve(name), LinkOption.NOFOLLOW_LINKS)
                .to(TimeUnit.NANOSECONDS);
    }

    private static void assertIsSnapshotLarge(Path target) throws IOException {
        assertThat(BackupFixture.sha256(restoredPath(target, src).resolve("large.bin")))
                .isEqualTo(BackupFixture.sha256(src.resolve("large.bin")));
        assertThat(mtime(target, "large.bin")).isEqualTo(SNAPSHOT_MTIME);
    }

    @Test
    void theDefaultPolicyIsAlways() {
        assertThat(RestoreOptions.defaults().overwrite()).isEqualTo(OverwritePolicy.ALWAYS);
        assertThat(new RestoreOptions(null, 0, true, null).overwrite()).isEqualTo(OverwritePolicy.ALWAYS);
        assertThat(RestoreOptions.defaults().withOverwrite(OverwritePolicy.NEVER).withIncludes(java.util.List.of("/a"))
                .overwrite()).isEqualTo(OverwritePolicy.NEVER);
    }

    @Test
    void alwaysReplacesEveryExistingFileWhateverItsTime() throws IOException {
        Path target = prepareTarget("always");

        RestoreResult result = restore(target, OverwritePolicy.ALWAYS);

        assertThat(result.skipped()).isZero();
        assertThat(result.files()).isEqualTo(6);
        for (String name : new String[] {"older.txt", "newer.txt", "same-time.txt", "absent.txt"}) {
            assertThat(content(target, name)).isEqualTo("snapshot " + name + "\n");
            assertThat(mtime(target, name)).isEqualTo(SNAPSHOT_MTIME);
        }
        assertIsSnapshotLarge(target);
    }

    @Test
    void neverLeavesEveryExistingFileUntouchedAndCountsItAsSkipped() throws IOException {
        Path target = prepareTarget("never");
        Path restored = restoredPath(target, src);
        Files.createSymbolicLink(restored.resolve("link"), Path.of("existing-link-target"));

        RestoreResult result = restore(target, OverwritePolicy.NEVER);

        assertThat(result.skipped()).as("older, newer, same-time, large.bin and link").isEqualTo(5);
        assertThat(result.files()).as("absent.txt and dir/inner.txt").isEqualTo(2);
        assertThat(result.symlinks()).isZero();
        assertThat(content(target, "older.txt")).isEqualTo("existing older.txt\n");
        assertThat(mtime(target, "older.txt")).isEqualTo(OLDER);
        assertThat(content(target, "newer.txt")).isEqualTo("existing newer.txt\n");
        assertThat(mtime(target, "newer.txt")).isEqualTo(NEWER);
        assertThat(content(target, "same-time.txt")).isEqualTo("existing same-time.txt\n");
        assertThat(content(target, "large.bin")).isEqualTo("existing large.bin\n");
        assertThat(mtime(target, "large.bin")).isEqualTo(OLDER);
        assertThat(Files.readSymbolicLink(restored.resolve("link"))).isEqualTo(Path.of("existing-link-target"));
        assertThat(content(target, "absent.txt")).isEqualTo("snapshot absent.txt\n");
        assertThat(content(target, "dir/inner.txt")).isEqualTo("snapshot inner\n");
    }

    @Test
    void ifNewerReplacesOnlyFilesOlderThanTheSnapshots() throws IOException {
        Path target = prepareTarget("if-newer");

        RestoreResult result = restore(target, OverwritePolicy.IF_NEWER);

        assertThat(content(target, "older.txt")).isEqualTo("snapshot older.txt\n");
        assertThat(mtime(target, "older.txt")).isEqualTo(SNAPSHOT_MTIME);
        assertIsSnapshotLarge(target);
        assertThat(content(target, "newer.txt")).isEqualTo("existing newer.txt\n");
        assertThat(mtime(target, "newer.txt")).isEqualTo(NEWER);
        assertThat(content(target, "same-time.txt")).as("the same time is not newer").isEqualTo("existing same-time.txt\n");
        assertThat(content(target, "absent.txt")).isEqualTo("snapshot absent.txt\n");
        assertThat(result.skipped()).as("newer.txt and same-time.txt").isEqualTo(2);
        assertThat(result.files()).as("older.txt, large.bin, absent.txt, dir/inner.txt").isEqualTo(4);
        assertThat(result.symlinks()).isEqualTo(1);
    }

    @Test
    void ifNewerTwiceSkipsEverythingTheFirstRestoreWrote() throws IOException {
        Path target = dir.resolve("if-newer-twice");
        RestoreResult first = restore(target, OverwritePolicy.IF_NEWER);
        assertThat(first.skipped()).isZero();

        RestoreResult second = restore(target, OverwritePolicy.IF_NEWER);

        assertThat(second.files()).isZero();
        assertThat(second.symlinks()).isZero();
        assertThat(second.skipped()).isEqualTo(first.files() + first.symlinks());
        BackupFixture.assertSameTree(src, restoredPath(target, src), true);
    }

    @Test
    void neverKeepsASymlinkInTheWayAndWritesNothingThroughIt() throws IOException {
        Path target = dir.resolve("never-symlink");
        Path restored = restoredPath(target, src);
        Path outside = dir.resolve("outside-never");
        Files.createDirectories(outside);
        Files.createDirectories(restored);
        Files.createSymbolicLink(restored.resolve("older.txt"), outside.resolve("victim"));
        Files.createSymbolicLink(restored.resolve("dir"), outside);

        RestoreResult result = restore(target, OverwritePolicy.NEVER);

        try (var list = Files.list(outside)) {
            assertThat(list.toList()).as("nothing written outside the target").isEmpty();
        }
        assertThat(Files.readSymbolicLink(restored.resolve("older.txt"))).isEqualTo(outside.resolve("victim"));
        assertThat(Files.readSymbolicLink(restored.resolve("dir"))).isEqualTo(outside);
        assertThat(result.skipped()).as("older.txt, and dir counted once for all below it").isEqualTo(2);
    }

    @Test
    void aSymlinkInTheWayOfADirectoryIsReplacedWhenThePolicySaysSo() throws IOException {
        Path target = dir.resolve("if-newer-dir");
        Path restored = restoredPath(target, src);
        Path outside = dir.resolve("outside-if-newer");
        Files.createDirectories(outside);
        Files.createDirectories(restored);
        Files.createSymbolicLink(restored.resolve("dir"), outside);
        setMtime(restored.resolve("dir"), OLDER);

        restore(target, OverwritePolicy.IF_NEWER);

        try (var list = Files.list(outside)) {
            assertThat(list.toList()).as("nothing written outside the target").isEmpty();
        }
        assertThat(Files.isDirectory(restored.resolve("dir"), LinkOption.NOFOLLOW_LINKS)).isTrue();
        assertThat(content(target, "dir/inner.txt")).isEqualTo("snapshot inner\n");
    }

    @Test
    void neverKeepsTheModeOfAnExistingDirectoryAndLeavesItsTimesToTheFilesAdded() throws IOException {
        Path target = dir.resolve("never-dir-meta");
        Path existingDir = restoredPath(target, src).resolve("dir");
        Files.createDirectories(existingDir);
        Files.setAttribute(existingDir, "unix:mode", 0700);
        setMtime(existingDir, NEWER);

        restore(target, OverwritePolicy.NEVER);

        assertThat(content(target, "dir/inner.txt")).isEqualTo("snapshot inner\n");
        assertThat(((Integer) Files.getAttribute(existingDir, "unix:mode")) & 07777).isEqualTo(0700);
        assertThat(Files.getLastModifiedTime(existingDir)).as("not set back to the snapshot's")
                .isNotEqualTo(FileTime.from(SNAPSHOT_MTIME, TimeUnit.NANOSECONDS));
    }

    /** Also: the failure ends promptly (a large file being written does not wait for decodes that never run). */
    @Test
    @Timeout(30)
    void aDirectoryInTheWayOfAFileFailsWhateverThePolicyAndLeavesNoPartialFile() throws IOException {
        for (OverwritePolicy policy : OverwritePolicy.values()) {
            Path target = dir.resolve("dir-in-the-way-" + policy.label());
            Files.createDirectories(restoredPath(target, src).resolve("older.txt"));

            assertThatThrownBy(() -> restore(target, policy)).as(policy.label())
                    .isInstanceOf(RepositoryException.class)
                    .hasMessageContaining("a directory is in the way");
            Path large = restoredPath(target, src).resolve("large.bin");
            if (Files.exists(large)) {
                assertThat(BackupFixture.sha256(large)).as("a file left behind is complete")
                        .isEqualTo(BackupFixture.sha256(src.resolve("large.bin")));
            }
        }
    }

    @Test
    void policiesParseFromTheirLabels() {
        assertThat(OverwritePolicy.parse("if-newer")).isEqualTo(OverwritePolicy.IF_NEWER);
        assertThat(OverwritePolicy.parse("NEVER")).isEqualTo(OverwritePolicy.NEVER);
        assertThat(OverwritePolicy.parse("always")).isEqualTo(OverwritePolicy.ALWAYS);
        assertThatThrownBy(() -> OverwritePolicy.parse("sometimes")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown overwrite policy 'sometimes': use one of always, if-newer, never");
    }
}
