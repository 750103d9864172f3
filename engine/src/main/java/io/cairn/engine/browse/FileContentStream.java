package io.cairn.engine.browse;

import io.cairn.engine.blob.BlobId;
import io.cairn.engine.blob.BlobType;
import io.cairn.engine.crypto.CorruptObjectException;
import io.cairn.engine.index.BlobLocation;
import io.cairn.engine.repository.Repository;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Objects;

/**
 * The content of one file of a snapshot as a stream: the concatenation of its data blobs, loaded
 * lazily in order and authenticated by {@link Repository#loadBlob}. Holds at most one blob in memory.
 *
 * <p>Integrity: the stream never delivers more bytes than the snapshot records for the file, and
 * fails at the end if the blobs add up to fewer. {@link #skip} passes over whole blobs without
 * reading them when the index knows their length. Not thread-safe (like any stream).
 */
public final class FileContentStream extends InputStream {

    private final Repository repo;
    private final String path;
    private final List<String> content;
    private final long expectedSize;
    private int nextBlob;
    private byte[] buffer;
    private int position;
    /** Plaintext bytes of the blobs loaded or skipped so far. */
    private long consumed;
    private boolean closed;

    FileContentStream(Repository repo, SnapshotEntry file) {
        this.repo = repo;
        this.path = file.path();
        this.content = file.node().content() == null ? List.of() : file.node().content();
        this.expectedSize = file.node().size();
    }

    /** The size the snapshot records for the file: the number of bytes this stream delivers in total. */
    public long size() {
        return expectedSize;
    }

    @Override
    public int read() throws IOException {
        if (!fill()) {
            return -1;
        }
        return buffer[position++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(len, buffer.length - position);
        System.arraycopy(buffer, position, b, off, n);
        position += n;
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        ensureOpen();
        if (n <= 0) {
            return 0;
        }
        long remaining = n;
        if (buffer != null) {
            int inBuffer = (int) Math.min(remaining, buffer.length - position);
            position += inBuffer;
            remaining -= inBuffer;
        }
        while (remaining > 0 && nextBlob < content.size()) {
            BlobId id = blobId(nextBlob);
            BlobLocation loc = repo.index().find(id);
            if (loc != null && loc.plainLength() <= remaining) {
                nextBlob++;
                account(loc.plainLength());
                buffer = null;
                remaining -= loc.plainLength();
                continue;
            }
            if (!fill()) {
                break;
            }
            int inBuffer = (int) Math.min(remaining, buffer.length - position);
            position += inBuffer;
            remaining -= inBuffer;
        }
        return n - remaining;
    }

    @Override
    public int available() {
        return buffer == null || closed ? 0 : buffer.length - position;
    }

    @Override
    public void close() {
        closed = true;
        buffer = null;
    }

    /** Makes sure unread bytes are buffered; false at the end of the file. */
    private boolean fill() throws IOException {
        ensureOpen();
        while (buffer == null || position >= buffer.length) {
            if (nextBlob >= content.size()) {
                buffer = null;
                if (consumed != expectedSize) {
                    throw new CorruptObjectException("the content of " + path + " adds up to " + consumed
                            + " bytes but the snapshot records " + expectedSize + " bytes");
                }
                return false;
            }
            BlobId id = blobId(nextBlob);
            byte[] data = repo.loadBlob(BlobType.DATA, id);
            nextBlob++;
            account(data.length);
            buffer = data;
            position = 0;
        }
        return true;
    }

    private void account(long blobLength) {
        consumed += blobLength;
        if (consumed > expectedSize) {
            throw new CorruptObjectException("the content of " + path + " is longer than the " + expectedSize
                    + " bytes the snapshot records (at blob " + (nextBlob) + " of " + content.size() + ")");
        }
    }

    private BlobId blobId(int i) {
        try {
            return BlobId.parse(content.get(i));
        } catch (IllegalArgumentException e) {
            throw new CorruptObjectException("the content list of " + path + " holds an invalid blob id at position " + i,
                    e);
        }
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("the content stream of " + path + " is closed");
        }
    }
}
