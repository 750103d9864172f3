package io.cairn.server.restore;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * What a person asks to restore, and where. Every field is optional: the defaults restore everything into
 * a new place, which never overwrites anything.
 *
 * @param database        database backups: the target database (PostgreSQL, MySQL/MariaDB, MongoDB; default
 *                        a new database {@code <name>_restored_<yyyyMMdd_HHmmss>} on the source's server), the
 *                        Redis database index (default: the backed-up one), or the SQLite file (default: a
 *                        new file next to the original)
 * @param path            folder backups: the folder to restore into (default: a new folder under the data
 *                        directory); the backup's full paths are kept below it
 * @param original        folder backups: restore into the original location instead of {@code path}
 * @param includes        folder backups: only these paths of the backup (absolute, e.g. {@code /srv/app/conf})
 * @param overwritePolicy folder backups: what to do with a file that exists at the target: NEVER (default,
 *                        keep it), IF_NEWER (replace it when the backup's copy is newer), ALWAYS
 * @param overwrite       database backups: allow restoring into a database that already holds data (each
 *                        table, key or collection of the backup replaces the target's of the same name)
 * @param confirm         the typed acknowledgement: the target's name as the plan gives it
 *                        ({@link RestorePlan#confirmationText()}); required when the restore overwrites
 * @param tables          backups of one database: restore only these PostgreSQL or MySQL/MariaDB tables, or MongoDB
 *                        collections (names as the backup lists them, e.g. {@code public.orders}, {@code orders};
 *                        a MongoDB collection without its database); empty restores everything. A MongoDB restore of
 *                        some collections leaves the target's other collections as they are, and overwrites (needing
 *                        the confirmation) only when a chosen collection is already there
 * @param flushFirst      Redis: empty the target database(s) first, so keys the backup lacks are gone too (this
 *                        overwrites, so it needs {@code overwrite} and the confirmation)
 * @param withRoles       PostgreSQL and MySQL/MariaDB: restore roles and permissions too. When not given: yes for one
 *                        database restored over itself (in place), no otherwise. Off, no
 *                        role or account of the target server is created or changed: a one-database backup's objects
 *                        belong to the restoring user, without the backup's grants; with it, the roles (accounts) the
 *                        backup names that the server lacks are created, existing ones are left as they are, and
 *                        owners, definers and grants are kept
 */
public record RestoreRequest(String database, String path, Boolean original, List<String> includes,
                             String overwritePolicy, Boolean overwrite, String confirm,
                             @Schema(description = "Backups of one database: restore only these PostgreSQL or"
                                     + " MySQL/MariaDB tables, or MongoDB collections, named as the backup lists them"
                                     + " (\"public.orders\", \"orders\"; a MongoDB collection without its database)."
                                     + " Empty or absent restores everything; a name the backup does not hold is a 400."
                                     + " MongoDB leaves the target's other collections as they are: the restore"
                                     + " overwrites, and needs \"overwrite\" and the confirmation, only when a chosen"
                                     + " collection is already there (it is dropped and restored with its options and"
                                     + " indexes).")
                             List<String> tables,
                             Boolean flushFirst,
                             @Schema(description = "PostgreSQL and MySQL/MariaDB: also restore roles and permissions"
                                     + " (default false). Roles (MySQL: accounts) the backup names that the server"
                                     + " lacks are created, existing ones are never changed, and owners, definers and"
                                     + " grants are kept. Without it nothing server-wide changes: the restored objects"
                                     + " of a one-database backup belong to the restoring user, without the backup's"
                                     + " grants; a backup of all databases skips its roles (PostgreSQL: the ones its"
                                     + " databases name must exist) or its mysql system database (MySQL). With it, a"
                                     + " MySQL backup of all databases replaces the server's accounts, so it overwrites"
                                     + " and needs the confirmation.")
                             Boolean withRoles) {

    public RestoreRequest {
        includes = includes == null ? List.of() : includes.stream().filter(s -> s != null && !s.isBlank())
                .map(String::strip).toList();
        tables = tables == null ? List.of() : tables.stream().filter(s -> s != null && !s.isBlank())
                .map(String::strip).distinct().toList();
        database = blankToNull(database);
        path = blankToNull(path);
        overwritePolicy = blankToNull(overwritePolicy);
        confirm = confirm == null ? null : confirm.strip();
    }

    /** Everything, into a new place. */
    public static RestoreRequest defaults() {
        return new RestoreRequest(null, null, null, null, null, null, null, null, null, null);
    }

    boolean toOriginal() {
        return Boolean.TRUE.equals(original);
    }

    boolean flushingFirst() {
        return Boolean.TRUE.equals(flushFirst);
    }

    boolean rolesRequested() {
        return Boolean.TRUE.equals(withRoles);
    }

    boolean overwriteAllowed() {
        return Boolean.TRUE.equals(overwrite);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
