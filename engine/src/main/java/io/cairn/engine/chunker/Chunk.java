package io.cairn.engine.chunker;

import java.util.Arrays;

/**
 * One chunk cut from a stream by a {@link ChunkStream}.
 *
 * @param offset where the chunk starts in the stream, counted in bytes from the first byte read
 * @param data   the chunk's bytes; the array is exactly the chunk's length and belongs to the
 *               receiver (the stream keeps no reference to it)
 */
public record Chunk(long offset, byte[] data) {

    /** Length of the chunk in bytes. */
    public int length() {
        return data.length;
    }

    /** Equal when offset and content are equal. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Chunk c && offset == c.offset && Arrays.equals(data, c.data);
    }

    @Override
    public int hashCode() {
        return 31 * Long.hashCode(offset) + Arrays.hashCode(data);
    }

    /** Offset and length only; chunk content does not belong in logs. */
    @Override
    public String toString() {
        return "Chunk[offset=" + offset + ", length=" + data.length + "]";
    }
}
