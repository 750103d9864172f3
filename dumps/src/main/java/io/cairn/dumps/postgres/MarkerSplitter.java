package io.cairn.dumps.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Splits a byte stream at marker lines: lines that start with a fixed prefix (such as
 * {@code "-- cairn-dump 3f9a... "}). Lines of any length pass through without being held in memory;
 * only the start of each line is compared with the prefix.
 */
final class MarkerSplitter {
    private final InputStream in;
    private final byte[] prefix;
    private final byte[] buf = new byte[1 << 16];
    private int pos;
    private int lim;
    private boolean atLineStart = true;
    private boolean eof;
    private String nextMarker;
    private long bytesRead;

    MarkerSplitter(InputStream in, String prefix) {
        this.in = in;
        this.prefix = prefix.getBytes(StandardCharsets.UTF_8);
    }

    /** Bytes consumed from the underlying stream. */
    long bytesRead() {
        return bytesRead;
    }

    /**
     * Skips to the next marker line and returns its text after the prefix, or null at the end of the
     * stream. Bytes before it are discarded.
     */
    String nextMarker() throws IOException {
        if (nextMarker == null) {
            InputStream part = part();
            part.transferTo(OutputStreamSink.INSTANCE);
        }
        String m = nextMarker;
        nextMarker = null;
        return m;
    }

    /** The bytes up to (not including) the next marker line or the end of the stream. */
    InputStream part() {
        return new InputStream() {
            private boolean done;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (done || len == 0) {
                    return done ? -1 : 0;
                }
                if (atLineStart) {
                    if (!fill(prefix.length)) {
                        if (pos >= lim) {
                            done = true;
                            return -1;
                        }
                    } else if (Arrays.equals(buf, pos, pos + prefix.length, prefix, 0, prefix.length)) {
                        pos += prefix.length;
                        nextMarker = readLine();
                        done = true;
                        return -1;
                    }
                }
                if (pos >= lim && !fill(1)) {
                    done = true;
                    return -1;
                }
                int end = Math.min(lim, pos + len);
                int n = 0;
                while (pos + n < end) {
                    if (buf[pos + n++] == '\n') {
                        break;
                    }
                }
                System.arraycopy(buf, pos, b, off, n);
                atLineStart = buf[pos + n - 1] == '\n';
                pos += n;
                return n;
            }
        };
    }

    /** Ensures {@code want} unread bytes are buffered; false if the stream ends first. */
    private boolean fill(int want) throws IOException {
        if (lim - pos >= want) {
            return true;
        }
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, lim - pos);
            lim -= pos;
            pos = 0;
        }
        while (lim < want && !eof) {
            int n = in.read(buf, lim, buf.length - lim);
            if (n < 0) {
                eof = true;
            } else {
                lim += n;
                bytesRead += n;
            }
        }
        return lim - pos >= want;
    }

    private String readLine() throws IOException {
        StringBuilder sb = new StringBuilder();
        java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
        while (true) {
            if (pos >= lim && !fill(1)) {
                break;
            }
            byte c = buf[pos++];
            if (c == '\n') {
                break;
            }
            line.write(c);
            if (line.size() > 4096) {
                throw new IOException("marker line too long: the dump is damaged");
            }
        }
        atLineStart = true;
        sb.append(line.toString(StandardCharsets.UTF_8));
        return sb.toString();
    }

    private static final class OutputStreamSink extends java.io.OutputStream {
        static final OutputStreamSink INSTANCE = new OutputStreamSink();

        @Override
        public void write(int b) {
        }

        @Override
        public void write(byte[] b, int off, int len) {
        }
    }
}
