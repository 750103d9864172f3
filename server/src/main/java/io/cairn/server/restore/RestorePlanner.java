package io.cairn.server.restore;

import io.cairn.dumps.CheckStatus;
import io.cairn.dumps.ConnectionSpec;
import io.cairn.dumps.DatabaseAdapter;
import io.cairn.dumps.DatabaseDescription;
import io.cairn.dumps.DatabaseException;
import io.cairn.dumps.DatabaseInfo;
import io.cairn.dumps.SourceKind;
import io.cairn.engine.browse.SnapshotBrowser;
import io.cairn.engine.browse.SnapshotEntry;
import io.cairn.engine.repository.Repository;
import io.cairn.engine.repository.RepositoryException;
import io.cairn.engine.restorer.Restorer;
import io.cairn.server.config.CairnProperties;
import io.cairn.server.job.Job;
import io.cairn.server.problem.ProblemException;
import io.cairn.server.repository.ManagedRepository;
import io.cairn.server.repository.RepositoryId;
import io.cairn.server.repository.RepositoryService;
import io.cairn.server.source.DatabaseConnections;
import io.cairn.server.source.Source;
import io.cairn.server.source.SourceType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.text.NumberFormat;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Works out what a restore request will do ({@link RestorePlan}) without writing anything: resolves the
 * defaults (a new database, a new folder), checks names and paths, and looks at the target to tell whether
 * the restore would overwrite data.
 */
@Component
class RestorePlanner {

    /** Database names Cairn creates or accepts: letters, digits, _, $ and -, at most 63 characters. */
    private static final Pattern DATABASE_NAME = Pattern.compile("[A-Za-z0-9_$-]{1,63}");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss").withZone(ZoneOffset.UTC);

    private final RepositoryService repositories;
    private final DatabaseConnections databases;
    private final CairnProperties properties;
    private final Clock clock;
    private final JsonMapper json;

    RestorePlanner(RepositoryService repositories, DatabaseConnections databases, CairnProperties properties,
                   Clock clock, JsonMapper json) {
        this.repositories = repositories;
        this.databases = databases;
        this.properties = properties;
        this.clock = clock;
        this.json = json;
    }

    RestorePlan plan(Job backup, Source source, RestoreRequest request) {
        if (backup.snapshotId() == null) {
            throw ProblemException.conflict("Backup " + backup.id() + " has no snapshot (it " + backup.status()
                    .name().toLowerCase(Locale.ROOT) + "): there is nothing to restore. Choose a backup that succeeded.");
        }
        return source.type() == SourceType.PATH ? planFolder(backup, source, request) : planDatabase(backup, source, request);
    }

    // ---- databases ----

