package io.cairn.engine.dump;

import java.util.Locale;

/** Archive formats {@link SnapshotDumper} writes. */
public enum ArchiveFormat {
    /** POSIX (pax) tar, uncompressed. */
    TAR("tar"),
    /** Zip, deflated, Zip64 when needed. */
    ZIP("zip");

    private final String label;

    ArchiveFormat(String label) {
        this.label = label;
    }

    /** The name used on the command line, also the usual file extension. */
    public String label() {
        return label;
    }

    /** Parses "tar" or "zip" (any case). */
    public static ArchiveFormat parse(String s) {
        for (ArchiveFormat f : values()) {
            if (f.label.equals(s.toLowerCase(Locale.ROOT))) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown archive format '" + s + "'; use tar or zip");
    }
}
