package io.cairn.server.source;

import io.cairn.dumps.TlsMode;

import io.cairn.engine.blob.Compression;
import java.time.Instant;
import java.util.List;

/**
 * A source as the rest of the server sees it: never with its password, only whether one is set.
 *
 * @param database  the database (null: every database the user can see); for Redis the database index
 * @param path      SQLITE: the database file; PATH: the folder or file to back up
 * @param includes  PATH: globs of what to include (empty: everything)
 * @param excludes  PATH: globs of what to leave out
 */
public record Source(SourceId id, String name, SourceType type, ProjectId projectId, long repositoryId, String host,
                     Integer port, String database, String username, boolean passwordSet, TlsMode tlsMode, String path,
                     List<String> includes, List<String> excludes, Compression compression, Instant createdAt,
                     Instant updatedAt) {

    /** Where it is, for lists: "db.example:5432/shop", "/srv/app/config". */
    public String location() {
        if (type.isNetwork()) {
            return host + ":" + port + (database == null ? " (all databases)" : "/" + database);
        }
        return path;
    }
}