    private RestorePlan planDatabase(Job backup, Source source, RestoreRequest request) {
        if (request.path() != null || request.toOriginal() || !request.includes().isEmpty()) {
            throw ProblemException.invalid("path", "A database backup restores into a database: give \"database\", "
                    + "not a folder or paths.");
        }
        SourceKind kind = DatabaseConnections.kindOf(source.type());
        String dumpFile = dumpFile(backup);
        DatabaseAdapter adapter = databases.adapter(source);
        ConnectionSpec base = databases.spec(source);
        List<String> notes = new ArrayList<>();
        String name;
        ConnectionSpec spec;
        String where;
        switch (kind) {
            case SQLITE -> {
                Path file = request.database() != null ? absolutePath("database", request.database())
                        : Path.of(source.path() + ".restored-" + STAMP.format(clock.instant()));
                if (Files.isDirectory(file)) {
                    throw ProblemException.invalid("database", file + " is a folder; name the SQLite file to restore into.");
                }
                name = file.toString();
                spec = ConnectionSpec.sqlite(file);
                where = "SQLite file " + file;
            }
            case REDIS -> {
                name = request.database() != null ? request.database() : source.database();
                if (name != null && !name.matches("\\d{1,5}")) {
                    throw ProblemException.invalid("database", "A Redis database is a number (0, 1, …); \"" + name
                            + "\" is not one.");
                }
                spec = base.withDatabase(name);
                where = "Redis " + base.address() + (name == null ? ", every database of the backup" : ", database " + name);
                notes.add("Keys are restored with their time to live; keys the backup does not hold are left as they are.");
            }
            default -> {
                if (source.database() == null && request.database() == null) {
                    name = null;
                    spec = base;
                    where = kind.displayName() + " " + base.address() + ", every database of the backup";
                } else {
                    name = request.database() != null ? request.database() : newDatabaseName(source.database());
                    if (!DATABASE_NAME.matcher(name).matches()) {
                        throw ProblemException.invalid("database", "\"" + name + "\" is not a database name Cairn "
                                + "restores into: use letters, digits, _, $ or - (at most 63).");
                    }
                    if (source.database() == null) {
                        throw ProblemException.invalid("database", "This backup holds every database of the server; "
                                + "it restores them under their own names. Leave \"database\" empty.");
                    }
                    spec = base.withDatabase(name);
                    where = kind.displayName() + " " + base.address() + ", database " + name;
                }
            }
        }
        List<String> tables = checkTables(backup, kind, request.tables(), name == null);
        boolean flush = request.flushingFirst();
        if (flush && kind != SourceKind.REDIS) {
            throw ProblemException.invalid("flushFirst", "Emptying the target first is for Redis; a " + kind.displayName()
                    + " restore that overwrites replaces the tables the backup holds.");
        }
        if (!tables.isEmpty()) {
            notes.add(kind == SourceKind.MONGODB
                    ? "Only " + (tables.size() == 1 ? "collection " : "collections ") + String.join(", ", tables)
                    + " (documents, options and indexes) " + (tables.size() == 1 ? "is" : "are") + " restored; the "
                    + "target's other collections are left as they are."
                    : "Only " + String.join(", ", tables) + " (structure and rows) are restored.");
        }
        boolean hasRoles = kind == SourceKind.POSTGRESQL || kind == SourceKind.MYSQL;
        if (request.rolesRequested() && !hasRoles) {
            throw ProblemException.invalid("withRoles", "Roles and permissions restore with PostgreSQL and MySQL/MariaDB "
                    + "backups; a " + kind.displayName() + " backup holds none. Leave \"withRoles\" out.");
        }
        Existing existing = existing(adapter, spec, kind, kind == SourceKind.MONGODB ? tables : List.of());
        boolean overwrites = existing.replaced() != null;
        // Not asked either way: kept when one database is restored over itself (its owners and grants are what
        // the applications using it rely on), not restored into a new database (no server-wide change).
        boolean inPlace = name != null && name.equals(source.database()) && overwrites;
        boolean roles = request.withRoles() != null ? request.withRoles() && hasRoles : hasRoles && inPlace;
        if (hasRoles) {
            notes.add(rolesNote(kind, roles, name == null, base.username()));
        }
        String holds = existing.data();
        if (roles && kind == SourceKind.MYSQL && name == null) {
            overwrites = true; // the backup's mysql system database replaces the server's accounts
            holds = (holds == null ? "" : holds + ", and ") + "its accounts and their passwords (the mysql system database)";
        }
        if (flush && overwrites) {
            notes.add("The target is emptied first: keys the backup does not hold are deleted.");
        }
        boolean create = !existing.exists() && kind != SourceKind.REDIS;
        if (create) {
            where += kind == SourceKind.SQLITE ? " (new)" : " (new database)";
        }
        if (overwrites && !flush) {
            notes.add(kind == SourceKind.MONGODB && !tables.isEmpty()
                    ? "Replaced (dropped, then restored from the backup): " + existing.replaced() + "."
                    : "Every table, collection or key the backup holds replaces the target's of the same name; "
                    + "what the backup does not hold is left in place.");
        }
        String confirmation = name == null ? base.address() : name;
        return new RestorePlan(TargetKind.DATABASE, where, confirmation, holds, overwrites, confirmation,
                new RestorePlan.Details(name, create, null, List.of(), null, dumpFile, tables, flush, roles), notes);
    }

