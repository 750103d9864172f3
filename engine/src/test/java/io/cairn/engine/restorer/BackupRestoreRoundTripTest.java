package io.cairn.engine.restorer;

import static io.cairn.engine.archiver.BackupFixture.CHUNK_AVG;
import static io.cairn.engine.archiver.BackupFixture.CHUNK_MAX;
import static io.cairn.engine.archiver.BackupFixture.CHUNK_MIN;
import static io.cairn.engine.archiver.BackupFixture.randomBytes;
import static io.cairn.engine.archiver.BackupFixture.restoredPath;
import static io.cairn.engine.archiver.BackupFixture.text;
import static io.cairn.engine.archiver.BackupFixture.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.engine.archiver.BackupFixture;
import io.cairn.engine.archiver.BackupResult;
import io.cairn.engine.blob.BlobType;
import io.cairn.engine.progress.ProgressListener;
import io.cairn.engine.repository.Repository;
import io.cairn.engine.repository.RepositoryException;
import io.cairn.engine.tree.Node;
import io.cairn.engine.tree.NodeType;
import io.cairn.engine.tree.Tree;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backs up a generated tree with every kind of entry Cairn stores (and one it skips) and restores it:
 * contents at and around chunk boundaries, nested directories, symlinks of every sort, a hard-link
 * pair, a sparse file, special modes and nanosecond mtimes. The tree is backed up once per class.
 */
class BackupRestoreRoundTripTest {

    /** mtimes with nanoseconds, distinct per entry, so a time restored to the wrong entry shows. */
    private static final long BASE_MTIME = Instant.parse("2021-05-06T07:08:09Z").toEpochMilli() * 1_000_000L + 123_456_789L;
    private static final int SPARSE_SIZE = 4 << 20;

    @TempDir
    static Path dir;
    static Path src;
    static Repository repo;
    static BackupResult backup;

    @BeforeAll
    static void backUpTheTree() throws IOException {
        src = dir.resolve("src");
        Files.createDirectories(src);
        int[] sizes = {0, 1, CHUNK_MIN - 1, CHUNK_MIN, CHUNK_MIN + 1, CHUNK_AVG, CHUNK_MAX - 1, CHUNK_MAX, CHUNK_MAX + 1,
            3 * CHUNK_MAX + 5, 200_000};
        for (int size : sizes) {
            write(src, "sizes/random-" + size, randomBytes(size, size));
        }
        write(src, "sizes/text-150000", text(150_000, 1));
        write(src, "sizes/zeros-40000", new byte[40_000]);
        write(src, "nested/a/b/c/deep.txt", text(3_000, 2));
        write(src, "nested/a/sibling.bin", randomBytes(5_000, 3));
        Files.createDirectories(src.resolve("nested/empty-dir"));

        Files.createSymbolicLink(src.resolve("nested/a/link-relative"), Path.of("../a/sibling.bin"));
        Files.createSymbolicLink(src.resolve("link-absolute"), Path.of("/etc/hostname"));
        Files.createSymbolicLink(src.resolve("link-dangling"), Path.of("no/such/target"));
        Files.createSymbolicLink(src.resolve("link-to-dir"), Path.of("nested"));

        Path first = write(src, "links/hard-1", randomBytes(30_000, 4));
        Files.createDirectories(src.resolve("links/sub"));
        Files.createLink(src.resolve("links/sub/hard-2"), first);

        try (RandomAccessFile sparse = new RandomAccessFile(src.resolve("sparse.img").toFile(), "rw")) {
            sparse.setLength(SPARSE_SIZE);
            for (long offset : new long[] {0, 1 << 20, 3L << 20, SPARSE_SIZE - 4096}) {
                sparse.seek(offset);
                sparse.write(randomBytes(4096, offset));
            }
        }

        write(src, "modes/exec.sh", "#!/bin/sh\necho hi\n".getBytes());
        Files.setAttribute(src.resolve("modes/exec.sh"), "unix:mode", 0755);
        write(src, "modes/secret", "s3cret".getBytes());
        Files.setAttribute(src.resolve("modes/secret"), "unix:mode", 0600);
        write(src, "modes/setgid-dir/inside", "x".getBytes());
        Files.setAttribute(src.resolve("modes/setgid-dir"), "unix:mode", 02775);
        Files.createDirectories(src.resolve("modes/private"));
        Files.setAttribute(src.resolve("modes/private"), "unix:mode", 0700);
        Files.createDirectories(src.resolve("modes/sticky"));
        Files.setAttribute(src.resolve("modes/sticky"), "unix:mode", 01777);

        BackupFixture.run("mkfifo", src.resolve("nested/a/pipe").toString());

        setMtimesDeepestFirst(src);
        repo = BackupFixture.newRepository(dir.resolve("repo"));
        backup = BackupFixture.backup(repo, BackupFixture.options(), src);
    }

