package io.cairn.engine.repository;

import io.cairn.engine.backend.FileHandle;
import io.cairn.engine.backend.FileType;
import io.cairn.engine.backend.ObjectWriter;
import io.cairn.engine.blob.BlobCodec;
import io.cairn.engine.blob.BlobId;
import io.cairn.engine.blob.BlobType;
import io.cairn.engine.blob.Compression;
import io.cairn.engine.concurrent.Await;
import io.cairn.engine.concurrent.BufferPool;
import io.cairn.engine.crypto.Seal;
import io.cairn.engine.index.IndexFile;
import io.cairn.engine.pack.PackEntry;
import io.cairn.engine.pack.PackFormat;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Stores new blobs into packs for one writing session (a backup, a repack). Thread-safe: many
 * threads call {@link #save} at once.
 *
 * <p>How a blob travels: the calling thread compresses it into its own reusable buffer; under a
 * short lock it is given its place in the open pack of its type and a region of that pack's current
 * <b>segment</b> (a pooled array of 2 MiB, or one blob's size if larger); the thread then seals
 * (encrypts) it straight into that region without the lock, so threads encrypt in parallel and the
 * sealed bytes are never copied. A segment that is full is handed to the uploader thread, which
 * appends it to the pack's object in the backend ({@link io.cairn.engine.backend.ObjectWriter}: a
 * temporary file written with direct I/O for a local repository) once every region in it is
 * sealed, and at the end of a pack appends the header and commits the object (forced to the device
 * and published). So a pack is never held in memory whole: at most {@link #SEGMENT_BYTES} of
 * segments are in flight (a segment for a blob larger than {@link #MAX_SEGMENT_PERMITS} KiB counts as that
 * much), and a thread that needs a segment beyond that waits for the uploader.
 *
 * <p>Deduplication: a blob already in the repository index, or already saved in this session, is
 * not stored again. {@link #flush} writes every open pack, then an index object listing the
 * session's packs; only after it returns may a snapshot reference the blobs. Packs written by a
 * session that never flushes are unreferenced and removed by prune. The session's packs join the
 * repository's in-memory index only once an index object listing them is saved, so a session that
 * fails never leaves blobs there that a later session in the same process would reuse although
 * no index object lists them.
 */
public final class BlobWriter implements AutoCloseable {

    /** Write a partial index every this many packs, so an interrupted backup's data is reused. */
    private static final int PACKS_PER_INDEX = 64;
    /** Size of a standard segment. */
    static final int SEGMENT_SIZE = 2 << 20;
    /** Segment bytes allocated at once (being filled, queued or being written). */
    static final int SEGMENT_BYTES = 6 << 20;
    /**
     * The most of {@link #SEGMENT_BYTES} (in KiB permits) one segment is charged, whatever its size: an equal
     * share per blob type. A thread waits for a segment while it holds the lock, and the open pack of every
     * other type may keep a segment meanwhile that only that lock lets go of; with at most a share each, what
     * the waiter needs is always freed by the uploader alone. (Charged by its array's size, an 8 MiB blob's
     * segment, or a 2 MiB one served by a recycled 8 MiB array, needed the whole budget, and waited forever
     * while the tree pack kept a segment: a backup of the benchmark data set hung at 68%.)
     */
    static final int MAX_SEGMENT_PERMITS = (SEGMENT_BYTES >> 10) / BlobType.values().length;

    private final Repository repo;
    private final Compression compression;
    private final int packSize;
    private final Set<BlobId> session = ConcurrentHashMap.newKeySet();
    /** The one open pack per blob type; guarded by itself. */
    private final Map<BlobType, OpenPack> open = new EnumMap<>(BlobType.class);
    private final ExecutorService uploader;
    /** Segments, recycled. */
    private final BufferPool arrays = new BufferPool(SEGMENT_BYTES);
    private final Semaphore segmentBudget = new Semaphore(SEGMENT_BYTES >> 10);
    /** Packs handed to the uploader and not yet committed or abandoned (their objects may be open). */
    private final Set<OpenPack> unfinished = ConcurrentHashMap.newKeySet();
    private final Map<String, List<PackEntry>> unindexed = new LinkedHashMap<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicLong blobsAdded = new AtomicLong();
    private final AtomicLong treeBlobsAdded = new AtomicLong();
    private final AtomicLong plainBytesAdded = new AtomicLong();
    private final AtomicLong storedBytesAdded = new AtomicLong();
    private final AtomicLong packsWritten = new AtomicLong();
    private final List<String> indexIds = new ArrayList<>();

    public BlobWriter(Repository repo, Compression compression) {
        this.repo = repo;
        this.compression = compression;
        this.packSize = repo.config().packSize();
        this.uploader = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "cairn-pack-uploader");
            t.setDaemon(true);
            return t;
        });
    }

    /** A part of a pack in memory: regions handed out to sealing threads, written once all are sealed. */
    private static final class Segment {
        final byte[] buffer;
        final int permits;
        int used;
        /** Regions handed out and not yet sealed; guarded by this. */
        private int unfilled;

        Segment(byte[] buffer, int permits) {
            this.buffer = buffer;
            this.permits = permits;
        }

        synchronized void reserved() {
            unfilled++;
        }

        synchronized void filled() {
            if (--unfilled == 0) {
                notifyAll();
            }
        }

        synchronized void awaitFilled() throws InterruptedException {
            while (unfilled > 0) {
                wait();
            }
        }
    }

    /** A pack being written. Fields other than {@code out} are guarded by the writer's {@code open} map. */
    private static final class OpenPack {
        final BlobType type;
        final String packId;
        final List<PackEntry> entries = new ArrayList<>();
        long size;
        Segment segment;
        /** The backend object; used only on the uploader thread. */
        ObjectWriter out;

        OpenPack(BlobType type, String packId) {
            this.type = type;
            this.packId = packId;
        }
    }

    /**
     * Stores a blob unless the repository or this session already has it.
     *
     * @return true if the blob was new and has been queued for storage
     */
    public boolean save(BlobType type, BlobId id, byte[] data, int off, int len) throws IOException {
        throwIfFailed();
        if (repo.index().has(id) || !session.add(id)) {
            return false;
        }
        byte[] encoded = encodeBuffer(len + 1);
        int encodedLength = BlobCodec.encodeInto(data, off, len,
                type == BlobType.TREE ? Compression.DEFAULT : compression, encoded);
        store(type, id, encoded, encodedLength, len);
        return true;
    }

    /** Places an encoded blob in its pack and seals it there. */
    private void store(BlobType type, BlobId id, byte[] encoded, int encodedLength, int len) throws IOException {
        int sealedLength = Seal.sealedLength(encodedLength);
        Segment segment;
        int at;
        synchronized (open) {
            OpenPack pack = open.get(type);
            if (pack != null && pack.size > 0 && pack.size + sealedLength > packSize) {
                open.remove(type);
                finishPack(pack);
                pack = null;
            }
            if (pack == null) {
                pack = new OpenPack(type, repo.newId());
                open.put(type, pack);
            }
            segment = pack.segment;
            if (segment == null || segment.buffer.length - segment.used < sealedLength) {
                if (segment != null) {
                    pack.segment = null;
                    writeSegment(pack, segment);
                }
                segment = newSegment(sealedLength);
                pack.segment = segment;
            }
            at = segment.used;
            segment.used += sealedLength;
            segment.reserved();
            pack.entries.add(new PackEntry(type, id, (int) pack.size, sealedLength, len));
            pack.size += sealedLength;
            if (pack.size >= packSize) {
                open.remove(type);
                finishPack(pack);
            } else if (segment.used == segment.buffer.length) {
                pack.segment = null;
                writeSegment(pack, segment);
            }
        }
        // sealed outside the lock, straight into the segment: threads encrypt in parallel
        try {
            repo.masterKey().sealInto(encoded, 0, encodedLength, PackFormat.blobAad(type, id), repo.random(),
                    segment.buffer, at);
        } catch (RuntimeException | Error e) {
            // the region holds garbage: no pack of this session may be written from now on
            failure.compareAndSet(null, e);
            throw e;
        } finally {
            segment.filled();
        }
        if (type == BlobType.TREE) {
            treeBlobsAdded.incrementAndGet();
        } else {
            blobsAdded.incrementAndGet();
        }
        plainBytesAdded.addAndGet(len);
        storedBytesAdded.addAndGet(sealedLength);
    }

    public boolean save(BlobType type, BlobId id, byte[] data) throws IOException {
        return save(type, id, data, 0, data.length);
    }

    /** Computes the blob id and saves; returns the id. */
    public BlobId saveAndId(BlobType type, byte[] data) throws IOException {
        BlobId id = BlobId.wrap(repo.masterKey().blobId(data, 0, data.length));
        save(type, id, data, 0, data.length);
        return id;
    }

    /**
     * This thread's buffer to compress into, grown to the largest blob it encoded up to
     * {@link #ENCODE_BUFFER_KEPT} (the largest chunk of a default repository: a stream's, 8 MiB); a larger
     * blob gets a temporary array. Kept per thread rather than pooled: blob sizes vary, and a pool that
     * misses hands the garbage collector a megabyte array per miss. (Kept up to 4 MiB only, a dump's chunks
     * of 4-8 MiB each got a new array: ~490 MB allocated in a server's backup of a 513 MB dump.)
     */
    static byte[] encodeBuffer(int size) {
        byte[] b = ENCODE_BUFFERS.get();
        if (b != null && b.length >= size) {
            return b;
        }
        b = new byte[Math.max(size, 64 << 10)];
        if (b.length <= ENCODE_BUFFER_KEPT) {
            ENCODE_BUFFERS.set(b);
        }
        return b;
    }

    private static final ThreadLocal<byte[]> ENCODE_BUFFERS = new ThreadLocal<>();
    private static final int ENCODE_BUFFER_KEPT = Repository.DEFAULT_STREAM_CHUNK_MAX + (64 << 10);

    /** A segment for at least {@code need} bytes; waits while {@link #SEGMENT_BYTES} are taken. */
    private Segment newSegment(int need) throws IOException {
        int size = Math.max(SEGMENT_SIZE, need);
        int permits = Math.min(size >> 10, MAX_SEGMENT_PERMITS);
        byte[] buffer = arrays.take(size);
        try {
            segmentBudget.acquire(permits);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            arrays.give(buffer);
            throw new IOException("interrupted while waiting to write a pack", e);
        }
        if (failure.get() != null) {
            arrays.give(buffer);
            segmentBudget.release(permits);
            throwIfFailed();
        }
        return new Segment(buffer, permits);
    }

    /** Queues {@code segment} (its regions may still be being sealed) to be appended to the pack's object. */
    private void writeSegment(OpenPack pack, Segment segment) {
        unfinished.add(pack);
        uploader.execute(() -> {
            try {
                segment.awaitFilled();
                if (failure.get() == null) {
                    if (pack.out == null) {
                        pack.out = repo.backend().newObjectWriter(FileHandle.of(FileType.PACK, pack.packId));
                    }
                    pack.out.write(segment.buffer, 0, segment.used);
                }
            } catch (io.cairn.engine.backend.BackendFullException e) {
                failure.compareAndSet(null, diskFull(pack, e));
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            } finally {
                arrays.give(segment.buffer);
                segmentBudget.release(segment.permits);
            }
        });
    }

    /** Queues the pack's last segment, its header and the commit of its object. */
    private void finishPack(OpenPack pack) {
        Segment last = pack.segment;
        pack.segment = null;
        if (last != null) {
            writeSegment(pack, last);
        }
        unfinished.add(pack);
        List<PackEntry> entries = List.copyOf(pack.entries);
        uploader.execute(() -> {
            try {
                if (failure.get() == null) {
                    commitPack(pack, entries);
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            } finally {
                abandon(pack);
            }
        });
    }

    private void commitPack(OpenPack pack, List<PackEntry> entries) throws IOException {
        byte[] header = PackFormat.encodeHeader(repo.masterKey(), pack.packId, entries, repo.random());
        if (pack.out == null) {
            pack.out = repo.backend().newObjectWriter(FileHandle.of(FileType.PACK, pack.packId));
        }
        try {
            pack.out.write(header, 0, header.length);
            pack.out.commit();
        } catch (io.cairn.engine.backend.BackendFullException e) {
            throw diskFull(pack, e);
        }
        pack.out = null;
        // not added to the repository's index yet: only once an index object lists the pack (writeIndex)
        packsWritten.incrementAndGet();
        Map<String, List<PackEntry>> toIndex = null;
        synchronized (unindexed) {
            unindexed.put(pack.packId, entries);
            if (unindexed.size() >= PACKS_PER_INDEX) {
                toIndex = new LinkedHashMap<>(unindexed);
                unindexed.clear();
            }
        }
        if (toIndex != null) {
            writeIndex(toIndex);
        }
    }

    private RepositoryException diskFull(OpenPack pack, IOException e) {
        return new RepositoryException("no space left at " + repo.backend().location() + " while writing "
                + FileHandle.of(FileType.PACK, pack.packId) + ". Nothing already committed was harmed; free some "
                + "space and run the command again", RepositoryException.EXIT_DISK_FULL, e);
    }

    /** Closes a pack's object if it was not committed (removing what was written) and forgets the pack. */
    private void abandon(OpenPack pack) {
        ObjectWriter out = pack.out;
        pack.out = null;
        if (out != null) {
            try {
                out.close();
            } catch (IOException | RuntimeException ignored) {
                // an abandoned temporary object; the backend's cleanup removes what is left
            }
        }
        unfinished.remove(pack);
    }

    /**
     * Saves an index object for {@code packs}, then adds them to the repository's in-memory index.
     * Only then: a blob of a pack that no index object lists must not be deduplicated against by a
     * later backup in the same process (it would commit a snapshot that a fresh process, which sees
     * only index objects, cannot restore; and prune deletes unindexed packs).
     */
    private void writeIndex(Map<String, List<PackEntry>> packs) throws IOException {
        String id = repo.saveIndex(new IndexFile(List.of(), packs));
        repo.index().addPacks(packs);
        synchronized (indexIds) {
            indexIds.add(id);
        }
    }

    /**
     * Writes every open pack and an index object for all packs of this session not yet indexed.
     * When it returns, every blob saved so far is durable and findable through the index.
     */
    public void flush() throws IOException {
        synchronized (open) {
            for (OpenPack pack : new ArrayList<>(open.values())) {
                open.remove(pack.type);
                if (!pack.entries.isEmpty()) {
                    finishPack(pack);
                }
            }
        }
        // the uploader runs its tasks in order: when this one runs, every earlier one has
        Future<?> drained = uploader.submit(() -> { });
        Repository.getUnwrapped(drained);
        throwIfFailed();
        Map<String, List<PackEntry>> rest;
        synchronized (unindexed) {
            rest = new LinkedHashMap<>(unindexed);
            unindexed.clear();
        }
        if (!rest.isEmpty()) {
            writeIndex(rest);
        }
    }

    private void throwIfFailed() throws IOException {
        Throwable t = failure.get();
        if (t != null) {
            throw Await.rethrow(t);
        }
    }

    public long dataBlobsAdded() {
        return blobsAdded.get();
    }

    public long treeBlobsAdded() {
        return treeBlobsAdded.get();
    }

    public long plainBytesAdded() {
        return plainBytesAdded.get();
    }

    public long storedBytesAdded() {
        return storedBytesAdded.get();
    }

    public long packsWritten() {
        return packsWritten.get();
    }

    public List<String> indexIds() {
        synchronized (indexIds) {
            return List.copyOf(indexIds);
        }
    }

    /**
     * Stops the uploader and abandons the packs not yet committed (their temporary objects are
     * removed). Does not flush: call {@link #flush} to commit data.
     */
    @Override
    public void close() {
        failure.compareAndSet(null, new IOException("the blob writer was closed"));
        uploader.shutdownNow();
        try {
            uploader.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (OpenPack pack : new ArrayList<>(unfinished)) {
            abandon(pack);
        }
    }
}
