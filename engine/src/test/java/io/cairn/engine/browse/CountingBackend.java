package io.cairn.engine.browse;

import io.cairn.engine.backend.ForwardingBackend;
import io.cairn.engine.backend.FileHandle;
import io.cairn.engine.backend.FileType;
import io.cairn.engine.backend.LocalBackend;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local backend that counts ranged pack reads (one per blob loaded, as an operation's reader passes them on), to
 * prove what was not read. Used by the browse and the directory-cache tests.
 */
public final class CountingBackend extends ForwardingBackend {

    /** Ranged reads of packs so far. */
    public final AtomicInteger blobReads = new AtomicInteger();
    public CountingBackend(Path dir) {
        super(new LocalBackend(dir));
    }

    @Override
    public byte[] load(FileHandle handle, long offset, int length) throws IOException {
        if (handle.type() == FileType.PACK) {
            blobReads.incrementAndGet();
        }
        return wrapped.load(handle, offset, length);
    }
}
