package io.cairn.testkit;

import io.cairn.engine.backend.BackendFullException;
import io.cairn.engine.backend.FileHandle;
import io.cairn.engine.backend.FileType;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What {@link InMemoryBackend} offers beyond the contract: a capacity that fills up like a disk. */
class InMemoryBackendTest {

    private static final FileHandle FIRST = FileHandle.of(FileType.PACK, "a".repeat(64));
    private static final FileHandle SECOND = FileHandle.of(FileType.PACK, "b".repeat(64));

    @Test
    void aSaveBeyondTheCapacityFailsAsFullAndStoresNothing() throws IOException {
        InMemoryBackend backend = new InMemoryBackend(100);
        backend.save(FIRST, new byte[60]);

        assertThatThrownBy(() -> backend.save(SECOND, new byte[41])).isInstanceOf(BackendFullException.class)
                .hasMessageContaining("the disk at " + backend.location() + " is full")
                .hasMessageContaining("nothing was written for object " + SECOND)
                .hasMessageEndingWith("free space and retry");
        assertThat(backend.exists(SECOND)).isFalse();
        assertThat(backend.usedBytes()).isEqualTo(60);
        assertThat(backend.freeSpace()).isEqualTo(40);

        backend.save(SECOND, new byte[40]);
        assertThat(backend.freeSpace()).isZero();
    }

    @Test
    void deletingFreesCapacity() throws IOException {
        InMemoryBackend backend = new InMemoryBackend(100);
        backend.save(FIRST, new byte[100]);

        backend.delete(FIRST);
        backend.delete(FIRST);

        assertThat(backend.freeSpace()).isEqualTo(100);
        backend.save(SECOND, new byte[100]);
    }

    @Test
    void anUnlimitedBackendReportsUnknownFreeSpace() {
        assertThat(new InMemoryBackend().freeSpace()).isEqualTo(-1);
    }

    @Test
    void everyInstanceHasItsOwnLocation() {
        assertThat(new InMemoryBackend().location()).startsWith("memory:").isNotEqualTo(new InMemoryBackend().location());
    }
}
