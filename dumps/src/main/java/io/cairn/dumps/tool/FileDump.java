package io.cairn.dumps.tool;

import io.cairn.dumps.Dump;
import io.cairn.dumps.DumpFailedException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A {@link Dump} whose bytes were already written to a private temporary file (an SQLite online
 * backup): the stream reads the file, {@link #awaitSuccess()} checks that all of it was read, and
 * {@link #close()} deletes it.
 */
public final class FileDump implements Dump {
    private final String filename;
    private final Path file;
    private final String producer;
    private final long size;
    private final InputStream in;
    private volatile boolean cancelled;
    private volatile boolean eof;
    private volatile long bytesRead;

    public FileDump(String filename, Path file, String producer) throws IOException {
        this.filename = filename;
        this.file = file;
        this.producer = producer;
        this.size = Files.size(file);
        InputStream raw = Files.newInputStream(file);
        this.in = new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (cancelled) {
                    return -1;
                }
                int n = raw.read(b, off, len);
                if (n < 0) {
                    eof = true;
                } else {
                    bytesRead += n;
                }
                return n;
            }

            @Override
            public void close() throws IOException {
                raw.close();
            }
        };
    }

    @Override
    public String filename() {
        return filename;
    }

    @Override
    public InputStream stream() {
        return in;
    }

    @Override
    public void awaitSuccess() throws DumpFailedException {
        if (cancelled) {
            throw DumpFailedException.cancelled(producer, producer, bytesRead);
        }
        if (!eof || bytesRead != size) {
            throw DumpFailedException.notReadToEnd(producer, producer, bytesRead + " of " + size + " bytes");
        }
    }

    @Override
    public void cancel() {
        cancelled = true;
    }

    @Override
    public Optional<ProcessHandle> process() {
        return Optional.empty();
    }

    @Override
    public long bytesRead() {
        return bytesRead;
    }

    @Override
    public List<String> warnings() {
        return List.of();
    }

    @Override
    public void close() {
        if (!eof) {
            cancelled = true;
        }
        try {
            in.close();
        } catch (IOException ignored) {
            // deleting is what matters
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a private temp file; nothing else to do
        }
    }
}
