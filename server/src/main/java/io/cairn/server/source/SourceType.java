package io.cairn.server.source;

/** What kind of thing a source is, with the defaults its form starts from. */
public enum SourceType {
    POSTGRESQL("PostgreSQL", 5432, true, true),
    MYSQL("MySQL / MariaDB", 3306, true, true),
    REDIS("Redis", 6379, true, false),
    MONGODB("MongoDB", 27017, true, false),
    SQLITE("SQLite file", 0, false, false),
    PATH("Files and folders", 0, false, false);

    private final String label;
    private final int defaultPort;
    private final boolean network;
    private final boolean needsUser;

    SourceType(String label, int defaultPort, boolean network, boolean needsUser) {
        this.label = label;
        this.defaultPort = defaultPort;
        this.network = network;
        this.needsUser = needsUser;
    }

    public String label() {
        return label;
    }

    public int defaultPort() {
        return defaultPort;
    }

    /** A database server reached over the network (host, port, user, password, TLS). */
    public boolean isNetwork() {
        return network;
    }

    /** Whether a username is required. */
    public boolean needsUser() {
        return needsUser;
    }

    /** A database (dumped through an adapter) rather than files. */
    public boolean isDatabase() {
        return this != PATH;
    }
}
