package io.cairn.engine.prune;

import io.cairn.engine.backend.Backend;
import io.cairn.engine.backend.ForwardingBackend;
import io.cairn.engine.backend.FileHandle;
import io.cairn.engine.backend.FileInfo;
import io.cairn.engine.backend.FileType;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Wraps a backend so a test can hold an operation still: once armed, the next listing of index
 * objects (the first thing prune reads after taking its lock) waits until the test opens the gate.
 * It also records when the last lock object was deleted through it.
 */
final class GatedBackend extends ForwardingBackend {

    private final AtomicBoolean armed = new AtomicBoolean();
    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch open = new CountDownLatch(1);
    private final AtomicLong lockDeletedNanos = new AtomicLong();

    GatedBackend(Backend wrapped) {
        super(wrapped);
    }

    void arm() {
        armed.set(true);
    }

    /** Waits until a caller is held at the gate. */
    boolean awaitHeld(long seconds) throws InterruptedException {
        return entered.await(seconds, TimeUnit.SECONDS);
    }

    void openGate() {
        open.countDown();
    }

    /** {@link System#nanoTime()} right after the last lock object was deleted, 0 if none was. */
    long lockDeletedNanos() {
        return lockDeletedNanos.get();
    }

    @Override
    public List<FileInfo> list(FileType type) throws IOException {
        if (type == FileType.INDEX && armed.compareAndSet(true, false)) {
            entered.countDown();
            try {
                if (!open.await(60, TimeUnit.SECONDS)) {
                    throw new IOException("the test never opened the gate");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted at the gate", e);
            }
        }
        return wrapped.list(type);
    }

    @Override
    public void delete(FileHandle handle) throws IOException {
        wrapped.delete(handle);
        if (handle.type() == FileType.LOCK) {
            lockDeletedNanos.set(System.nanoTime());
        }
    }
}
