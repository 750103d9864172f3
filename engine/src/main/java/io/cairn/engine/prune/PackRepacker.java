package io.cairn.engine.prune;

import io.cairn.engine.backend.BackendFullException;
import io.cairn.engine.backend.FileHandle;
import io.cairn.engine.backend.FileType;
import io.cairn.engine.blob.BlobId;
import io.cairn.engine.blob.BlobType;
import io.cairn.engine.crypto.CorruptObjectException;
import io.cairn.engine.pack.PackBuilder;
import io.cairn.engine.pack.PackEntry;
import io.cairn.engine.pack.PackFormat;
import io.cairn.engine.progress.ProgressTracker;
import io.cairn.engine.repository.Repository;
import io.cairn.engine.repository.RepositoryException;
import java.io.IOException;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Copies still-used blobs out of packs that prune rewrites into new packs of the repository's target
 * size, data and tree blobs in separate packs (as backups write them).
 *
 * <p>Blobs are copied in their sealed form: the seal is bound to the blob's type and id (its aad),
 * not to the pack, so a sealed blob is valid in any pack. Each one is authenticated before it is
 * copied, so a damaged blob stops the repack (before anything is deleted) instead of spreading.
 * This path is used instead of {@link io.cairn.engine.repository.BlobWriter}, which would decrypt,
 * recompress and deduplicate against the repository index (where every copied blob already is).
 *
 * <p>Not thread-safe; one instance per prune.
 */
final class PackRepacker {

    private final Repository repo;
    private final int packSize;
    private final ProgressTracker tracker;
    private final Map<BlobType, PackBuilder> open = new EnumMap<>(BlobType.class);
    private final Map<String, List<PackEntry>> written = new LinkedHashMap<>();
    private final Set<BlobId> copied = new HashSet<>();
    private long bytesWritten;

    PackRepacker(Repository repo, ProgressTracker tracker) {
        this.repo = repo;
        this.packSize = repo.config().packSize();
        this.tracker = tracker;
    }

    /** Copies {@code blobs} (entries of pack {@code packId}) into new packs. */
    void copy(String packId, List<PackEntry> blobs) throws IOException {
        if (blobs.isEmpty()) {
            return;
        }
        FileHandle handle = FileHandle.of(FileType.PACK, packId);
        tracker.currentPath("repacking " + handle);
        byte[] pack = repo.backend().load(handle);
        for (PackEntry e : blobs) {
            if (!copied.add(e.id())) {
                continue;
            }
            long end = (long) e.offset() + e.sealedLength();
            if (e.offset() < 0 || e.sealedLength() <= 0 || end > pack.length) {
                throw new CorruptObjectException("the index places " + e.type().label() + " blob " + e.id().shortHex()
                        + " at bytes " + e.offset() + ".." + end + " of pack " + packId + ", which has only "
                        + pack.length + " bytes");
            }
            int length = e.sealedLength();
            // authenticate: throws CorruptObjectException if the bytes are not this blob's
            repo.masterKey().open(pack, e.offset(), length, PackFormat.blobAad(e.type(), e.id()),
                    e.type().label() + " blob " + e.id().shortHex() + " in pack " + packId.substring(0, 8));
            PackBuilder builder = open.get(e.type());
            if (builder != null && builder.size() > 0 && builder.size() + length > packSize) {
                write(builder);
                builder = null;
            }
            if (builder == null) {
                builder = new PackBuilder(repo.newId(), Math.max(length, packSize) + 64 * 1024);
                open.put(e.type(), builder);
            }
            builder.add(e.type(), e.id(), pack, e.offset(), length, e.plainLength());
            tracker.bytesDone.addAndGet(length);
            if (builder.size() >= packSize) {
                write(builder);
                open.remove(e.type());
            }
        }
    }

    /** Writes the packs still open; returns every pack written, with its blobs. */
    Map<String, List<PackEntry>> finish() throws IOException {
        for (BlobType type : BlobType.values()) {
            PackBuilder builder = open.remove(type);
            if (builder != null && builder.blobCount() > 0) {
                write(builder);
            }
        }
        return written;
    }

    /** Bytes of the pack files written so far. */
    long bytesWritten() {
        return bytesWritten;
    }

    private void write(PackBuilder builder) throws IOException {
        byte[] bytes = builder.finish(repo.masterKey(), repo.random());
        FileHandle handle = FileHandle.of(FileType.PACK, builder.packId());
        try {
            repo.backend().save(handle, bytes);
        } catch (BackendFullException e) {
            throw new RepositoryException("prune ran out of space at " + repo.backend().location() + " while writing "
                    + "the repacked pack " + handle + ". Nothing has been deleted yet and every snapshot is intact; free "
                    + "some space, or run prune with --max-unused 100, which only deletes whole unused packs and "
                    + "needs no extra space", RepositoryException.EXIT_DISK_FULL, e);
        }
        written.put(builder.packId(), builder.entries());
        bytesWritten += bytes.length;
    }
}
