package io.cairn.engine.restorer;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What a restore does with an entry that already exists at the place it is to write a file or a
 * symlink. Whatever the policy, an existing entry is never followed (a symlink in the way is
 * replaced or kept as a link, never written through), and a directory where the snapshot has a
 * file or symlink fails the restore (it is never removed). An existing directory where the snapshot
 * has a directory is merged into; the policy decides, as for a file, whether its mode, owner and
 * times are set from the snapshot (otherwise its mode and owner are kept, and its times are those
 * of the entries the restore added to it).
 * A file or symlink where the snapshot has a directory is treated like a file in the way: kept (with
 * the snapshot's directory and everything below it skipped) or replaced by the directory.
 */
public enum OverwritePolicy {
    /** Replace whatever file or symlink is in the way (the default, and what restores always did). */
    ALWAYS("always"),
    /**
     * Replace an existing file or symlink only when the snapshot's modification time is strictly
     * newer than the existing entry's; otherwise keep it and count it as skipped. Restoring the
     * same snapshot twice therefore skips everything the first restore wrote.
     */
    IF_NEWER("if-newer"),
    /** Never replace: an existing file or symlink is left untouched and counted as skipped. */
    NEVER("never");

    private final String label;

    OverwritePolicy(String label) {
        this.label = label;
    }

    /** The name used on the command line and in JSON: {@code always}, {@code if-newer}, {@code never}. */
    public String label() {
        return label;
    }

    /** The policy named by {@link #label()} (case-insensitive; {@code if_newer} works too). */
    public static OverwritePolicy parse(String text) {
        String wanted = text == null ? "" : text.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (OverwritePolicy p : values()) {
            if (p.label.equals(wanted)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown overwrite policy '" + text + "': use one of "
                + Arrays.stream(values()).map(OverwritePolicy::label).collect(Collectors.joining(", ")));
    }
}
