package io.cairn.engine.chunker;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Cuts an {@link InputStream} into {@link Chunk}s, one {@link #next()} call at a time, using a
 * {@link Chunker}. Obtain one with {@link Chunker#open(InputStream)}.
 *
 * <p>Guarantees: the chunks, in order, concatenate to exactly the bytes of the stream; every chunk
 * but the last is between {@code minSize + 1} and {@code maxSize} bytes; the last is between 1 and
 * {@code maxSize}; an empty stream yields no chunk. The result does not depend on how the input
 * stream splits its reads.
 *
 * <p>Buffering: the stream keeps a buffer that grows, as the input turns out to be longer, up to
 * {@code 2 * maxSize} bytes (so a small file costs a small buffer). Whenever fewer than
 * {@code maxSize} unconsumed bytes remain, it moves them to the front and reads until the buffer is
 * full or the input ends.
 *
 * <p>Not thread-safe. Does not close the input stream; the caller does.
 */
public final class ChunkStream {

    /** First buffer size; the buffer doubles from here while the input lasts. */
    static final int INITIAL_BUFFER_SIZE = 64 * 1024;

    private static final byte[] RELEASED = new byte[0];

    private final Chunker chunker;
    private final InputStream in;
    private final int maxSize;
    private final int capacity;
    private byte[] buf;
    private int pos;
    private int limit;
    private long offset;
    private boolean eof;

    ChunkStream(Chunker chunker, InputStream in, byte[] reusable) {
        this.chunker = chunker;
        this.in = in;
        this.maxSize = chunker.params().maxSize();
        this.capacity = 2 * maxSize;
        this.buf = reusable != null ? reusable : new byte[Math.min(INITIAL_BUFFER_SIZE, capacity)];
    }

    /**
     * Returns the next chunk, or {@code null} when the input is exhausted (and on every call after).
     *
     * @throws IOException when reading the input fails; the stream is then unusable
     */
    public Chunk next() throws IOException {
        if (!eof && limit - pos < maxSize) {
            fill();
        }
        int available = limit - pos;
        if (available == 0) {
            buf = RELEASED;
            pos = 0;
            limit = 0;
            return null;
        }
        int length = chunker.cut(buf, pos, available);
        Chunk chunk = new Chunk(offset, Arrays.copyOfRange(buf, pos, pos + length));
        pos += length;
        offset += length;
        return chunk;
    }

    /** Receives a chunk as a view of the stream's buffer, valid only during the call. */
    @FunctionalInterface
    public interface ChunkSink {
        void accept(byte[] buffer, int offset, int length) throws IOException;
    }

    /**
     * Like {@link #next()} but without allocating: hands the next chunk to {@code sink} as a view of
     * the internal buffer (the sink copies what it keeps). Returns false when the input is exhausted.
     */
    public boolean nextInto(ChunkSink sink) throws IOException {
        if (!eof && limit - pos < maxSize) {
            fill();
        }
        int available = limit - pos;
        if (available == 0) {
            buf = RELEASED;
            pos = 0;
            limit = 0;
            return false;
        }
        int length = chunker.cut(buf, pos, available);
        sink.accept(buf, pos, length);
        pos += length;
        offset += length;
        return true;
    }

    /** Bytes handed out as chunks so far, which is also the offset of the next chunk. */
    public long position() {
        return offset;
    }

    /** Moves unconsumed bytes to the front, then reads until the buffer is full at capacity or EOF. */
    private void fill() throws IOException {
        int remaining = limit - pos;
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, remaining);
            pos = 0;
            limit = remaining;
        }
        while (true) {
            if (limit == buf.length) {
                if (buf.length == capacity) {
                    return;
                }
                buf = Arrays.copyOf(buf, (int) Math.min((long) buf.length * 2, capacity));
            }
            int read = in.read(buf, limit, buf.length - limit);
            if (read < 0) {
                eof = true;
                return;
            }
            limit += read;
        }
    }
}
