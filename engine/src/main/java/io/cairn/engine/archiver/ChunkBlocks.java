package io.cairn.engine.archiver;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The few large arrays ("blocks") that files larger than one chunk are read into. The reader cuts
 * chunks inside a block and hands each to a worker as a range of the block, without copying it; a
 * block is reused once the reader has moved on and every chunk cut from it is stored. Only the
 * unfinished chunk at the end of a full block is copied to the start of the next one. The blocks
 * bound the memory of large files in flight, and allocating nothing per chunk keeps the garbage
 * collector out of the way. Thread-safe.
 */
final class ChunkBlocks {

    /** One block: its bytes and the number of holders (the reader, and each chunk not yet stored). */
    static final class Block {
        final byte[] bytes;
        private final AtomicInteger holders = new AtomicInteger();

        Block(byte[] bytes) {
            this.bytes = bytes;
        }
    }

    private final BlockingQueue<Block> free = new LinkedBlockingQueue<>();
    private final int count;
    private final int size;
    private int made;

    ChunkBlocks(int count, int size) {
        this.count = count;
        this.size = size;
    }

    /** A free block, held once by the caller; waits until one is free. Blocks are allocated lazily. */
    Block take() throws InterruptedException {
        Block b = free.poll();
        if (b == null) {
            synchronized (this) {
                if (made < count) {
                    made++;
                    b = new Block(new byte[size]);
                }
            }
            if (b == null) {
                b = free.take();
            }
        }
        b.holders.set(1);
        return b;
    }

    /** Adds a holder (a chunk cut from the block). */
    static void hold(Block b) {
        b.holders.incrementAndGet();
    }

    /** Drops a holder; the last one returns the block. */
    void release(Block b) {
        if (b.holders.decrementAndGet() == 0) {
            free.add(b);
        }
    }
}
