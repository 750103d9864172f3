package io.cairn.engine.blob;

import java.util.Locale;

/** How blobs are compressed: zstd at a level, or not at all. */
public enum Compression {
    OFF(0),
    FAST(1),
    DEFAULT(3),
    MAX(19);

    private final int zstdLevel;

    Compression(int zstdLevel) {
        this.zstdLevel = zstdLevel;
    }

    public int zstdLevel() {
        return zstdLevel;
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
