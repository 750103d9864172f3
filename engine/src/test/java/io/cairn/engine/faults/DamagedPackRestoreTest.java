package io.cairn.engine.faults;

import static io.cairn.engine.faults.FaultFixtures.backup;
import static io.cairn.engine.faults.FaultFixtures.fileNodeOf;
import static io.cairn.engine.faults.FaultFixtures.randomBytes;
import static io.cairn.engine.faults.FaultFixtures.restore;
import static io.cairn.engine.faults.FaultFixtures.restored;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.engine.backend.FileHandle;
import io.cairn.engine.backend.FileType;
import io.cairn.engine.blob.BlobId;
import io.cairn.engine.index.BlobLocation;
import io.cairn.engine.progress.ProgressListener;
import io.cairn.engine.repository.Repository;
import io.cairn.engine.repository.RepositoryException;
import io.cairn.engine.restorer.RestoreOptions;
import io.cairn.engine.restorer.Restorer;
import io.cairn.engine.snapshot.SnapshotRef;
import io.cairn.engine.tree.Node;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A restore never returns wrong bytes: a flipped bit or a cut-off pack fails the files that need
 * it with an error naming the blob and the pack (exit code 4); no file is left holding anything but
 * its original bytes; files and snapshots that do not use the damaged pack still restore.
 */
class DamagedPackRestoreTest {

    @TempDir
    Path tmp;

    private Path repoDir;
    private Repository repo;
    /** Files of the first snapshot: one big (many chunks, several packs) and a few small ones. */
    private final Map<Path, byte[]> first = new LinkedHashMap<>();
    private final Map<Path, byte[]> second = new LinkedHashMap<>();
    private String firstId;
    private String secondId;
    private Path big;

    @BeforeEach
    void setUp() throws IOException {
        repoDir = tmp.resolve("repo");
        repo = FaultFixtures.initRepository(repoDir);
        Path a = tmp.resolve("a");
        big = a.resolve("big.bin");
        first.put(big, randomBytes(1, 1_500_000));
        for (int i = 0; i < 4; i++) {
            first.put(a.resolve("small-" + i + ".txt"), randomBytes(10 + i, 2_000 + i));
        }
        write(first);
        firstId = backup(repo, a).snapshotId();
        Path b = tmp.resolve("b");
        second.put(b.resolve("other.bin"), randomBytes(2, 600_000));
        write(second);
        secondId = backup(repo, b).snapshotId();
    }

    @AfterEach
    void tearDown() throws IOException {
        repo.close();
    }

    private static void write(Map<Path, byte[]> files) throws IOException {
        for (Map.Entry<Path, byte[]> e : files.entrySet()) {
            Files.createDirectories(e.getKey().getParent());
            Files.write(e.getKey(), e.getValue());
        }
    }

    /** Where the chunk number {@code chunk} of {@code file} in snapshot {@code snapshotId} is stored. */
    private BlobLocation locationOfChunk(String snapshotId, Path file, int chunk) throws IOException {
        SnapshotRef snapshot = repo.loadSnapshot(snapshotId);
        Node node = fileNodeOf(repo, snapshot, file);
        assertThat(node.content()).as("chunks of %s", file).hasSizeGreaterThan(chunk);
        return repo.index().find(BlobId.parse(node.content().get(chunk)));
    }

    private Path packFile(String packId) {
        return repoDir.resolve(FileHandle.of(FileType.PACK, packId).relativePath());
    }

