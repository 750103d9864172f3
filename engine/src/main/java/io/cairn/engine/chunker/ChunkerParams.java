package io.cairn.engine.chunker;

import java.util.Arrays;

/**
 * The parameters that fix where a {@link Chunker} cuts. They are part of the repository format:
 * a repository stores them in its encrypted config, and every backup into it must use the same
 * values, or identical data would be cut differently and stop deduplicating.
 *
 * <ul>
 *   <li>{@code minSize}: no chunk is shorter, except the last chunk of a stream. The rolling hash
 *       does not look at the first {@code minSize} bytes of a chunk at all.</li>
 *   <li>{@code avgSize}: the target size, a power of two {@code 2^avgBits}. Before this size the
 *       cut test uses {@code avgBits + normalization} mask bits (harder to match), after it
 *       {@code avgBits - normalization} bits (easier to match), which pulls chunk sizes towards
 *       {@code avgSize}.</li>
 *   <li>{@code maxSize}: no chunk is longer; a chunk that finds no boundary is cut here.</li>
 *   <li>{@code normalization}: the normalization level, see {@code avgSize}. 0 disables it.</li>
 *   <li>{@code gearSeed}: 32 secret bytes per repository from which the gear table is derived
 *       ({@link Chunker} documents the derivation). Keeping it secret means chunk boundaries, and
 *       so chunk sizes, do not reveal which known content a repository holds.</li>
 * </ul>
 *
 * <p>Constraints, checked on construction with an {@link IllegalArgumentException} that names the
 * offending value: {@code 0 < minSize < avgSize < maxSize <= MAX_CHUNK_SIZE}, {@code avgSize} a power
 * of two, {@code normalization >= 0}, {@code avgBits - normalization >= 1},
 * {@code avgBits + normalization <= MAX_MASK_BITS}, and {@code gearSeed} exactly 32 bytes.
 *
 * <p>The seed array is copied in and out, so an instance is immutable. {@link #toString()} does not
 * print the seed. {@link #equals(Object)} compares the seed by content.
 */
public record ChunkerParams(int minSize, int avgSize, int maxSize, int normalization, byte[] gearSeed) {

    /** Length of {@link #gearSeed()} in bytes. */
    public static final int GEAR_SEED_LENGTH = 32;

    /** Largest allowed {@code maxSize} (256 MiB); the streaming buffer holds two maximal chunks. */
    public static final int MAX_CHUNK_SIZE = 256 * 1024 * 1024;

    /** Most bits a cut mask may have; masks are spread over the upper 48 bits of the hash. */
    public static final int MAX_MASK_BITS = 48;

    /** Default minimum chunk size: 512 KiB. */
    public static final int DEFAULT_MIN_SIZE = 512 * 1024;

    /** Default average chunk size: 1 MiB. */
    public static final int DEFAULT_AVG_SIZE = 1024 * 1024;

    /** Default maximum chunk size: 8 MiB. */
    public static final int DEFAULT_MAX_SIZE = 8 * 1024 * 1024;

    /** Default normalization level: 2. */
    public static final int DEFAULT_NORMALIZATION = 2;

    /** Validates the values and copies the seed. */
    public ChunkerParams {
        if (minSize <= 0) {
            throw new IllegalArgumentException("minSize must be positive, was " + minSize);
        }
        if (avgSize <= 0 || Integer.bitCount(avgSize) != 1) {
            throw new IllegalArgumentException("avgSize must be a power of two, was " + avgSize);
        }
        if (minSize >= avgSize) {
            throw new IllegalArgumentException(
                    "minSize (" + minSize + ") must be less than avgSize (" + avgSize + ")");
        }
        if (avgSize >= maxSize) {
            throw new IllegalArgumentException(
                    "avgSize (" + avgSize + ") must be less than maxSize (" + maxSize + ")");
        }
        if (maxSize > MAX_CHUNK_SIZE) {
            throw new IllegalArgumentException(
                    "maxSize must be at most " + MAX_CHUNK_SIZE + " (256 MiB), was " + maxSize);
        }
        int avgBits = Integer.numberOfTrailingZeros(avgSize);
        if (normalization < 0) {
            throw new IllegalArgumentException("normalization must not be negative, was " + normalization);
        }
        if (avgBits - normalization < 1 || avgBits + normalization > MAX_MASK_BITS) {
            throw new IllegalArgumentException("normalization " + normalization + " is too large for avgSize "
                    + avgSize + " (2^" + avgBits + "): the masks need 1 to " + MAX_MASK_BITS
                    + " bits, but would have " + (avgBits - normalization) + " and "
                    + (avgBits + normalization));
        }
        if (gearSeed == null) {
            throw new IllegalArgumentException("gearSeed must be " + GEAR_SEED_LENGTH + " bytes, was null");
        }
        if (gearSeed.length != GEAR_SEED_LENGTH) {
            throw new IllegalArgumentException(
                    "gearSeed must be " + GEAR_SEED_LENGTH + " bytes, was " + gearSeed.length + " bytes");
        }
        gearSeed = gearSeed.clone();
    }

    /**
     * The repository defaults: min 512 KiB, avg 1 MiB, max 8 MiB, normalization level 2.
     *
     * @param gearSeed the repository's 32-byte gear seed
     */
    public static ChunkerParams defaults(byte[] gearSeed) {
        return new ChunkerParams(DEFAULT_MIN_SIZE, DEFAULT_AVG_SIZE, DEFAULT_MAX_SIZE, DEFAULT_NORMALIZATION,
                gearSeed);
    }

    /** {@code log2(avgSize)}. */
    public int avgBits() {
        return Integer.numberOfTrailingZeros(avgSize);
    }

    /** A copy of the 32-byte gear seed. */
    @Override
    public byte[] gearSeed() {
        return gearSeed.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChunkerParams p
                && minSize == p.minSize
                && avgSize == p.avgSize
                && maxSize == p.maxSize
                && normalization == p.normalization
                && Arrays.equals(gearSeed, p.gearSeed);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * (31 * minSize + avgSize) + maxSize) + normalization) + Arrays.hashCode(gearSeed);
    }

    /** Shows the sizes; the seed is a repository secret and is not printed. */
    @Override
    public String toString() {
        return "ChunkerParams[minSize=" + minSize + ", avgSize=" + avgSize + ", maxSize=" + maxSize
                + ", normalization=" + normalization + ", gearSeed=(32 bytes, not shown)]";
    }
}
