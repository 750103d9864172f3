package io.cairn.dumps;

import io.cairn.dumps.mongodb.MongoAdapter;
import io.cairn.dumps.mysql.MysqlAdapter;
import io.cairn.dumps.postgres.PostgresAdapter;
import io.cairn.dumps.redis.RedisAdapter;
import io.cairn.dumps.sqlite.SqliteAdapter;
import io.cairn.dumps.tool.Toolbox;

import java.util.EnumMap;
import java.util.Map;

/**
 * One adapter per {@link SourceKind}. The server's job runner and the CLI need only this:
 * <pre>{@code
 * DatabaseAdapter adapter = DatabaseAdapters.standard().forKind(spec.kind());
 * ConnectionCheck check = adapter.test(spec);            // never throws for expected failures
 * try (Dump dump = adapter.dump(spec, DumpOptions.defaults().withToolOutput(jobLog::info))) {
 *     archiver.backupStream(dump.filename(), dump.stream(), dump::awaitSuccess);
 * }
 * }</pre>
 */
public final class DatabaseAdapters {
    private final Map<SourceKind, DatabaseAdapter> adapters = new EnumMap<>(SourceKind.class);

    private DatabaseAdapters(Toolbox toolbox) {
        adapters.put(SourceKind.POSTGRESQL, new PostgresAdapter(toolbox));
        adapters.put(SourceKind.MYSQL, new MysqlAdapter(toolbox));
        adapters.put(SourceKind.REDIS, new RedisAdapter(toolbox));
        adapters.put(SourceKind.MONGODB, new MongoAdapter());
        adapters.put(SourceKind.SQLITE, new SqliteAdapter());
    }

    /** Adapters that find their tools on this process's {@code PATH}. */
    public static DatabaseAdapters standard() {
        return new DatabaseAdapters(Toolbox.fromEnvironment());
    }

    /** Adapters that find their tools in {@code toolbox}. */
    public static DatabaseAdapters using(Toolbox toolbox) {
        return new DatabaseAdapters(toolbox);
    }

    /** The adapter for {@code kind}. */
    public DatabaseAdapter forKind(SourceKind kind) {
        return adapters.get(kind);
    }
}