    /** What restoring with or without roles and permissions means for this backup, in words. */
    private static String rolesNote(SourceKind kind, boolean roles, boolean wholeServer, String user) {
        String who = user == null ? "the user Cairn logs in as" : user;
        if (kind == SourceKind.POSTGRESQL) {
            if (wholeServer) {
                return roles ? "Roles and permissions: the backup's roles that the server lacks are created as they were "
                        + "(attributes and passwords); roles that exist are left as they are."
                        : "Roles and permissions are not restored: the backup's roles are skipped, and its databases keep "
                        + "their owners and grants, so those roles must exist on the server (the restore is refused "
                        + "before anything is written otherwise).";
            }
            return roles ? "Roles and permissions: the backup's owners and grants are kept; roles it names that the "
                    + "server lacks are created without login or password, roles that exist are left as they are. "
                    + who + " must be a superuser (or may create roles and is a member of each owner role)."
                    : "Roles and permissions are not restored: every restored object belongs to " + who
                    + ", without the backup's grants; no role is created or changed.";
        }
        if (wholeServer) {
            return roles ? "Roles and permissions: the backup's mysql system database is restored, which replaces the "
                    + "server's accounts and their passwords with the backup's."
                    : "Roles and permissions are not restored: the backup's mysql system database (accounts and grants) "
                    + "is skipped.";
        }
        return roles ? "Roles and permissions: accounts the backup records that the server lacks are created as they "
                + "were (with their passwords), accounts that exist are left as they are, definers are kept and the "
                + "backup's grants apply to the restored database."
                : "Roles and permissions are not restored: views, routines, triggers and events are defined by " + who
                + "; no account is created or changed, and no grant is given.";
    }

    /**
     * @param data     what the target holds, in words ("3 collections, 400 documents, among them orders (120
     *                 documents)" when some chosen MongoDB collections are there), or null when it is empty
     * @param replaced what of it the restore replaces, in words, or null when nothing: {@code data}, except for a
     *                 restore of some MongoDB collections, which replaces only those of them the target has
     */
    private record Existing(boolean exists, String data, String replaced) {

        Existing(boolean exists, String data) {
            this(exists, data, data);
        }
    }

    /**
     * The tables (MongoDB: collections) asked for, checked against what the backup holds (its recorded contents).
     * MongoDB collections are named as the contents list them, without the database ({@code orders}).
     */
    private List<String> checkTables(Job backup, SourceKind kind, List<String> tables, boolean wholeServer) {
        if (tables.isEmpty()) {
            return List.of();
        }
        if (kind != SourceKind.POSTGRESQL && kind != SourceKind.MYSQL && kind != SourceKind.MONGODB) {
            throw ProblemException.invalid("tables", "Single tables restore from PostgreSQL and MySQL/MariaDB "
                    + "backups, single collections from MongoDB backups; restore this " + kind.displayName()
                    + " backup whole (into a new database, to be safe).");
        }
        String noun = kind == SourceKind.MONGODB ? "collection" : "table";
        if (wholeServer) {
            throw ProblemException.invalid("tables", "Single " + noun + "s restore from backups of one database; this "
                    + "backup holds every database of its server.");
        }
        if (backup.contents() != null) {
            java.util.Set<String> known = new java.util.HashSet<>();
            json.readTree(backup.contents()).path("databases").forEach(db -> db.path("tables")
                    .forEach(t -> known.add(t.path("name").asText())));
            List<String> unknown = tables.stream().filter(t -> !known.contains(t)).toList();
            if (!known.isEmpty() && !unknown.isEmpty()) {
                throw ProblemException.invalid("tables", "The backup has no " + noun + " " + String.join(", ", unknown)
                        + "; it holds " + String.join(", ", known.stream().sorted().limit(20).toList())
                        + (known.size() > 20 ? ", …" : "") + ".");
            }
        }
        return tables;
    }

