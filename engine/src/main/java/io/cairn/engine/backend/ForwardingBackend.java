package io.cairn.engine.backend;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * A backend that passes every call to another one: the base of decorators (counting, delaying or
 * failing calls in tests, later caching or rate limiting) that override only what they change.
 *
 * <p>The ranged {@link #save(FileHandle, byte[], int, int)}, {@link #newObjectWriter} and
 * {@link #loadInto} are deliberately not forwarded: they keep the interface's defaults, which end in
 * {@link #save(FileHandle, byte[])} and {@link #load(FileHandle, long, int)}, so a decorator that
 * overrides those sees every save and every ranged read. A decorator that needs the copy-free or
 * streaming path overrides them too.
 */
public abstract class ForwardingBackend implements Backend {

    protected final Backend wrapped;

    protected ForwardingBackend(Backend wrapped) {
        this.wrapped = wrapped;
    }

    @Override
    public String location() {
        return wrapped.location();
    }

    @Override
    public void create() throws IOException {
        wrapped.create();
    }

    @Override
    public boolean exists(FileHandle handle) throws IOException {
        return wrapped.exists(handle);
    }

    @Override
    public void save(FileHandle handle, byte[] data) throws IOException {
        wrapped.save(handle, data);
    }

    @Override
    public byte[] load(FileHandle handle) throws IOException {
        return wrapped.load(handle);
    }

    @Override
    public byte[] load(FileHandle handle, long offset, int length) throws IOException {
        return wrapped.load(handle, offset, length);
    }

    @Override
    public InputStream open(FileHandle handle) throws IOException {
        return wrapped.open(handle);
    }

    @Override
    public long size(FileHandle handle) throws IOException {
        return wrapped.size(handle);
    }

    @Override
    public List<FileInfo> list(FileType type) throws IOException {
        return wrapped.list(type);
    }

    @Override
    public void delete(FileHandle handle) throws IOException {
        wrapped.delete(handle);
    }

    @Override
    public long freeSpace() throws IOException {
        return wrapped.freeSpace();
    }

    @Override
    public void close() throws IOException {
        wrapped.close();
    }
}
