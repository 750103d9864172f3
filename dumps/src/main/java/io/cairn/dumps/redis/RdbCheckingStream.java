package io.cairn.dumps.redis;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Passes an RDB through while parsing it: the stream ends exactly at the RDB's end (after its CRC-64,
 * which is verified) and fails with an {@link IOException} if the RDB is truncated or damaged. What a
 * tool writes after the RDB is drained and dropped: {@code redis-cli --rdb -} appends the 40-byte
 * end-of-transfer marker of a diskless sync to stdout, where it cannot truncate it away.
 */
final class RdbCheckingStream extends InputStream {
    private final InputStream raw;
    private final Buffer produced = new Buffer();
    private final RdbReader reader;
    private boolean started;
    private boolean done;
    private int pos;

    RdbCheckingStream(InputStream raw) {
        this.raw = raw;
        this.reader = new RdbReader(new InputStream() {
            @Override
            public int read() throws IOException {
                int b = raw.read();
                if (b >= 0) {
                    produced.write(b);
                }
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = raw.read(b, off, len);
                if (n > 0) {
                    produced.write(b, off, n);
                }
                return n;
            }
        }, false);
    }

    /** A byte buffer whose contents can be read without copying. */
    private static final class Buffer extends ByteArrayOutputStream {
        byte[] array() {
            return buf;
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (pos >= produced.size()) {
            produced.reset();
            pos = 0;
            if (done) {
                return -1;
            }
            if (!started) {
                started = true;
                reader.readHeader();
                continue;
            }
            if (reader.next() == null) {
                done = true;
                raw.transferTo(OutputStream.NULL); // the transfer marker, if any
            }
        }
        int n = Math.min(len, produced.size() - pos);
        System.arraycopy(produced.array(), pos, b, off, n);
        pos += n;
        return n;
    }

    @Override
    public void close() throws IOException {
        raw.close();
    }

    private static final class OutputStream {
        static final java.io.OutputStream NULL = java.io.OutputStream.nullOutputStream();
    }
}
