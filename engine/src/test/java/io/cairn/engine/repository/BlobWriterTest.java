package io.cairn.engine.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.cairn.engine.backend.FileInfo;
import io.cairn.engine.backend.FileType;
import io.cairn.engine.backend.LocalBackend;
import io.cairn.engine.blob.BlobId;
import io.cairn.engine.blob.BlobType;
import io.cairn.engine.blob.Compression;
import io.cairn.engine.crypto.CorruptObjectException;
import io.cairn.engine.index.BlobLocation;
import io.cairn.engine.index.IndexFile;
import io.cairn.engine.pack.PackEntry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writing blobs: packs by type, deduplication, the index written by flush, and reading blobs back. */
class BlobWriterTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void allowTinyArgon2() {
        System.setProperty("cairn.insecureTestKdf", "true");
    }

    private Repository init() throws IOException {
        return Repository.init(new LocalBackend(dir), RepositoryTest.PASSWORD, RepositoryTest.tinyOptions(),
                RepositoryTest.CLOCK);
    }

    @Test
    void flushWritesPacksThenAnIndexAndBlobsReadBack() throws IOException {
        Repository repo = init();
        List<byte[]> data = new ArrayList<>();
        List<BlobId> ids = new ArrayList<>();
        Random random = new Random(1);
        try (BlobWriter writer = new BlobWriter(repo, Compression.DEFAULT)) {
            for (int i = 0; i < 40; i++) {
                byte[] chunk = new byte[5000 + i];
                random.nextBytes(chunk);
                data.add(chunk);
                ids.add(writer.saveAndId(BlobType.DATA, chunk));
            }
            byte[] tree = "{\"nodes\":[]}".getBytes(StandardCharsets.US_ASCII);
            data.add(tree);
            ids.add(writer.saveAndId(BlobType.TREE, tree));
            assertThat(repo.backend().list(FileType.INDEX)).as("nothing indexed before flush").isEmpty();

            writer.flush();

            assertThat(writer.dataBlobsAdded()).isEqualTo(40);
            assertThat(writer.treeBlobsAdded()).isEqualTo(1);
            assertThat(writer.indexIds()).hasSize(1);
            assertThat(writer.packsWritten()).isGreaterThanOrEqualTo(4); // 200 KB of data in 64 KiB packs + 1 tree pack
        }
        Repository reopened = Repository.open(new LocalBackend(dir), RepositoryTest.PASSWORD, RepositoryTest.CLOCK);
        for (int i = 0; i < ids.size(); i++) {
            BlobType type = i == ids.size() - 1 ? BlobType.TREE : BlobType.DATA;
            assertThat(reopened.loadBlob(type, ids.get(i))).isEqualTo(data.get(i));
            assertThat(ids.get(i).bytes()).isEqualTo(repo.masterKey().blobId(data.get(i), 0, data.get(i).length));
        }
        // every pack's header matches the index, and no pack mixes data and tree blobs
        Map<String, List<PackEntry>> byPack = reopened.index().byPack();
        assertThat(byPack.keySet()).containsExactlyInAnyOrderElementsOf(
                reopened.backend().list(FileType.PACK).stream().map(f -> f.handle().name()).toList());
        for (Map.Entry<String, List<PackEntry>> pack : byPack.entrySet()) {
            List<PackEntry> header = reopened.loadPackHeader(pack.getKey());
            assertThat(header).containsExactlyInAnyOrderElementsOf(pack.getValue());
            assertThat(header.stream().map(PackEntry::type).distinct()).hasSize(1);
        }
        for (FileInfo pack : reopened.backend().list(FileType.PACK)) {
            assertThat(pack.size()).as("pack size").isLessThanOrEqualTo(64 * 1024 + 6000);
        }
    }

    @Test
    void blobsAlreadyStoredOrAlreadySavedInTheSessionAreNotStoredAgain() throws IOException {
        Repository repo = init();
        byte[] chunk = "the same chunk, twice".repeat(10).getBytes(StandardCharsets.US_ASCII);
        BlobId id;
        try (BlobWriter writer = new BlobWriter(repo, Compression.DEFAULT)) {
            id = writer.saveAndId(BlobType.DATA, chunk);
            assertThat(writer.save(BlobType.DATA, id, chunk)).isFalse();
            writer.flush();
            assertThat(writer.dataBlobsAdded()).isOne();
        }
        try (BlobWriter writer = new BlobWriter(repo, Compression.DEFAULT)) {
            assertThat(writer.save(BlobType.DATA, id, chunk)).isFalse();
            writer.flush();
            assertThat(writer.packsWritten()).isZero();
            assertThat(writer.indexIds()).isEmpty();
        }
        assertThat(repo.backend().list(FileType.PACK)).hasSize(1);
        assertThat(repo.backend().list(FileType.INDEX)).hasSize(1);
    }

    @Test
    void aFullIndexListsEveryPackTheSessionWrote() throws IOException {
        Repository repo = init();
        Set<BlobId> saved = new HashSet<>();
        try (BlobWriter writer = new BlobWriter(repo, Compression.OFF)) {
            Random random = new Random(2);
            for (int i = 0; i < 30; i++) {
                byte[] chunk = new byte[20_000];
                random.nextBytes(chunk);
                saved.add(writer.saveAndId(BlobType.DATA, chunk));
            }
            writer.flush();
        }
        Map<String, IndexFile> files = repo.loadIndexFiles();
        Set<BlobId> indexed = new HashSet<>();
        for (IndexFile f : files.values()) {
            for (List<PackEntry> entries : f.packs().values()) {
                entries.forEach(e -> indexed.add(e.id()));
            }
        }
        assertThat(indexed).isEqualTo(saved);
    }

    @Test
    void loadBlobChecksTheTypeAndReportsMissingBlobs() throws IOException {
        Repository repo = init();
        BlobId id;
        try (BlobWriter writer = new BlobWriter(repo, Compression.DEFAULT)) {
            id = writer.saveAndId(BlobType.DATA, new byte[100]);
            writer.flush();
        }
        BlobId absent = RepositoryTest.blob(7);

        assertThatThrownBy(() -> repo.loadBlob(BlobType.TREE, id))
                .isInstanceOf(CorruptObjectException.class)
                .hasMessageContaining("is a data blob, expected tree");
        assertThatThrownBy(() -> repo.loadBlob(BlobType.DATA, absent))
                .isInstanceOf(CorruptObjectException.class)
                .hasMessageContaining("missing from the index");
        BlobLocation loc = repo.index().find(id);
        BlobLocation shifted = new BlobLocation(loc.packId(), loc.type(), loc.offset() + 1, loc.sealedLength(),
                loc.plainLength());
        assertThatThrownBy(() -> repo.loadBlob(shifted, id)).isInstanceOf(CorruptObjectException.class)
                .hasMessageContaining(id.shortHex()).hasMessageContaining(loc.packId().substring(0, 8));
        BlobLocation wrongLength = new BlobLocation(loc.packId(), loc.type(), loc.offset(), loc.sealedLength(),
                loc.plainLength() + 1);
        assertThatThrownBy(() -> repo.loadBlob(wrongLength, id))
                .isInstanceOf(CorruptObjectException.class).hasMessageContaining(id.shortHex());
    }

    @Test
    void largeBlobsGetTheirSegmentsWhileTheTreePackKeepsOne() throws IOException {
        Repository repo = Repository.init(new LocalBackend(dir), RepositoryTest.PASSWORD,
                Repository.InitOptions.defaults().withKdf(RepositoryTest.TINY_KDF), RepositoryTest.CLOCK);
        Random random = new Random(11);
        List<byte[]> data = new ArrayList<>();
        for (int size : new int[]{7 << 20, 5 << 20, 1 << 20, 1 << 20, 1 << 20, 8 << 20, 1 << 20, 1 << 20}) {
            byte[] blob = new byte[size];
            random.nextBytes(blob);
            data.add(blob);
        }
        byte[] tree = "{\"nodes\":[]}".getBytes(StandardCharsets.US_ASCII);
        List<BlobId> ids = new ArrayList<>();
        BlobId[] treeId = new BlobId[1];
        // a segment of an 8 MiB blob, or a 1 MiB blob's segment served by a recycled 8 MiB array, was charged
        // the whole budget and waited forever for the segment the open tree pack kept: this hung
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            try (BlobWriter writer = new BlobWriter(repo, Compression.DEFAULT)) {
                treeId[0] = writer.saveAndId(BlobType.TREE, tree);
                for (byte[] blob : data) {
                    ids.add(writer.saveAndId(BlobType.DATA, blob));
                }
                writer.flush();
            }
        }, "saving large data blobs while the tree pack is open");

        Repository reopened = Repository.open(new LocalBackend(dir), RepositoryTest.PASSWORD, RepositoryTest.CLOCK);
        assertThat(reopened.loadBlob(BlobType.TREE, treeId[0])).isEqualTo(tree);
        for (int i = 0; i < data.size(); i++) {
            assertThat(reopened.loadBlob(BlobType.DATA, ids.get(i))).isEqualTo(data.get(i));
        }
    }

    @Test
    void aThreadKeepsItsEncodeBufferForTheLargestChunkOfAStream() throws Exception {
        // A dump's chunks are 4-8 MiB: each one used to get a new array (~490 MB for a 513 MB dump).
        Thread t = new Thread(() -> {
            byte[] first = BlobWriter.encodeBuffer(5 << 20);
            assertThat(BlobWriter.encodeBuffer(4 << 20)).isSameAs(first);
            byte[] largest = BlobWriter.encodeBuffer(Repository.DEFAULT_STREAM_CHUNK_MAX + 1);
            assertThat(BlobWriter.encodeBuffer(Repository.DEFAULT_STREAM_CHUNK_MAX + 1)).isSameAs(largest);
            assertThat(BlobWriter.encodeBuffer(6 << 20)).isSameAs(largest);
        });
        List<Throwable> failures = new ArrayList<>();
        t.setUncaughtExceptionHandler((thread, e) -> failures.add(e));
        t.start();
        t.join();
        assertThat(failures).isEmpty();
    }
}
