package io.cairn.testkit;

import io.cairn.engine.backend.BackendFullException;
import io.cairn.engine.backend.FileAlreadyExistsException;
import io.cairn.engine.backend.FileHandle;
import io.cairn.engine.backend.FileType;
import io.cairn.testkit.FaultInjectingBackend.Operation;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FaultInjectingBackendTest {

    private final InMemoryBackend store = new InMemoryBackend();
    private final FaultInjectingBackend backend = new FaultInjectingBackend(store);

    @Test
    void theNthCallFailsOnceAndNothingReachesTheStore() throws IOException {
        backend.on(Operation.SAVE).onCall(3).failWith(() -> new IOException("connection reset"));

        backend.save(pack(1), new byte[1]);
        backend.save(pack(2), new byte[1]);
        assertThatThrownBy(() -> backend.save(pack(3), new byte[1])).isInstanceOf(IOException.class).hasMessage("connection reset");
        backend.save(pack(4), new byte[1]);
        backend.save(pack(3), new byte[1]);

        assertThat(backend.calls(Operation.SAVE)).isEqualTo(5);
        assertThat(backend.injectedFailures(Operation.SAVE)).isEqualTo(1);
        assertThat(store.list(FileType.PACK)).hasSize(4);
    }

    @Test
    void fromTheNthCallEveryCallFailsLikeAFullDisk() throws IOException {
        backend.on(Operation.SAVE).fromCall(2).failWithDiskFull();

        backend.save(pack(1), new byte[1]);
        for (int i = 2; i <= 4; i++) {
            FileHandle handle = pack(i);
            assertThatThrownBy(() -> backend.save(handle, new byte[1])).isInstanceOf(BackendFullException.class)
                    .hasMessageContaining("the disk at " + store.location() + " is full")
                    .hasMessageContaining("nothing was written for object " + handle);
        }

        assertThat(backend.injectedFailures()).isEqualTo(3);
        assertThat(store.list(FileType.PACK)).hasSize(1);
    }

    @Test
    void everyCallOnMatchingHandlesFails() throws IOException {
        FileHandle bad = pack(0xab);
        FileHandle good = pack(0x01);
        store.save(bad, new byte[] {1});
        store.save(good, new byte[] {2});
        backend.on(Operation.LOAD).forHandles(bad::equals).failWith(() -> new IOException("Input/output error"));

        assertThat(backend.load(good)).containsExactly(2);
        assertThatThrownBy(() -> backend.load(bad)).hasMessage("Input/output error");
        assertThatThrownBy(() -> backend.load(bad)).hasMessage("Input/output error");
        assertThat(backend.load(bad, 0, 1)).as("ranged loads are their own operation").containsExactly(1);
        assertThat(backend.calls(Operation.LOAD)).isEqualTo(3);
        assertThat(backend.calls(Operation.LOAD_RANGE)).isEqualTo(1);
    }

    @Test
    void callNumbersCountOnlyTheCallsARuleConsiders() throws IOException {
        backend.on(Operation.SAVE).forType(FileType.INDEX).onCall(2).failWith(() -> new IOException("second index"));

        backend.save(pack(1), new byte[1]);
        backend.save(index(1), new byte[1]);
        backend.save(pack(2), new byte[1]);
        assertThatThrownBy(() -> backend.save(index(2), new byte[1])).hasMessage("second index");
        backend.save(index(3), new byte[1]);
    }

    @Test
    void listingsOfOneTypeCanFail() throws IOException {
        backend.on(Operation.LIST).forType(FileType.SNAPSHOT).failWith(() -> new IOException("listing failed"));

        assertThat(backend.list(FileType.PACK)).isEmpty();
        assertThatThrownBy(() -> backend.list(FileType.SNAPSHOT)).hasMessage("listing failed");
    }

    @Test
    void aFailureAfterTakingEffectLeavesTheObjectStored() throws IOException {
        FileHandle handle = index(7);
        backend.on(Operation.SAVE).onCall(1).afterTakingEffect().failWith(() -> new IOException("reply lost"));

        assertThatThrownBy(() -> backend.save(handle, new byte[] {5})).hasMessage("reply lost");

        assertThat(store.load(handle)).containsExactly(5);
        assertThatThrownBy(() -> backend.save(handle, new byte[] {5})).as("a retry sees the object")
                .isInstanceOf(FileAlreadyExistsException.class);
    }

    @Test
    void theWrappedBackendsOwnFailureWinsOverAFailureAfterTakingEffect() throws IOException {
        FileHandle handle = index(8);
        store.save(handle, new byte[1]);
        backend.on(Operation.SAVE).afterTakingEffect().failWith(() -> new IOException("injected"));

        assertThatThrownBy(() -> backend.save(handle, new byte[1])).isInstanceOf(FileAlreadyExistsException.class);
    }

    @Test
    void theFirstAddedRuleWinsAndEachFailureIsAFreshException() throws IOException {
        List<IOException> thrown = new ArrayList<>();
        backend.on(Operation.EXISTS).failWith(() -> new IOException("first"))
                .on(Operation.EXISTS).failWith(() -> new IOException("second"));

        for (int i = 0; i < 2; i++) {
            try {
                backend.exists(pack(1));
            } catch (IOException e) {
                thrown.add(e);
            }
        }

        assertThat(thrown).extracting(Throwable::getMessage).containsExactly("first", "first");
        assertThat(thrown.get(0)).isNotSameAs(thrown.get(1));
    }

    @Test
    void clearedFaultsStopFailingButCountsRemain() throws IOException {
        backend.on(Operation.DELETE).failWith(() -> new IOException("no"));
        assertThatThrownBy(() -> backend.delete(pack(1))).hasMessage("no");

        backend.clearFaults();
        backend.delete(pack(1));

        assertThat(backend.calls(Operation.DELETE)).isEqualTo(2);
        assertThat(backend.injectedFailures(Operation.DELETE)).isEqualTo(1);
    }

    @Test
    void everyOperationCanFail() throws IOException {
        FileHandle handle = pack(1);
        store.save(handle, new byte[4]);
        for (Operation operation : Operation.values()) {
            backend.on(operation).failWith(() -> new IOException(operation.name()));
        }

        assertThatThrownBy(backend::create).hasMessage("CREATE");
        assertThatThrownBy(() -> backend.exists(handle)).hasMessage("EXISTS");
        assertThatThrownBy(() -> backend.save(pack(2), new byte[1])).hasMessage("SAVE");
        assertThatThrownBy(() -> backend.load(handle)).hasMessage("LOAD");
        assertThatThrownBy(() -> backend.load(handle, 0, 1)).hasMessage("LOAD_RANGE");
        assertThatThrownBy(() -> backend.open(handle)).hasMessage("OPEN");
        assertThatThrownBy(() -> backend.size(handle)).hasMessage("SIZE");
        assertThatThrownBy(() -> backend.list(FileType.PACK)).hasMessage("LIST");
        assertThatThrownBy(() -> backend.delete(handle)).hasMessage("DELETE");
        assertThatThrownBy(backend::freeSpace).hasMessage("FREE_SPACE");
        for (Operation operation : Operation.values()) {
            assertThat(backend.calls(operation)).as("%s", operation).isEqualTo(1);
        }
        assertThat(store.exists(handle)).isTrue();
    }

    @Test
    void rulesRejectFiltersThatCannotApply() {
        assertThatThrownBy(() -> backend.on(Operation.LIST).forHandles(h -> true)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> backend.on(Operation.FREE_SPACE).forType(FileType.PACK)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> backend.on(Operation.SAVE).onCall(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void concurrentCallsAreCountedExactlyAndTheNthFailsOnce() throws Exception {
        backend.on(Operation.SAVE).onCall(50).failWith(() -> new IOException("fiftieth"));
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < 8; t++) {
            int thread = t;
            threads.add(new Thread(() -> {
                for (int i = 0; i < 25; i++) {
                    try {
                        backend.save(pack(thread * 100 + i), new byte[1]);
                    } catch (IOException e) {
                        failures.add(e);
                    }
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join();
        }

        assertThat(backend.calls(Operation.SAVE)).isEqualTo(200);
        assertThat(failures).extracting(Throwable::getMessage).containsExactly("fiftieth");
        assertThat(store.list(FileType.PACK)).hasSize(199);
    }

    private static FileHandle pack(int number) {
        return FileHandle.of(FileType.PACK, String.format("%064x", number));
    }

    private static FileHandle index(int number) {
        return FileHandle.of(FileType.INDEX, String.format("%064x", number));
    }
}
