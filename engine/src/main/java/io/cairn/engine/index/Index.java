package io.cairn.engine.index;

import io.cairn.engine.blob.BlobId;
import io.cairn.engine.blob.BlobType;
import io.cairn.engine.pack.PackEntry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The in-memory union of every index object: blob id → location. Thread-safe. A blob may be
 * stored in several packs (after an interrupted backup or a repack); any one location serves.
 */
public final class Index {

    private final Map<BlobId, BlobLocation> blobs = new ConcurrentHashMap<>();
    private final Set<String> indexIds = ConcurrentHashMap.newKeySet();

    public void addIndexFile(String indexId, IndexFile file) {
        indexIds.add(indexId);
        addPacks(file.packs());
    }

    public void addPacks(Map<String, List<PackEntry>> packs) {
        for (Map.Entry<String, List<PackEntry>> pack : packs.entrySet()) {
            addPack(pack.getKey(), pack.getValue());
        }
    }

    public void addPack(String packId, List<PackEntry> entries) {
        String interned = packId.intern();
        for (PackEntry e : entries) {
            blobs.putIfAbsent(e.id(), new BlobLocation(interned, e.type(), e.offset(), e.sealedLength(), e.plainLength()));
        }
    }

    public BlobLocation find(BlobId id) {
        return blobs.get(id);
    }

    public boolean has(BlobId id) {
        return blobs.containsKey(id);
    }

    public int size() {
        return blobs.size();
    }

    private volatile Set<String> indexFilesSeen = Set.of();

    /** Records every index file (superseded ones too) this index was built from. */
    public void indexFilesSeen(Set<String> ids) {
        this.indexFilesSeen = Set.copyOf(ids);
    }

    /** Every index file this index was built from, including superseded ones. */
    public Set<String> indexFilesSeen() {
        return indexFilesSeen;
    }

    public Set<String> indexIds() {
        return Set.copyOf(indexIds);
    }

    public Collection<Map.Entry<BlobId, BlobLocation>> entries() {
        return blobs.entrySet();
    }

    /** Every pack the index knows, with the blobs it attributes to each. */
    public Map<String, List<PackEntry>> byPack() {
        Map<String, List<PackEntry>> packs = new HashMap<>();
        for (Map.Entry<BlobId, BlobLocation> e : blobs.entrySet()) {
            BlobLocation l = e.getValue();
            packs.computeIfAbsent(l.packId(), k -> new ArrayList<>())
                    .add(new PackEntry(l.type(), e.getKey(), l.offset(), l.sealedLength(), l.plainLength()));
        }
        return packs;
    }

    /** Total plaintext bytes of blobs of a type. */
    public long plainBytes(BlobType type) {
        long sum = 0;
        for (BlobLocation l : blobs.values()) {
            if (l.type() == type) {
                sum += l.plainLength();
            }
        }
        return sum;
    }
}
