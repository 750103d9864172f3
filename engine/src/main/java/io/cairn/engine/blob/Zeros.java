package io.cairn.engine.blob;

import java.util.Arrays;

/** Runs of zero bytes: sparse files, preallocated images and their holes, on backup and on restore. */
public final class Zeros {
    private static final byte[] ZEROS = new byte[64 << 10];

    private Zeros() {
    }

    /** Whether {@code data[off, off+len)} is all zeros (vectorized by the JDK's mismatch; stops at the first non-zero). */
    public static boolean isAllZero(byte[] data, int off, int len) {
        for (int i = off, end = off + len; i < end; i += ZEROS.length) {
            int n = Math.min(ZEROS.length, end - i);
            if (Arrays.mismatch(data, i, i + n, ZEROS, 0, n) >= 0) {
                return false;
            }
        }
        return true;
    }
}
