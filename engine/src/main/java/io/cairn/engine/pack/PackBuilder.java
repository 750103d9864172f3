package io.cairn.engine.pack;

import io.cairn.engine.blob.BlobId;
import io.cairn.engine.blob.BlobType;
import io.cairn.engine.crypto.MasterKey;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Collects sealed blobs in memory until the pack is big enough, then produces the pack's bytes.
 * Not thread-safe: its owner serializes access. Buffers of finished builders are recycled through
 * a small process-wide pool, so a backup does not allocate (and garbage-collect) a new 16 MiB
 * buffer per pack.
 */
public final class PackBuilder {

    private static final int POOL_LIMIT = 2;
    private static final ConcurrentLinkedQueue<byte[]> POOL = new ConcurrentLinkedQueue<>();

    private final String packId;
    private final List<PackEntry> entries = new ArrayList<>();
    private byte[] buffer;
    private int size;

    public PackBuilder(String packId, int capacity) {
        this.packId = packId;
        byte[] pooled = capacity >= 4 << 20 ? POOL.poll() : null;
        while (pooled != null && pooled.length < capacity) {
            pooled = POOL.poll();
        }
        this.buffer = pooled != null ? pooled : new byte[Math.max(1024, capacity)];
    }

    public String packId() {
        return packId;
    }

    /** Appends an already sealed blob. */
    public PackEntry add(BlobType type, BlobId id, byte[] sealed, int plainLength) {
        return add(type, id, sealed, 0, sealed.length, plainLength);
    }

    /** Appends the sealed blob {@code source[off, off+len)}. */
    public PackEntry add(BlobType type, BlobId id, byte[] source, int off, int len, int plainLength) {
        ensure(len);
        System.arraycopy(source, off, buffer, size, len);
        PackEntry entry = new PackEntry(type, id, size, len, plainLength);
        entries.add(entry);
        size += len;
        return entry;
    }

    public int size() {
        return size;
    }

    public int blobCount() {
        return entries.size();
    }

    public List<PackEntry> entries() {
        return List.copyOf(entries);
    }

    /** The complete pack as a new array: blobs, then the sealed header and its length. The builder is spent. */
    public byte[] finish(MasterKey key, SecureRandom random) {
        int length = seal(key, random);
        byte[] out = Arrays.copyOf(buffer, length);
        release();
        return out;
    }

    /**
     * Appends the sealed header and trailer in place; the pack is then {@code buffer()[0, length)}.
     * Call {@link #release()} once the bytes are written.
     */
    public int seal(MasterKey key, SecureRandom random) {
        byte[] header = PackFormat.encodeHeader(key, packId, entries, random);
        ensure(header.length);
        System.arraycopy(header, 0, buffer, size, header.length);
        return size + header.length;
    }

    /** The builder's buffer (see {@link #seal}). */
    public byte[] buffer() {
        return buffer;
    }

    /** Returns the buffer to the pool; the builder is spent. */
    public void release() {
        if (buffer != null && POOL.size() < POOL_LIMIT) {
            POOL.add(buffer);
        }
        buffer = null;
    }

    private void ensure(int extra) {
        if (size + extra > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + extra));
        }
    }
}
