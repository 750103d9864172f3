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
 * @param tables         restore only these tables (names as {@link DatabaseAdapter#describe} gives them, e.g.
 *                       {@code public.orders} or {@code orders}); empty means everything. PostgreSQL (custom
 *                       format dumps of one database, tables of one schema) and MySQL/MariaDB (dumps of one
 *                       database) support it; the other kinds refuse a non-empty list
 * @param flushFirst     Redis: empty the target database (all databases when the target names none) before
 *                       loading, so keys the dump lacks are gone too; needs {@code overwrite}. Refused by the
 *                       other kinds
 */
public record RestoreOptions(boolean createDatabase, boolean overwrite, Consumer<String> toolOutput,
                             List<String> tables, boolean flushFirst) {

    public RestoreOptions {
        toolOutput = toolOutput == null ? line -> { } : toolOutput;
        tables = tables == null ? List.of() : List.copyOf(tables);
        if (flushFirst && !overwrite) {
            throw new IllegalArgumentException("emptying the target first overwrites it: allow overwriting too");
        }
    }

    /** Options for a whole restore. */
    public RestoreOptions(boolean createDatabase, boolean overwrite, Consumer<String> toolOutput) {
        this(createDatabase, overwrite, toolOutput, List.of(), false);
    }

    /** Defaults: the target must exist and be empty. */
    public static RestoreOptions defaults() {
        return new RestoreOptions(false, false, null);
    }

    /** These options, creating the target database when it is missing. */
    public RestoreOptions creatingDatabase() {
        return new RestoreOptions(true, overwrite, toolOutput, tables, flushFirst);
    }

    /** These options, allowing a non-empty target (see {@link #overwrite()}). */
    public RestoreOptions overwriting() {
        return new RestoreOptions(createDatabase, true, toolOutput, tables, flushFirst);
    }

    /** These options with tool output sent to {@code sink}. */
    public RestoreOptions withToolOutput(Consumer<String> sink) {
        return new RestoreOptions(createDatabase, overwrite, sink, tables, flushFirst);
    }

    /** These options, restoring only {@code names} (see {@link #tables()}). */
    public RestoreOptions onlyTables(List<String> names) {
        return new RestoreOptions(createDatabase, overwrite, toolOutput, names, flushFirst);
    }

    /** These options, emptying the target first (Redis; implies overwriting). */
    public RestoreOptions flushingFirst() {
        return new RestoreOptions(createDatabase, true, toolOutput, tables, true);
    }

    /**
     * For kinds that restore only whole dumps: refuses a table list and emptying first, saying so.
     *
     * @param kind the kind's display name, for the message
     */
    public static void refuseParts(RestoreOptions options, String kind) throws DatabaseException {
        if (!options.tables().isEmpty()) {
            throw new DatabaseException(CheckStatus.OTHER, "restoring single tables or collections is not supported"
                    + " for " + kind + " backups: restore the whole backup (into a new database, to be safe)");
        }
        if (options.flushFirst()) {
            throw new DatabaseException(CheckStatus.OTHER, "emptying the target first is a Redis option; " + kind
                    + " restores replace the objects the backup holds when overwriting is allowed");
        }
    }
}
