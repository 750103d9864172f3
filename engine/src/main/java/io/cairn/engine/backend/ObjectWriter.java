package io.cairn.engine.backend;

import java.io.IOException;

/**
 * An object written in pieces, for writers that produce a large object bit by bit (a pack) and
 * should not have to hold all of it in memory. Nothing is visible under the object's name until
 * {@link #commit} returns, which gives the guarantees of {@link Backend#save}: atomic, durable,
 * never replacing an existing object. Closing a writer that was not committed abandons it and
 * leaves no object. Not thread-safe: one thread (or a serialized sequence of threads) writes.
 */
public interface ObjectWriter extends AutoCloseable {

    /** Appends {@code data[offset, offset+length)}. */
    void write(byte[] data, int offset, int length) throws IOException;

    /** Bytes appended so far. */
    long size();

    /** Makes the object durable and visible under its name; the writer is spent. */
    void commit() throws IOException;

    /** Abandons the object unless it was committed. */
    @Override
    void close() throws IOException;

    /**
     * The writer {@link Backend#newObjectWriter} gives by default: collects the pieces in memory
     * and calls {@link Backend#save} at {@link #commit}, so a backend (or decorator) that implements
     * only {@code save} sees every object as one save.
     */
    final class Buffered implements ObjectWriter {
        private final Backend backend;
        private final FileHandle handle;
        private byte[] bytes = new byte[64 << 10];
        private int size;
        private boolean done;

        public Buffered(Backend backend, FileHandle handle) {
            this.backend = backend;
            this.handle = handle;
        }

        @Override
        public void write(byte[] data, int offset, int length) {
            if (done) {
                throw new IllegalStateException("object " + handle + " was already committed or abandoned");
            }
            java.util.Objects.checkFromIndexSize(offset, length, data.length);
            if (size + length > bytes.length) {
                bytes = java.util.Arrays.copyOf(bytes, Math.max(size + length, bytes.length * 2));
            }
            System.arraycopy(data, offset, bytes, size, length);
            size += length;
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public void commit() throws IOException {
            if (done) {
                throw new IllegalStateException("object " + handle + " was already committed or abandoned");
            }
            done = true;
            byte[] all = bytes;
            bytes = null;
            backend.save(handle, all, 0, size);
        }

        @Override
        public void close() {
            done = true;
            bytes = null;
        }
    }
}
