package io.cairn.cli.faults;

import static io.cairn.cli.faults.Fixtures.manifest;
import static io.cairn.cli.faults.Fixtures.restored;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.engine.backend.LocalBackend;
import io.cairn.engine.repository.RepositoryException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk, for real: the repository and the source live on an 8 MiB tmpfs that a backup
 * overflows. The backup fails with exit code 13 and a message saying the disk is full and what to
 * do; no snapshot, lock or temporary file is left; the earlier snapshot restores byte for byte;
 * once the big file is deleted the next backup works. A restore into a full disk fails with exit
 * code 13 too and leaves no half-written file.
 */
class DiskFullTest {

    @TempDir
    Path dir;

    private Mounts fs;
    private Mounts smallTarget;

    @AfterEach
    void unmount() {
        if (smallTarget != null) {
            smallTarget.close();
        }
        if (fs != null) {
            fs.close();
        }
    }

    private static List<Path> tempFiles(Path repo) throws IOException {
        try (Stream<Path> walk = Files.walk(repo)) {
            return walk.filter(p -> p.getFileName().toString().startsWith(LocalBackend.TEMP_FILE_PREFIX)).toList();
        }
    }

    private static long count(Path directory) throws IOException {
        try (Stream<Path> s = Files.list(directory)) {
            return s.count();
        }
    }

    @Test
    void aBackupThatFillsTheDiskFailsWithExit13AndTheRepositoryStaysUsable() throws IOException {
        fs = Mounts.tmpfs(dir.resolve("fs"), "8m");
        Path repo = fs.path().resolve("repo");
        Path source = fs.path().resolve("source");
        Path password = Fixtures.passwordFile(dir, "password", Fixtures.PASSWORD);
        Fixtures.initRepository(repo, 256 * 1024);
        Fixtures.writeRandomFiles(source, 1, 4, 250_000);
        String[] backup = {"backup", "--repo", repo.toString(), "--password-file", password.toString(), source.toString()};

        Cli.Result first = Cli.run(backup);
        assertThat(first.exitCode()).as(first.toString()).isZero();
        TreeMap<String, String> firstContent = manifest(source);

        // 4.5 MiB more data than the tmpfs has room for twice (the file and its packs)
        Path big = source.resolve("big.bin");
        Files.write(big, Fixtures.randomBytes(2, 4_500_000));
        Cli.Result full = Cli.run(backup);

        assertThat(full.exitCode()).as(full.toString()).isEqualTo(RepositoryException.EXIT_DISK_FULL);
        assertThat(full.err()).contains("no space left", repo.toString(), "free some space");
        assertThat(count(repo.resolve("snapshots"))).as("snapshots after the failed backup").isEqualTo(1);
        assertThat(count(repo.resolve("locks"))).as("locks after the failed backup").isZero();
        assertThat(tempFiles(repo)).as("temporary files after the failed backup").isEmpty();

        Cli.Result list = Cli.run("snapshots", "--repo", repo.toString(), "--password-file", password.toString());
        assertThat(list.exitCode()).as("listing on a full disk: " + list).isZero();
        Path target = dir.resolve("target");
        Cli.Result restore = Cli.run("restore", "latest", "--repo", repo.toString(), "--password-file",
                password.toString(), "--target", target.toString());
        assertThat(restore.exitCode()).as(restore.toString()).isZero();
        assertThat(manifest(restored(target, source))).isEqualTo(firstContent);

        Files.delete(big);
        Files.write(source.resolve("new.txt"), "written after the disk was freed\n".getBytes());
        Cli.Result next = Cli.run(backup);
        assertThat(next.exitCode()).as(next.toString()).isZero();
        Path target2 = dir.resolve("target2");
        assertThat(Cli.run("restore", "latest", "--repo", repo.toString(), "--password-file", password.toString(),
                "--target", target2.toString()).exitCode()).isZero();
        assertThat(manifest(restored(target2, source))).isEqualTo(manifest(source));
        assertThat(tempFiles(repo)).isEmpty();
    }

    @Test
    void aRestoreIntoAFullDiskFailsWithExit13AndLeavesNoWrongBytes() throws IOException {
        Path repo = dir.resolve("repo");
        Path source = dir.resolve("source");
        Path password = Fixtures.passwordFile(dir, "password", Fixtures.PASSWORD);
        Fixtures.initRepository(repo, 256 * 1024);
        Fixtures.writeRandomFiles(source, 3, 6, 400_000);
        assertThat(Cli.run("backup", "--repo", repo.toString(), "--password-file", password.toString(),
                source.toString()).exitCode()).isZero();
        smallTarget = Mounts.tmpfs(dir.resolve("small"), "1m");

        Cli.Result restore = Cli.run("restore", "latest", "--repo", repo.toString(), "--password-file",
                password.toString(), "--target", smallTarget.path().toString());

        assertThat(restore.exitCode()).as(restore.toString()).isEqualTo(RepositoryException.EXIT_DISK_FULL);
        assertThat(restore.err()).contains("no space left", smallTarget.path().toString());
        Map<String, String> original = manifest(source);
        Path restoredSource = restored(smallTarget.path(), source);
        if (Files.exists(restoredSource)) {
            for (Map.Entry<String, String> e : manifest(restoredSource).entrySet()) {
                if (!e.getValue().equals("dir")) {
                    assertThat(e.getValue()).as("restored %s", e.getKey()).isEqualTo(original.get(e.getKey()));
                }
            }
        }
        assertThat(Files.exists(smallTarget.path(), LinkOption.NOFOLLOW_LINKS)).isTrue();
    }
}
