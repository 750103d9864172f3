package io.cairn.engine.chunker;

import java.io.InputStream;
import java.util.Objects;

/**
 * Content-defined chunker (FastCDC-style gear hash with normalized chunking). Where it cuts depends
 * only on the bytes and the {@link ChunkerParams}, so unchanged data between edits is cut into the
 * same chunks and deduplicates.
 *
 * <h2>Algorithm (part of the repository format)</h2>
 * <ol>
 *   <li><b>Gear table.</b> 256 signed 64-bit values derived from the gear seed:
 *       {@code gear[i]} = the first 8 bytes, big-endian, of {@code SHA-256(seed || byte(i))}.</li>
 *   <li><b>Masks.</b> {@code mask(n)} has {@code n} one-bits spread over the upper 48 bits of a
 *       64-bit word: bit {@code 63 - floor(j * 48 / n)} for {@code j = 0..n-1}. With
 *       {@code avgBits = log2(avgSize)} and normalization level {@code L}:
 *       {@code maskS = mask(avgBits + L)} (strict, used before {@code avgSize}) and
 *       {@code maskL = mask(avgBits - L)} (loose, used from {@code avgSize} on). For the defaults
 *       (avg 1 MiB, L = 2): {@code maskS = mask(22) = 0xaaa5_54aa_a554_0000L},
 *       {@code maskL = mask(18) = 0xa4a4_a4a4_a4a4_0000L}; {@link #strictMask()} and
 *       {@link #looseMask()} return them.</li>
 *   <li><b>Cut rule.</b> Given the {@code len} bytes {@code d[0..len)} that start a chunk:
 *       if {@code len <= minSize} the chunk is all of them. Otherwise let
 *       {@code end = min(len, maxSize)}, {@code normal = min(end, avgSize)} and {@code h = 0}; for
 *       {@code i = minSize, minSize+1, .., end-1}: {@code h = (h << 1) + gear[d[i] & 0xff]}
 *       (wrapping 64-bit arithmetic), and if {@code (h & (i < normal ? maskS : maskL)) == 0} the
 *       chunk is {@code d[0..i]}, length {@code i + 1}. If no position matches, the chunk has
 *       length {@code end}. The hash restarts at zero for every chunk and never sees the chunk's
 *       first {@code minSize} bytes.</li>
 * </ol>
 * So every chunk except a stream's last is between {@code minSize + 1} and {@code maxSize} bytes
 * long; the last chunk is between 1 and {@code maxSize} bytes.
 *
 * <p>Instances are immutable and safe to share between threads; each {@link ChunkStream} belongs to
 * one thread.
 */
public final class Chunker {

    private final ChunkerParams params;
    private final long[] gear;
    private final long maskS;
    private final long maskL;
    private final int minSize;
    private final int avgSize;
    private final int maxSize;

    /** Builds a chunker; derives the gear table from the seed (256 SHA-256 computations). */
    public Chunker(ChunkerParams params) {
        this.params = Objects.requireNonNull(params, "params");
        this.gear = GearTable.derive(params.gearSeed());
        this.maskS = mask(params.avgBits() + params.normalization());
        this.maskL = mask(params.avgBits() - params.normalization());
        this.minSize = params.minSize();
        this.avgSize = params.avgSize();
        this.maxSize = params.maxSize();
    }

    /** The parameters this chunker cuts with. */
    public ChunkerParams params() {
        return params;
    }

    /** The strict mask {@code mask(avgBits + normalization)}, used before {@code avgSize}. */
    public long strictMask() {
        return maskS;
    }

    /** The loose mask {@code mask(avgBits - normalization)}, used from {@code avgSize} on. */
    public long looseMask() {
        return maskL;
    }