    /**
     * Whether the target exists, what it holds and what of that the restore would replace. A restore of some MongoDB
     * collections ({@code only} not empty) replaces only the chosen collections the target already has; its other
     * collections are left as they are.
     */
    private static Existing existing(DatabaseAdapter adapter, ConnectionSpec spec, SourceKind kind, List<String> only) {
        if (kind == SourceKind.SQLITE) {
            Path file = spec.file();
            try {
                if (!Files.exists(file)) {
                    return new Existing(false, null);
                }
                long size = Files.size(file);
                return new Existing(true, size == 0 ? null : "a file of " + NumberFormat.getIntegerInstance(Locale.ROOT)
                        .format(size) + " bytes");
            } catch (IOException e) {
                throw unreachable(spec, e.getMessage());
            }
        }
        DatabaseDescription d;
        try {
            d = adapter.describe(spec);
        } catch (DatabaseException e) {
            if (e.status() == CheckStatus.DATABASE_MISSING) {
                return new Existing(false, null);
            }
            throw unreachable(spec, e.getMessage());
        }
        NumberFormat n = NumberFormat.getIntegerInstance(Locale.ROOT);
        List<String> clash = new ArrayList<>();
        for (DatabaseInfo db : d.databases()) {
            for (var o : db.objects()) {
                if (only.contains(o.name())) {
                    clash.add(o.name() + (o.count() < 0 ? " (a view)" : " (" + n.format(o.count())
                            + (o.count() == 1 ? " document)" : " documents)")));
                }
            }
        }
        clash.sort(null);
        String replaced = clash.isEmpty() ? null : (clash.size() == 1 ? "collection " : "collections ")
                + String.join(", ", clash);
        long objects = 0;
        long rows = 0;
        for (DatabaseInfo db : d.databases()) {
            if (spec.allDatabases() && isSystemDatabase(kind, db.name())) {
                continue;
            }
            objects += db.objects().size();
            rows += Math.max(0, db.totalCount());
        }
        if (objects == 0) {
            return new Existing(true, null, replaced);
        }
        String unit = switch (kind) {
            case REDIS -> "keyspace";
            case MONGODB -> "collection";
            default -> "table";
        };
        String rowUnit = kind == SourceKind.REDIS ? "key" : kind == SourceKind.MONGODB ? "document" : "row";
        String data = n.format(objects) + " " + unit + (objects == 1 ? "" : "s") + ", " + n.format(rows) + " " + rowUnit
                + (rows == 1 ? "" : "s");
        if (only.isEmpty()) {
            return new Existing(true, data);
        }
        return new Existing(true, replaced == null ? data : data + ", among them " + String.join(", ", clash), replaced);
    }

    private static boolean isSystemDatabase(SourceKind kind, String name) {
        return switch (kind) {
            case POSTGRESQL -> name.equals("postgres") || name.startsWith("template");
            case MYSQL -> List.of("mysql", "sys", "information_schema", "performance_schema").contains(name);
            case MONGODB -> List.of("admin", "local", "config").contains(name);
            default -> false;
        };
    }

    private static ProblemException unreachable(ConnectionSpec spec, String message) {
        return new ProblemException(HttpStatus.BAD_GATEWAY, "Restore target unavailable",
                "Cairn cannot look at the restore target " + spec.target() + ": " + message, Map.of());
    }

    private String newDatabaseName(String original) {
        String stamp = "_restored_" + STAMP.format(clock.instant());
        String base = original.replaceAll("[^A-Za-z0-9_$-]", "_");
        return base.substring(0, Math.min(base.length(), 63 - stamp.length())) + stamp;
    }

    /** The one file of a database backup's snapshot: the dump. */
    private String dumpFile(Job backup) {
        try (Repository repo = repositories.open(new RepositoryId(backup.repositoryId()))) {
            SnapshotBrowser browser = new SnapshotBrowser(repo, repo.findSnapshot(backup.snapshotId()));
            List<SnapshotEntry> files = browser.children(browser.root()).stream().filter(SnapshotEntry::isFile).toList();
            if (files.size() != 1) {
                throw ProblemException.conflict("Backup " + backup.id() + " should hold one dump file and holds "
                        + files.size() + "; restore it with the command line (cairn restore --help).");
            }
            return files.get(0).path();
        } catch (IOException e) {
            throw repositoryUnavailable(e);
        }
    }

    static ProblemException repositoryUnavailable(IOException e) {
        return new ProblemException(HttpStatus.SERVICE_UNAVAILABLE, "Repository unavailable",
                "Cairn cannot read the backup from its repository: " + e.getMessage(), Map.of());
    }

    // ---- folders ----

