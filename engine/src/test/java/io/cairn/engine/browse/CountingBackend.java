package io.cairn.engine.browse;

import io.cairn.engine.backend.Backend;
import io.cairn.engine.backend.FileHandle;
import io.cairn.engine.backend.FileInfo;
import io.cairn.engine.backend.FileType;
import io.cairn.engine.backend.LocalBackend;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** A local backend that counts ranged pack reads (one per blob loaded), to prove what was not read. */
final class CountingBackend implements Backend {

    final AtomicInteger blobReads = new AtomicInteger();
    private final Backend delegate;

    CountingBackend(Path dir) {
        this.delegate = new LocalBackend(dir);
    }

    @Override
    public String location() {
        return delegate.location();
    }

    @Override
    public void create() throws IOException {
        delegate.create();
    }

    @Override
    public boolean exists(FileHandle handle) throws IOException {
        return delegate.exists(handle);
    }

    @Override
    public void save(FileHandle handle, byte[] data) throws IOException {
        delegate.save(handle, data);
    }

    @Override
    public byte[] load(FileHandle handle) throws IOException {
        return delegate.load(handle);
    }

    @Override
    public byte[] load(FileHandle handle, long offset, int length) throws IOException {
        if (handle.type() == FileType.PACK) {
            blobReads.incrementAndGet();
        }
        return delegate.load(handle, offset, length);
    }

    @Override
    public InputStream open(FileHandle handle) throws IOException {
        return delegate.open(handle);
    }

    @Override
    public long size(FileHandle handle) throws IOException {
        return delegate.size(handle);
    }

    @Override
    public List<FileInfo> list(FileType type) throws IOException {
        return delegate.list(type);
    }

    @Override
    public void delete(FileHandle handle) throws IOException {
        delegate.delete(handle);
    }
}
