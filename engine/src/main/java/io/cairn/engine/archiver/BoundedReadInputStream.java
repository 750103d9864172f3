package io.cairn.engine.archiver;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Caps each read at 1 MiB. The JDK copies file reads through a native buffer as large as the
 * request; with the chunker's 16 MiB requests, the C allocator keeps such buffers per thread and
 * the process's resident memory grows far beyond its heap. 1 MiB reads are as fast.
 */
final class BoundedReadInputStream extends FilterInputStream {

    private static final int MAX_READ = 1 << 20;

    BoundedReadInputStream(InputStream in) {
        super(in);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        return in.read(b, off, Math.min(len, MAX_READ));
    }
}
