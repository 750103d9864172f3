package io.cairn.engine.backend;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * Storage for a repository's files: a flat namespace of immutable objects addressed by
 * {@link FileType} and a name. Written so that both a local directory and an S3 bucket fit.
 *
 * <h2>Guarantees every implementation gives</h2>
 * <ul>
 *   <li><b>Atomic write.</b> {@link #save} makes the whole object visible or nothing: a reader never
 *       sees a partial object, not even after a crash (kill -9, power loss) in the middle of a write.</li>
 *   <li><b>Durable on return.</b> When {@link #save} returns, the object survives a crash.</li>
 *   <li><b>Immutable.</b> An object is never changed after it is written. Saving a name that already
 *       exists fails with {@link FileAlreadyExistsException}; callers choose fresh random names.</li>
 *   <li><b>Read-after-write.</b> An object is readable and listed as soon as {@link #save} returns.</li>
 *   <li><b>Idempotent delete.</b> Deleting a missing object succeeds.</li>
 *   <li><b>No rename.</b> The interface has no rename or append: object stores have neither.</li>
 *   <li><b>Ranged reads.</b> {@link #load(FileHandle, long, int)} reads a byte range without
 *       reading the whole object.</li>
 *   <li><b>Clear faults.</b> A missing object raises {@link FileNotFoundInBackendException}; a full
 *       disk raises {@link BackendFullException}; any other I/O failure an {@link IOException}
 *       that names the object.</li>
 * </ul>
 * Implementations are safe for concurrent use by several threads.
 */
public interface Backend extends AutoCloseable {

    /** Where this backend stores, for messages ("/srv/backups/repo", "s3:bucket/prefix"). */
    String location();

    /** Creates the repository's empty layout. Fails if a {@code config} file already exists. */
    void create() throws IOException;

    /** Whether an object exists. */
    boolean exists(FileHandle handle) throws IOException;

    /** Stores {@code data} atomically and durably under {@code handle}. */
    void save(FileHandle handle, byte[] data) throws IOException;

    /**
     * Stores {@code data[offset, offset+length)} atomically and durably under {@code handle}; the same
     * guarantees as {@link #save(FileHandle, byte[])}. Lets writers pass a reused buffer without
     * copying it to an exact-size array first.
     */
    default void save(FileHandle handle, byte[] data, int offset, int length) throws IOException {
        save(handle, offset == 0 && length == data.length ? data
                : java.util.Arrays.copyOfRange(data, offset, offset + length));
    }

    /**
     * Starts an object that is written in pieces and becomes visible, with the guarantees of
     * {@link #save}, when {@link ObjectWriter#commit} returns. The default collects the pieces in
     * memory and calls {@link #save(FileHandle, byte[], int, int)}; a backend that can write an object
     * incrementally (to a temporary file, a multipart upload) overrides it.
     */
    default ObjectWriter newObjectWriter(FileHandle handle) throws IOException {
        return new ObjectWriter.Buffered(this, handle);
    }

    /** Reads a whole object. */
    byte[] load(FileHandle handle) throws IOException;

    /**
     * Reads {@code length} bytes at {@code offset}. Fails with an {@link IOException} if the object is
     * shorter than {@code offset + length} (a truncated object is never silently padded).
     * A range ending exactly at the end of the object is valid, also with {@code length == 0}.
     *
     * @throws IllegalArgumentException if {@code offset} or {@code length} is negative
     */
    byte[] load(FileHandle handle, long offset, int length) throws IOException;

    /**
     * Reads {@code length} bytes at {@code offset} into {@code into[0, length)}, with the checks of
     * {@link #load(FileHandle, long, int)}. Lets readers use pooled buffers; the default copies
     * from that method, so a decorator that overrides it sees these reads too.
     */
    default void loadInto(FileHandle handle, long offset, int length, byte[] into) throws IOException {
        if (into.length < length) {
            throw new IllegalArgumentException("buffer of " + into.length + " bytes for " + length);
        }
        byte[] bytes = load(handle, offset, length);
        System.arraycopy(bytes, 0, into, 0, length);
    }

    /**
     * A reader of byte ranges for one operation, closed when the operation ends. The default keeps
     * nothing and reads through {@link #loadInto} and {@link #load(FileHandle, long, int)}, so a
     * decorator sees these reads too; a backend that can make repeated reads of an object cheaper
     * (by keeping its file open) overrides it.
     */
    default RangeReader rangeReader() {
        return RangeReader.direct(this);
    }

    /** Streams a whole object; the caller closes the stream. */
    InputStream open(FileHandle handle) throws IOException;

    /** The size of an object in bytes. */
    long size(FileHandle handle) throws IOException;

    /** Every object of a type with its size, in no particular order. */
    List<FileInfo> list(FileType type) throws IOException;

    /** Removes an object; removing a missing object succeeds. */
    void delete(FileHandle handle) throws IOException;

    /** Free space in bytes where the backend can tell, else -1. */
    default long freeSpace() throws IOException {
        return -1;
    }

    @Override
    default void close() throws IOException {
    }
}
