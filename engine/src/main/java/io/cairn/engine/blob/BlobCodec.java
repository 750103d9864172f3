package io.cairn.engine.blob;

import com.github.luben.zstd.Zstd;
import io.cairn.engine.crypto.CorruptObjectException;

/**
 * The plaintext encoding of a blob inside its seal: one byte naming the encoding, then the bytes.
 * <pre>
 *   0x00 || data              stored as is
 *   0x01 || zstd frame        zstd-compressed (frame records the content size)
 * </pre>
 * Data that zstd does not shrink by at least 1/32 is stored as is ("incompressible"), so random
 * data costs neither space nor decompression time.
 */
public final class BlobCodec {

    public static final byte RAW = 0;
    public static final byte ZSTD = 1;

    private BlobCodec() {
    }

    /** Encodes {@code data[off, off+len)} for sealing. */
    public static byte[] encode(byte[] data, int off, int len, Compression compression) {
        if (compression != Compression.OFF && len >= 64) {
            long bound = Zstd.compressBound(len);
            byte[] out = new byte[(int) bound + 1];
            long n = Zstd.compressByteArray(out, 1, (int) bound, data, off, len, compression.zstdLevel());
            if (Zstd.isError(n)) {
                throw new IllegalStateException("zstd compression failed: " + Zstd.getErrorName(n));
            }
            if (n < len - (len >>> 5)) {
                out[0] = ZSTD;
                return java.util.Arrays.copyOf(out, (int) n + 1);
            }
        }
        byte[] out = new byte[len + 1];
        out[0] = RAW;
        System.arraycopy(data, off, out, 1, len);
        return out;
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
                long n = Zstd.decompressByteArray(out, 0, expectedLength, encoded, 1, encoded.length - 1);
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
