package io.cairn.testkit;

import io.cairn.engine.backend.Backend;
import io.cairn.engine.backend.BackendFullException;
import io.cairn.engine.backend.FileAlreadyExistsException;
import io.cairn.engine.backend.FileHandle;
import io.cairn.engine.backend.FileInfo;
import io.cairn.engine.backend.FileNotFoundInBackendException;
import io.cairn.engine.backend.FileType;
import io.cairn.engine.backend.RangeReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The guarantees of {@link Backend}, as tests every implementation must pass. Extend it in the
 * implementation's test sources and return a backend on a fresh, empty location from
 * {@link #newBackend()}; the suite calls {@link Backend#create()} itself before each test and
 * {@link Backend#close()} after it. Subclasses may add implementation-specific tests that use
 * {@link #backend}.
 *
 * <p>Covered: round trips (0 bytes, 1 byte, 5 MiB, every file type), copies in and out, ranged reads
 * (start, middle, end, empty at the end, past the end, negative arguments, large ranges at unaligned
 * offsets), an operation's {@link Backend#rangeReader()} (the same bytes and faults, from several threads,
 * over more objects than it keeps open), objects written in pieces (visible only at commit, nothing left when abandoned, no
 * overwrite), streams, size, exists,
 * listing by type with sizes and across pack shards, refusal to overwrite with the original kept,
 * idempotent delete, missing objects, concurrent saves of distinct names and of one name, and
 * {@code create()} refusing an existing repository.
 */
public abstract class BackendContract {

    /** The backend under test, created fresh for each test. */
    protected Backend backend;

    private final Random names = new Random(0x5EED_CA1EL);

    /** A backend on a fresh, empty location that no other test uses; not yet {@linkplain Backend#create() created}. */
    protected abstract Backend newBackend() throws Exception;

    @BeforeEach
    void createRepository() throws Exception {
        backend = newBackend();
        backend.create();
    }

    @AfterEach
    void closeBackend() throws Exception {
        if (backend != null) {
            backend.close();
        }
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 1, 5 * 1024 * 1024})
    void savedObjectLoadsBackIdentical(int size) throws IOException {
        FileHandle handle = newHandle(FileType.PACK);
        byte[] data = bytes(size, size);

        backend.save(handle, data);

        assertThat(backend.load(handle)).isEqualTo(data);
        assertThat(backend.size(handle)).isEqualTo(size);
        assertThat(backend.exists(handle)).isTrue();
    }

    @ParameterizedTest
    @EnumSource(FileType.class)
    void everyFileTypeRoundTrips(FileType type) throws IOException {
        FileHandle handle = type == FileType.CONFIG ? FileHandle.CONFIG : newHandle(type);
        byte[] data = bytes(1000 + type.ordinal(), type.ordinal());

        backend.save(handle, data);

        assertThat(backend.load(handle)).isEqualTo(data);
        assertThat(backend.list(type)).containsExactly(new FileInfo(handle, data.length));
    }

    @Test
    void changingTheCallersArraysNeverChangesAStoredObject() throws IOException {
        FileHandle handle = newHandle(FileType.SNAPSHOT);
        byte[] data = bytes(64, 1);
        byte[] original = data.clone();

        backend.save(handle, data);
        data[0] ^= 0x01;
        byte[] loaded = backend.load(handle);
        loaded[1] ^= 0x01;
        byte[] range = backend.load(handle, 0, 8);
        range[2] ^= 0x01;

        assertThat(backend.load(handle)).isEqualTo(original);
    }

    @Test
    void rangedLoadReadsExactlyTheRequestedBytes() throws IOException {
        FileHandle handle = newHandle(FileType.PACK);
        byte[] data = bytes(1024 * 1024 + 17, 2);
        backend.save(handle, data);

        assertThat(backend.load(handle, 0, 10)).isEqualTo(Arrays.copyOfRange(data, 0, 10));
        assertThat(backend.load(handle, 4099, 70_000)).isEqualTo(Arrays.copyOfRange(data, 4099, 74_099));
        assertThat(backend.load(handle, data.length - 100, 100))
                .as("a range ending exactly at the end").isEqualTo(Arrays.copyOfRange(data, data.length - 100, data.length));
        assertThat(backend.load(handle, data.length, 0)).as("an empty range at the end").isEmpty();
        assertThat(backend.load(handle, 0, data.length)).as("the whole object").isEqualTo(data);
    }

    @Test
    void largeRangesLoadExactlyAtAnyOffset() throws IOException {
        // large ranges may take another path (direct I/O in the local backend): unaligned starts and ends
        FileHandle handle = newHandle(FileType.PACK);
        byte[] data = bytes(3 * 1024 * 1024 + 13, 12);
        backend.save(handle, data);

        int[][] ranges = {{4099, 600_000}, {1_048_000, 2 * 1024 * 1024 + 5}, {0, 262_144}, {1, 262_144},
            {data.length - 300_001, 300_001}, {0, data.length}};
        for (int[] r : ranges) {
            assertThat(backend.load(handle, r[0], r[1])).as("%d bytes at %d", r[1], r[0])
                    .isEqualTo(Arrays.copyOfRange(data, r[0], r[0] + r[1]));
        }
        assertThatThrownBy(() -> backend.load(handle, data.length - 300_000, 300_001))
                .as("a large range one byte past the end").isInstanceOf(IOException.class)
                .isNotInstanceOf(FileNotFoundInBackendException.class).hasMessageContaining(handle.name());
        FileHandle missing = newHandle(FileType.PACK);
        assertThatThrownBy(() -> backend.load(missing, 0, 1 << 20)).isInstanceOf(FileNotFoundInBackendException.class);
    }

    @Test
    void anOperationsRangeReaderReadsWhatTheBackendHolds() throws IOException {
        // more objects than a reader keeps open, read in an order that makes it reopen evicted ones
        List<FileHandle> handles = new ArrayList<>();
        List<byte[]> datas = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            byte[] data = bytes(i % 7 == 0 ? 600_000 : 5_000 + i, 100 + i);
            handles.add(newHandleSaved(FileType.PACK, data));
            datas.add(data);
        }
        Random order = new Random(7);
        try (RangeReader reader = backend.rangeReader()) {
            for (int n = 0; n < 400; n++) {
                int i = order.nextInt(handles.size());
                byte[] data = datas.get(i);
                int offset = order.nextInt(data.length);
                int length = order.nextInt(data.length - offset + 1);
                byte[] into = new byte[length + 3];
                reader.loadInto(handles.get(i), offset, length, into);
                assertThat(Arrays.copyOf(into, length)).as("range %d+%d of object %d", offset, length, i)
                        .isEqualTo(Arrays.copyOfRange(data, offset, offset + length));
                assertThat(reader.load(handles.get(i), offset, length)).isEqualTo(Arrays.copyOfRange(data, offset, offset + length));
            }
            FileHandle first = handles.get(1);
            int size = datas.get(1).length;
            assertThat(reader.load(first, size, 0)).as("an empty range at the end").isEmpty();
            assertThatThrownBy(() -> reader.load(first, size - 10, 11)).as("a range one byte past the end")
                    .isInstanceOf(IOException.class).isNotInstanceOf(FileNotFoundInBackendException.class)
                    .hasMessageContaining(first.name());
            FileHandle missing = newHandle(FileType.PACK);
            assertThatThrownBy(() -> reader.load(missing, 0, 10)).isInstanceOf(FileNotFoundInBackendException.class);
            assertThatThrownBy(() -> reader.load(first, -1, 10)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    @Timeout(120)
    void anOperationsRangeReaderServesConcurrentReaders() throws Exception {
        List<FileHandle> handles = new ArrayList<>();
        List<byte[]> datas = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            byte[] data = bytes(3_000 + 97 * i, 500 + i);
            handles.add(newHandleSaved(FileType.PACK, data));
            datas.add(data);
        }
        CountDownLatch start = new CountDownLatch(1);
        try (RangeReader reader = backend.rangeReader()) {
            List<Callable<Void>> tasks = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                long seed = t;
                tasks.add(() -> {
                    start.await();
                    Random random = new Random(seed);
                    for (int n = 0; n < 2_000; n++) {
                        int i = random.nextInt(handles.size());
                        byte[] data = datas.get(i);
                        int offset = random.nextInt(data.length);
                        int length = random.nextInt(data.length - offset + 1);
                        assertThat(reader.load(handles.get(i), offset, length))
                                .isEqualTo(Arrays.copyOfRange(data, offset, offset + length));
                    }
                    return null;
                });
            }
            runConcurrently(tasks, start);
        }
    }

    @Test
    void anObjectWrittenInPiecesAppearsWholeAtCommit() throws IOException {
        FileHandle handle = newHandle(FileType.PACK);
        byte[] data = bytes(5 * 1024 * 1024 + 4321, 13);
        int[] pieces = {1, 4095, 1, 1024 * 1024 + 3, 17, 2 * 1024 * 1024, 0, 65536};
        try (io.cairn.engine.backend.ObjectWriter out = backend.newObjectWriter(handle)) {
            int at = 0;
            for (int i = 0; at < data.length; i++) {
                int n = Math.min(pieces[i % pieces.length], data.length - at);
                out.write(data, at, n);
                at += n;
                assertThat(out.size()).isEqualTo(at);
            }
            assertThat(backend.exists(handle)).as("visible before commit").isFalse();
            assertThat(backend.list(FileType.PACK)).as("listed before commit").isEmpty();
            out.commit();
        }
        assertThat(backend.load(handle)).isEqualTo(data);
        assertThat(backend.list(FileType.PACK)).containsExactly(new FileInfo(handle, data.length));
        assertThat(backend.load(handle, 777, 3 * 1024 * 1024)).isEqualTo(Arrays.copyOfRange(data, 777, 777 + 3 * 1024 * 1024));
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 1, 4096, 300_001})
    void smallObjectsWrittenInPiecesRoundTrip(int size) throws IOException {
        FileHandle handle = newHandle(FileType.INDEX);
        byte[] data = bytes(size, size + 7);
        try (io.cairn.engine.backend.ObjectWriter out = backend.newObjectWriter(handle)) {
            out.write(data, 0, data.length);
            out.commit();
        }
        assertThat(backend.load(handle)).isEqualTo(data);
    }

    @Test
    void anObjectClosedWithoutCommitLeavesNothing() throws IOException {
        FileHandle handle = newHandle(FileType.PACK);
        try (io.cairn.engine.backend.ObjectWriter out = backend.newObjectWriter(handle)) {
            out.write(bytes(1024 * 1024 + 1, 14), 0, 1024 * 1024 + 1);
        }
        assertThat(backend.exists(handle)).isFalse();
        assertThat(backend.list(FileType.PACK)).isEmpty();
        assertThatThrownBy(() -> backend.load(handle)).isInstanceOf(FileNotFoundInBackendException.class);
        backend.save(handle, bytes(10, 15));
        assertThat(backend.load(handle)).as("the name is still free").isEqualTo(bytes(10, 15));
    }

    @Test
    void committingAnExistingNameFailsAndKeepsTheOriginal() throws IOException {
        FileHandle handle = newHandle(FileType.PACK);
        byte[] original = bytes(300, 16);
        backend.save(handle, original);
        try (io.cairn.engine.backend.ObjectWriter out = backend.newObjectWriter(handle)) {
            out.write(bytes(400_000, 17), 0, 400_000);
            assertThatThrownBy(out::commit).isInstanceOf(FileAlreadyExistsException.class);
        }
        assertThat(backend.load(handle)).isEqualTo(original);
        assertThat(backend.list(FileType.PACK)).containsExactly(new FileInfo(handle, original.length));
    }

    @Test
    void rangedLoadPastTheEndFailsNamingTheObject() throws IOException {
        FileHandle handle = newHandle(FileType.PACK);
        byte[] data = bytes(500, 3);
        backend.save(handle, data);

        for (long[] range : new long[][] {{1, 500}, {500, 1}, {499, 2}, {10_000, 1}, {0, 501}, {501, 0}}) {
            assertThatThrownBy(() -> backend.load(handle, range[0], (int) range[1]))
                    .as("offset %d, length %d", range[0], range[1])
                    .isInstanceOf(IOException.class)
                    .isNotInstanceOf(FileNotFoundInBackendException.class)
                    .isNotInstanceOf(BackendFullException.class)
                    .hasMessageContaining(handle.name());
        }
        assertThat(backend.load(handle)).as("the object is untouched").isEqualTo(data);
    }

    @Test
    void rangedLoadRejectsNegativeArguments() throws IOException {
        FileHandle handle = newHandle(FileType.PACK);
        backend.save(handle, bytes(10, 4));

        assertThatThrownBy(() -> backend.load(handle, -1, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> backend.load(handle, 0, -2)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void openStreamsTheWholeObject() throws IOException {
        FileHandle handle = newHandle(FileType.INDEX);
        byte[] data = bytes(3 * 1024 * 1024 + 5, 5);
        backend.save(handle, data);

        try (InputStream in = backend.open(handle)) {
            assertThat(in.readAllBytes()).isEqualTo(data);
        }
        try (InputStream in = backend.open(newHandleSaved(FileType.INDEX, new byte[0]))) {
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    @Test
    void sizeAndExistsDescribeStoredObjects() throws IOException {
        FileHandle stored = newHandle(FileType.LOCK);
        FileHandle missing = newHandle(FileType.LOCK);
        backend.save(stored, bytes(123, 6));

        assertThat(backend.size(stored)).isEqualTo(123);
        assertThat(backend.exists(stored)).isTrue();
        assertThat(backend.exists(missing)).isFalse();
        assertThat(backend.exists(FileHandle.CONFIG)).isFalse();
    }

    @Test
    void listReturnsOnlyTheRequestedTypeWithSizes() throws IOException {
        Map<FileType, List<FileInfo>> saved = new HashMap<>();
        int size = 1;
        for (FileType type : List.of(FileType.KEY, FileType.LOCK, FileType.SNAPSHOT, FileType.INDEX, FileType.PACK)) {
            for (int i = 0; i < 3; i++) {
                FileHandle handle = newHandle(type);
                byte[] data = bytes(size, size);
                backend.save(handle, data);
                saved.computeIfAbsent(type, t -> new ArrayList<>()).add(new FileInfo(handle, data.length));
                size += 7;
            }
        }

        for (FileType type : saved.keySet()) {
            assertThat(backend.list(type)).as("list(%s)", type).containsExactlyInAnyOrderElementsOf(saved.get(type));
        }
        assertThat(backend.list(FileType.CONFIG)).isEmpty();
    }

    @Test
    void listOfPacksCoversEveryShard() throws IOException {
        List<FileInfo> saved = new ArrayList<>();
        for (String prefix : List.of("00", "00", "0f", "7f", "80", "ab", "fe", "ff", "ff")) {
            FileHandle handle = newHandle(FileType.PACK, prefix);
            byte[] data = bytes(saved.size() * 100 + 1, saved.size());
            backend.save(handle, data);
            saved.add(new FileInfo(handle, data.length));
        }

        assertThat(backend.list(FileType.PACK)).containsExactlyInAnyOrderElementsOf(saved);
    }

    @ParameterizedTest
    @EnumSource(FileType.class)
    void freshRepositoryListsNothing(FileType type) throws IOException {
        assertThat(backend.list(type)).isEmpty();
    }

    @Test
    void savingAnExistingNameFailsAndKeepsTheOriginal() throws IOException {
        FileHandle handle = newHandle(FileType.SNAPSHOT);
        byte[] original = bytes(300, 7);
        backend.save(handle, original);

        assertThatThrownBy(() -> backend.save(handle, bytes(999, 8))).isInstanceOf(FileAlreadyExistsException.class)
                .hasMessageContaining(handle.name());
        assertThatThrownBy(() -> backend.save(handle, new byte[0])).isInstanceOf(FileAlreadyExistsException.class);
        assertThatThrownBy(() -> backend.save(handle, original.clone())).isInstanceOf(FileAlreadyExistsException.class);

        assertThat(backend.load(handle)).isEqualTo(original);
        assertThat(backend.size(handle)).isEqualTo(original.length);
        assertThat(backend.list(FileType.SNAPSHOT)).containsExactly(new FileInfo(handle, original.length));
    }

    @Test
    void savingAnExistingConfigFails() throws IOException {
        byte[] original = bytes(50, 9);
        backend.save(FileHandle.CONFIG, original);

        assertThatThrownBy(() -> backend.save(FileHandle.CONFIG, bytes(50, 10))).isInstanceOf(FileAlreadyExistsException.class);
        assertThat(backend.load(FileHandle.CONFIG)).isEqualTo(original);
    }

    @Test
    void deleteRemovesTheObjectAndIsIdempotent() throws IOException {
        FileHandle deleted = newHandle(FileType.PACK);
        FileHandle kept = newHandle(FileType.PACK);
        backend.save(deleted, bytes(10, 11));
        backend.save(kept, bytes(20, 12));

        backend.delete(deleted);

        assertThat(backend.exists(deleted)).isFalse();
        assertThatThrownBy(() -> backend.load(deleted)).isInstanceOf(FileNotFoundInBackendException.class);
        assertThat(backend.list(FileType.PACK)).containsExactly(new FileInfo(kept, 20));
        backend.delete(deleted);
        backend.delete(newHandle(FileType.LOCK));
        backend.delete(FileHandle.CONFIG);
        assertThat(backend.load(kept)).isEqualTo(bytes(20, 12));
    }

    @Test
    void aDeletedNameCanBeSavedAgain() throws IOException {
        FileHandle handle = newHandle(FileType.LOCK);
        backend.save(handle, bytes(10, 13));
        backend.delete(handle);

        backend.save(handle, bytes(15, 14));

        assertThat(backend.load(handle)).isEqualTo(bytes(15, 14));
    }

    @Test
    void missingObjectsRaiseFileNotFoundNamingTheObject() {
        FileHandle missing = newHandle(FileType.PACK);

        assertThatThrownBy(() -> backend.load(missing)).isInstanceOf(FileNotFoundInBackendException.class)
                .hasMessageContaining(missing.name());
        assertThatThrownBy(() -> backend.load(missing, 0, 1)).isInstanceOf(FileNotFoundInBackendException.class)
                .hasMessageContaining(missing.name());
        assertThatThrownBy(() -> backend.load(missing, 0, 0)).isInstanceOf(FileNotFoundInBackendException.class);
        assertThatThrownBy(() -> backend.open(missing).close()).isInstanceOf(FileNotFoundInBackendException.class)
                .hasMessageContaining(missing.name());
        assertThatThrownBy(() -> backend.size(missing)).isInstanceOf(FileNotFoundInBackendException.class)
                .hasMessageContaining(missing.name());
        assertThatThrownBy(() -> backend.load(FileHandle.CONFIG)).isInstanceOf(FileNotFoundInBackendException.class);
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void concurrentSavesOfDistinctNamesAllLand() throws Exception {
        int threads = 8;
        int objectsPerThread = 25;
        Map<FileHandle, byte[]> expected = new ConcurrentHashMap<>();
        List<List<FileHandle>> work = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            List<FileHandle> handles = new ArrayList<>();
            for (int i = 0; i < objectsPerThread; i++) {
                FileHandle handle = newHandle(i % 2 == 0 ? FileType.PACK : FileType.INDEX);
                handles.add(handle);
                expected.put(handle, bytes(1 + (t * objectsPerThread + i) * 997 % 70_000, t * 1000L + i));
            }
            work.add(handles);
        }

        CountDownLatch start = new CountDownLatch(1);
        List<Callable<Void>> tasks = new ArrayList<>();
        for (List<FileHandle> handles : work) {
            tasks.add(() -> {
                start.await();
                for (FileHandle handle : handles) {
                    backend.save(handle, expected.get(handle));
                    assertThat(backend.load(handle)).as("read-after-write of %s", handle).isEqualTo(expected.get(handle));
                }
                return null;
            });
        }
        runConcurrently(tasks, start);

        List<FileInfo> listed = new ArrayList<>(backend.list(FileType.PACK));
        listed.addAll(backend.list(FileType.INDEX));
        assertThat(listed).containsExactlyInAnyOrderElementsOf(expected.entrySet().stream()
                .map(e -> new FileInfo(e.getKey(), e.getValue().length)).collect(Collectors.toList()));
        for (Map.Entry<FileHandle, byte[]> entry : expected.entrySet()) {
            assertThat(backend.load(entry.getKey())).isEqualTo(entry.getValue());
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void concurrentSavesOfOneNameLeaveExactlyOneWholeWinner() throws Exception {
        int threads = 8;
        FileHandle handle = newHandle(FileType.PACK);
        List<byte[]> payloads = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            payloads.add(bytes(256 * 1024 + t, 100 + t));
        }
        Map<Integer, Object> outcomes = new ConcurrentHashMap<>();

        CountDownLatch start = new CountDownLatch(1);
        List<Callable<Void>> tasks = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            tasks.add(() -> {
                start.await();
                try {
                    backend.save(handle, payloads.get(thread));
                    outcomes.put(thread, "saved");
                } catch (FileAlreadyExistsException e) {
                    outcomes.put(thread, e);
                }
                return null;
            });
        }
        runConcurrently(tasks, start);

        List<Integer> winners = outcomes.entrySet().stream().filter(e -> "saved".equals(e.getValue()))
                .map(Map.Entry::getKey).collect(Collectors.toList());
        assertThat(winners).as("threads whose save succeeded").hasSize(1);
        assertThat(outcomes).hasSize(threads);
        assertThat(backend.load(handle)).isEqualTo(payloads.get(winners.get(0)));
        assertThat(backend.list(FileType.PACK)).containsExactly(new FileInfo(handle, payloads.get(winners.get(0)).length));
    }

    @Test
    void createFailsOnceAConfigExistsAndKeepsIt() throws IOException {
        byte[] config = bytes(40, 15);
        backend.save(FileHandle.CONFIG, config);

        assertThatThrownBy(() -> backend.create()).isInstanceOf(IOException.class)
                .hasMessageContaining(backend.location());
        assertThat(backend.load(FileHandle.CONFIG)).isEqualTo(config);
    }

    @Test
    void createIsRepeatableUntilAConfigExists() throws IOException {
        FileHandle handle = newHandle(FileType.KEY);
        backend.save(handle, bytes(32, 16));

        backend.create();

        assertThat(backend.load(handle)).isEqualTo(bytes(32, 16));
        assertThat(backend.list(FileType.KEY)).containsExactly(new FileInfo(handle, 32));
    }

    @Test
    void locationAndFreeSpaceAreReported() throws IOException {
        assertThat(backend.location()).isNotBlank();
        assertThat(backend.freeSpace()).isGreaterThanOrEqualTo(-1);
    }

    /** A fresh random handle of {@code type} (not CONFIG). */
    protected FileHandle newHandle(FileType type) {
        byte[] id = new byte[32];
        synchronized (names) {
            names.nextBytes(id);
        }
        return FileHandle.of(type, HexFormat.of().formatHex(id));
    }

    /** A fresh random handle of {@code type} whose name starts with {@code prefix} (two hex digits for a pack shard). */
    protected FileHandle newHandle(FileType type, String prefix) {
        return FileHandle.of(type, prefix + newHandle(type).name().substring(prefix.length()));
    }

    /** {@code size} deterministic pseudo-random bytes for {@code seed}. */
    protected static byte[] bytes(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    private FileHandle newHandleSaved(FileType type, byte[] data) throws IOException {
        FileHandle handle = newHandle(type);
        backend.save(handle, data);
        return handle;
    }

    private static void runConcurrently(List<Callable<Void>> tasks, CountDownLatch start) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        try {
            List<Future<Void>> futures = new ArrayList<>();
            for (Callable<Void> task : tasks) {
                futures.add(pool.submit(task));
            }
            start.countDown();
            for (Future<Void> future : futures) {
                future.get(100, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
