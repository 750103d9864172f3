package io.cairn.engine.backend;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * A repository in a directory of the local file system.
 *
 * <h2>Layout</h2>
 * <pre>
 * config
 * keys/&lt;id&gt;          (directory created 0700 where POSIX permissions exist)
 * locks/&lt;id&gt;
 * snapshots/&lt;id&gt;
 * index/&lt;id&gt;
 * data/00 .. data/ff/&lt;id&gt;   (packs sharded by the first two hex digits of their id)
 * </pre>
 *
 * <h2>How the {@link Backend} guarantees are met</h2>
 * <ul>
 *   <li><b>Atomic, durable, never overwriting.</b> {@link #save} writes the bytes to a temporary
 *       file ({@value #TEMP_FILE_PREFIX}&lt;random&gt;) in the target's own directory, forces it to
 *       the device, then publishes it with a hard link ({@code link(2)}), which fails atomically
 *       if the target name exists. The temporary name is then removed and the directory is forced
 *       so the new name survives a crash. A crash at any point leaves either no object or the
 *       complete object, plus at most one temporary file that {@link #list} never reports and
 *       {@link #cleanupTempFiles} removes. The file system must support hard links.</li>
 *   <li><b>Clear faults.</b> "No space left on device" and "Disk quota exceeded" become
 *       {@link BackendFullException}; a missing object becomes
 *       {@link FileNotFoundInBackendException}; every other failure is an {@link IOException}
 *       naming the object and this location.</li>
 *   <li><b>Deletes</b> are not forced to the device: a delete lost in a crash is repeated by the
 *       next prune, which is harmless.</li>
 * </ul>
 * Instances hold no mutable state and are safe for concurrent use, also by several processes.
 */
public final class LocalBackend implements Backend {

    /** Name prefix of the files a writer publishes from; never a valid object name. */
    public static final String TEMP_FILE_PREFIX = ".tmp-";
    private static final int WRITE_SLICE = 1 << 20;
    /** Objects and ranges from this size on are written and read with direct I/O (where possible). */
    private static final int DIRECT_MIN = 256 << 10;

    private static final String TEMP_FILE_SUFFIX = ".part";
    private static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final List<String> NO_SPACE_REASONS = List.of(
            "no space left on device",           // ENOSPC (Linux, macOS)
            "disk quota exceeded",                // EDQUOT
            "there is not enough space on the disk" // Windows ERROR_DISK_FULL
    );

    private final Path root;
    private final Clock clock;

    /** A backend rooted at {@code root}; the directory need not exist before {@link #create()}. */
    public LocalBackend(Path root) {
        this(root, Clock.systemUTC());
    }

    /** As {@link #LocalBackend(Path)}, with the clock {@link #cleanupTempFiles} measures age by. */
    public LocalBackend(Path root, Clock clock) {
        this.root = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The repository directory. */
    public Path root() {
        return root;
    }

    @Override
    public String location() {
        return root.toString();
    }

    /**
     * Creates the repository directory and every missing directory of the layout. Existing content
     * is left alone, so an interrupted {@code create()} can be repeated; the only refusal is a
     * repository that already has its {@code config}.
     */
    @Override
    public void create() throws IOException {
        Path config = path(FileHandle.CONFIG);
        if (Files.exists(config, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("a repository already exists at " + location()
                    + " (it has a config file); choose an empty directory or use the existing repository");
        }
        if (Files.exists(root) && !Files.isDirectory(root)) {
            throw new IOException("cannot create a repository at " + location() + ": it exists and is not a directory");
        }
        try {
            Files.createDirectories(root);
            for (FileType type : FileType.values()) {
                if (type == FileType.CONFIG) {
                    continue;
                }
                Path directory = root.resolve(type.prefix());
                createDirectoryIfMissing(directory);
                if (type == FileType.KEY && supportsPosixPermissions(directory)) {
                    Files.setPosixFilePermissions(directory, OWNER_ONLY_DIRECTORY);
                }
            }
            Path data = root.resolve(FileType.PACK.prefix());
            for (int shard = 0; shard < 256; shard++) {
                createDirectoryIfMissing(data.resolve(String.format(Locale.ROOT, "%02x", shard)));
            }
            for (FileType type : FileType.values()) {
                if (type != FileType.CONFIG) {
                    forceDirectory(root.resolve(type.prefix()));
                }
            }
            forceDirectory(root);
            if (root.getParent() != null) {
                forceDirectory(root.getParent());
            }
        } catch (IOException e) {
            if (isNoSpaceLeft(e)) {
                throw new BackendFullException("the disk at " + location() + " is full (" + reasonOf(e)
                        + "): the repository layout could not be created; free space and retry", e);
            }
            throw failure("cannot create the repository layout", e);
        }
    }

    @Override
    public boolean exists(FileHandle handle) throws IOException {
        Path path = path(handle);
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isRegularFile();
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            throw failure("cannot check whether object " + handle + " exists", e);
        }
    }

    /**
     * Writes to a temporary file in the target's directory, forces it, publishes it with a hard
     * link (which never replaces an existing object), removes the temporary name and forces the
     * directory. On any failure the temporary file is removed and nothing is published.
     */
    @Override
    public void save(FileHandle handle, byte[] data) throws IOException {
        Objects.requireNonNull(data, "data");
        save(handle, data, 0, data.length);
    }

    /**
     * Writes with direct I/O where the file system allows it (see {@link DirectIo}: the page cache
     * costs more CPU than the write itself, and the object is forced to the device right after
     * anyway), else in slices of at most 1 MiB, so the JDK's per-thread direct buffer stays small.
     */
    @Override
    public void save(FileHandle handle, byte[] data, int offset, int length) throws IOException {
        Objects.requireNonNull(data, "data");
        Objects.checkFromIndexSize(offset, length, data.length);
        Path target = path(handle);
        Path directory = target.getParent();
        Path temp = null;
        boolean published = false;
        try {
            ensureParentDirectory(handle, directory);
            temp = Files.createTempFile(directory, TEMP_FILE_PREFIX, TEMP_FILE_SUFFIX);
            FileChannel direct = length >= DIRECT_MIN ? DirectIo.open(temp, StandardOpenOption.WRITE) : null;
            if (direct != null) {
                try (DirectIo.SequentialWriter writer = new DirectIo.SequentialWriter(temp, direct, true)) {
                    writer.write(data, offset, length);
                    writer.finish();
                    writer.channel().force(true);
                }
            } else {
                try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                    int end = offset + length;
                    for (int pos = offset; pos < end; ) {
                        ByteBuffer buffer = ByteBuffer.wrap(data, pos, Math.min(WRITE_SLICE, end - pos));
                        while (buffer.hasRemaining()) {
                            pos += channel.write(buffer);
                        }
                    }
                    channel.force(true);
                }
            }
            publish(handle, temp, target);
            published = true;
            deleteTempFile(temp);
            temp = null;
            forceDirectory(directory);
        } catch (IOException e) {
            if (!published && isNoSpaceLeft(e)) {
                throw new BackendFullException("the disk at " + location() + " is full (" + reasonOf(e)
                        + "): nothing was written for object " + handle + "; free space and retry", e);
            }
            throw failure("cannot save object " + handle, e);
        } finally {
            if (temp != null) {
                deleteTempFile(temp);
            }
        }
    }

    /**
     * Writes the object to a temporary file as it comes (with direct I/O where possible), and at
     * {@link ObjectWriter#commit} forces it and publishes it exactly as {@link #save} does.
     */
    @Override
    public ObjectWriter newObjectWriter(FileHandle handle) throws IOException {
        Path target = path(handle);
        Path directory = target.getParent();
        Path temp;
        DirectIo.SequentialWriter out;
        try {
            ensureParentDirectory(handle, directory);
            temp = Files.createTempFile(directory, TEMP_FILE_PREFIX, TEMP_FILE_SUFFIX);
        } catch (IOException e) {
            throw translateSaveFailure(handle, e, false);
        }
        try {
            out = DirectIo.SequentialWriter.open(temp, StandardOpenOption.WRITE);
        } catch (IOException e) {
            deleteTempFile(temp);
            throw translateSaveFailure(handle, e, false);
        }
        return new ObjectWriter() {
            private boolean done;

            @Override
            public void write(byte[] data, int offset, int length) throws IOException {
                Objects.checkFromIndexSize(offset, length, data.length);
                if (done) {
                    throw new IllegalStateException("object " + handle + " was already committed or abandoned");
                }
                try {
                    out.write(data, offset, length);
                } catch (IOException e) {
                    throw translateSaveFailure(handle, e, false);
                }
            }

            @Override
            public long size() {
                return out.size();
            }

            @Override
            public void commit() throws IOException {
                if (done) {
                    throw new IllegalStateException("object " + handle + " was already committed or abandoned");
                }
                done = true;
                boolean published = false;
                try {
                    out.finish();
                    out.channel().force(true);
                    out.close();
                    publish(handle, temp, target);
                    published = true;
                    deleteTempFile(temp);
                    forceDirectory(directory);
                } catch (IOException e) {
                    throw translateSaveFailure(handle, e, published);
                } finally {
                    if (!published) {
                        closeQuietly(out);
                        deleteTempFile(temp);
                    }
                }
            }

            @Override
            public void close() {
                if (!done) {
                    done = true;
                    closeQuietly(out);
                    deleteTempFile(temp);
                }
            }
        };
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // abandoning: the temporary file is removed next
        }
    }

    /** The exception a failed save of {@code handle} reports: disk full, or the cause with the object named. */
    private IOException translateSaveFailure(FileHandle handle, IOException e, boolean published) {
        if (!published && isNoSpaceLeft(e)) {
            return new BackendFullException("the disk at " + location() + " is full (" + reasonOf(e)
                    + "): nothing was written for object " + handle + "; free space and retry", e);
        }
        return failure("cannot save object " + handle, e);
    }

    @Override
    public byte[] load(FileHandle handle) throws IOException {
        Path path = path(handle);
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size > Integer.MAX_VALUE - 8) {
                throw new DescribedIOException("object " + handle + " in " + location() + " is " + size
                        + " bytes, too large to load whole; load it in ranges", null);
            }
            byte[] bytes = new byte[(int) size];
            readRange(handle, channel, bytes, 0, bytes.length);
            return bytes;
        } catch (NoSuchFileException e) {
            throw new FileNotFoundInBackendException(handle, location());
        } catch (IOException e) {
            throw failure("cannot load object " + handle, e);
        }
    }

    /** Large ranges (blobs of file data) are read with direct I/O where possible, see {@link DirectIo}. */
    @Override
    public byte[] load(FileHandle handle, long offset, int length) throws IOException {
        checkRange(offset, length);
        Path path = path(handle);
        if (length >= DIRECT_MIN) {
            byte[] bytes;
            try {
                bytes = DirectIo.readRange(path, offset, length);
            } catch (NoSuchFileException e) {
                throw new FileNotFoundInBackendException(handle, location());
            } catch (IOException e) {
                throw failure("cannot load object " + handle, e);
            }
            if (bytes != null) {
                if (bytes.length < length) {
                    throw shorterThanRequested(handle, offset + bytes.length, offset, length);
                }
                return bytes;
            }
        }
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = channel.size();
            if (offset > size - length) {
                throw shorterThanRequested(handle, size, offset, length);
            }
            byte[] bytes = new byte[length];
            readRange(handle, channel, bytes, offset, length);
            return bytes;
        } catch (NoSuchFileException e) {
            throw new FileNotFoundInBackendException(handle, location());
        } catch (IOException e) {
            throw failure("cannot load object " + handle, e);
        }
    }

    /** As {@link #load(FileHandle, long, int)}, into the caller's buffer. */
    @Override
    public void loadInto(FileHandle handle, long offset, int length, byte[] into) throws IOException {
        checkRange(offset, length);
        Objects.checkFromIndexSize(0, length, into.length);
        Path path = path(handle);
        if (length >= DIRECT_MIN) {
            int n;
            try {
                n = DirectIo.readRangeInto(path, offset, length, into, 0);
            } catch (NoSuchFileException e) {
                throw new FileNotFoundInBackendException(handle, location());
            } catch (IOException e) {
                throw failure("cannot load object " + handle, e);
            }
            if (n >= 0) {
                if (n < length) {
                    throw shorterThanRequested(handle, offset + n, offset, length);
                }
                return;
            }
        }
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            // a read at the end of the file tells its size: no stat for each blob of a restore
            readRange(handle, channel, into, offset, length);
        } catch (NoSuchFileException e) {
            throw new FileNotFoundInBackendException(handle, location());
        } catch (IOException e) {
            throw failure("cannot load object " + handle, e);
        }
    }

    /**
     * A reader that keeps the files of the last {@value KeptOpenReader#MAX_OPEN} objects it read open (for
     * ranges below the direct-I/O size), so the thousands of small blobs a restore or a backup's parent
     * trees read from one pack cost one {@code open} instead of one each.
     */
    @Override
    public RangeReader rangeReader() {
        return new KeptOpenReader();
    }

    /** See {@link #rangeReader()}. A file evicted or closed while a read uses it is closed after that read. */
    private final class KeptOpenReader implements RangeReader {
        static final int MAX_OPEN = 16;

        private final java.util.LinkedHashMap<FileHandle, KeptFile> open = new java.util.LinkedHashMap<>(32, 0.75f, true);
        private boolean closed;

        @Override
        public void loadInto(FileHandle handle, long offset, int length, byte[] into) throws IOException {
            if (length >= DIRECT_MIN) {
                LocalBackend.this.loadInto(handle, offset, length, into);
                return;
            }
            checkRange(offset, length);
            Objects.checkFromIndexSize(0, length, into.length);
            KeptFile file = acquire(handle);
            try {
                readRange(handle, file.channel, into, offset, length);
            } catch (IOException e) {
                throw failure("cannot load object " + handle, e);
            } finally {
                release(file);
            }
        }

        private KeptFile acquire(FileHandle handle) throws IOException {
            synchronized (this) {
                ensureOpen();
                KeptFile kept = open.get(handle);
                if (kept != null) {
                    kept.users++;
                    return kept;
                }
            }
            FileChannel channel;
            try {
                channel = FileChannel.open(path(handle), StandardOpenOption.READ);
            } catch (NoSuchFileException e) {
                throw new FileNotFoundInBackendException(handle, location());
            } catch (IOException e) {
                throw failure("cannot load object " + handle, e);
            }
            synchronized (this) {
                KeptFile kept = closed ? null : open.get(handle);
                if (kept != null || closed) {
                    closeQuietly(channel); // another thread opened it meanwhile, or the reader was closed
                    ensureOpen();
                    kept.users++;
                    return kept;
                }
                kept = new KeptFile(channel);
                kept.users = 1;
                open.put(handle, kept);
                if (open.size() > MAX_OPEN) {
                    var eldest = open.entrySet().iterator();
                    KeptFile evicted = eldest.next().getValue();
                    eldest.remove();
                    retire(evicted);
                }
                return kept;
            }
        }

        private synchronized void release(KeptFile file) {
            file.users--;
            if (file.users == 0 && file.retired) {
                closeQuietly(file.channel);
            }
        }

        private void retire(KeptFile file) {
            file.retired = true;
            if (file.users == 0) {
                closeQuietly(file.channel);
            }
        }

        private void ensureOpen() {
            if (closed) {
                throw new IllegalStateException("this reader of " + location() + " was closed");
            }
        }

        @Override
        public synchronized void close() {
            closed = true;
            open.values().forEach(this::retire);
            open.clear();
        }
    }

    private static final class KeptFile {
        final FileChannel channel;
        int users;
        boolean retired;

        KeptFile(FileChannel channel) {
            this.channel = channel;
        }
    }

    @Override
    public InputStream open(FileHandle handle) throws IOException {
        try {
            return Files.newInputStream(path(handle), StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new FileNotFoundInBackendException(handle, location());
        } catch (IOException e) {
            throw failure("cannot open object " + handle, e);
        }
    }

    @Override
    public long size(FileHandle handle) throws IOException {
        try {
            return Files.readAttributes(path(handle), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).size();
        } catch (NoSuchFileException e) {
            throw new FileNotFoundInBackendException(handle, location());
        } catch (IOException e) {
            throw failure("cannot read the size of object " + handle, e);
        }
    }

    /**
     * Lists the regular files under the type's directory whose names are valid object names.
     * Temporary files, foreign files, and packs stored in the wrong shard directory are skipped.
     * A missing type directory lists as empty.
     */
    @Override
    public List<FileInfo> list(FileType type) throws IOException {
        Objects.requireNonNull(type, "type");
        List<FileInfo> found = new ArrayList<>();
        try {
            switch (type) {
                case CONFIG -> addIfRegularFile(found, FileHandle.CONFIG);
                case PACK -> {
                    Path data = root.resolve(type.prefix());
                    for (Path shard : directoryEntries(data)) {
                        String shardName = shard.getFileName().toString();
                        if (shardName.matches("[0-9a-f]{2}") && Files.isDirectory(shard, LinkOption.NOFOLLOW_LINKS)) {
                            addObjectsIn(found, type, shard, shardName);
                        }
                    }
                }
                default -> addObjectsIn(found, type, root.resolve(type.prefix()), "");
            }
        } catch (IOException e) {
            throw failure("cannot list " + type.prefix() + " objects", e);
        }
        return found;
    }

    @Override
    public void delete(FileHandle handle) throws IOException {
        try {
            Files.deleteIfExists(path(handle));
        } catch (IOException e) {
            throw failure("cannot delete object " + handle, e);
        }
    }

    /** Usable bytes on the file system holding the repository ({@link java.nio.file.FileStore#getUsableSpace}). */
    @Override
    public long freeSpace() throws IOException {
        Path existing = root;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return -1;
        }
        return Files.getFileStore(existing).getUsableSpace();
    }

    /**
     * Removes temporary files ({@value #TEMP_FILE_PREFIX}...) left by writers that crashed or were
     * killed in the middle of {@link #save}, and returns how many were removed.
     *
     * <p>Only files last modified more than {@code minimumAge} ago (by this backend's clock) are
     * removed, so the temporary file of a save that is still running is left alone: pass an age
     * well above the longest time one object can take to write (an hour is safe). Removing the
     * temporary file of a live writer anyway is harmless to the repository: that writer's publish
     * step fails and its {@code save} reports an error; no object is ever damaged. Objects are never
     * touched by this method. Safe to run while other processes use the repository.
     */
    public int cleanupTempFiles(Duration minimumAge) throws IOException {
        Objects.requireNonNull(minimumAge, "minimumAge");
        if (minimumAge.isNegative()) {
            throw new IllegalArgumentException("minimumAge must not be negative: " + minimumAge);
        }
        Instant cutoff = clock.instant().minus(minimumAge);
        List<Path> directories = new ArrayList<>();
        directories.add(root);
        for (FileType type : FileType.values()) {
            if (type != FileType.CONFIG) {
                directories.add(root.resolve(type.prefix()));
            }
        }
        try {
            for (Path shard : directoryEntries(root.resolve(FileType.PACK.prefix()))) {
                if (Files.isDirectory(shard, LinkOption.NOFOLLOW_LINKS)) {
                    directories.add(shard);
                }
            }
            int removed = 0;
            for (Path directory : directories) {
                for (Path entry : directoryEntries(directory)) {
                    if (entry.getFileName().toString().startsWith(TEMP_FILE_PREFIX) && isRegularFileOlderThan(entry, cutoff)) {
                        if (Files.deleteIfExists(entry)) {
                            removed++;
                        }
                    }
                }
            }
            return removed;
        } catch (IOException e) {
            throw failure("cannot remove leftover temporary files", e);
        }
    }

    /**
     * Whether a failure (or one of its causes) is the operating system saying the disk or the
     * user's quota is full. Recognises the message Java gives an {@code ENOSPC}/{@code EDQUOT}
     * from a read/write call and the reason of a {@link FileSystemException} from a file operation.
     */
    private static boolean isNoSpaceLeft(Throwable failure) {
        return reasonOf(failure) != null;
    }

    private static String reasonOf(Throwable failure) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 16; t = t.getCause(), depth++) {
            String text = t instanceof FileSystemException fse ? fse.getReason() : t.getMessage();
            if (text == null && t instanceof FileSystemException) {
                text = t.getMessage();
            }
            if (text != null) {
                String lower = text.toLowerCase(Locale.ROOT);
                for (String reason : NO_SPACE_REASONS) {
                    if (lower.contains(reason)) {
                        return text;
                    }
                }
            }
        }
        return null;
    }

    private Path path(FileHandle handle) {
        Objects.requireNonNull(handle, "handle");
        return root.resolve(handle.relativePath());
    }

    private void ensureParentDirectory(FileHandle handle, Path directory) throws IOException {
        if (Files.isDirectory(directory)) {
            return;
        }
        if (handle.type() == FileType.PACK && Files.isDirectory(directory.getParent())) {
            createDirectoryIfMissing(directory);
            forceDirectory(directory.getParent());
            return;
        }
        // Copies that keep no empty directories (git, object-store syncs) lose e.g. locks/. Where a
        // repository is (its config exists), recreate the missing layout directory; elsewhere refuse.
        if (handle.type() != FileType.CONFIG && Files.isRegularFile(path(FileHandle.CONFIG), LinkOption.NOFOLLOW_LINKS)) {
            Path typeDirectory = root.resolve(handle.type().prefix());
            createDirectoryIfMissing(typeDirectory);
            if (handle.type() == FileType.KEY && supportsPosixPermissions(typeDirectory)) {
                Files.setPosixFilePermissions(typeDirectory, OWNER_ONLY_DIRECTORY);
            }
            createDirectoryIfMissing(directory);
            forceDirectory(typeDirectory);
            forceDirectory(root);
            return;
        }
        throw new DescribedIOException("cannot save object " + handle + ": directory " + directory
                + " is missing; is there a repository at " + location() + "? (create it first)", null);
    }

    private void publish(FileHandle handle, Path temp, Path target) throws IOException {
        try {
            Files.createLink(target, temp);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw new FileAlreadyExistsException(handle, location());
        } catch (UnsupportedOperationException e) {
            throw noHardLinks(handle, e);
        } catch (FileSystemException e) {
            String reason = e.getReason() == null ? "" : e.getReason().toLowerCase(Locale.ROOT);
            if (reason.contains("operation not permitted") || reason.contains("operation not supported")) {
                throw noHardLinks(handle, e);
            }
            throw e;
        }
    }

    private IOException noHardLinks(FileHandle handle, Exception cause) {
        return new DescribedIOException("cannot save object " + handle + ": the file system at " + location()
                + " does not support hard links (" + cause.getMessage() + "), which are needed to publish objects"
                + " atomically without overwriting; use a file system that does (ext4, xfs, btrfs, zfs, NTFS, APFS)", cause);
    }

    /** Reads {@code length} bytes at {@code offset} into the start of {@code into}; a shorter file is an error. */
    private void readRange(FileHandle handle, FileChannel channel, byte[] into, long offset, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(into, 0, length);
        long position = offset;
        while (buffer.hasRemaining()) {
            int read = channel.read(buffer, position);
            if (read < 0) {
                throw shorterThanRequested(handle, position, offset, length);
            }
            position += read;
        }
    }

    private IOException shorterThanRequested(FileHandle handle, long size, long offset, int length) {
        return new DescribedIOException("object " + handle + " in " + location() + " is " + size
                + " bytes, shorter than the requested range of " + length + " bytes at offset " + offset
                + " (truncated or damaged object?)", null);
    }

    private static void checkRange(long offset, int length) {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("offset and length must not be negative: offset=" + offset + ", length=" + length);
        }
    }

    private void addIfRegularFile(List<FileInfo> found, FileHandle handle) throws IOException {
        try {
            BasicFileAttributes attributes = Files.readAttributes(path(handle), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (attributes.isRegularFile()) {
                found.add(new FileInfo(handle, attributes.size()));
            }
        } catch (NoSuchFileException e) {
            // not there (or deleted while listing): not listed
        }
    }

    private void addObjectsIn(List<FileInfo> found, FileType type, Path directory, String requiredNamePrefix) throws IOException {
        for (Path entry : directoryEntries(directory)) {
            String name = entry.getFileName().toString();
            if (name.startsWith(TEMP_FILE_PREFIX) || !name.startsWith(requiredNamePrefix)) {
                continue;
            }
            FileHandle handle;
            try {
                handle = FileHandle.of(type, name);
            } catch (IllegalArgumentException notAnObjectName) {
                continue;
            }
            addIfRegularFile(found, handle);
        }
    }

    private static List<Path> directoryEntries(Path directory) throws IOException {
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory)) {
            for (Path entry : stream) {
                entries.add(entry);
            }
        } catch (NoSuchFileException e) {
            return List.of();
        }
        return entries;
    }

    private static boolean isRegularFileOlderThan(Path path, Instant cutoff) throws IOException {
        try {
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            FileTime modified = attributes.lastModifiedTime();
            return attributes.isRegularFile() && modified.toInstant().isBefore(cutoff);
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    private static void createDirectoryIfMissing(Path directory) throws IOException {
        try {
            Files.createDirectory(directory);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            if (!Files.isDirectory(directory)) {
                throw new IOException(directory + " exists and is not a directory", e);
            }
        }
    }

    private static boolean supportsPosixPermissions(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    /**
     * Forces a directory's entries to the device so that a name just linked into it survives a
     * crash. Windows cannot open a directory as a channel (and NTFS journals its metadata), and
     * some file systems answer {@code fsync} on a directory with {@code EINVAL}; only those two
     * "not supported here" answers are ignored.
     */
    private static void forceDirectory(Path directory) throws IOException {
        if (isWindows()) {
            return;
        }
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            if (!isInvalidArgument(e)) {
                throw e;
            }
        }
    }

    private static boolean isInvalidArgument(IOException e) {
        String text = e instanceof FileSystemException fse ? fse.getReason() : e.getMessage();
        return text != null && text.toLowerCase(Locale.ROOT).contains("invalid argument");
    }

    private static boolean isWindows() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
    }

    /**
     * Deletes a temporary file, ignoring failure: a leftover temporary file is never listed as an
     * object and {@link #cleanupTempFiles} removes it later, so it must not fail a save.
     */
    private static void deleteTempFile(Path temp) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException leftForCleanup) {
            // see method comment
        }
    }

    private IOException failure(String what, IOException cause) {
        if (cause instanceof FileNotFoundInBackendException
                || cause instanceof FileAlreadyExistsException
                || cause instanceof BackendFullException
                || cause instanceof DescribedIOException) {
            return cause;
        }
        return new IOException(what + " in " + location() + ": " + describe(cause), cause);
    }

    private static String describe(IOException cause) {
        if (cause instanceof java.nio.file.AccessDeniedException e) {
            return "permission denied on " + e.getFile();
        }
        if (cause instanceof NoSuchFileException e) {
            return "no such file or directory " + e.getFile();
        }
        if (cause instanceof FileSystemException e) {
            return (e.getReason() != null ? e.getReason() : e.getClass().getSimpleName()) + " on " + e.getFile();
        }
        return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
    }

    /** A failure whose message already names the object and the location; passed on unwrapped. */
    private static final class DescribedIOException extends IOException {
        DescribedIOException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
