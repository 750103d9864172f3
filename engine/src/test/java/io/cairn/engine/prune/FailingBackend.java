package io.cairn.engine.prune;

import io.cairn.engine.backend.Backend;
import io.cairn.engine.backend.ForwardingBackend;
import io.cairn.engine.backend.FileHandle;
import io.cairn.engine.backend.FileType;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Wraps a backend and fails the Nth save or delete of a pack or index object, to stop an operation
 * at one exact step, as a crash there would. With "after effect" the call reaches the wrapped
 * backend first and is then reported as failed (a save whose reply was lost).
 *
 * <p>The engine's tests cannot use the testkit's {@code FaultInjectingBackend}: testkit depends on
 * engine, so engine tests depending on testkit would make a module cycle. This is the small subset
 * the prune tests need. Locks, snapshots, keys and config are never failed, so the operation under
 * test still releases its lock as it does after any error.
 */
final class FailingBackend extends ForwardingBackend {

    private final AtomicInteger mutations = new AtomicInteger();
    private final AtomicInteger injected = new AtomicInteger();
    private volatile int failOn;
    private volatile boolean afterEffect;

    FailingBackend(Backend wrapped) {
        super(wrapped);
    }

    /** Resets the count; the {@code n}th following save or delete of a pack or index fails (0: none). */
    void failMutation(int n, boolean failAfterEffect) {
        mutations.set(0);
        injected.set(0);
        afterEffect = failAfterEffect;
        failOn = n;
    }

    /** Saves and deletes of packs and index objects since the last {@link #failMutation}. */
    int mutations() {
        return mutations.get();
    }

    /** How many failures were injected since the last {@link #failMutation}. */
    int injected() {
        return injected.get();
    }

    private boolean shouldFail(FileHandle handle) {
        if (handle.type() != FileType.PACK && handle.type() != FileType.INDEX) {
            return false;
        }
        int n = mutations.incrementAndGet();
        return failOn > 0 && n == failOn;
    }

    private IOException failure(String op, FileHandle handle) {
        injected.incrementAndGet();
        return new IOException("injected failure of " + op + " " + handle + (afterEffect ? " (after it took effect)" : ""));
    }

    @Override
    public void save(FileHandle handle, byte[] data) throws IOException {
        boolean fail = shouldFail(handle);
        if (fail && !afterEffect) {
            throw failure("save", handle);
        }
        wrapped.save(handle, data);
        if (fail) {
            throw failure("save", handle);
        }
    }

    @Override
    public void delete(FileHandle handle) throws IOException {
        boolean fail = shouldFail(handle);
        if (fail && !afterEffect) {
            throw failure("delete", handle);
        }
        wrapped.delete(handle);
        if (fail) {
            throw failure("delete", handle);
        }
    }
}
