package io.cairn.server.restore;

import java.util.List;

/**
 * What a restore request will do, worked out before anything is written.
 *
 * @param kind             a database or a folder
 * @param target           where, in words ("PostgreSQL 127.0.0.1:5432, new database shop_restored_20261202_101500")
 * @param targetName       the database name, index or file, or the folder
 * @param existing         what the target holds now, in words ("12 tables, 1,204 rows", "3 files"), or null when
 *                         it does not exist or is empty
 * @param overwrites       whether existing data will be replaced
 * @param confirmationText what the request's {@code confirm} must repeat when {@code overwrites}
 * @param details          the resolved request, stored with the operation (no secrets)
 * @param notes            what a person should know before starting (shown in the wizard)
 */
public record RestorePlan(TargetKind kind, String target, String targetName, String existing, boolean overwrites,
                          String confirmationText, Details details, List<String> notes) {

    public RestorePlan {
        notes = List.copyOf(notes);
    }

    /**
     * The resolved request.
     *
     * @param database       target database, index or file (database backups)
     * @param createDatabase whether the database is created by the restore
     * @param folder         target folder (folder backups)
     * @param includes       backup paths to restore; empty = everything
     * @param overwritePolicy NEVER, IF_NEWER or ALWAYS (folder backups)
     * @param dumpFile       the dump file of the backup (database backups)
     * @param tables         tables to restore (database backups); empty = everything
     * @param flushFirst     Redis: empty the target first
     * @param withRoles      PostgreSQL, MySQL/MariaDB: restore roles and permissions too
     */
    public record Details(String database, boolean createDatabase, String folder, List<String> includes,
                          String overwritePolicy, String dumpFile, List<String> tables, boolean flushFirst,
                          boolean withRoles) {
    }
}
