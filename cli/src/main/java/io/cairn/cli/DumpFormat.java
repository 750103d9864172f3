package io.cairn.cli;

import io.cairn.dumps.SourceKind;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * Recognises a database dump by its first bytes, for snapshots that do not say in a {@code kind-} tag
 * what they hold (made by the CLI, or by a server older than the tags). Only formats the adapters of
 * module {@code dumps} write, or can read, are recognised:
 * <ul>
 *   <li>PostgreSQL: {@code PGDMP} (pg_dump custom format), Cairn's all-databases script
 *       ({@code -- cairn-dump all-databases v1}), a plain {@code pg_dump}/{@code pg_dumpall} script
 *       ({@code -- PostgreSQL database dump}, {@code -- PostgreSQL database cluster dump});</li>
 *   <li>MySQL/MariaDB: Cairn's accounts block ({@code -- cairn-dump mysql-accounts v1}), or
 *       {@code -- MySQL dump} or {@code -- MariaDB dump} in the first lines (newer {@code mariadb-dump}
 *       writes a sandbox-mode comment before it);</li>
 *   <li>Redis: {@code REDIS} (the RDB magic);</li>
 *   <li>MongoDB: {@code CAIRN-MONGODB-ARCHIVE 1} (Cairn's own archive);</li>
 *   <li>SQLite: {@code SQLite format 3\0} (the database file header).</li>
 * </ul>
 */
final class DumpFormat {

    /** How many first bytes {@link #recognise} looks at. */
    static final int HEAD_BYTES = 512;

    private DumpFormat() {
    }

    /** The kind of database whose dump starts with {@code head}, if it is one Cairn knows. */
    static Optional<SourceKind> recognise(byte[] head) {
        if (startsWith(head, "SQLite format 3\0")) {
            return Optional.of(SourceKind.SQLITE);
        }
        if (startsWith(head, "PGDMP") || startsWith(head, "-- cairn-dump all-databases v1 ")) {
            return Optional.of(SourceKind.POSTGRESQL);
        }
        if (startsWith(head, "-- cairn-dump mysql-accounts v1 ")) {
            return Optional.of(SourceKind.MYSQL);
        }
        if (startsWith(head, "REDIS")) {
            return Optional.of(SourceKind.REDIS);
        }
        if (startsWith(head, "CAIRN-MONGODB-ARCHIVE 1\n")) {
            return Optional.of(SourceKind.MONGODB);
        }
        String text = new String(head, 0, Math.min(head.length, HEAD_BYTES), StandardCharsets.ISO_8859_1);
        if (text.contains("\n-- MySQL dump") || text.contains("\n-- MariaDB dump") || text.startsWith("-- MySQL dump")
                || text.startsWith("-- MariaDB dump")) {
            return Optional.of(SourceKind.MYSQL);
        }
        if (text.startsWith("--\n-- PostgreSQL database") || text.startsWith("-- PostgreSQL database")) {
            return Optional.of(SourceKind.POSTGRESQL);
        }
        return Optional.empty();
    }

    private static boolean startsWith(byte[] head, String magic) {
        byte[] m = magic.getBytes(StandardCharsets.ISO_8859_1);
        return head.length >= m.length && Arrays.equals(head, 0, m.length, m, 0, m.length);
    }

    /** The name of a kind in tags and on the command line: {@code postgresql}, {@code mysql}, ... */
    static String label(SourceKind kind) {
        return kind.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The kind a label names ({@code postgresql}, {@code mysql}, {@code redis}, {@code mongodb}, {@code sqlite}). */
    static Optional<SourceKind> kindOf(String label) {
        for (SourceKind k : SourceKind.values()) {
            if (label(k).equalsIgnoreCase(label.trim())) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }
}
