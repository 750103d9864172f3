package io.cairn.engine.blob;

import java.util.Arrays;
import java.util.HexFormat;

/** The keyed hash (HMAC-SHA256 under the repository's id key) of a blob's plaintext: 32 bytes. */
public final class BlobId implements Comparable<BlobId> {

    public static final int LENGTH = 32;
    private static final HexFormat HEX = HexFormat.of();

    private final byte[] bytes;
    private final int hash;

    private BlobId(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    public static BlobId of(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("a blob id has 32 bytes, got " + bytes.length);
        }
        return new BlobId(bytes.clone());
    }

    /** Wraps without copying; the caller hands over ownership of {@code bytes}. */
    public static BlobId wrap(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("a blob id has 32 bytes, got " + bytes.length);
        }
        return new BlobId(bytes);
    }

    public static BlobId parse(String hex) {
        if (hex == null || hex.length() != 2 * LENGTH) {
            throw new IllegalArgumentException("not a blob id (want 64 hex digits): " + hex);
        }
        return new BlobId(HEX.parseHex(hex));
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    public String hex() {
        return HEX.formatHex(bytes);
    }

    public String shortHex() {
        return hex().substring(0, 8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BlobId other && hash == other.hash && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public int compareTo(BlobId o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public String toString() {
        return hex();
    }
}
