package io.cairn.engine.archiver;

import static io.cairn.engine.archiver.BackupFixture.randomBytes;
import static io.cairn.engine.archiver.BackupFixture.restoredPath;
import static io.cairn.engine.archiver.BackupFixture.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.engine.browse.SnapshotBrowser;
import io.cairn.engine.index.BlobLocation;
import io.cairn.engine.repository.Repository;
import io.cairn.engine.tree.Node;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A changed file's reader tries the parent's chunks before cutting ({@link ParentChunks}): whatever the change, the
 * file ends up cut exactly as a backup without a parent cuts it, and restores to its bytes.
 */
class ParentChunksTest {

    private static final int SIZE = 600_000;
    private static final int MIN = BackupFixture.CHUNK_MIN;
    private static final int MAX = BackupFixture.CHUNK_MAX;

    @TempDir
    Path dir;

    private Node fileIn(Repository repo, BackupResult backup, Path file) throws IOException {
        SnapshotBrowser browser = new SnapshotBrowser(repo, repo.loadSnapshot(backup.snapshotId()));
        return browser.resolve(file.toAbsolutePath().toString()).node();
    }

    /** Backs up {@code changed} over a first version, then from scratch; both must cut it alike and restore it. */
    private void cutAsFromScratch(String what, byte[] first, UnaryOperator<byte[]> change) throws IOException {
        cutAsFromScratch(what, first, change, BackupFixture.options());
    }

    private void cutAsFromScratch(String what, byte[] first, UnaryOperator<byte[]> change, BackupOptions options)
            throws IOException {
        Path src = dir.resolve(what).resolve("src");
        Path file = write(src, "data.img", first);
        Repository repo = BackupFixture.newRepository(dir.resolve(what).resolve("repo"));
        BackupResult parent = BackupFixture.backup(repo, BackupFixture.options(), src);
        assertThat(fileIn(repo, parent, file).content()).as("enough chunks to try").hasSizeGreaterThan(20);

        byte[] now = change.apply(first.clone());
        Files.write(file, now);
        BackupResult incremental = BackupFixture.backup(repo, options, src);
        assertThat(incremental.snapshot().parent()).isEqualTo(parent.snapshotId());
        assertThat(incremental.snapshot().summary().filesChanged()).as(what).isOne();
        BackupResult scratch = BackupFixture.backup(repo, BackupFixture.options().withParent(""), src);
        assertThat(scratch.snapshot().parent()).isNull();

        List<String> cut = fileIn(repo, incremental, file).content();
        assertThat(cut).as("%s: chunks with the parent's tried first, against cut from scratch", what)
                .isEqualTo(fileIn(repo, scratch, file).content());
        assertThat(scratch.snapshot().summary().dataBlobsAdded()).as("%s: nothing new from scratch", what).isZero();
        Path restored = dir.resolve(what).resolve("restored");
        BackupFixture.restore(repo, incremental.snapshotId(), restored);
        assertThat(Files.readAllBytes(restoredPath(restored, src).resolve("data.img"))).as(what).isEqualTo(now);
    }

    @Test
    void bytesOverwrittenInPlace() throws IOException {
        cutAsFromScratch("overwritten", randomBytes(SIZE, 1), b -> {
            for (int at : new int[] {5_000, 200_123, 200_300, 451_000}) {
                System.arraycopy(randomBytes(100, at), 0, b, at, 100);
            }
            return b;
        });
    }

    @Test
    void manyPlacesOverwrittenWhileFourWorkersHashTheParentsChunksWithTheReader() throws IOException {
        // the parent's chunks of a block are hashed at once by the reader and idle workers: the cut must not depend on
        // which thread hashed which chunk, nor on changed chunks in between
        byte[] first = randomBytes(4 * SIZE, 10);
        cutAsFromScratch("many-places", first, b -> {
            for (int at = 7_000; at < b.length - 200; at += 61_001) {
                System.arraycopy(randomBytes(150, at), 0, b, at, 150);
            }
            return b;
        }, BackupFixture.options().withWorkers(4));
    }

    @Test
    void bytesInsertedAndRemoved() throws IOException {
        cutAsFromScratch("inserted", randomBytes(SIZE, 2), b -> {
            byte[] out = new byte[b.length + 10 - 300];
            System.arraycopy(b, 0, out, 0, 100_000);
            System.arraycopy(randomBytes(10, 3), 0, out, 100_000, 10);
            System.arraycopy(b, 100_000, out, 100_010, 300_000);
            System.arraycopy(b, 400_300, out, 400_010, b.length - 400_300); // 300 bytes gone
            return out;
        });
    }

    @Test
    void appendedTruncatedAndLastByteChanged() throws IOException {
        cutAsFromScratch("appended", randomBytes(SIZE, 4), b -> {
            byte[] out = Arrays.copyOf(b, b.length + 50_000);
            System.arraycopy(randomBytes(50_000, 5), 0, out, b.length, 50_000);
            return out;
        });
        cutAsFromScratch("truncated", randomBytes(SIZE, 6), b -> Arrays.copyOf(b, 250_001));
        cutAsFromScratch("last-byte", randomBytes(SIZE, 7), b -> {
            b[b.length - 1] ^= 1;
            return b;
        });
    }

