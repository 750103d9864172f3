package io.cairn.engine.chunker;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Derives the 256-entry gear table from a repository's gear seed. Part of the repository format:
 *
 * <pre>
 *   gear[i] = first 8 bytes, read as a big-endian signed 64-bit integer, of SHA-256(seed || byte(i))
 * </pre>
 *
 * for {@code i = 0..255}, where {@code seed} is the 32-byte {@link ChunkerParams#gearSeed()} and
 * {@code byte(i)} is the single byte with value {@code i} (33 bytes of hash input in total).
 */
final class GearTable {

    /** Number of entries: one per byte value. */
    static final int SIZE = 256;

    private GearTable() {
    }

    /** Returns a fresh table for {@code seed}; the caller owns the array. */
    static long[] derive(byte[] seed) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform but is missing", e);
        }
        long[] table = new long[SIZE];
        for (int i = 0; i < SIZE; i++) {
            sha256.update(seed);
            sha256.update((byte) i);
            byte[] digest = sha256.digest();
            long value = 0;
            for (int k = 0; k < Long.BYTES; k++) {
                value = (value << 8) | (digest[k] & 0xffL);
            }
            table[i] = value;
        }
        return table;
    }
}