    private void flipBit(Path file, long offset, int bit) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(offset);
            int b = f.read();
            f.seek(offset);
            f.write(b ^ (1 << bit));
        }
    }

    /**
     * Every file of the snapshot is either restored with exactly its original bytes or absent, and
     * only files with a blob in the damaged pack may be absent; {@code damagedFile} must be.
     */
    private void assertExactOrAbsentBecauseOfDamage(Path target, String snapshotId, Map<Path, byte[]> originals,
                                                    String damagedPack, Path damagedFile) throws IOException {
        SnapshotRef snapshot = repo.loadSnapshot(snapshotId);
        for (Map.Entry<Path, byte[]> e : originals.entrySet()) {
            Path r = restored(target, e.getKey());
            if (Files.exists(r)) {
                assertThat(Files.readAllBytes(r)).as("restored %s", e.getKey()).isEqualTo(e.getValue());
                continue;
            }
            boolean usesPack = false;
            for (String blob : fileNodeOf(repo, snapshot, e.getKey()).content()) {
                usesPack |= repo.index().find(BlobId.parse(blob)).packId().equals(damagedPack);
            }
            assertThat(usesPack).as("%s is missing although it has no blob in the damaged pack", e.getKey()).isTrue();
        }
        assertThat(restored(target, damagedFile)).as("the damaged file is not left behind").doesNotExist();
    }

    private void assertRestoresExactly(String snapshotId, Map<Path, byte[]> originals) throws IOException {
        Path target = Files.createTempDirectory(tmp, "restore-");
        restore(repo, snapshotId, target);
        for (Map.Entry<Path, byte[]> e : originals.entrySet()) {
            assertThat(Files.readAllBytes(restored(target, e.getKey()))).as("restored %s", e.getKey()).isEqualTo(e.getValue());
        }
    }

    @Test
    void aFlippedBitInADataBlobFailsThatFileNamingBlobAndPack() throws IOException {
        BlobLocation loc = locationOfChunk(firstId, big, 3);
        BlobId damagedBlob = BlobId.parse(fileNodeOf(repo, repo.loadSnapshot(firstId), big).content().get(3));
        flipBit(packFile(loc.packId()), loc.offset() + loc.sealedLength() / 2, 5);
        Path target = tmp.resolve("target");

        assertThatThrownBy(() -> restore(repo, firstId, target))
                .isInstanceOf(RepositoryException.class)
                .hasMessageContaining(damagedBlob.shortHex())
                .hasMessageContaining(loc.packId().substring(0, 8))
                .hasMessageContaining(big.getFileName().toString())
                .satisfies(e -> assertThat(((RepositoryException) e).exitCode()).isEqualTo(RepositoryException.EXIT_DAMAGED));

        assertExactOrAbsentBecauseOfDamage(target, firstId, first, loc.packId(), big);
        assertRestoresExactly(secondId, second);
    }

    @Test
    void aFlippedBitAnywhereInABlobIsAlwaysDetected() throws IOException {
        // a small file is one blob: flip one bit at a time across its stored bytes (nonce, ciphertext,
        // tag) and restore just that file each time
        Path small = first.keySet().stream().filter(p -> !p.equals(big)).findFirst().orElseThrow();
        BlobLocation loc = locationOfChunk(firstId, small, 0);
        Path pack = packFile(loc.packId());
        Restorer onlySmall = new Restorer(repo, RestoreOptions.defaults().withIncludes(List.of(small.toString())),
                ProgressListener.NONE);
        int flips = 0;
        for (int i = 0; i < loc.sealedLength(); i += 23) {
            flipBit(pack, loc.offset() + i, i % 8);
            Path target = tmp.resolve("target-" + i);
            assertThatThrownBy(() -> onlySmall.restore(repo.loadSnapshot(firstId), target)).as("bit flipped at byte %d", i)
                    .isInstanceOf(RepositoryException.class)
                    .hasMessageContaining(loc.packId().substring(0, 8));
            assertThat(restored(target, small)).doesNotExist();
            flipBit(pack, loc.offset() + i, i % 8);
            flips++;
        }
        assertThat(flips).isGreaterThan(80);
        assertRestoresExactly(firstId, first);
    }

    @Test
    void aTruncatedPackFailsTheFilesInItAndNeverPadsThem() throws IOException {
        BlobLocation loc = locationOfChunk(firstId, big, 5);
        try (FileChannel ch = FileChannel.open(packFile(loc.packId()), StandardOpenOption.WRITE)) {
            ch.truncate(loc.offset() + 10);
        }
        Path target = tmp.resolve("target");

        assertThatThrownBy(() -> restore(repo, firstId, target))
                .isInstanceOf(RepositoryException.class)
                .hasMessageContaining("truncated")
                .hasMessageContaining(loc.packId().substring(0, 8))
                .satisfies(e -> assertThat(((RepositoryException) e).exitCode()).isEqualTo(RepositoryException.EXIT_DAMAGED));

        assertExactOrAbsentBecauseOfDamage(target, firstId, first, loc.packId(), big);
        assertRestoresExactly(secondId, second);
    }

    @Test
    void aMissingPackFailsTheFilesInItAndNothingElse() throws IOException {
        BlobLocation loc = locationOfChunk(firstId, big, 0);
        Files.delete(packFile(loc.packId()));
        Path target = tmp.resolve("target");

        assertThatThrownBy(() -> restore(repo, firstId, target))
                .isInstanceOf(RepositoryException.class)
                .hasMessageContaining("missing")
                .hasMessageContaining(loc.packId().substring(0, 8));

        assertExactOrAbsentBecauseOfDamage(target, firstId, first, loc.packId(), big);
        assertRestoresExactly(secondId, second);
    }
}
