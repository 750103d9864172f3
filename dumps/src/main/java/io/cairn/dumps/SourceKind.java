package io.cairn.dumps;

/** The kinds of database Cairn can back up, with the defaults a user would otherwise have to look up. */
public enum SourceKind {
    /** PostgreSQL 9.6 or newer, dumped with {@code pg_dump} / {@code pg_dumpall}. */
    POSTGRESQL("PostgreSQL", 5432),
    /** MySQL or MariaDB, dumped with {@code mariadb-dump} (or {@code mysqldump}). */
    MYSQL("MySQL/MariaDB", 3306),
    /** Redis (or a server speaking its replication protocol), dumped as an RDB snapshot. */
    REDIS("Redis", 6379),
    /** MongoDB, dumped through the Java driver into Cairn's own archive format. */
    MONGODB("MongoDB", 27017),
    /** An SQLite database file on this machine, copied with SQLite's online backup. */
    SQLITE("SQLite", 0);

    private final String displayName;
    private final int defaultPort;

    SourceKind(String displayName, int defaultPort) {
        this.displayName = displayName;
        this.defaultPort = defaultPort;
    }

    /** The name to show a user ("MySQL/MariaDB"). */
    public String displayName() {
        return displayName;
    }

    /** The server's usual TCP port, or 0 for a kind that is a local file. */
    public int defaultPort() {
        return defaultPort;
    }

    /** Whether this kind is a server reached over the network (everything but SQLite). */
    public boolean isNetworked() {
        return defaultPort != 0;
    }
}