    /** Gives every entry (symlinks included, fifos not) its own nanosecond mtime; parents after their children. */
    private static void setMtimesDeepestFirst(Path root) throws IOException {
        List<Path> all;
        try (var walk = Files.walk(root)) {
            all = walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList();
        }
        long t = BASE_MTIME;
        for (Path p : all) {
            if (Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                    .isOther()) {
                continue; // setting times opens the entry, and opening a fifo blocks
            }
            BackupFixture.setMtime(p, t);
            t += 1_000_000_007L;
        }
    }

    private static Path restoreAll(String name) throws IOException {
        Path target = dir.resolve(name);
        RestoreResult result = BackupFixture.restore(repo, backup.snapshotId(), target);
        assertThat(result.warnings()).isEmpty();
        return target;
    }

    @Test
    void everyEntryComesBackWithContentModeAndMtime() throws IOException {
        Path target = restoreAll("restore-all");
        Path restored = restoredPath(target, src);

        BackupFixture.assertSameTree(src, restored, true);
        assertThat(Files.getLastModifiedTime(restored)).isEqualTo(Files.getLastModifiedTime(src));
        assertThat(Files.getLastModifiedTime(restored).to(TimeUnit.NANOSECONDS) % 1_000_000_000L)
                .as("nanoseconds survive").isEqualTo(Files.getLastModifiedTime(src).to(TimeUnit.NANOSECONDS) % 1_000_000_000L);
    }

    @Test
    void symlinksAreRestoredVerbatimAndNeverFollowed() throws IOException {
        Path restored = restoredPath(restoreAll("restore-links"), src);

        assertThat(Files.readSymbolicLink(restored.resolve("nested/a/link-relative"))).isEqualTo(Path.of("../a/sibling.bin"));
        assertThat(Files.readSymbolicLink(restored.resolve("link-absolute"))).isEqualTo(Path.of("/etc/hostname"));
        assertThat(Files.readSymbolicLink(restored.resolve("link-dangling"))).isEqualTo(Path.of("no/such/target"));
        assertThat(Files.exists(restored.resolve("link-dangling"))).isFalse();
        assertThat(Files.isSymbolicLink(restored.resolve("link-to-dir"))).isTrue();
        assertThat(Files.readAllBytes(restored.resolve("nested/a/link-relative")))
                .isEqualTo(Files.readAllBytes(src.resolve("nested/a/sibling.bin")));
    }

    @Test
    void symlinkMtimesAreRestored() throws IOException {
        Path restored = restoredPath(restoreAll("restore-link-times"), src);
        for (String link : List.of("link-absolute", "link-dangling", "nested/a/link-relative")) {
            assertThat(Files.getLastModifiedTime(restored.resolve(link), LinkOption.NOFOLLOW_LINKS)).as(link)
                    .isEqualTo(Files.getLastModifiedTime(src.resolve(link), LinkOption.NOFOLLOW_LINKS));
        }
    }

    @Test
    void hardLinksAreRestoredAsOneInode() throws IOException {
        Path target = dir.resolve("restore-hardlinks");
        RestoreResult result = BackupFixture.restore(repo, backup.snapshotId(), target);
        Path restored = restoredPath(target, src);
        Path one = restored.resolve("links/hard-1");
        Path two = restored.resolve("links/sub/hard-2");

        assertThat(Files.getAttribute(one, "unix:ino")).isEqualTo(Files.getAttribute(two, "unix:ino"));
        assertThat(Files.getAttribute(one, "unix:nlink")).isEqualTo(2);
        assertThat(Files.readAllBytes(two)).isEqualTo(Files.readAllBytes(src.resolve("links/hard-1")));
        assertThat(result.hardlinks()).isEqualTo(1);
    }

