package io.cairn.engine.blob;

import java.util.Locale;

/**
 * How blobs are compressed: zstd at a level, or not at all. Only the writer's choice: every level writes a
 * standard zstd frame that any reader decompresses alike.
 */
public enum Compression {
    OFF(0, 0),
    FAST(1, 0),
    /**
     * zstd level 3, with a minimum match of 6 bytes instead of level 3's 5 for blobs above 256 KiB (zstd's own class
     * of large inputs): measured on 4 MiB chunks of a pgbench dump 6% smaller, on 1 MiB pieces of the benchmark's
     * text 0.2% smaller and 5% faster, on a MariaDB dump +0.1%; small files keep level 3's own parameters
     * (a 6-byte minimum made them 1.7% larger). docs/adr/0014, "Compression of large chunks".
     */
    DEFAULT(3, 6),
    MAX(19, 0);

    /** Blobs above this many bytes get the large-blob minimum match ({@link #minMatchFor}). */
    public static final int LARGE_BLOB = 256 << 10;

    private final int zstdLevel;
    private final int largeBlobMinMatch;

    Compression(int zstdLevel, int largeBlobMinMatch) {
        this.zstdLevel = zstdLevel;
        this.largeBlobMinMatch = largeBlobMinMatch;
    }

    public int zstdLevel() {
        return zstdLevel;
    }

    /** zstd's minimum match length for a blob of {@code length} bytes; 0 means the level's own. */
    public int minMatchFor(int length) {
        return length > LARGE_BLOB ? largeBlobMinMatch : 0;
    }

    public static Compression parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown compression '" + s + "': use off, fast, default or max");
        }
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
