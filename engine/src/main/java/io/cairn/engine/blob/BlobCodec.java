package io.cairn.engine.blob;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import io.cairn.engine.crypto.CorruptObjectException;

/**
 * The plaintext encoding of a blob inside its seal: one byte naming the encoding, then the bytes.
 * <pre>
 *   0x00 || data              stored as is
 *   0x01 || zstd frame        zstd-compressed (frame records the content size)
 * </pre>
 * Data that zstd does not shrink by at least 1/32 is stored as is ("incompressible"), so random
 * data costs neither space nor decompression time. For blobs over 128 KiB three 16 KiB samples
 * (start, middle, end) are tried first at zstd's fastest level; if none of them shrinks, the
 * blob is stored as is without compressing it whole (encrypted or already compressed data would
 * otherwise cost as much CPU as all the rest of a backup).
 */
public final class BlobCodec {

    public static final byte RAW = 0;
    public static final byte ZSTD = 1;
    private static final int SAMPLE = 16 << 10;
    private static final int SAMPLE_FROM = 128 << 10;

    /** Reused decompression contexts: creating one per blob cost more than decompressing small trees. */
    private static final java.util.concurrent.ConcurrentLinkedQueue<ZstdDecompressCtx> DECOMPRESS_CONTEXTS =
            new java.util.concurrent.ConcurrentLinkedQueue<>();

    /** Reused compression contexts (native memory): at most one per thread compressing at once. */
    private static final java.util.concurrent.ConcurrentLinkedQueue<ZstdCompressCtx> CONTEXTS =
            new java.util.concurrent.ConcurrentLinkedQueue<>();

    private BlobCodec() {
    }

    /**
     * Encodes {@code data[off, off+len)} for sealing into {@code out}, which must hold {@code len + 1}
     * bytes, and returns the encoded length. Lets writers use pooled buffers instead of allocating.
     */
    public static int encodeInto(byte[] data, int off, int len, Compression compression, byte[] out) {
        if (out.length < len + 1) {
            throw new IllegalArgumentException("output buffer has " + out.length + " bytes, needs " + (len + 1));
        }
        if (compression != Compression.OFF && len >= 64) {
            ZstdCompressCtx ctx = CONTEXTS.poll();
            if (ctx == null) {
                ctx = new ZstdCompressCtx();
            }
            int n = Integer.MAX_VALUE;
            try {
                if (len < SAMPLE_FROM || looksCompressible(ctx, data, off, len)) {
                    configure(ctx, compression, len);
                    // zstd output that does not fit in len - len/32 bytes is not worth keeping
                    n = ctx.compressByteArray(out, 1, len - (len >>> 5), data, off, len);
                }
            } catch (com.github.luben.zstd.ZstdException tooLarge) {
                n = Integer.MAX_VALUE; // did not fit in len - len/32 bytes: store as is
            } finally {
                CONTEXTS.add(ctx);
            }
            if (n < len - (len >>> 5)) {
                out[0] = ZSTD;
                return n + 1;
            }
        }
        out[0] = RAW;
        System.arraycopy(data, off, out, 1, len);
        return len + 1;
    }

    /** Encodes {@code data[off, off+len)} for sealing. */
    public static byte[] encode(byte[] data, int off, int len, Compression compression) {
        if (compression != Compression.OFF && len >= 64) {
            ZstdCompressCtx ctx = CONTEXTS.poll();
            if (ctx == null) {
                ctx = new ZstdCompressCtx();
            }
            byte[] out = null;
            int n = Integer.MAX_VALUE;
            try {
                if (len < SAMPLE_FROM || looksCompressible(ctx, data, off, len)) {
                    configure(ctx, compression, len);
                    long bound = Zstd.compressBound(len);
                    out = new byte[(int) bound + 1];
                    n = ctx.compressByteArray(out, 1, (int) bound, data, off, len);
                }
            } finally {
                CONTEXTS.add(ctx);
            }
            if (out != null && n < len - (len >>> 5)) {
                out[0] = ZSTD;
                return java.util.Arrays.copyOf(out, (int) n + 1);
            }
        }
        byte[] out = new byte[len + 1];
        out[0] = RAW;
        System.arraycopy(data, off, out, 1, len);
        return out;
    }

    /** Sets a pooled context up for a blob of {@code len} bytes (it keeps what the last blob set). */
    private static void configure(ZstdCompressCtx ctx, Compression compression, int len) {
        ctx.setLevel(compression.zstdLevel());
        ctx.setMinMatch(compression.minMatchFor(len));
    }

