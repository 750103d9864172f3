package io.cairn.server.source;

import io.cairn.dumps.TlsMode;

import io.cairn.engine.blob.Compression;
import java.time.Instant;
import java.util.List;

/** A source in API responses: the password only as "set" or not; no TLS mode for a folder or SQLite file. */
public record SourceView(long id, String name, SourceType type, Long projectId, long repositoryId, String host,
                         Integer port, String database, String username, boolean passwordSet, TlsMode tlsMode,
                         String path, List<String> includes, List<String> excludes, Compression compression,
                         String location, Instant createdAt, Instant updatedAt) {

    public static SourceView of(Source s) {
        return new SourceView(s.id().value(), s.name(), s.type(), s.projectId() == null ? null : s.projectId().value(),
                s.repositoryId(), s.host(), s.port(), s.database(), s.username(), s.passwordSet(),
                s.type().isNetwork() ? s.tlsMode() : null, s.path(),
                s.includes(), s.excludes(), s.compression(), s.location(), s.createdAt(), s.updatedAt());
    }
}
