package io.cairn.server.source;

import io.cairn.dumps.CheckStatus;
import io.cairn.dumps.ConnectionCheck;
import io.cairn.dumps.ConnectionSpec;
import io.cairn.dumps.DatabaseAdapter;
import io.cairn.dumps.DatabaseAdapters;
import io.cairn.dumps.Secret;
import io.cairn.dumps.SourceKind;
import java.nio.file.Path;
import org.springframework.stereotype.Component;

/**
 * The bridge from a database source to its dump adapter (module {@code dumps}): the connection spec
 * with the unsealed password, and the adapter of its kind, using the dump tools found on the PATH.
 */
@Component
public class DatabaseConnections {

    private final SourceService sources;
    private final DatabaseAdapters adapters = DatabaseAdapters.standard();

    public DatabaseConnections(SourceService sources) {
        this.sources = sources;
    }

    public static SourceKind kindOf(SourceType type) {
        return switch (type) {
            case POSTGRESQL -> SourceKind.POSTGRESQL;
            case MYSQL -> SourceKind.MYSQL;
            case REDIS -> SourceKind.REDIS;
            case MONGODB -> SourceKind.MONGODB;
            case SQLITE -> SourceKind.SQLITE;
            case PATH -> throw new IllegalArgumentException("files are not a database");
        };
    }

    public DatabaseAdapter adapter(Source source) {
        return adapters.forKind(kindOf(source.type()));
    }

    /** How to reach the source's database, with its password; never log it. */
    public ConnectionSpec spec(Source source) {
        SourceKind kind = kindOf(source.type());
        if (kind == SourceKind.SQLITE) {
            return ConnectionSpec.sqlite(Path.of(source.path()));
        }
        Secret password = sources.password(source.id()).map(Secret::of).orElse(Secret.none());
        return ConnectionSpec.server(kind, source.host(), source.port() == null ? 0 : source.port(), source.database(),
                source.username(), password, source.tlsMode());
    }

    ConnectionTests.Result test(Source source) {
        ConnectionCheck check;
        try {
            check = adapter(source).test(spec(source));
        } catch (IllegalArgumentException e) {
            return new ConnectionTests.Result(false, CheckStatus.OTHER.name(), e.getMessage(), null);
        }
        return new ConnectionTests.Result(check.isOk(), check.status().name(), check.message(), check.serverVersion());
    }
}
