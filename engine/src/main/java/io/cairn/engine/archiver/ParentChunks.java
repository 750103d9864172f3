package io.cairn.engine.archiver;

import io.cairn.engine.blob.BlobId;
import io.cairn.engine.index.BlobLocation;
import io.cairn.engine.index.Index;
import io.cairn.engine.tree.Node;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Where the parent snapshot's version of a changed file was cut, so that its reader can try the parent's chunks
 * before cutting: most of a large file that changed in place (a disk image, a database file) is as it was.
 *
 * <p>Why it is sound: the cut rule ({@link io.cairn.engine.chunker.Chunker}) decides where a chunk ends from the
 * chunk's own bytes alone, up to and including its last one. So if the bytes at the same offset now have the keyed
 * hash of the parent's chunk there (the same bytes, unless HMAC-SHA-256 collides), cutting them again would end the
 * chunk at the same place, and the chunk is in the repository already: the reader takes it without cutting, and no
 * worker hashes or stores it. A chunk that changed inside but still ends where it did keeps the hash computed for
 * the try. The parent's last chunk is never tried: it ended where the file did, not where the rule would cut.
 *
 * <p>What it saves: cutting (the chunker's scan, about 1 GB/s on the command line's C1 code) and a worker's hash, for
 * the price of one hash; a chunk that changed and moved its end costs one hash more than before. The reader hashes
 * the parent's chunks of a block at once, with the workers that are idle ({@link #runFrom}).
 */
final class ParentChunks {

    /** One chunk of the parent's version: its offset in the file, its length and its id. */
    record Chunk(long offset, int length, BlobId id) {
    }

    private final long[] offsets;
    private final Chunk[] chunks;

    private ParentChunks(Chunk[] chunks) {
        this.chunks = chunks;
        this.offsets = new long[chunks.length];
        for (int i = 0; i < chunks.length; i++) {
            offsets[i] = chunks[i].offset();
        }
    }

    /**
     * The parent's chunks of {@code parent} worth trying, or null when there are none: no parent version, a file of
     * one chunk, or its first chunk no longer indexed. Stops at the first chunk the index does not know (the
     * offsets after it are unknown), leaves out the last chunk, and any whose length the cut rule of this
     * repository's files cannot give ({@code minChunk + 1} to {@code maxChunk} bytes).
     */
    static ParentChunks of(Node parent, Index index, int minChunk, int maxChunk) {
        if (parent == null || !parent.isFile() || parent.content() == null || parent.size() <= minChunk) {
            return null;
        }
        List<String> ids = parent.content();
        List<Chunk> tried = new ArrayList<>();
        long offset = 0;
        for (int n = 0; n < ids.size() - 1; n++) { // the last chunk ended with the file
            BlobId id = BlobId.parse(ids.get(n));
            BlobLocation where = index.find(id);
            if (where == null) {
                break;
            }
            if (where.plainLength() > minChunk && where.plainLength() <= maxChunk) {
                tried.add(new Chunk(offset, where.plainLength(), id));
            }
            offset += where.plainLength();
        }
        return tried.isEmpty() ? null : new ParentChunks(tried.toArray(Chunk[]::new));
    }

    /** The parent's chunk that started at {@code offset} of the file, or null if none did. */
    Chunk startingAt(long offset) {
        int i = Arrays.binarySearch(offsets, offset);
        return i >= 0 ? chunks[i] : null;
    }

    /**
     * The parent's chunks that follow one another without a gap from the one that started at {@code offset}, as many
     * as end at or before {@code end}; empty if no chunk started at {@code offset} or it ends after {@code end}.
     */
    List<Chunk> runFrom(long offset, long end) {
        int i = Arrays.binarySearch(offsets, offset);
        if (i < 0) {
            return List.of();
        }
        List<Chunk> run = new ArrayList<>();
        long at = offset;
        for (; i < chunks.length && chunks[i].offset() == at && at + chunks[i].length() <= end; i++) {
            run.add(chunks[i]);
            at += chunks[i].length();
        }
        return run;
    }

    /** How many chunks may be tried. */
    int size() {
        return chunks.length;
    }
}
