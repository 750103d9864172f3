package io.cairn.cli.faults;

import static io.cairn.cli.faults.Fixtures.manifest;
import static io.cairn.cli.faults.Fixtures.restored;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.cli.CairnCommand;
import io.cairn.engine.archiver.Archiver;
import io.cairn.engine.archiver.BackupOptions;
import io.cairn.engine.archiver.BackupResult;
import io.cairn.engine.progress.ProgressListener;
import io.cairn.engine.repository.Repository;
import io.cairn.engine.snapshot.SnapshotRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A source file that cannot be read does not fail the backup: the snapshot is saved without it,
 * the file is named in a warning, the exit code is 3, everything else restores exactly, and once
 * the file is readable again the next backup includes it. A FIFO in the source is skipped (never
 * opened, so the backup cannot hang on it).
 */
class UnreadableSourceTest {

    @TempDir
    Path dir;

    private Path repo;
    private Path password;
    private Path source;
    private Path secret;
    private Path fifo;

    @BeforeEach
    void setUp() throws IOException {
        repo = dir.resolve("repo");
        Fixtures.initRepository(repo, 256 * 1024);
        password = Fixtures.passwordFile(dir, "password", Fixtures.PASSWORD);
        source = dir.resolve("source");
        Fixtures.writeRandomFiles(source.resolve("docs"), 4, 3, 120_000);
        Files.writeString(source.resolve("readme.txt"), "hello\n");
        secret = source.resolve("docs/secret.db");
        Files.write(secret, Fixtures.randomBytes(5, 30_000));
        fifo = source.resolve("docs/pipe");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        try {
            assertThat(mkfifo.waitFor()).isZero();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** The source's manifest without the entries a backup cannot save. */
    private TreeMap<String, String> readableManifest() throws IOException {
        TreeMap<String, String> m = new TreeMap<>();
        for (var e : manifest(source).entrySet()) {
            if (!e.getKey().equals(source.relativize(secret).toString()) && !e.getKey().equals(source.relativize(fifo).toString())) {
                m.put(e.getKey(), e.getValue());
            }
        }
        return m;
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void theCliSavesTheRestWarnsAndExitsWith3() throws IOException {
        TreeMap<String, String> expected = readableManifest();
        Cli.Result backup;
        try (Mounts unreadable = Mounts.unreadable(secret)) {
            backup = Cli.run("backup", "--repo", repo.toString(), "--password-file", password.toString(), source.toString());
        }

        assertThat(backup.exitCode()).as(backup.toString()).isEqualTo(CairnCommand.EXIT_PARTIAL);
        assertThat(backup.err()).contains("warning: " + secret + ": permission denied");
        assertThat(backup.err()).contains("warning: " + fifo + ": skipped special file");
        assertThat(backup.out()).contains("2 entries could not be read and are missing from the snapshot", "saved");

        Path target = dir.resolve("target");
        Cli.Result restore = Cli.run("restore", "latest", "--repo", repo.toString(), "--password-file", password.toString(),
                "--target", target.toString());
        assertThat(restore.exitCode()).as(restore.toString()).isZero();
        assertThat(manifest(restored(target, source))).isEqualTo(expected);

        // readable again (and the FIFO gone): the next backup includes everything and exits 0
        Files.delete(fifo);
        Cli.Result clean = Cli.run("backup", "--json", "--repo", repo.toString(), "--password-file", password.toString(),
                source.toString());
        assertThat(clean.exitCode()).as(clean.toString()).isZero();
        Path target2 = dir.resolve("target2");
        assertThat(Cli.run("restore", "latest", "--repo", repo.toString(), "--password-file", password.toString(),
                "--target", target2.toString()).exitCode()).isZero();
        assertThat(manifest(restored(target2, source))).isEqualTo(manifest(source));
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void theArchiverRecordsTheWarningAndLeavesTheFileOutOfTheSnapshot() throws IOException {
        BackupResult result;
        try (Mounts unreadable = Mounts.unreadable(secret);
             Repository r = Fixtures.open(repo)) {
            result = new Archiver(r, BackupOptions.defaults(), ProgressListener.NONE).backup(List.of(source));
        }

        assertThat(result.incomplete()).isTrue();
        assertThat(result.warnings()).containsExactlyInAnyOrder(secret + ": permission denied",
                fifo + ": skipped special file (device, fifo or socket)");
        assertThat(result.snapshot().summary().warnings()).isEqualTo(2);
        try (Repository r = Fixtures.open(repo)) {
            SnapshotRef snapshot = r.loadSnapshot(result.snapshotId());
            var docs = r.loadTree(snapshot.snapshot().tree());
            for (Path component : source.resolve("docs")) {
                docs = r.loadTree(docs.find(component.toString()).orElseThrow().subtree());
            }
            assertThat(docs.find("secret.db")).isEmpty();
            assertThat(docs.find("pipe")).isEmpty();
            assertThat(docs.find("file-000.bin")).isPresent();
        }
    }
}
