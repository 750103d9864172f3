package io.cairn.server.snapshot;

import java.time.Instant;

/**
 * One entry of a snapshot as the catalog lists it.
 *
 * @param path       the snapshot path ("/srv/app/config.yml")
 * @param name       the last component of the path
 * @param type       "file", "dir" or "symlink"
 * @param size       bytes (files; 0 otherwise)
 * @param mtime      modification time
 * @param mode       permission bits (e.g. 0644 = 420)
 * @param modeString the mode as {@code ls -l} shows it ("-rw-r--r--")
 * @param linkTarget where a symlink points (symlinks only), never followed
 */
public record CatalogEntry(String path, String name, String type, long size, Instant mtime, int mode,
                           String modeString, String linkTarget) {

    public boolean isDir() {
        return "dir".equals(type);
    }

    public boolean isFile() {
        return "file".equals(type);
    }
}