    private RestorePlan planFolder(Job backup, Source source, RestoreRequest request) {
        if (request.database() != null || request.overwrite() != null || !request.tables().isEmpty()
                || request.flushFirst() != null || request.rolesRequested()) {
            throw ProblemException.invalid("database", "A folder backup restores into a folder: give \"path\" or "
                    + "\"original\", and \"overwritePolicy\".");
        }
        List<String> includes = new ArrayList<>();
        for (String include : request.includes()) {
            if (!include.startsWith("/")) {
                throw ProblemException.invalid("includes", "\"" + include + "\" is not a path of the backup: paths "
                        + "start with / (e.g. " + source.path() + ").");
            }
            try {
                Restorer.splitSnapshotPath(include);
            } catch (RepositoryException e) {
                throw ProblemException.invalid("includes", "\"" + include + "\" is not allowed: " + e.getMessage());
            }
            includes.add(include);
        }
        String policy = request.overwritePolicy() == null ? "NEVER" : request.overwritePolicy().toUpperCase(Locale.ROOT)
                .replace('-', '_');
        if (!List.of("NEVER", "IF_NEWER", "ALWAYS").contains(policy)) {
            throw ProblemException.invalid("overwritePolicy", "\"" + request.overwritePolicy() + "\" is not a policy: "
                    + "use NEVER (keep existing files), IF_NEWER or ALWAYS.");
        }
        List<String> notes = new ArrayList<>();
        Path folder;
        String where;
        String existing;
        if (request.toOriginal()) {
            if (request.path() != null) {
                throw ProblemException.invalid("path", "Give either a folder (\"path\") or \"original\", not both.");
            }
            folder = Path.of("/");
            if (includes.isEmpty()) {
                includes.add(source.path());
            }
            where = "the original location" + (includes.size() == 1 ? ", " + includes.get(0) : " (" + String.join(", ", includes) + ")");
            existing = describeExisting(includes.stream().map(Path::of).toList());
        } else {
            folder = request.path() != null ? absolutePath("path", request.path())
                    : properties.resolvedDataDir().resolve("restores")
                    .resolve(slug(source.name()) + "-backup-" + backup.id() + "-" + STAMP.format(clock.instant()));
            refuseRepositoryFolders(folder);
            where = "folder " + folder + (Files.exists(folder) ? "" : " (new)");
            existing = describeExisting(List.of(folder));
            notes.add("The backup's full paths are kept below the folder: " + folder
                    + (includes.isEmpty() ? source.path() : includes.get(0)) + ".");
        }
        boolean overwrites = existing != null && !policy.equals("NEVER");
        if (existing != null && policy.equals("NEVER")) {
            notes.add("Files that already exist there are kept as they are (policy: never overwrite).");
        }
        String confirmation = request.toOriginal() ? String.join(", ", includes) : folder.toString();
        return new RestorePlan(TargetKind.FOLDER, where, folder.toString(), existing, overwrites, confirmation,
                new RestorePlan.Details(null, false, folder.toString(), List.copyOf(includes), policy, null, List.of(),
                        false, false), notes);
    }

    private static String describeExisting(List<Path> paths) {
        long entries = 0;
        for (Path p : paths) {
            if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                entries++;
            } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                try (Stream<Path> list = Files.list(p)) {
                    entries += list.count();
                } catch (IOException | UncheckedIOException e) {
                    entries++;
                }
            }
        }
        return entries == 0 ? null : NumberFormat.getIntegerInstance(Locale.ROOT).format(entries)
                + (entries == 1 ? " existing entry" : " existing entries");
    }

    /** Restoring into a repository's own folder could damage it: refused. */
    private void refuseRepositoryFolders(Path folder) {
        for (ManagedRepository r : repositories.list()) {
            if (!"local".equalsIgnoreCase(r.kind()) || r.location() == null) {
                continue;
            }
            Path repo = Path.of(r.location()).toAbsolutePath().normalize();
            if (folder.startsWith(repo) || repo.startsWith(folder) && !folder.equals(Path.of("/"))) {
                throw ProblemException.invalid("path", "Cairn does not restore into or over the repository \""
                        + r.name() + "\" (" + repo + "); choose another folder.");
            }
        }
    }

    /** An absolute path, refused with a clear message when relative or when it climbs with "..". */
    private static Path absolutePath(String field, String raw) {
        if (raw.indexOf('\0') >= 0 || raw.contains("\\")) {
            throw ProblemException.invalid(field, "\"" + raw.replace("\0", "\\0") + "\" is not a path Cairn accepts.");
        }
        Path p = Path.of(raw);
        if (!p.isAbsolute()) {
            throw ProblemException.invalid(field, "\"" + raw + "\" is relative; give an absolute path on the server "
                    + "(e.g. /srv/restores/shop).");
        }
        for (Path part : p) {
            if (part.toString().equals("..")) {
                throw ProblemException.invalid(field, "\"" + raw + "\" climbs with \"..\"; give the folder as a plain "
                        + "absolute path.");
            }
        }
        return p.normalize();
    }

    private static String slug(String name) {
        String s = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-+|-+$)", "");
        return s.isEmpty() ? "source" : s.substring(0, Math.min(40, s.length()));
    }
}
