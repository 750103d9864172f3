package io.cairn.engine.concurrent;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Recycles the large byte arrays of the data paths (chunks between the reader and the workers,
 * sealed blobs on their way into a pack), so a backup of gigabytes does not allocate (and make the
 * garbage collector copy) gigabytes. Arrays come in size
 * classes of a quarter power of two from 4 KiB up (4, 5, 6, 7, 8, 10, 12, 14, 16 KiB ...), so an
 * array is at most 25% larger than what it carries; a request is served from its class or up to
 * four classes larger (twice the size), a request from 256 KiB on from any larger class; at most
 * {@code maxPooledBytes} are kept idle. Thread-safe.
 */
public final class BufferPool {

    private static final int MIN_SHIFT = 12;
    private static final int MAX_SHIFT = 26;
    private static final int CLASSES = (MAX_SHIFT - MIN_SHIFT) * 4 + 1;
    private static final int LARGE = 256 << 10;

    @SuppressWarnings("unchecked")
    private final ConcurrentLinkedQueue<byte[]>[] free = new ConcurrentLinkedQueue[CLASSES];
    private final AtomicLong pooledBytes = new AtomicLong();
    private final long maxPooledBytes;

    public BufferPool(long maxPooledBytes) {
        this.maxPooledBytes = maxPooledBytes;
        for (int i = 0; i < CLASSES; i++) {
            free[i] = new ConcurrentLinkedQueue<>();
        }
    }

    /** An array of at least {@code size} bytes (its contents are garbage). */
    public byte[] take(int size) {
        int cls = sizeClass(size);
        if (cls >= CLASSES) {
            return new byte[size];
        }
        // chunk sizes vary around the average: a larger idle array serves as well as a new one (up to
        // twice the size for small requests; any size from 256 KiB on, where allocating costs more)
        int limit = size >= LARGE ? CLASSES : Math.min(CLASSES, cls + 4);
        for (int c = cls; c < limit; c++) {
            byte[] b = free[c].poll();
            if (b != null) {
                pooledBytes.addAndGet(-b.length);
                return b;
            }
        }
        return new byte[capacity(cls)];
    }

    /** Returns an array for reuse. */
    public void give(byte[] b) {
        int cls = sizeClass(b.length);
        if (cls >= CLASSES || b.length != capacity(cls)) {
            return;
        }
        if (pooledBytes.addAndGet(b.length) > maxPooledBytes) {
            pooledBytes.addAndGet(-b.length);
            return;
        }
        free[cls].add(b);
    }

    /** The class of the smallest array that holds {@code size} bytes. */
    public static int sizeClass(int size) {
        if (size <= 1 << MIN_SHIFT) {
            return 0;
        }
        int n = 31 - Integer.numberOfLeadingZeros(size - 1); // 2^n < size <= 2^(n+1)
        int quarter = 1 << (n - 2);
        int q = (size - (1 << n) + quarter - 1) / quarter; // 1..4
        return (n - MIN_SHIFT) * 4 + q;
    }

    /** The array length of a class. */
    public static int capacity(int cls) {
        if (cls == 0) {
            return 1 << MIN_SHIFT;
        }
        int n = (cls - 1) / 4 + MIN_SHIFT;
        int q = (cls - 1) % 4 + 1;
        return (1 << n) + q * (1 << (n - 2));
    }
}