    @Test
    void sparseFilesStaySparse() throws IOException {
        Path source = src.resolve("sparse.img");
        long sourceBytes = BackupFixture.allocatedBlocks(source) * 512;
        assertThat(sourceBytes).as("the file system keeps the source sparse").isLessThan(256 * 1024);

        Path restored = restoredPath(restoreAll("restore-sparse"), src).resolve("sparse.img");

        assertThat(Files.size(restored)).isEqualTo(SPARSE_SIZE);
        assertThat(BackupFixture.sha256(restored)).isEqualTo(BackupFixture.sha256(source));
        // the 16 KiB of data share chunks with zeros; only the data's blocks may be allocated
        assertThat(BackupFixture.allocatedBlocks(restored) * 512).as("allocated bytes of the restored file")
                .isLessThanOrEqualTo(sourceBytes + 64 * 1024);
    }

    @Test
    void modesIncludingSetgidAndStickyAreRestored() throws IOException {
        Path restored = restoredPath(restoreAll("restore-modes"), src);
        Map<String, Integer> modes = Map.of("modes/exec.sh", 0755, "modes/secret", 0600, "modes/setgid-dir", 02775,
                "modes/private", 0700, "modes/sticky", 01777);
        for (Map.Entry<String, Integer> e : modes.entrySet()) {
            int mode = (Integer) Files.getAttribute(restored.resolve(e.getKey()), "unix:mode", LinkOption.NOFOLLOW_LINKS);
            assertThat(mode & 07777).as("mode of %s", e.getKey()).isEqualTo(e.getValue());
        }
    }

    @Test
    void specialFilesAreSkippedWithAWarning() throws IOException {
        assertThat(backup.warnings()).singleElement().satisfies(w -> assertThat(w)
                .contains(src.resolve("nested/a/pipe").toString()).contains("special file"));
        assertThat(backup.snapshot().summary().warnings()).isOne();
        assertThat(backup.incomplete()).isTrue();
        Path restored = restoredPath(restoreAll("restore-fifo"), src);
        assertThat(Files.exists(restored.resolve("nested/a/pipe"), LinkOption.NOFOLLOW_LINKS)).isFalse();
    }

    @Test
    void theSnapshotRecordsWhatWasBackedUp() throws IOException {
        assertThat(backup.snapshot().paths()).containsExactly(src.toString());
        assertThat(backup.snapshot().summary().filesNew()).isEqualTo(21);
        assertThat(backup.snapshot().summary().totalFiles()).isEqualTo(21);
        assertThat(backup.snapshot().summary().filesUnmodified()).isZero();

        // the root tree leads to src through its parent directories, each holding only that path
        Tree tree = repo.loadTree(backup.snapshot().tree());
        for (Path component : src) {
            assertThat(tree.nodes()).extracting(Node::name).containsExactly(component.toString());
            tree = repo.loadTree(tree.nodes().get(0).subtree());
        }
        Node sparse = tree.find("sparse.img").orElseThrow();
        assertThat(sparse.type()).isEqualTo(NodeType.FILE);
        assertThat(sparse.size()).isEqualTo(SPARSE_SIZE);
        long chunked = 0;
        for (String id : sparse.content()) {
            chunked += repo.index().find(io.cairn.engine.blob.BlobId.parse(id)).plainLength();
        }
        assertThat(chunked).isEqualTo(SPARSE_SIZE);
        assertThat(sparse.content().size()).isGreaterThan(SPARSE_SIZE / CHUNK_MAX - 1);
        Node link = tree.find("link-absolute").orElseThrow();
        assertThat(link.type()).isEqualTo(NodeType.SYMLINK);
        assertThat(link.linkTarget()).isEqualTo("/etc/hostname");
        Node empty = repo.loadTree(tree.find("sizes").orElseThrow().subtree()).find("random-0").orElseThrow();
        assertThat(empty.content()).isEmpty();
        assertThat(empty.size()).isZero();
        assertThat(tree.find("nested").orElseThrow().mode()).isEqualTo(
                ((Integer) Files.getAttribute(src.resolve("nested"), "unix:mode")) & 07777);
        assertThat(repo.index().plainBytes(BlobType.TREE)).isPositive();
    }

