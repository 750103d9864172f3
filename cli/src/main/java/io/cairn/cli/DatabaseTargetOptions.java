package io.cairn.cli;

import io.cairn.dumps.ConnectionSpec;
import io.cairn.dumps.RestoreOptions;
import io.cairn.dumps.Secret;
import io.cairn.dumps.SourceKind;
import io.cairn.dumps.TlsMode;
import io.cairn.engine.repository.RepositoryException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * The options of {@code cairn restore} that restore a database dump into a database server (or an
 * SQLite file) instead of writing files: which kind of database ({@code --to-postgres} ...), where it
 * is ({@code --db-host}, {@code --db-port}, {@code --db-name}, {@code --db-user}, {@code --db-tls}) and
 * what the restore may do ({@code --create-database}, {@code --overwrite-database}, {@code --with-roles}:
 * roles and permissions are restored only when asked, so by default nothing server-wide changes;
 * {@code --table} for some tables or collections only; {@code --flush-first} for Redis). The
 * database password comes from {@code --db-password-file}, else {@code $CAIRN_DB_PASSWORD}; it is never
 * accepted as a command-line value (it would show in {@code ps}), and never printed.
 */
final class DatabaseTargetOptions {

    static final String PASSWORD_ENV = "CAIRN_DB_PASSWORD";

    @Option(names = "--to-postgres", description = "Restore the snapshot's PostgreSQL dump into a PostgreSQL server.")
    boolean toPostgres;

    @Option(names = "--to-mysql", description = "Restore the snapshot's MySQL/MariaDB dump into a MySQL or MariaDB server.")
    boolean toMysql;

    @Option(names = "--to-redis", description = "Restore the snapshot's Redis dump (RDB) into a Redis server.")
    boolean toRedis;

    @Option(names = "--to-mongodb", description = "Restore the snapshot's MongoDB archive into a MongoDB server.")
    boolean toMongodb;

    @Option(names = "--to-sqlite", paramLabel = "FILE", description = "Restore the snapshot's SQLite database into FILE.")
    Path toSqlite;

    @Option(names = "--db-host", paramLabel = "HOST", description = "Database server host (default: localhost).")
    String host;

    @Option(names = "--db-port", paramLabel = "PORT", description = "Database server port (default: the kind's usual one).")
    Integer port;

    @Option(names = "--db-user", paramLabel = "USER", description = "User to log in as (default: the tool's default).")
    String user;

    @Option(names = "--db-name", paramLabel = "NAME", description = "Database to restore into (Redis: a database "
            + "number). Leave out for a dump of all databases, which is restored into the databases it names.")
    String database;

    @Option(names = "--db-password-file", paramLabel = "FILE", description = "Read the database password from the "
            + "first line of FILE. Default: $" + PASSWORD_ENV + ", else no password.")
    Path passwordFile;

    @Option(names = "--db-tls", paramLabel = "MODE", description = "disable, prefer (default), require or verify-full.")
    String tls;

    @Option(names = "--create-database", description = "Create the target database (SQLite: the file) when it does not exist.")
    boolean createDatabase;

    @Option(names = "--overwrite-database", description = "Restore into a database that already holds data: what the "
            + "dump holds replaces the objects of the same name; others are left in place.")
    boolean overwriteDatabase;

    @Option(names = "--with-roles", description = "PostgreSQL, MySQL/MariaDB: restore roles and permissions too. "
            + "Roles (accounts) the dump names that the server lacks are created, existing ones are left as they are, "
            + "and owners, definers and grants are kept. Without it nothing server-wide changes: a one-database dump's "
            + "objects belong to --db-user.")
    boolean withRoles;

    @Option(names = "--table", paramLabel = "NAME", description = "Restore only this table (PostgreSQL: schema.table or "
            + "table; MySQL/MariaDB: table) or MongoDB collection; repeat for several. The dump must be of one database. "
            + "Into a database that holds the table already, add --overwrite-database: the table is replaced, the "
            + "database's other tables are left as they are.")
    List<String> tables = new ArrayList<>();

    @Option(names = "--flush-first", description = "Redis: empty the target database (every database when --db-name is "
            + "left out) before loading, so keys the dump lacks are gone too. Needs --overwrite-database.")
    boolean flushFirst;

    @Option(names = "--file", paramLabel = "PATH", description = "The dump file inside the snapshot, when it holds "
            + "several files (e.g. /shop.pgdump).")
    String file;

    @Option(names = "--kind", paramLabel = "KIND", description = "What the dump is (postgresql, mysql, redis, mongodb, "
            + "sqlite), for a snapshot that does not say so and whose dump is not recognised.")
    String kind;

    /** Whether a database target ({@code --to-...}) was given. */
    boolean given() {
        return targetKind() != null;
    }

    /** The kind named by {@code --to-...}, or null. */
    SourceKind targetKind() {
        List<SourceKind> named = new ArrayList<>();
        if (toPostgres) {
            named.add(SourceKind.POSTGRESQL);
        }
        if (toMysql) {
            named.add(SourceKind.MYSQL);
        }
        if (toRedis) {
            named.add(SourceKind.REDIS);
        }
        if (toMongodb) {
            named.add(SourceKind.MONGODB);
        }
        if (toSqlite != null) {
            named.add(SourceKind.SQLITE);
        }
        if (named.size() > 1) {
            throw new IllegalArgumentException("give one database target, not " + named.size() + " (--to-postgres, "
                    + "--to-mysql, --to-redis, --to-mongodb, --to-sqlite)");
        }
        return named.isEmpty() ? null : named.get(0);
    }