    /**
     * The mask with {@code bits} one-bits at positions {@code 63 - floor(j * 48 / bits)},
     * {@code j = 0..bits-1}.
     *
     * @param bits 1 to {@link ChunkerParams#MAX_MASK_BITS}
     */
    static long mask(int bits) {
        if (bits < 1 || bits > ChunkerParams.MAX_MASK_BITS) {
            throw new IllegalArgumentException(
                    "mask bits must be 1 to " + ChunkerParams.MAX_MASK_BITS + ", was " + bits);
        }
        long mask = 0;
        for (int j = 0; j < bits; j++) {
            mask |= 1L << (63 - (j * ChunkerParams.MAX_MASK_BITS) / bits);
        }
        return mask;
    }

    /**
     * Returns the length of the chunk that starts at {@code buf[off]}, by the cut rule above.
     *
     * <p>The answer is final only if {@code len >= maxSize} or the {@code len} bytes are all that is
     * left of the input: a caller that has more input must supply at least {@code maxSize} bytes.
     *
     * @param buf holds the input
     * @param off where the chunk starts
     * @param len bytes available from {@code off}; must be positive
     * @return the chunk length, from 1 to {@code min(len, maxSize)}
     */
    public int cut(byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (len <= 0) {
            throw new IllegalArgumentException("len must be positive, was " + len);
        }
        if (len <= minSize) {
            return len;
        }
        int end = off + Math.min(len, maxSize);
        int normal = off + Math.min(len, avgSize);
        int hashStart = off + minSize;
        int found = scan(gear, buf, hashStart, normal, 0, maskS);
        if (found >= 0) {
            return found - off;
        }
        if (normal >= end) {
            return end - off;
        }
        // The strict scan ran up to `normal` without a match. Continue with the loose mask from
        // the hash at `normal`: each step shifts h left by one, so after 64 steps a byte no longer
        // affects h, and hashing just the last (up to) 64 bytes before `normal` reproduces it.
        long h = 0;
        for (int i = Math.max(hashStart, normal - Long.SIZE); i < normal; i++) {
            h = (h << 1) + gear[buf[i] & 0xff];
        }
        found = scan(gear, buf, normal, end, h, maskL);
        return (found >= 0 ? found : end) - off;
    }

    /**
     * The hot loop: rolls the gear hash {@code h} over {@code buf[from..to)} and returns the index
     * just after the first byte at which {@code (h & mask) == 0}, or -1 if there is none. Unrolled
     * by four by hand, which measured about 10% faster than the plain loop on JDK 17.
     */
    private static int scan(long[] g, byte[] buf, int from, int to, long h, long mask) {
        int i = from;
        for (int stop4 = to - 3; i < stop4; i += 4) {
            h = (h << 1) + g[buf[i] & 0xff];
            if ((h & mask) == 0) {
                return i + 1;
            }
            h = (h << 1) + g[buf[i + 1] & 0xff];
            if ((h & mask) == 0) {
                return i + 2;
            }
            h = (h << 1) + g[buf[i + 2] & 0xff];
            if ((h & mask) == 0) {
                return i + 3;
            }
            h = (h << 1) + g[buf[i + 3] & 0xff];
            if ((h & mask) == 0) {
                return i + 4;
            }
        }
        for (; i < to; i++) {
            h = (h << 1) + g[buf[i] & 0xff];
            if ((h & mask) == 0) {
                return i + 1;
            }
        }
        return -1;
    }

    /**
     * Starts cutting {@code in} into chunks. The stream reads {@code in} in large blocks and does
     * not close it.
     */
    public ChunkStream open(InputStream in) {
        return new ChunkStream(this, Objects.requireNonNull(in, "in"), null);
    }

    /**
     * Like {@link #open(InputStream)}, but cuts inside {@code buffer}, which must hold
     * {@link #bufferSize()} bytes, instead of allocating one. For a caller reading many files one
     * after the other; the buffer must not be shared by two streams at once.
     */
    public ChunkStream open(InputStream in, byte[] buffer) {
        if (buffer.length != bufferSize()) {
            throw new IllegalArgumentException("buffer must have " + bufferSize() + " bytes, has " + buffer.length);
        }
        return new ChunkStream(this, Objects.requireNonNull(in, "in"), buffer);
    }

    /** The size of the buffer a stream uses at most: twice the maximum chunk size. */
    public int bufferSize() {
        return 2 * params.maxSize();
    }
}
