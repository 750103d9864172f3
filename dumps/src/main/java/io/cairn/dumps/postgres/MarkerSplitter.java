package io.cairn.dumps.postgres;

import io.cairn.dumps.tool.LineScanner;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Splits a byte stream at marker lines: lines that start with a fixed prefix (such as
 * {@code "-- cairn-dump 3f9a... "}). Lines of any length pass through without being held in memory;
 * only the start of each line is compared with the prefix.
 */
final class MarkerSplitter {
    private final LineScanner lines;
    private final byte[] prefix;
    private boolean atLineStart = true;
    private String nextMarker;

    MarkerSplitter(InputStream in, String prefix) {
        this.lines = new LineScanner(in);
        this.prefix = prefix.getBytes(StandardCharsets.UTF_8);
    }

    /** Bytes consumed from the underlying stream. */
    long bytesRead() {
        return lines.bytesRead();
    }

    /**
     * Skips to the next marker line and returns its text after the prefix, or null at the end of the
     * stream. Bytes before it are discarded.
     */
    String nextMarker() throws IOException {
        if (nextMarker == null) {
            InputStream part = part();
            part.transferTo(OutputStream.nullOutputStream());
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
                if (atLineStart && lines.skipIfStartsWith(prefix)) {
                    nextMarker = new String(lines.readLine(false, 4096, "marker line too long: the dump is damaged"),
                            StandardCharsets.UTF_8);
                    done = true;
                    return -1;
                }
                int n = lines.readUpToLineEnd(b, off, len);
                if (n < 0) {
                    done = true;
                    return -1;
                }
                atLineStart = b[off + n - 1] == '\n';
                return n;
            }
        };
    }
}
