package io.cairn.engine.pack;

import io.cairn.engine.blob.BlobId;
import io.cairn.engine.blob.BlobType;
import io.cairn.engine.crypto.MasterKey;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Collects sealed blobs in memory until the pack is big enough, then produces the pack's bytes.
 * Not thread-safe: each writer thread owns its builder.
 */
public final class PackBuilder {

    private final String packId;
    private final List<PackEntry> entries = new ArrayList<>();
    private byte[] buffer;
    private int size;

    public PackBuilder(String packId, int initialCapacity) {
        this.packId = packId;
        this.buffer = new byte[Math.max(1024, initialCapacity)];
    }

    public String packId() {
        return packId;
    }

    /** Appends an already sealed blob. */
    public PackEntry add(BlobType type, BlobId id, byte[] sealed, int plainLength) {
        ensure(sealed.length);
        System.arraycopy(sealed, 0, buffer, size, sealed.length);
        PackEntry entry = new PackEntry(type, id, size, sealed.length, plainLength);
        entries.add(entry);
        size += sealed.length;
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

    /** The complete pack: blobs, then the sealed header and its length. */
    public byte[] finish(MasterKey key, SecureRandom random) {
        byte[] header = PackFormat.encodeHeader(key, packId, entries, random);
        ensure(header.length);
        System.arraycopy(header, 0, buffer, size, header.length);
        byte[] out = Arrays.copyOf(buffer, size + header.length);
        buffer = null;
        return out;
    }

    private void ensure(int extra) {
        if (size + extra > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + extra));
        }
    }
}
