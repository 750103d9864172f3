package io.cairn.engine.repository;

import io.cairn.engine.concurrent.Await;
import io.cairn.engine.backend.FileHandle;
import io.cairn.engine.backend.FileType;
import io.cairn.engine.blob.BlobCodec;
import io.cairn.engine.blob.BlobId;
import io.cairn.engine.blob.BlobType;
import io.cairn.engine.blob.Compression;
import io.cairn.engine.index.IndexFile;
import io.cairn.engine.pack.PackBuilder;
import io.cairn.engine.pack.PackEntry;
import io.cairn.engine.pack.PackFormat;
import io.cairn.engine.crypto.Seal;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Stores new blobs into packs for one writing session (a backup, a repack). Thread-safe: many
 * threads call {@link #save} at once; each compresses and seals into its own reusable buffer, and
 * only the copy into the one open pack per blob type is serialized. Full packs are written by a
 * separate uploader thread, so compression and encryption keep running while a pack is fsynced.
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

    private final Repository repo;
    private final Compression compression;
    private final int packSize;
    private final Set<BlobId> session = ConcurrentHashMap.newKeySet();
    /** The one open pack per blob type; guarded by itself. */
    private final Map<BlobType, PackBuilder> open = new EnumMap<>(BlobType.class);
    private static final ThreadLocal<byte[]> SEALED = ThreadLocal.withInitial(() -> new byte[1 << 20]);
    private final ExecutorService uploader;
    private final BlockingQueue<Object> uploadSlots;
    private final List<Future<?>> uploads = new ArrayList<>();
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
        // at most one full pack waiting for the disk besides the one being written: bounds memory.
        this.uploadSlots = new ArrayBlockingQueue<>(1);
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
        int[] encodedLength = new int[1];
        byte[] encoded = BlobCodec.encodeToScratch(data, off, len,
                type == BlobType.TREE ? Compression.DEFAULT : compression, encodedLength);
        byte[] sealed = SEALED.get();
        int sealedLength = Seal.sealedLength(encodedLength[0]);
        if (sealed.length < sealedLength) {
            sealed = new byte[Math.max(sealedLength, sealed.length * 2)];
            SEALED.set(sealed);
        }
        repo.masterKey().sealInto(encoded, 0, encodedLength[0], PackFormat.blobAad(type, id), repo.random(), sealed, 0);
        PackBuilder full = null;
        synchronized (open) {
            PackBuilder builder = open.get(type);
            if (builder != null && builder.size() > 0 && builder.size() + sealedLength > packSize) {
                full = builder;
                builder = null;
            }
            if (builder == null) {
                // tree packs stay small (and grow if needed); data packs get their full size at once
                builder = new PackBuilder(repo.newId(), type == BlobType.TREE ? 1 << 20 : packSize + 64 * 1024);
                open.put(type, builder);
            }
            builder.add(type, id, sealed, 0, sealedLength, len);
            if (builder.size() >= packSize && full == null) {
                full = builder;
                open.remove(type);
            }
        }
        if (type == BlobType.TREE) {
            treeBlobsAdded.incrementAndGet();
        } else {
            blobsAdded.incrementAndGet();
        }
        plainBytesAdded.addAndGet(len);
        storedBytesAdded.addAndGet(sealedLength);
        if (full != null) {
            submitUpload(full);
        }
        return true;
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

    private void submitUpload(PackBuilder builder) throws IOException {
        try {
            uploadSlots.put(builder);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting to write a pack", e);
        }
        Future<?> f = uploader.submit(() -> {
            try {
                if (failure.get() == null) {
                    writePack(builder);
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            } finally {
                uploadSlots.poll();
            }
        });
        synchronized (uploads) {
            uploads.add(f);
        }
    }

    private void writePack(PackBuilder builder) throws IOException {
        int length = builder.seal(repo.masterKey(), repo.random());
        try {
            Repository.saveTranslatingFull(repo.backend(), FileHandle.of(FileType.PACK, builder.packId()),
                    builder.buffer(), length);
        } finally {
            builder.release();
        }
        List<PackEntry> entries = builder.entries();
        // not added to the repository's index yet: only once an index object lists the pack (writeIndex)
        packsWritten.incrementAndGet();
        Map<String, List<PackEntry>> toIndex = null;
        synchronized (unindexed) {
            unindexed.put(builder.packId(), entries);
            if (unindexed.size() >= PACKS_PER_INDEX) {
                toIndex = new LinkedHashMap<>(unindexed);
                unindexed.clear();
            }
        }
        if (toIndex != null) {
            writeIndex(toIndex);
        }
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
        List<PackBuilder> openPacks;
        synchronized (open) {
            openPacks = new ArrayList<>(open.values());
            open.clear();
        }
        for (PackBuilder b : openPacks) {
            if (b.blobCount() > 0) {
                submitUpload(b);
            }
        }
        List<Future<?>> pending;
        synchronized (uploads) {
            pending = new ArrayList<>(uploads);
            uploads.clear();
        }
        for (Future<?> f : pending) {
            Repository.getUnwrapped(f);
        }
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

    /** Stops the uploader. Does not flush: call {@link #flush} to commit data. */
    @Override
    public void close() {
        uploader.shutdownNow();
    }
}
