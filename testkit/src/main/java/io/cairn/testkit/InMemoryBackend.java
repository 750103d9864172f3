package io.cairn.testkit;

import io.cairn.engine.backend.Backend;
import io.cairn.engine.backend.BackendFullException;
import io.cairn.engine.backend.FileAlreadyExistsException;
import io.cairn.engine.backend.FileHandle;
import io.cairn.engine.backend.FileInfo;
import io.cairn.engine.backend.FileNotFoundInBackendException;
import io.cairn.engine.backend.FileType;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link Backend} that keeps objects in memory. It gives every guarantee of the interface
 * (within one JVM): objects are copied in and out so they can never change after {@link #save},
 * saving an existing name fails with {@link FileAlreadyExistsException}, ranged reads past the end
 * fail, and all methods are safe for concurrent use.
 *
 * <p>Optionally it has a capacity: a save that would exceed it fails with
 * {@link BackendFullException} and stores nothing, which is how a full disk behaves.
 * {@link #freeSpace()} reports the capacity left, or -1 when unlimited.
 */
public final class InMemoryBackend implements Backend {

    private static final AtomicLong INSTANCES = new AtomicLong();

    private final String location;
    private final long capacityBytes;
    private final Map<FileHandle, byte[]> objects = new ConcurrentHashMap<>();
    /** Guards {@link #usedBytes} together with inserts and removals of {@link #objects}. */
    private final Object writeLock = new Object();
    private long usedBytes;

    /** An unlimited in-memory backend. */
    public InMemoryBackend() {
        this(Long.MAX_VALUE);
    }

    /** An in-memory backend that holds at most {@code capacityBytes} bytes of object data. */
    public InMemoryBackend(long capacityBytes) {
        if (capacityBytes < 0) {
            throw new IllegalArgumentException("capacity must not be negative: " + capacityBytes);
        }
        this.capacityBytes = capacityBytes;
        this.location = "memory:" + INSTANCES.incrementAndGet();
    }

    @Override
    public String location() {
        return location;
    }

    /** Fails if a config object exists; otherwise there is nothing to lay out. */
    @Override
    public void create() throws IOException {
        if (objects.containsKey(FileHandle.CONFIG)) {
            throw new IOException("a repository already exists at " + location + " (it has a config object)");
        }
    }

    @Override
    public boolean exists(FileHandle handle) {
        return objects.containsKey(Objects.requireNonNull(handle, "handle"));
    }

    @Override
    public void save(FileHandle handle, byte[] data) throws IOException {
        Objects.requireNonNull(handle, "handle");
        byte[] copy = Objects.requireNonNull(data, "data").clone();
        synchronized (writeLock) {
            if (objects.containsKey(handle)) {
                throw new FileAlreadyExistsException(handle, location);
            }
            if (copy.length > capacityBytes - usedBytes) {
                throw new BackendFullException("the disk at " + location + " is full (" + (capacityBytes - usedBytes)
                        + " bytes left, " + copy.length + " needed): nothing was written for object " + handle
                        + "; free space and retry", null);
            }
            objects.put(handle, copy);
            usedBytes += copy.length;
        }
    }

    @Override
    public byte[] load(FileHandle handle) throws IOException {
        return stored(handle).clone();
    }

    @Override
    public byte[] load(FileHandle handle, long offset, int length) throws IOException {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("offset and length must not be negative: offset=" + offset + ", length=" + length);
        }
        byte[] stored = stored(handle);
        if (offset > stored.length - (long) length) {
            throw new IOException("object " + handle + " in " + location + " is " + stored.length
                    + " bytes, shorter than the requested range of " + length + " bytes at offset " + offset);
        }
        return Arrays.copyOfRange(stored, (int) offset, (int) offset + length);
    }

    @Override
    public InputStream open(FileHandle handle) throws IOException {
        return new ByteArrayInputStream(stored(handle));
    }

    @Override
    public long size(FileHandle handle) throws IOException {
        return stored(handle).length;
    }

    @Override
    public List<FileInfo> list(FileType type) {
        Objects.requireNonNull(type, "type");
        List<FileInfo> found = new ArrayList<>();
        objects.forEach((handle, data) -> {
            if (handle.type() == type) {
                found.add(new FileInfo(handle, data.length));
            }
        });
        return found;
    }

    @Override
    public void delete(FileHandle handle) {
        Objects.requireNonNull(handle, "handle");
        synchronized (writeLock) {
            byte[] removed = objects.remove(handle);
            if (removed != null) {
                usedBytes -= removed.length;
            }
        }
    }

    @Override
    public long freeSpace() {
        if (capacityBytes == Long.MAX_VALUE) {
            return -1;
        }
        synchronized (writeLock) {
            return capacityBytes - usedBytes;
        }
    }

    /** Bytes of object data stored. */
    public long usedBytes() {
        synchronized (writeLock) {
            return usedBytes;
        }
    }

    private byte[] stored(FileHandle handle) throws FileNotFoundInBackendException {
        byte[] data = objects.get(Objects.requireNonNull(handle, "handle"));
        if (data == null) {
            throw new FileNotFoundInBackendException(handle, location);
        }
        return data;
    }
}
