package io.cairn.dumps.tool;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A read buffer over a dump script for filters that look only at the starts of lines (marker lines,
 * definer clauses, database sections) and pass everything else through: lines of any length stream
 * through in pieces without being held in memory; only a line the caller asks for whole is collected.
 */
public final class LineScanner {

    private final InputStream in;
    private final byte[] buf = new byte[1 << 16];
    private int pos;
    private int lim;
    private boolean eof;
    private long bytesRead;

    public LineScanner(InputStream in) {
        this.in = in;
    }

    /** Bytes consumed from the underlying stream. */
    public long bytesRead() {
        return bytesRead;
    }

    /** Ensures {@code want} unread bytes are buffered (at most 64 KiB); false if the stream ends first. */
    public boolean fill(int want) throws IOException {
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

    /** Whether no unread byte is left (reads more first if none is buffered). */
    public boolean atEnd() throws IOException {
        return pos >= lim && !fill(1);
    }

    /** Up to {@code max} buffered bytes from the read position, as text (call {@link #fill} first). */
    public String peek(int max) {
        return new String(buf, pos, Math.min(max, lim - pos), StandardCharsets.UTF_8);
    }

    /** Whether the unread bytes start with {@code prefix}; consumes it if so. */
    public boolean skipIfStartsWith(byte[] prefix) throws IOException {
        if (fill(prefix.length) && Arrays.equals(buf, pos, pos + prefix.length, prefix, 0, prefix.length)) {
            pos += prefix.length;
            return true;
        }
        return false;
    }

    /**
     * Copies unread bytes into {@code b}, at most {@code len} and stopping after a newline; returns how
     * many, or -1 at the end of the stream.
     */
    public int readUpToLineEnd(byte[] b, int off, int len) throws IOException {
        if (atEnd()) {
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
        pos += n;
        return n;
    }

    /**
     * Reads the rest of the current line.
     *
     * @param keepNewline   whether the newline ends the returned bytes
     * @param maxLength     the longest line accepted, without its newline
     * @throws IOException  when the line is longer: {@code tooLong} says why that means damage
     */
    public byte[] readLine(boolean keepNewline, int maxLength, String tooLong) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (!atEnd()) {
            int start = pos;
            while (pos < lim && buf[pos] != '\n') {
                pos++;
            }
            line.write(buf, start, pos - start);
            if (line.size() > maxLength) {
                throw new IOException(tooLong);
            }
            if (pos < lim) {
                pos++; // the newline
                if (keepNewline) {
                    line.write('\n');
                }
                break;
            }
        }
        return line.toByteArray();
    }

    /** Drops the rest of the current line and its newline without holding it. */
    public void skipLine() throws IOException {
        while (!atEnd()) {
            while (pos < lim) {
                if (buf[pos++] == '\n') {
                    return;
                }
            }
        }
    }

    /** Closes the underlying stream. */
    public void close() throws IOException {
        in.close();
    }
}