    /** The database options given, by name; they mean something only with a {@code --to-...} target. */
    List<String> databaseOptionsGiven() {
        List<String> given = new ArrayList<>();
        addIf(given, host != null, "--db-host");
        addIf(given, port != null, "--db-port");
        addIf(given, user != null, "--db-user");
        addIf(given, database != null, "--db-name");
        addIf(given, passwordFile != null, "--db-password-file");
        addIf(given, tls != null, "--db-tls");
        addIf(given, createDatabase, "--create-database");
        addIf(given, overwriteDatabase, "--overwrite-database");
        addIf(given, withRoles, "--with-roles");
        addIf(given, !tables.isEmpty(), "--table");
        addIf(given, flushFirst, "--flush-first");
        addIf(given, file != null, "--file");
        addIf(given, kind != null, "--kind");
        return given;
    }

    private static void addIf(List<String> list, boolean condition, String name) {
        if (condition) {
            list.add(name);
        }
    }

    /** The kind {@code --kind} names, or null when it was not given. */
    SourceKind declaredKind() {
        if (kind == null) {
            return null;
        }
        return DumpFormat.kindOf(kind).orElseThrow(() -> new IllegalArgumentException("unknown --kind '" + kind
                + "': use postgresql, mysql, redis, mongodb or sqlite"));
    }

    /** Where to restore to; reads the password. */
    ConnectionSpec connection() throws IOException {
        SourceKind target = targetKind();
        if (withRoles && target != SourceKind.POSTGRESQL && target != SourceKind.MYSQL) {
            throw new IllegalArgumentException("--with-roles restores PostgreSQL roles or MySQL/MariaDB accounts; "
                    + DatabaseRestore.option(target) + " dumps hold none: leave it out");
        }
        if (!tables.isEmpty() && target != SourceKind.POSTGRESQL && target != SourceKind.MYSQL
                && target != SourceKind.MONGODB) {
            throw new IllegalArgumentException("--table restores single tables of PostgreSQL or MySQL/MariaDB dumps, or "
                    + "collections of MongoDB ones; a " + target.displayName() + " dump is restored whole: leave it out");
        }
        if (flushFirst && target != SourceKind.REDIS) {
            throw new IllegalArgumentException("--flush-first empties a Redis database before loading; "
                    + DatabaseRestore.option(target) + " restores replace the objects the dump holds when "
                    + "--overwrite-database is given: leave it out");
        }
        if (flushFirst && !overwriteDatabase) {
            throw new IllegalArgumentException("--flush-first deletes every key of the target before loading: add "
                    + "--overwrite-database to confirm that the target may be overwritten");
        }
        if (target == SourceKind.SQLITE) {
            List<String> serverOnly = databaseOptionsGiven().stream()
                    .filter(o -> o.startsWith("--db-")).toList();
            if (!serverOnly.isEmpty()) {
                throw new IllegalArgumentException("--to-sqlite restores into a file: " + String.join(", ", serverOnly)
                        + " " + (serverOnly.size() == 1 ? "is" : "are") + " for database servers");
            }
            return ConnectionSpec.sqlite(toSqlite.toAbsolutePath().normalize());
        }
        return ConnectionSpec.server(target, host == null ? "localhost" : host, port == null ? 0 : port, database, user,
                password(), tlsMode());
    }

    private TlsMode tlsMode() {
        if (tls == null) {
            return TlsMode.PREFER;
        }
        try {
            return TlsMode.valueOf(tls.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown --db-tls '" + tls + "': use disable, prefer, require or verify-full");
        }
    }

    private Secret password() throws IOException {
        if (passwordFile != null) {
            if (!Files.isReadable(passwordFile)) {
                throw new RepositoryException("cannot read the database password file " + passwordFile
                        + ": check the path and its permissions", RepositoryException.EXIT_FAILURE);
            }
            String firstLine = Files.readString(passwordFile, StandardCharsets.UTF_8).lines().findFirst().orElse("");
            if (firstLine.isEmpty()) {
                throw new RepositoryException("the database password file " + passwordFile + " is empty: put the "
                        + "password on its first line", RepositoryException.EXIT_FAILURE);
            }
            return Secret.of(firstLine);
        }
        return Secret.of(System.getenv(PASSWORD_ENV));
    }

    /** What the restore may do to the target. */
    RestoreOptions restoreOptions() {
        RestoreOptions o = RestoreOptions.defaults();
        if (createDatabase) {
            o = o.creatingDatabase();
        }
        if (overwriteDatabase) {
            o = o.overwriting();
        }
        if (!tables.isEmpty()) {
            o = o.onlyTables(tables.stream().map(String::trim).filter(t -> !t.isEmpty()).distinct().toList());
        }
        if (flushFirst) {
            o = o.flushingFirst();
        }
        return o.withRoles(withRoles);
    }
}
