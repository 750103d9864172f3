package io.cairn.engine.browse;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What {@link SnapshotStats} counts. */
public enum StatsMode {
    /**
     * What a restore of each snapshot would write, summed over the snapshots: files, directories,
     * symlinks, and the total size of files (a hard-linked file counts its size once per snapshot).
     */
    RESTORE_SIZE("restore-size"),
    /**
     * What the snapshots occupy in the repository: the unique blobs (data and tree) they reference, their
     * plaintext and stored (compressed and sealed) sizes, and the repository's total pack bytes.
     */
    RAW_DATA("raw-data"),
    /** Files counted once per distinct content (equal blob lists) across the snapshots, and their size. */
    FILES_BY_CONTENTS("files-by-contents");

    private final String label;

    StatsMode(String label) {
        this.label = label;
    }

    /** The name used on the command line and in JSON. */
    public String label() {
        return label;
    }

    /** Parses a label ("restore-size", "raw-data", "files-by-contents"). */
    public static StatsMode parse(String s) {
        for (StatsMode m : values()) {
            if (m.label.equals(s.toLowerCase(Locale.ROOT))) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown stats mode '" + s + "'; use one of "
                + Arrays.stream(values()).map(StatsMode::label).collect(Collectors.joining(", ")));
    }
}
