package io.cairn.engine.archiver;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Recycles the byte arrays that carry chunks from the reader to the workers, so a backup of
 * gigabytes does not allocate (and make the garbage collector copy) gigabytes. Arrays come in
 * power-of-two size classes from 4 KiB up; a request is served from its class or up to two classes
 * larger; at most {@code maxPooledBytes} are kept idle. Thread-safe.
 */
final class BufferPool {

    private static final int MIN_SHIFT = 12;
    private static final int CLASSES = 20;

    @SuppressWarnings("unchecked")
    private final ConcurrentLinkedQueue<byte[]>[] free = new ConcurrentLinkedQueue[CLASSES];
    private final AtomicLong pooledBytes = new AtomicLong();
    private final long maxPooledBytes;

    BufferPool(long maxPooledBytes) {
        this.maxPooledBytes = maxPooledBytes;
        for (int i = 0; i < CLASSES; i++) {
            free[i] = new ConcurrentLinkedQueue<>();
        }
    }

    /** An array of at least {@code size} bytes (its contents are garbage). */
    byte[] take(int size) {
        int cls = sizeClass(size);
        if (cls >= CLASSES) {
            return new byte[size];
        }
        // chunk sizes vary around the average: a somewhat larger idle array serves as well as a new one
        for (int c = cls; c < Math.min(CLASSES, cls + 3); c++) {
            byte[] b = free[c].poll();
            if (b != null) {
                pooledBytes.addAndGet(-b.length);
                return b;
            }
        }
        return new byte[1 << (cls + MIN_SHIFT)];
    }

    /** Returns an array for reuse. */
    void give(byte[] b) {
        int cls = sizeClass(b.length);
        if (cls >= CLASSES || b.length != 1 << (cls + MIN_SHIFT)) {
            return;
        }
        if (pooledBytes.addAndGet(b.length) > maxPooledBytes) {
            pooledBytes.addAndGet(-b.length);
            return;
        }
        free[cls].add(b);
    }

    static int sizeClass(int size) {
        int bits = 32 - Integer.numberOfLeadingZeros(Math.max(1, size - 1));
        return Math.max(0, bits - MIN_SHIFT);
    }
}