    @Test
    void restoringOnlyASubdirectoryWritesNothingElse() throws IOException {
        Path target = dir.resolve("restore-include");
        Restorer restorer = new Restorer(repo, RestoreOptions.defaults().withIncludes(List.of(src + "/nested/a"))
                .withProgressInterval(Duration.ZERO), ProgressListener.NONE);
        RestoreResult result = restorer.restore(repo.findSnapshot(backup.snapshotId()), target);

        Path restored = restoredPath(target, src);
        assertThat(BackupFixture.describe(restored, false).keySet()).containsExactly("nested", "nested/a",
                "nested/a/b", "nested/a/b/c", "nested/a/b/c/deep.txt", "nested/a/link-relative", "nested/a/sibling.bin");
        BackupFixture.assertSameTree(src.resolve("nested/a"), restored.resolve("nested/a"), true);
        assertThat(result.files()).isEqualTo(2);
        assertThat(result.symlinks()).isEqualTo(1);
    }

    @Test
    void restoreIncludesMustBeSafePaths() {
        assertThatThrownBy(() -> new Restorer(repo, RestoreOptions.defaults().withIncludes(List.of("/a/../etc")),
                ProgressListener.NONE).restore(repo.findSnapshot(backup.snapshotId()), dir.resolve("restore-bad")))
                .isInstanceOf(RepositoryException.class)
                .hasMessageContaining("'..' is not allowed");
        assertThat(Restorer.splitSnapshotPath("//home//ann/")).containsExactly("home", "ann");
    }

    @Test
    void restoreReplacesEntriesInTheWayWithoutFollowingThem() throws IOException {
        Path target = dir.resolve("restore-over");
        Path restored = restoredPath(target, src);
        Path outside = dir.resolve("outside");
        Files.createDirectories(outside);
        Files.createDirectories(restored);
        // a symlink where a directory goes, and one where a file goes: both must be replaced, not followed
        Files.createSymbolicLink(restored.resolve("nested"), outside);
        Files.createDirectories(restored.resolve("modes"));
        Files.createSymbolicLink(restored.resolve("modes/secret"), outside.resolve("victim"));

        BackupFixture.restore(repo, backup.snapshotId(), target);

        try (var list = Files.list(outside)) {
            assertThat(list.toList()).as("nothing written outside the target").isEmpty();
        }
        BackupFixture.assertSameTree(src, restored, true);
    }

    @Test
    void mtimeOfARestoredFileIsNotThatOfTheRestore() throws IOException {
        Path restored = restoredPath(restoreAll("restore-times"), src);
        FileTime time = Files.getLastModifiedTime(restored.resolve("sizes/random-1"));
        assertThat(time.toInstant()).isBefore(Instant.parse("2022-01-01T00:00:00Z"));
    }

    @Test
    void everyDirectoryOfAWideDepthGetsItsModeAndMtime() throws IOException {
        // more directories of one depth than one thread finishes alone (Restorer.PARALLEL_DIRS_MIN), several
        // depths, read-only directories with directories inside: every one must end with its own mode and mtime
        Path wide = dir.resolve("wide");
        int count = Restorer.PARALLEL_DIRS_MIN * 5 / 2;
        for (int i = 0; i < count; i++) {
            write(wide, String.format("d%03d/inner/file.txt", i), text(100 + i, i));
        }
        setMtimesDeepestFirst(wide);
        for (int i = 0; i < count; i += 3) {
            Files.setAttribute(wide.resolve(String.format("d%03d", i)), "unix:mode", 0555); // the mtime is unchanged
        }
        BackupResult wideBackup = BackupFixture.backup(repo, BackupFixture.options(), wide);
        Path target = dir.resolve("restore-wide");
        RestoreResult result = BackupFixture.restore(repo, wideBackup.snapshotId(), target);
        assertThat(result.warnings()).isEmpty();
        BackupFixture.assertSameTree(wide, restoredPath(target, wide), true);
        assertThat(Files.getLastModifiedTime(restoredPath(target, wide))).isEqualTo(Files.getLastModifiedTime(wide));
    }
}
