package io.cairn.cli.faults;

import static io.cairn.cli.faults.Fixtures.manifest;
import static io.cairn.cli.faults.Fixtures.restored;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.engine.backend.FileHandle;
import io.cairn.engine.backend.FileType;
import io.cairn.engine.blob.BlobId;
import io.cairn.engine.blob.BlobType;
import io.cairn.engine.index.BlobLocation;
import io.cairn.engine.repository.BlobWriter;
import io.cairn.engine.repository.Repository;
import io.cairn.engine.repository.RepositoryException;
import io.cairn.engine.snapshot.Snapshot;
import io.cairn.engine.snapshot.SnapshotRef;
import io.cairn.engine.tree.Node;
import io.cairn.engine.tree.Tree;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exit codes of the CLI for damaged repositories and failed command backups: a snapshot with an
 * entry named {@code ../x} and a pack with a flipped bit both give exit code 4 with a message
 * naming what is damaged, and write nothing wrong; a {@code --stdin-from-command} backup whose
 * command fails or is killed gives exit code 1, names the exit status and saves no snapshot.
 */
class DamageExitCodesTest {

    @TempDir
    Path dir;

    private Path repo;
    private Path password;

    @BeforeEach
    void setUp() throws IOException {
        repo = dir.resolve("repo");
        Fixtures.initRepository(repo, 256 * 1024);
        password = Fixtures.passwordFile(dir, "password", Fixtures.PASSWORD);
    }

    private Cli.Result cairn(String command, String... args) {
        String[] all = new String[args.length + 5];
        all[0] = command;
        all[1] = "--repo";
        all[2] = repo.toString();
        all[3] = "--password-file";
        all[4] = password.toString();
        System.arraycopy(args, 0, all, 5, args.length);
        return Cli.run(all);
    }

    @Test
    void aSnapshotWithAnEntryNamedDotDotGivesExit4AndWritesNothingOutside() throws IOException {
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Path target = outside.resolve("target");
        Path canary = outside.resolve("x");
        Files.writeString(canary, "canary\n");
        String snapshotId;
        try (Repository r = Fixtures.open(repo); BlobWriter writer = new BlobWriter(r, r.defaultCompression())) {
            byte[] evil = "evil\n".getBytes(StandardCharsets.UTF_8);
            BlobId data = writer.saveAndId(BlobType.DATA, evil);
            String tree = "{\"nodes\":[{\"name\":\"../x\",\"type\":\"file\",\"mode\":420,\"uid\":0,\"gid\":0,"
                    + "\"mtimeNs\":0,\"ctimeNs\":0,\"inode\":0,\"device\":0,\"links\":1,\"size\":" + evil.length
                    + ",\"content\":[\"" + data.hex() + "\"]}]}";
            BlobId root = writer.saveAndId(BlobType.TREE, tree.getBytes(StandardCharsets.UTF_8));
            writer.flush();
            snapshotId = r.saveSnapshot(new Snapshot(1, r.clock().instant().toString(), root.hex(), List.of("/crafted"),
                    "host", "user", List.of(), null, "crafted", null));
        }
        TreeMap<String, String> before = manifest(outside);

        Cli.Result restore = cairn("restore", snapshotId, "--target", target.toString());

        assertThat(restore.exitCode()).as(restore.toString()).isEqualTo(RepositoryException.EXIT_DAMAGED);
        assertThat(restore.err()).contains("damaged", "unsafe entry name '../x'", "cairn check");
        TreeMap<String, String> after = manifest(outside);
        after.keySet().removeIf(k -> k.equals("target"));
        assertThat(after).isEqualTo(before);
        assertThat(Files.readString(canary)).isEqualTo("canary\n");
    }

    @Test
    void aFlippedBitInAPackGivesExit4NamingFileBlobAndPackAndOtherSnapshotsRestore() throws IOException {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        Fixtures.writeRandomFiles(a, 1, 2, 200_000);
        Fixtures.writeRandomFiles(b, 2, 2, 200_000);
        assertThat(cairn("backup", a.toString()).exitCode()).isZero();
        assertThat(cairn("backup", b.toString()).exitCode()).isZero();
        Path damagedFile = a.resolve("file-000.bin");
        BlobId blob;
        BlobLocation loc;
        String idA;
        try (Repository r = Fixtures.open(repo)) {
            SnapshotRef snapA = r.snapshots().stream().filter(s -> s.snapshot().paths().equals(List.of(a.toString())))
                    .findFirst().orElseThrow();
            idA = snapA.id();
            Tree tree = r.loadTree(snapA.snapshot().tree());
            Node node = null;
            for (Path component : damagedFile) {
                node = tree.find(component.toString()).orElseThrow();
                if (node.isDir()) {
                    tree = r.loadTree(node.subtree());
                }
            }
            blob = BlobId.parse(node.content().get(1));
            loc = r.index().find(blob);
        }
        Path pack = repo.resolve(FileHandle.of(FileType.PACK, loc.packId()).relativePath());
        try (RandomAccessFile f = new RandomAccessFile(pack.toFile(), "rw")) {
            f.seek(loc.offset() + 20);
            int v = f.read();
            f.seek(loc.offset() + 20);
            f.write(v ^ 0x01);
        }

        Path targetA = dir.resolve("target-a");
        Cli.Result restoreA = cairn("restore", idA, "--target", targetA.toString());

        assertThat(restoreA.exitCode()).as(restoreA.toString()).isEqualTo(RepositoryException.EXIT_DAMAGED);
        assertThat(restoreA.err()).contains(damagedFile.getFileName().toString(), blob.shortHex(),
                loc.packId().substring(0, 8), "cairn check --read-data");
        assertThat(restored(targetA, damagedFile)).as("the damaged file is not left behind").doesNotExist();

        Path targetB = dir.resolve("target-b");
        Cli.Result restoreB = cairn("restore", "latest", "--target", targetB.toString());
        assertThat(restoreB.exitCode()).as(restoreB.toString()).isZero();
        assertThat(manifest(restored(targetB, b))).isEqualTo(manifest(b));
    }

    @Test
    void aFailingCommandGivesExit1NamesTheStatusAndSavesNoSnapshot() throws IOException {
        Cli.Result failed = cairn("backup", "--stdin-from-command", "--stdin-filename", "dump.sql", "--",
                "sh", "-c", "echo partial; echo 'pg_dump: connection refused' >&2; exit 1");
        Cli.Result killed = cairn("backup", "--stdin-from-command", "--stdin-filename", "dump.sql", "--",
                "sh", "-c", "echo partial; kill -9 $$");

        assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(RepositoryException.EXIT_FAILURE);
        assertThat(failed.err()).contains("failed with exit status 1", "pg_dump: connection refused",
                "no snapshot was saved");
        assertThat(killed.exitCode()).as(killed.toString()).isEqualTo(RepositoryException.EXIT_FAILURE);
        assertThat(killed.err()).contains("exit status 137", "killed by signal 9", "no snapshot was saved");
        try (Repository r = Fixtures.open(repo)) {
            assertThat(r.snapshots()).isEmpty();
        }

        Cli.Result ok = cairn("backup", "--stdin-from-command", "--stdin-filename", "dump.sql", "--",
                "sh", "-c", "echo complete");
        assertThat(ok.exitCode()).as(ok.toString()).isZero();
        Path target = dir.resolve("target");
        assertThat(cairn("restore", "latest", "--target", target.toString()).exitCode()).isZero();
        assertThat(Files.readString(target.resolve("dump.sql"))).isEqualTo("complete\n");
    }
}
