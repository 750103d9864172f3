package io.cairn.testkit;

import io.cairn.engine.backend.FileHandle;
import io.cairn.engine.backend.FileInfo;
import io.cairn.engine.backend.FileNotFoundInBackendException;
import io.cairn.engine.backend.FileType;
import io.cairn.engine.backend.LocalBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CorruptingBackendTest {

    private static final FileHandle DAMAGED = FileHandle.of(FileType.PACK, "d".repeat(64));
    private static final FileHandle INTACT = FileHandle.of(FileType.PACK, "e".repeat(64));

    private final InMemoryBackend store = new InMemoryBackend();
    private final CorruptingBackend backend = new CorruptingBackend(store);
    private final byte[] data = randomBytes(1000);

    @TempDir
    Path directory;

    CorruptingBackendTest() throws IOException {
        store.save(DAMAGED, data);
        store.save(INTACT, data);
    }

    @Test
    void aFlippedBitChangesExactlyThatBitOnEveryReadPath() throws IOException {
        backend.flipBit(DAMAGED, 123, 5);
        byte[] expected = data.clone();
        expected[123] ^= 0b0010_0000;

        assertThat(backend.load(DAMAGED)).isEqualTo(expected);
        assertThat(backend.load(DAMAGED, 100, 50)).isEqualTo(Arrays.copyOfRange(expected, 100, 150));
        assertThat(backend.load(DAMAGED, 124, 50)).as("a range without the bit").isEqualTo(Arrays.copyOfRange(data, 124, 174));
        try (InputStream in = backend.open(DAMAGED)) {
            assertThat(in.readAllBytes()).isEqualTo(expected);
        }
        assertThat(backend.size(DAMAGED)).isEqualTo(data.length);
        assertThat(backend.load(INTACT)).isEqualTo(data);
        assertThat(store.load(DAMAGED)).as("the stored bytes").isEqualTo(data);
        assertThat(backend.damagedReads()).isEqualTo(4);
    }

    @Test
    void severalFlipsAndPredicatesCombine() throws IOException {
        backend.flipBit(handle -> handle.type() == FileType.PACK, 0, 0).flipBit(DAMAGED, 999, 7);
        byte[] damaged = data.clone();
        damaged[0] ^= 1;
        byte[] both = damaged.clone();
        both[999] ^= (byte) 0x80;

        assertThat(backend.load(DAMAGED)).isEqualTo(both);
        assertThat(backend.load(INTACT)).isEqualTo(damaged);
    }

    @Test
    void aTruncatedObjectReadsShortEverywhere() throws IOException {
        backend.truncate(DAMAGED, 600);

        assertThat(backend.load(DAMAGED)).isEqualTo(Arrays.copyOf(data, 600));
        assertThat(backend.load(DAMAGED, 550, 50)).isEqualTo(Arrays.copyOfRange(data, 550, 600));
        assertThatThrownBy(() -> backend.load(DAMAGED, 550, 51)).isInstanceOf(IOException.class)
                .hasMessageContaining(DAMAGED.toString()).hasMessageContaining("is 600 bytes, shorter than the requested range");
        assertThat(backend.size(DAMAGED)).isEqualTo(600);
        assertThat(backend.list(FileType.PACK)).containsExactlyInAnyOrder(new FileInfo(DAMAGED, 600), new FileInfo(INTACT, 1000));
        try (InputStream in = backend.open(DAMAGED)) {
            assertThat(in.readAllBytes()).hasSize(600);
        }
    }

    @Test
    void flipsPastATruncatedEndChangeNothing() throws IOException {
        backend.truncate(DAMAGED, 10).flipBit(DAMAGED, 500, 0);

        assertThat(backend.load(DAMAGED)).isEqualTo(Arrays.copyOf(data, 10));
    }

    @Test
    void repairRestoresTheStoredBytes() throws IOException {
        backend.flipBit(DAMAGED, 1, 1).truncate(INTACT, 1);

        backend.repair(DAMAGED);
        assertThat(backend.load(DAMAGED)).isEqualTo(data);
        assertThat(backend.size(INTACT)).isEqualTo(1);

        backend.repairAll();
        assertThat(backend.size(INTACT)).isEqualTo(1000);
    }

    @Test
    void missingObjectsStayMissing() {
        FileHandle missing = FileHandle.of(FileType.PACK, "f".repeat(64));
        backend.flipBit(missing, 0, 0);

        assertThatThrownBy(() -> backend.load(missing)).isInstanceOf(FileNotFoundInBackendException.class);
        assertThatThrownBy(() -> backend.load(missing, 0, 1)).isInstanceOf(FileNotFoundInBackendException.class);
    }

    @Test
    void invalidDamageIsRejected() {
        assertThatThrownBy(() -> backend.flipBit(DAMAGED, 0, 8)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> backend.flipBit(DAMAGED, -1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> backend.truncate(DAMAGED, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void flipBitOnDiskDamagesTheStoredFileOfALocalRepository() throws IOException {
        LocalBackend local = new LocalBackend(directory.resolve("repository"));
        local.create();
        local.save(DAMAGED, data);

        CorruptingBackend.flipBitOnDisk(local.root(), DAMAGED, 999, 0);

        byte[] expected = data.clone();
        expected[999] ^= 1;
        assertThat(local.load(DAMAGED)).isEqualTo(expected);
        assertThat(local.size(DAMAGED)).isEqualTo(1000);
    }

    @Test
    void truncateOnDiskShortensTheStoredFileOfALocalRepository() throws IOException {
        LocalBackend local = new LocalBackend(directory.resolve("repository"));
        local.create();
        local.save(DAMAGED, data);

        CorruptingBackend.truncateOnDisk(local.root(), DAMAGED, 10);

        assertThat(local.load(DAMAGED)).isEqualTo(Arrays.copyOf(data, 10));
        assertThat(local.list(FileType.PACK)).containsExactly(new FileInfo(DAMAGED, 10));
        assertThatThrownBy(() -> local.load(DAMAGED, 0, 11)).isInstanceOf(IOException.class);
    }

    @Test
    void onDiskDamageRejectsMissingObjectsAndOutOfRangePositions() throws IOException {
        LocalBackend local = new LocalBackend(directory.resolve("repository"));
        local.create();
        local.save(DAMAGED, data);

        assertThatThrownBy(() -> CorruptingBackend.flipBitOnDisk(local.root(), INTACT, 0, 0))
                .isInstanceOf(FileNotFoundInBackendException.class);
        assertThatThrownBy(() -> CorruptingBackend.flipBitOnDisk(local.root(), DAMAGED, 1000, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CorruptingBackend.truncateOnDisk(local.root(), DAMAGED, 1001))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(local.load(DAMAGED)).isEqualTo(data);
    }

    private static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        new Random(7).nextBytes(bytes);
        return bytes;
    }
}
