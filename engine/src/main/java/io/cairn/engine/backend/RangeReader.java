package io.cairn.engine.backend;

import java.io.IOException;

/**
 * Ranged reads for one operation (a backup's look-ups of its parent's trees, a restore's blob reads),
 * which may keep what makes the next read of the same object cheap, an open file, until it is closed.
 * The reads have the checks and faults of {@link Backend#loadInto}.
 *
 * <p>Why it is scoped: a kept open file of an object that is deleted meanwhile (by a prune) still
 * reads the object's bytes and holds its disk space. Objects are immutable and their names never
 * reused, so the bytes are still right, but the space must come back; an operation holds the
 * repository's lock for as long as it holds its reader, and a prune cannot run under that lock.
 * Safe for concurrent use by the operation's threads.
 */
public interface RangeReader extends AutoCloseable {

    /** Reads {@code length} bytes at {@code offset} of an object into {@code into[0, length)}. */
    void loadInto(FileHandle handle, long offset, int length, byte[] into) throws IOException;

    /** Reads {@code length} bytes at {@code offset} of an object into a new array. */
    default byte[] load(FileHandle handle, long offset, int length) throws IOException {
        if (length < 0) {
            throw new IllegalArgumentException("negative length " + length);
        }
        byte[] bytes = new byte[length];
        loadInto(handle, offset, length, bytes);
        return bytes;
    }

    /** Releases whatever the reader kept; a reader that keeps files refuses reads afterwards ({@link IllegalStateException}). */
    @Override
    void close();

    /** A reader that keeps nothing: every read is a call of the backend's {@link Backend#loadInto}. */
    static RangeReader direct(Backend backend) {
        return new RangeReader() {
            @Override
            public void loadInto(FileHandle handle, long offset, int length, byte[] into) throws IOException {
                backend.loadInto(handle, offset, length, into);
            }

            @Override
            public byte[] load(FileHandle handle, long offset, int length) throws IOException {
                return backend.load(handle, offset, length);
            }

            @Override
            public void close() {
            }
        };
    }
}
