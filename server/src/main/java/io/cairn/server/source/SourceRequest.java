package io.cairn.server.source;

import io.cairn.dumps.TlsMode;

import io.cairn.engine.blob.Compression;
import java.util.List;

/**
 * What a person fills in to create or change a source (the form and {@code POST/PUT /api/v1/sources}).
 * Every field is optional here; {@link SourceValidation} says which each type needs.
 *
 * @param password      a new password; null keeps the stored one (so forms never echo it back)
 * @param clearPassword true to remove the stored password
 * @param repositoryId  where backups go; null: the first repository
 */
public record SourceRequest(String name, SourceType type, Long projectId, Long repositoryId, String host, Integer port,
                            String database, String username, String password, Boolean clearPassword,
                            TlsMode tlsMode, String path, List<String> includes, List<String> excludes,
                            Compression compression) {

    /** Hides the password from logs and exception messages. */
    @Override
    public String toString() {
        return "SourceRequest[name=" + name + ", type=" + type + ", host=" + host + ", port=" + port + ", database="
                + database + ", username=" + username + ", password=" + (password == null ? "unchanged" : "(set)")
                + ", path=" + path + "]";
    }
}
