package io.cairn.dumps;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Where a database is and how to log in, as structured fields only. There is deliberately no way to
 * pass a raw JDBC URL, a connection string or driver/tool options: every field is validated here so
 * that nothing a user types can become an option of {@code pg_dump} or a driver property (a host of
 * {@code -oProxyCommand=...} or a database name of {@code host=evil} is rejected).
 *
 * <p>Rules: {@code host} is a DNS name or an IP address (no spaces, no leading {@code -}); {@code port}
 * is 1-65535 (0 means the kind's default); {@code database} is null for "all databases" where the
 * kind supports it and otherwise follows the kind's naming rules (PostgreSQL and MongoDB: letters,
 * digits, {@code _ . $ -}, up to 63 characters; MySQL: the same without {@code .}, up to 64; Redis: a
 * database number 0-9999); SQLite uses {@code file} (an absolute path) and nothing else.
 *
 * @param kind     what sort of database
 * @param host     server host name or address (null for SQLite)
 * @param port     server port (the kind's default when 0 is given)
 * @param database one database, or null for all of them
 * @param username user name to log in as (null or empty: the tool's default / no user)
 * @param password the password, never printed ({@link Secret#none()} for none)
 * @param tls      how to use TLS
 * @param file     the database file (SQLite only)
 */
public record ConnectionSpec(SourceKind kind, String host, int port, String database, String username,
                             Secret password, TlsMode tls, Path file) {

    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9_.:%\\[\\]-]{1,253}");
    private static final Pattern USER = Pattern.compile("[^\\p{Cntrl}]{1,128}");
    private static final Pattern PG_DB = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.$-]{0,62}");
    private static final Pattern MYSQL_DB = Pattern.compile("[A-Za-z0-9_$][A-Za-z0-9_$-]{0,63}");
    private static final Pattern MONGO_DB = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_-]{0,62}");
    private static final Pattern REDIS_DB = Pattern.compile("[0-9]{1,4}");

    public ConnectionSpec {
        if (kind == null) {
            throw new IllegalArgumentException("the kind of database is required");
        }
        password = password == null ? Secret.none() : password;
        tls = tls == null ? TlsMode.PREFER : tls;
        if (kind == SourceKind.SQLITE) {
            if (file == null) {
                throw new IllegalArgumentException("an SQLite source needs the path of its database file");
            }
            if (!file.isAbsolute()) {
                throw new IllegalArgumentException("the SQLite file must be an absolute path, not '" + file + "'");
            }
            host = null;
            port = 0;
            username = null;
        } else {
            if (file != null) {
                throw new IllegalArgumentException(kind.displayName() + " is a server: give host and port, not a file");
            }
            if (host == null || !HOST.matcher(host).matches() || host.startsWith("-")) {
                throw new IllegalArgumentException("invalid host '" + host + "': use a host name or IP address"
                        + " without spaces, not starting with '-'");
            }
            if (port == 0) {
                port = kind.defaultPort();
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("invalid port " + port + ": use 1-65535");
            }
            if (username != null && username.isEmpty()) {
                username = null;
            }
            if (username != null && (!USER.matcher(username).matches() || username.startsWith("-"))) {
                throw new IllegalArgumentException("invalid user name: no control characters, not starting with '-',"
                        + " at most 128 characters");
            }
            if (database != null) {
                validateDatabase(kind, database);
            }
        }
    }

    private static void validateDatabase(SourceKind kind, String database) {
        Pattern rule = switch (kind) {
            case POSTGRESQL -> PG_DB;
            case MYSQL -> MYSQL_DB;
            case MONGODB -> MONGO_DB;
            case REDIS -> REDIS_DB;
            case SQLITE -> throw new AssertionError();
        };
        if (!rule.matcher(database).matches()) {
            String what = switch (kind) {
                case POSTGRESQL -> "letters, digits and _ . $ -, starting with a letter, digit or _, at most 63";
                case MYSQL -> "letters, digits and _ $ -, not starting with -, at most 64";
                case MONGODB -> "letters, digits and _ -, at most 63";
                case REDIS -> "a database number such as 0";
                case SQLITE -> "";
            };
            throw new IllegalArgumentException("invalid " + kind.displayName() + " database name '" + database
                    + "': use " + what);
        }
    }

    /** A server database: {@code database} null means all databases. */
    public static ConnectionSpec server(SourceKind kind, String host, int port, String database, String username,
                                        Secret password, TlsMode tls) {
        return new ConnectionSpec(kind, host, port, database, username, password, tls, null);
    }

    /** An SQLite database file. */
    public static ConnectionSpec sqlite(Path file) {
        return new ConnectionSpec(SourceKind.SQLITE, null, 0, null, null, Secret.none(), TlsMode.DISABLE, file);
    }

    /** The same connection, another database (null: all). For SQLite, use {@link #withFile}. */
    public ConnectionSpec withDatabase(String other) {
        return new ConnectionSpec(kind, host, port, other, username, password, tls, file);
    }

    /** The same connection with another password. */
    public ConnectionSpec withPassword(Secret other) {
        return new ConnectionSpec(kind, host, port, database, username, other, tls, file);
    }

    /** The same connection to another host and port. */
    public ConnectionSpec withAddress(String otherHost, int otherPort) {
        return new ConnectionSpec(kind, otherHost, otherPort, database, username, password, tls, file);
    }

    /** The same connection with another TLS mode. */
    public ConnectionSpec withTls(TlsMode other) {
        return new ConnectionSpec(kind, host, port, database, username, password, other, file);
    }

    /** Another SQLite file. */
    public ConnectionSpec withFile(Path other) {
        return new ConnectionSpec(kind, host, port, database, username, password, tls, other);
    }

    /** Whether this names all databases of the server. */
    public boolean allDatabases() {
        return kind != SourceKind.SQLITE && database == null;
    }

    /** For messages: {@code app@db.example:5432/mydb}, {@code db.example:6379}, or the SQLite file. Never the password. */
    public String target() {
        if (kind == SourceKind.SQLITE) {
            return file.toString();
        }
        String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return (username == null ? "" : username + "@") + h + ":" + port + (database == null ? "" : "/" + database);
    }

    /** {@code host:port} for messages. */
    public String address() {
        String h = host != null && host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return h + ":" + port;
    }

    @Override
    public String toString() {
        return kind + " " + target() + " (tls " + tls + ", password " + password + ")";
    }
}