    @Test
    void zerosAndMaximumLengthChunks() throws IOException {
        // runs of zeros have no boundary: they are cut at the maximum length, which must be kept exactly too
        byte[] first = randomBytes(SIZE, 8);
        Arrays.fill(first, 100_000, 300_000, (byte) 0);
        cutAsFromScratch("zeros", first, b -> {
            Arrays.fill(b, 150_000, 150_100, (byte) 7);
            Arrays.fill(b, 400_000, 420_000, (byte) 0);
            return b;
        });
    }

    @Test
    void everyChunkButTheLastIsTriedAtItsOffsetUpToTheFirstUnknownOne() throws IOException {
        Path src = dir.resolve("src");
        Path file = write(src, "data.img", randomBytes(SIZE, 9));
        Repository repo = BackupFixture.newRepository(dir.resolve("repo"));
        Node node = fileIn(repo, BackupFixture.backup(repo, BackupFixture.options(), src), file);
        List<String> ids = node.content();

        ParentChunks chunks = ParentChunks.of(node, repo.index(), MIN, MAX);
        assertThat(chunks.size()).isEqualTo(ids.size() - 1);
        long offset = 0;
        for (int i = 0; i < ids.size() - 1; i++) {
            ParentChunks.Chunk c = chunks.startingAt(offset);
            assertThat(c.id().hex()).isEqualTo(ids.get(i));
            BlobLocation where = repo.index().find(c.id());
            assertThat(c.length()).isEqualTo(where.plainLength());
            assertThat(chunks.startingAt(offset + 1)).isNull();
            offset += c.length();
        }
        assertThat(chunks.startingAt(offset)).as("the last chunk ended with the file: never tried").isNull();

        // runs: the chunks that follow one another from an offset, as many as end by a limit
        List<ParentChunks.Chunk> all = chunks.runFrom(0, Long.MAX_VALUE);
        assertThat(all).hasSize(ids.size() - 1);
        for (int i = 0; i < all.size(); i++) {
            assertThat(all.get(i).id().hex()).isEqualTo(ids.get(i));
        }
        long thirdEnds = all.get(2).offset() + all.get(2).length();
        assertThat(chunks.runFrom(0, thirdEnds)).as("up to the third chunk's end").isEqualTo(all.subList(0, 3));
        assertThat(chunks.runFrom(0, thirdEnds - 1)).isEqualTo(all.subList(0, 2));
        assertThat(chunks.runFrom(all.get(1).offset(), thirdEnds)).isEqualTo(all.subList(1, 3));
        assertThat(chunks.runFrom(0, all.get(0).length() - 1)).as("the first chunk ends later").isEmpty();
        assertThat(chunks.runFrom(1, Long.MAX_VALUE)).as("no chunk starts there").isEmpty();

        List<String> withUnknown = new ArrayList<>(ids);
        withUnknown.set(3, "00".repeat(32));
        assertThat(ParentChunks.of(node.withContent(withUnknown, node.size()), repo.index(), MIN, MAX)
                .size()).as("offsets after a chunk the index does not know are unknown").isEqualTo(3);
        assertThat(ParentChunks.of(node.withContent(List.of(ids.get(0)), 500), repo.index(), MIN, MAX))
                .as("a file of one chunk").isNull();
        assertThat(ParentChunks.of(null, repo.index(), MIN, MAX)).isNull();

        // chunks the cut rule of these sizes cannot give (another chunker's) are never tried; the offsets stay right
        int[] lengths = new int[ids.size() - 1];
        offset = 0;
        for (int i = 0; i < lengths.length; i++) {
            lengths[i] = chunks.startingAt(offset).length();
            offset += lengths[i];
        }
        int max = Arrays.stream(lengths).sorted().toArray()[lengths.length / 2]; // the median: some above, some not
        ParentChunks narrower = ParentChunks.of(node, repo.index(), MIN, max);
        int kept = 0;
        offset = 0;
        for (int i = 0; i < ids.size() - 1; i++) {
            ParentChunks.Chunk c = chunks.startingAt(offset);
            if (c.length() <= max) {
                assertThat(narrower.startingAt(offset)).isEqualTo(c);
                kept++;
            } else {
                assertThat(narrower == null ? null : narrower.startingAt(offset)).as("longer than %d", max).isNull();
            }
            offset += c.length();
        }
        assertThat(kept).as("chunks up to the median length").isPositive().isLessThan(lengths.length);
        assertThat(narrower.size()).isEqualTo(kept);
        // a run stops where a chunk is left out: the next one does not start where the run's last one ended
        int firstLeftOut = 0;
        while (lengths[firstLeftOut] <= max) {
            firstLeftOut++;
        }
        List<ParentChunks.Chunk> run = narrower.runFrom(0, Long.MAX_VALUE);
        assertThat(run).as("the chunks before the first one longer than %d", max).hasSize(firstLeftOut);
    }
}
