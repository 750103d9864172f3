package io.cairn.dumps;

import java.util.List;
import java.util.function.Consumer;

/**
 * How to restore.
 *
 * @param createDatabase create the target database when it does not exist (otherwise a missing target
 *                       fails with {@link CheckStatus#DATABASE_MISSING})
 * @param overwrite      allow restoring into a database that already holds data. Every object the
 *                       dump contains (table, key, collection, the SQLite file) replaces the target's
 *                       object of the same name; objects the dump lacks are left in place. Without it
 *                       a non-empty target is refused and nothing is changed
 * @param toolOutput     receives each line the restore tool writes to stderr, masked; never null
 * @param tables         restore only these tables or collections (names as {@link DatabaseAdapter#describe} gives
 *                       them under their database, e.g. {@code public.orders} or {@code orders}); empty means
 *                       everything. PostgreSQL (custom format dumps of one database, tables of one schema),
 *                       MySQL/MariaDB (dumps of one database) and MongoDB (collections and views of one database,
 *                       by collection name without the database; the target's other collections are left as they
 *                       are) support it; the other kinds refuse a non-empty list
 * @param flushFirst     Redis: empty the target database (all databases when the target names none) before
 *                       loading, so keys the dump lacks are gone too; needs {@code overwrite}. Refused by the
 *                       other kinds
 * @param roles          PostgreSQL and MySQL/MariaDB: restore roles and permissions too (off by default). Roles
 *                       (MySQL: accounts) are server-wide, so a restore without them never creates or changes one:
 *                       the objects of a one-database dump then belong to the restoring user (PostgreSQL: no
 *                       owners and no grants, as {@code pg_restore --no-owner --no-privileges}; MySQL: every
 *                       {@code DEFINER} becomes the restoring user), and a dump of all databases is applied
 *                       without its roles (PostgreSQL: its globals are skipped, the owners it names must exist;
 *                       MySQL: the {@code mysql} system database is skipped). With them, roles the dump names
 *                       that the target lacks are created, roles that exist are left exactly as they are
 *                       (attributes and passwords never changed), and owners, grants and definers are kept.
 *                       What "created" means depends on what the dump holds; each adapter says. Refused by
 *                       the other kinds
 */
public record RestoreOptions(boolean createDatabase, boolean overwrite, Consumer<String> toolOutput,
                             List<String> tables, boolean flushFirst, boolean roles) {

    public RestoreOptions {
        toolOutput = toolOutput == null ? line -> { } : toolOutput;
        tables = tables == null ? List.of() : List.copyOf(tables);
        if (flushFirst && !overwrite) {
            throw new IllegalArgumentException("emptying the target first overwrites it: allow overwriting too");
        }
    }

    /** Options without roles (see {@link #roles()}). */
    public RestoreOptions(boolean createDatabase, boolean overwrite, Consumer<String> toolOutput,
                          List<String> tables, boolean flushFirst) {
        this(createDatabase, overwrite, toolOutput, tables, flushFirst, false);
    }

    /** Options for a whole restore. */
    public RestoreOptions(boolean createDatabase, boolean overwrite, Consumer<String> toolOutput) {
        this(createDatabase, overwrite, toolOutput, List.of(), false, false);
    }

    /** Defaults: the target must exist and be empty; roles and permissions are not restored. */
    public static RestoreOptions defaults() {
        return new RestoreOptions(false, false, null);
    }

    /** These options, creating the target database when it is missing. */
    public RestoreOptions creatingDatabase() {
        return new RestoreOptions(true, overwrite, toolOutput, tables, flushFirst, roles);
    }

    /** These options, allowing a non-empty target (see {@link #overwrite()}). */
    public RestoreOptions overwriting() {
        return new RestoreOptions(createDatabase, true, toolOutput, tables, flushFirst, roles);
    }

    /** These options with tool output sent to {@code sink}. */
    public RestoreOptions withToolOutput(Consumer<String> sink) {
        return new RestoreOptions(createDatabase, overwrite, sink, tables, flushFirst, roles);
    }

    /** These options, restoring only {@code names} (see {@link #tables()}). */
    public RestoreOptions onlyTables(List<String> names) {
        return new RestoreOptions(createDatabase, overwrite, toolOutput, names, flushFirst, roles);
    }

    /** These options, emptying the target first (Redis; implies overwriting). */
    public RestoreOptions flushingFirst() {
        return new RestoreOptions(createDatabase, true, toolOutput, tables, true, roles);
    }

    /** These options, restoring roles and permissions too, or not (see {@link #roles()}). */
    public RestoreOptions withRoles(boolean restoreRoles) {
        return new RestoreOptions(createDatabase, overwrite, toolOutput, tables, flushFirst, restoreRoles);
    }

    /**
     * For kinds that restore only whole dumps: refuses a table list, emptying first and roles, saying so.
     *
     * @param kind the kind's display name, for the message
     */
    public static void refuseParts(RestoreOptions options, String kind) throws DatabaseException {
        if (!options.tables().isEmpty()) {
            throw new DatabaseException(CheckStatus.OTHER, "restoring single tables is not supported"
                    + " for " + kind + " backups: restore the whole backup (into a new database, to be safe)");
        }
        refuseRoles(options, kind);
        refuseFlushFirst(options, kind);
    }

    /** For kinds other than Redis: refuses {@link #flushFirst()}, saying so. */
    public static void refuseFlushFirst(RestoreOptions options, String kind) throws DatabaseException {
        if (options.flushFirst()) {
            throw new DatabaseException(CheckStatus.OTHER, "emptying the target first is a Redis option; " + kind
                    + " restores replace the objects the backup holds when overwriting is allowed");
        }
    }

    /** For kinds whose dumps hold no roles or permissions: refuses {@link #roles()}, saying so. */
    public static void refuseRoles(RestoreOptions options, String kind) throws DatabaseException {
        if (options.roles()) {
            throw new DatabaseException(CheckStatus.OTHER, "restoring roles and permissions is a PostgreSQL and"
                    + " MySQL/MariaDB option; " + kind + " backups hold no users or roles: restore without it");
        }
    }
}
