package io.cairn.testkit;

import io.cairn.engine.backend.Backend;
import io.cairn.engine.backend.FileHandle;
import io.cairn.engine.backend.FileInfo;
import io.cairn.engine.backend.FileNotFoundInBackendException;
import io.cairn.engine.backend.FileType;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Wraps a {@link Backend} and returns damaged data for chosen objects, as a failing disk or a
 * careless copy would: flipped bits at chosen positions, or an object cut short. Used to prove that
 * integrity checks ({@code check --read-data}, restore) detect damage instead of passing it on.
 *
 * <p>Damage is applied on every read path consistently: {@link #load(FileHandle)},
 * {@link #load(FileHandle, long, int)} (only the bits inside the range; a range past a truncated end
 * fails like a short object), {@link #open}, and for truncation also {@link #size} and {@link #list}.
 * Writes, deletes and {@link #exists} pass through unchanged; the stored bytes are never modified.
 * Damage applies to whatever is stored under a matching handle, also after it is deleted and saved
 * again, until {@link #repairAll} or {@link #repair}. A bit position past the end of the (possibly
 * truncated) object changes nothing.
 *
 * <p>For a {@link io.cairn.engine.backend.LocalBackend} the static {@link #flipBitOnDisk} and
 * {@link #truncateOnDisk} damage the stored file itself, which no API call can do because objects
 * are immutable.
 *
 * <p>Safe for concurrent use.
 */
public final class CorruptingBackend implements Backend {

    private final Backend wrapped;
    private final List<Damage> damages = new CopyOnWriteArrayList<>();
    private final AtomicInteger damagedReads = new AtomicInteger();

    public CorruptingBackend(Backend wrapped) {
        this.wrapped = Objects.requireNonNull(wrapped, "wrapped");
    }

    /** The backend reads are passed to. */
    public Backend wrapped() {
        return wrapped;
    }

    /** Flips bit {@code bitInByte} (0 = least significant) of the byte at {@code byteOffset} of {@code handle}. */
    public CorruptingBackend flipBit(FileHandle handle, long byteOffset, int bitInByte) {
        Objects.requireNonNull(handle, "handle");
        return flipBit(handle::equals, byteOffset, bitInByte);
    }

    /** Flips bit {@code bitInByte} of the byte at {@code byteOffset} in every object whose handle matches. */
    public CorruptingBackend flipBit(Predicate<FileHandle> handles, long byteOffset, int bitInByte) {
        Objects.requireNonNull(handles, "handles");
        checkBit(byteOffset, bitInByte);
        damages.add(new Damage(handles, byteOffset, (byte) (1 << bitInByte), -1));
        return this;
    }

    /** Makes {@code handle} read as only its first {@code length} bytes. */
    public CorruptingBackend truncate(FileHandle handle, long length) {
        Objects.requireNonNull(handle, "handle");
        return truncate(handle::equals, length);
    }

    /** Makes every object whose handle matches read as only its first {@code length} bytes. */
    public CorruptingBackend truncate(Predicate<FileHandle> handles, long length) {
        Objects.requireNonNull(handles, "handles");
        if (length < 0) {
            throw new IllegalArgumentException("length must not be negative: " + length);
        }
        damages.add(new Damage(handles, -1, (byte) 0, length));
        return this;
    }

    /** Removes the damage that applies to {@code handle} (including damage chosen by predicates that match it). */
    public CorruptingBackend repair(FileHandle handle) {
        Objects.requireNonNull(handle, "handle");
        damages.removeIf(damage -> damage.handles().test(handle));
        return this;
    }

    /** Removes all damage; reads return the stored bytes again. */
    public CorruptingBackend repairAll() {
        damages.clear();
        return this;
    }

    /** How many reads were of an object with damage applied (including reads failed by a truncation). */
    public int damagedReads() {
        return damagedReads.get();
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
        byte[] stored = wrapped.load(handle);
        List<Damage> applicable = damagesFor(handle);
        if (applicable.isEmpty()) {
            return stored;
        }
        damagedReads.incrementAndGet();
        OptionalLong truncatedLength = truncatedLength(applicable);
        byte[] data = truncatedLength.isPresent() && truncatedLength.getAsLong() < stored.length
                ? Arrays.copyOf(stored, (int) truncatedLength.getAsLong())
                : stored;
        flipBits(applicable, data, 0);
        return data;
    }

    @Override
    public byte[] load(FileHandle handle, long offset, int length) throws IOException {
        List<Damage> applicable = damagesFor(handle);
        if (applicable.isEmpty()) {
            return wrapped.load(handle, offset, length);
        }
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("offset and length must not be negative: offset=" + offset + ", length=" + length);
        }
        OptionalLong truncatedLength = truncatedLength(applicable);
        if (truncatedLength.isPresent()) {
            long size = Math.min(truncatedLength.getAsLong(), wrapped.size(handle));
            if (offset > size - length) {
                damagedReads.incrementAndGet();
                throw new IOException("object " + handle + " in " + location() + " is " + size
                        + " bytes, shorter than the requested range of " + length + " bytes at offset " + offset
                        + " (truncated by CorruptingBackend)");
            }
        }
        byte[] data = wrapped.load(handle, offset, length);
        damagedReads.incrementAndGet();
        flipBits(applicable, data, offset);
        return data;
    }

    @Override
    public InputStream open(FileHandle handle) throws IOException {
        if (damagesFor(handle).isEmpty()) {
            return wrapped.open(handle);
        }
        return new ByteArrayInputStream(load(handle));
    }

    @Override
    public long size(FileHandle handle) throws IOException {
        long size = wrapped.size(handle);
        OptionalLong truncatedLength = truncatedLength(damagesFor(handle));
        return truncatedLength.isPresent() ? Math.min(size, truncatedLength.getAsLong()) : size;
    }

    @Override
    public List<FileInfo> list(FileType type) throws IOException {
        List<FileInfo> listed = wrapped.list(type);
        if (damages.isEmpty()) {
            return listed;
        }
        List<FileInfo> result = new ArrayList<>(listed.size());
        for (FileInfo info : listed) {
            OptionalLong truncatedLength = truncatedLength(damagesFor(info.handle()));
            result.add(truncatedLength.isPresent() && truncatedLength.getAsLong() < info.size()
                    ? new FileInfo(info.handle(), truncatedLength.getAsLong())
                    : info);
        }
        return result;
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

    /**
     * Flips one bit of an object stored by a {@link io.cairn.engine.backend.LocalBackend} rooted at
     * {@code repositoryRoot}, in place on disk.
     *
     * @throws FileNotFoundInBackendException if the object does not exist
     * @throws IllegalArgumentException if {@code byteOffset} is not inside the object
     */
    public static void flipBitOnDisk(Path repositoryRoot, FileHandle handle, long byteOffset, int bitInByte) throws IOException {
        checkBit(byteOffset, bitInByte);
        try (FileChannel channel = openStoredFile(repositoryRoot, handle)) {
            if (byteOffset >= channel.size()) {
                throw new IllegalArgumentException("offset " + byteOffset + " is outside object " + handle
                        + " of " + channel.size() + " bytes");
            }
            ByteBuffer one = ByteBuffer.allocate(1);
            if (channel.read(one, byteOffset) != 1) {
                throw new IOException("cannot read byte " + byteOffset + " of object " + handle + " in " + repositoryRoot);
            }
            one.put(0, (byte) (one.get(0) ^ (1 << bitInByte)));
            one.rewind();
            channel.write(one, byteOffset);
            channel.force(true);
        }
    }

    /**
     * Cuts an object stored by a {@link io.cairn.engine.backend.LocalBackend} rooted at
     * {@code repositoryRoot} to its first {@code length} bytes, in place on disk.
     *
     * @throws FileNotFoundInBackendException if the object does not exist
     * @throws IllegalArgumentException if {@code length} is negative or longer than the object
     */
    public static void truncateOnDisk(Path repositoryRoot, FileHandle handle, long length) throws IOException {
        if (length < 0) {
            throw new IllegalArgumentException("length must not be negative: " + length);
        }
        try (FileChannel channel = openStoredFile(repositoryRoot, handle)) {
            if (length > channel.size()) {
                throw new IllegalArgumentException("cannot truncate object " + handle + " of " + channel.size()
                        + " bytes to a longer length " + length);
            }
            channel.truncate(length);
            channel.force(true);
        }
    }

    private static FileChannel openStoredFile(Path repositoryRoot, FileHandle handle) throws IOException {
        Objects.requireNonNull(repositoryRoot, "repositoryRoot");
        Objects.requireNonNull(handle, "handle");
        try {
            return FileChannel.open(repositoryRoot.resolve(handle.relativePath()), StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (NoSuchFileException e) {
            throw new FileNotFoundInBackendException(handle, repositoryRoot.toString());
        }
    }

    private static void checkBit(long byteOffset, int bitInByte) {
        if (byteOffset < 0) {
            throw new IllegalArgumentException("byteOffset must not be negative: " + byteOffset);
        }
        if (bitInByte < 0 || bitInByte > 7) {
            throw new IllegalArgumentException("bitInByte must be 0..7, got " + bitInByte);
        }
    }

    private List<Damage> damagesFor(FileHandle handle) {
        Objects.requireNonNull(handle, "handle");
        List<Damage> applicable = new ArrayList<>();
        for (Damage damage : damages) {
            if (damage.handles().test(handle)) {
                applicable.add(damage);
            }
        }
        return applicable;
    }

    private static OptionalLong truncatedLength(List<Damage> applicable) {
        long shortest = Long.MAX_VALUE;
        boolean truncated = false;
        for (Damage damage : applicable) {
            if (damage.isTruncation()) {
                truncated = true;
                shortest = Math.min(shortest, damage.truncatedLength());
            }
        }
        return truncated ? OptionalLong.of(shortest) : OptionalLong.empty();
    }

    /** Applies the bit flips to {@code data}, which holds the object's bytes starting at {@code dataOffset}. */
    private static void flipBits(List<Damage> applicable, byte[] data, long dataOffset) {
        for (Damage damage : applicable) {
            if (!damage.isTruncation()) {
                long index = damage.byteOffset() - dataOffset;
                if (index >= 0 && index < data.length) {
                    data[(int) index] ^= damage.mask();
                }
            }
        }
    }

    /** One kind of damage: a bit flip ({@code byteOffset >= 0}) or a truncation ({@code truncatedLength >= 0}). */
    private record Damage(Predicate<FileHandle> handles, long byteOffset, byte mask, long truncatedLength) {
        boolean isTruncation() {
            return truncatedLength >= 0;
        }
    }
}
