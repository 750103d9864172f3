package io.cairn.engine.restorer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The owner and mode that this process gives a file or directory it creates: the file-system user
 * and group ids and the umask, read from {@code /proc/self/status}. A restore skips the chown and
 * chmod of an entry it has just created when the snapshot asks for exactly these (a restore of a
 * tree owned by the user who restores it, with ordinary modes: the common case), which saves three
 * system calls of four per entry. Unknown (not Linux, or no such lines) means nothing is skipped.
 */
record CreationDefaults(int uid, int gid, int umask) {

    static final CreationDefaults UNKNOWN = new CreationDefaults(-1, -1, -1);

    /** Read from {@code /proc/self/status}, or {@link #UNKNOWN}. */
    static CreationDefaults ofThisProcess() {
        try {
            return parse(Files.readString(Path.of("/proc/self/status"), StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            return UNKNOWN;
        }
    }

    /** Parses the "Uid:", "Gid:" (real, effective, saved, file-system) and "Umask:" lines. */
    static CreationDefaults parse(String status) {
        int uid = -1;
        int gid = -1;
        int umask = -1;
        for (String line : status.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f[0].equals("Uid:") && f.length == 5) {
                uid = Integer.parseInt(f[4]);
            } else if (f[0].equals("Gid:") && f.length == 5) {
                gid = Integer.parseInt(f[4]);
            } else if (f[0].equals("Umask:") && f.length == 2) {
                umask = Integer.parseInt(f[1], 8) & 0777;
            }
        }
        return uid < 0 || gid < 0 || umask < 0 ? UNKNOWN : new CreationDefaults(uid, gid, umask);
    }

    /**
     * Whether an entry just created by this process in a directory without the set-group-id bit
     * already has the owner {@code uid}:{@code gid}.
     */
    boolean hasOwner(int uid, int gid) {
        return this.uid >= 0 && uid == this.uid && gid == this.gid;
    }

    /** Whether a file just created by this process (mode 0666 less the umask) already has {@code mode}. */
    boolean fileHasMode(int mode) {
        return umask >= 0 && (mode & 07777) == (0666 & ~umask);
    }

    /** Whether a directory just created by this process (mode 0777 less the umask) already has {@code mode}. */
    boolean directoryHasMode(int mode) {
        return umask >= 0 && (mode & 07777) == (0777 & ~umask);
    }
}