    private static final ThreadLocal<byte[]> SAMPLE_OUT = ThreadLocal.withInitial(() -> new byte[(int) Zstd.compressBound(SAMPLE)]);

    /** Whether any of three 16 KiB samples shrinks by at least 1/32 at zstd level 1. */
    static boolean looksCompressible(ZstdCompressCtx ctx, byte[] data, int off, int len) {
        ctx.setLevel(1);
        ctx.setMinMatch(0); // level 1's own (a pooled context keeps what the last blob set)
        byte[] out = SAMPLE_OUT.get();
        int[] starts = {off, off + len / 2 - SAMPLE / 2, off + len - SAMPLE};
        for (int start : starts) {
            int n = ctx.compressByteArray(out, 0, out.length, data, start, SAMPLE);
            if (n < SAMPLE - (SAMPLE >>> 5)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Decodes {@code encoded[off, off+len)} without copying stored bytes: returns the offset in
     * {@code encoded} where the plaintext starts (stored as is), or -1 after decompressing it into
     * {@code out[0, expectedLength)} (which must hold that many bytes). Fails as {@link #decode} does.
     */
    public static int decodeInPlaceOrInto(byte[] encoded, int off, int len, int expectedLength, byte[] out, String what) {
        if (len < 1) {
            throw new CorruptObjectException(what + " is empty");
        }
        switch (encoded[off]) {
            case RAW -> {
                if (len - 1 != expectedLength) {
                    throw new CorruptObjectException(what + " has " + (len - 1) + " bytes, index says " + expectedLength);
                }
                return off + 1;
            }
            case ZSTD -> {
                decompress(encoded, off + 1, len - 1, expectedLength, out, what);
                return -1;
            }
            default -> throw new CorruptObjectException(what + " has unknown encoding " + encoded[off]);
        }
    }

    private static void decompress(byte[] in, int off, int len, int expectedLength, byte[] out, String what) {
        long n;
        try {
            ZstdDecompressCtx ctx = DECOMPRESS_CONTEXTS.poll();
            if (ctx == null) {
                ctx = new ZstdDecompressCtx();
            }
            try {
                n = ctx.decompressByteArray(out, 0, expectedLength, in, off, len);
            } finally {
                DECOMPRESS_CONTEXTS.add(ctx);
            }
        } catch (com.github.luben.zstd.ZstdException e) {
            // zstd-jni reports errors (wrong size, damaged frame) by throwing, not only by code
            throw new CorruptObjectException(what + " does not decompress to " + expectedLength + " bytes: "
                    + e.getMessage(), e);
        }
        if (Zstd.isError(n) || n != expectedLength) {
            throw new CorruptObjectException(what + " does not decompress to " + expectedLength + " bytes"
                    + (Zstd.isError(n) ? ": " + Zstd.getErrorName(n) : ""));
        }
    }

    /** Decodes an encoded blob; {@code expectedLength} is the plaintext length from the index. */
    public static byte[] decode(byte[] encoded, int expectedLength, String what) {
        if (encoded.length < 1) {
            throw new CorruptObjectException(what + " is empty");
        }
        switch (encoded[0]) {
            case RAW -> {
                if (encoded.length - 1 != expectedLength) {
                    throw new CorruptObjectException(what + " has " + (encoded.length - 1) + " bytes, index says " + expectedLength);
                }
                return java.util.Arrays.copyOfRange(encoded, 1, encoded.length);
            }
            case ZSTD -> {
                byte[] out = new byte[expectedLength];
                long n;
                try {
                    ZstdDecompressCtx ctx = DECOMPRESS_CONTEXTS.poll();
                    if (ctx == null) {
                        ctx = new ZstdDecompressCtx();
                    }
                    try {
                        n = ctx.decompressByteArray(out, 0, expectedLength, encoded, 1, encoded.length - 1);
                    } finally {
                        DECOMPRESS_CONTEXTS.add(ctx);
                    }
                } catch (com.github.luben.zstd.ZstdException e) {
                    // zstd-jni reports errors (wrong size, damaged frame) by throwing, not only by code
                    throw new CorruptObjectException(what + " does not decompress to " + expectedLength + " bytes: "
                            + e.getMessage(), e);
                }
                if (Zstd.isError(n) || n != expectedLength) {
                    throw new CorruptObjectException(what + " does not decompress to " + expectedLength + " bytes"
                            + (Zstd.isError(n) ? ": " + Zstd.getErrorName(n) : ""));
                }
                return out;
            }
            default -> throw new CorruptObjectException(what + " has unknown encoding " + encoded[0]);
        }
    }
}
