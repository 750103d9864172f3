package io.cairn.dumps;

import java.util.List;
import java.util.Optional;

/**
 * What {@link DatabaseAdapter#describe} found: the server version, the total size, and per database
 * its tables (collections, keyspaces) with row counts. Row counts are exact ({@code count(*)}) for
 * small tables and may come from the server's statistics for large ones; each adapter documents which.
 *
 * @param kind          what sort of database
 * @param serverVersion the server's version string ("15.20", "10.11.19-MariaDB", "7.0.15")
 * @param sizeBytes     total size of the described databases in bytes, or -1 where unknown
 * @param databases     the databases described (one when the spec names one), sorted by name
 */
public record DatabaseDescription(SourceKind kind, String serverVersion, long sizeBytes, List<DatabaseInfo> databases) {

    public DatabaseDescription {
        databases = List.copyOf(databases);
    }

    /** The database with this name, if it was described. */
    public Optional<DatabaseInfo> database(String name) {
        return databases.stream().filter(d -> d.name().equals(name)).findFirst();
    }
}
