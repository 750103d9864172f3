package io.cairn.cli;

import io.cairn.dumps.CheckStatus;
import io.cairn.dumps.ConnectionSpec;
import io.cairn.dumps.DatabaseAdapters;
import io.cairn.dumps.DatabaseException;
import io.cairn.dumps.RestoreOptions;
import io.cairn.dumps.RestoreResult;
import io.cairn.dumps.SourceKind;
import io.cairn.engine.browse.SnapshotBrowser;
import io.cairn.engine.browse.SnapshotEntry;
import io.cairn.engine.crypto.CorruptObjectException;
import io.cairn.engine.repository.Repository;
import io.cairn.engine.repository.RepositoryException;
import io.cairn.engine.snapshot.SnapshotRef;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Restores the database dump a snapshot holds into a database, from the repository alone.
 *
 * <p>The server stores a database backup as a snapshot with one file at its root, the dump, tagged
 * {@code kind-<postgresql|mysql|redis|mongodb|sqlite>} (and {@code database-<name>}). The dump is the
 * snapshot's only file at its root, or the one {@code --file} names. Its kind comes from the
 * {@code kind-} tag, else from its first bytes ({@link DumpFormat}), else from {@code --kind}; a target
 * of another kind is refused before anything is read or changed. The dump is streamed from the
 * repository (authenticated blob by blob) into the adapter of module {@code dumps}, which refuses a
 * non-empty target unless allowed and reports what the target holds afterwards.
 */
final class DatabaseRestore {

    /** The tag prefix naming the kind of database a snapshot holds a dump of. */
    static final String KIND_TAG = "kind-";
    /** The tag prefix naming the database a snapshot holds a dump of. */
    static final String DATABASE_TAG = "database-";

    /** How the dump's kind was learnt: {@code tag}, {@code content} or {@code option}. */
    enum KindSource { TAG, CONTENT, OPTION }

    /** What was restored, from where. */
    record Outcome(SnapshotRef snapshot, String file, SourceKind kind, KindSource kindSource, String sourceDatabase,
                   RestoreResult result) {
    }

    private final Repository repo;
    private final SnapshotRef snapshot;
    private final Consumer<String> toolOutput;

    DatabaseRestore(Repository repo, SnapshotRef snapshot, Consumer<String> toolOutput) {
        this.repo = repo;
        this.snapshot = snapshot;
        this.toolOutput = toolOutput;
    }

    /**
     * Restores the dump into {@code target}.
     *
     * @param file         the dump's path in the snapshot, or null to take the only file at its root
     * @param declaredKind what the user says the dump is ({@code --kind}), or null
     */
    Outcome restore(String file, SourceKind declaredKind, ConnectionSpec target, RestoreOptions options)
            throws IOException {
        SnapshotBrowser browser = new SnapshotBrowser(repo, snapshot);
        SnapshotEntry dump = findDump(browser, file);
        Optional<SourceKind> tagged = taggedKind();
        try (BufferedInputStream in = new BufferedInputStream(browser.openContent(dump), 1 << 16)) {
            in.mark(DumpFormat.HEAD_BYTES);
            byte[] head = in.readNBytes(DumpFormat.HEAD_BYTES);
            in.reset();
            SourceKind kind;
            KindSource kindSource;
            if (tagged.isPresent()) {
                kind = tagged.get();
                kindSource = KindSource.TAG;
            } else if (DumpFormat.recognise(head).isPresent()) {
                kind = DumpFormat.recognise(head).get();
                kindSource = KindSource.CONTENT;
            } else if (declaredKind != null) {
                kind = declaredKind;
                kindSource = KindSource.OPTION;
            } else {
                throw new IllegalArgumentException("cannot tell what kind of database dump " + dump.path() + " of snapshot "
                        + snapshot.shortId() + " is: the snapshot has no '" + KIND_TAG + "' tag and its first bytes match "
                        + "no dump format Cairn knows. If it is a dump, say which with --kind postgresql|mysql|redis|"
                        + "mongodb|sqlite");
            }
            if (declaredKind != null && declaredKind != kind) {
                throw new IllegalArgumentException("--kind " + DumpFormat.label(declaredKind) + " contradicts the snapshot: "
                        + dump.path() + " is a " + kind.displayName() + " dump (" + how(kindSource) + ")");
            }
            if (target.kind() != kind) {
                throw new IllegalArgumentException("snapshot " + snapshot.shortId() + " holds a " + kind.displayName()
                        + " dump (" + dump.path() + ", " + how(kindSource) + "); it cannot be restored into "
                        + target.kind().displayName() + ": use " + option(kind));
            }
            RestoreResult result;
            try {
                result = DatabaseAdapters.standard().forKind(kind).restore(target, in,
                        options.withToolOutput(toolOutput));
            } catch (DatabaseException | CorruptObjectException e) {
                CorruptObjectException damaged = damageIn(e);
                if (damaged != null) {
                    throw new RepositoryException("the restore of " + dump.path() + " from snapshot " + snapshot.shortId()
                            + " into " + target.target() + " stopped: repository data of the dump is damaged ("
                            + damaged.getMessage() + "). The target may hold part of the dump. Run 'cairn check "
                            + "--read-data' to see what is affected, and restore an older snapshot",
                            RepositoryException.EXIT_DAMAGED, e);
                }
                throw inCommandLineWords((DatabaseException) e, target);
            }
            return new Outcome(snapshot, dump.path(), kind, kindSource, taggedDatabase().orElse(null), result);
        }
    }

    private String how(KindSource source) {
        return switch (source) {
            case TAG -> "tag " + snapshot.snapshot().tags().stream().filter(t -> t.startsWith(KIND_TAG)).findFirst()
                    .orElse("");
            case CONTENT -> "recognised by its first bytes";
            case OPTION -> "as --kind says";
        };
    }

    /** The {@code --to-...} option restoring a dump of {@code kind}. */
    static String option(SourceKind kind) {
        return switch (kind) {
            case POSTGRESQL -> "--to-postgres";
            case MYSQL -> "--to-mysql";
            case REDIS -> "--to-redis";
            case MONGODB -> "--to-mongodb";
            case SQLITE -> "--to-sqlite FILE";
        };
    }

    /** The dump: the file {@code --file} names, else the only file at the snapshot's root. */
    private SnapshotEntry findDump(SnapshotBrowser browser, String file) throws IOException {
        if (file != null) {
            SnapshotEntry entry = browser.resolve(file.startsWith("/") ? file : "/" + file);
            if (!entry.isFile()) {
                throw new IllegalArgumentException("--file " + file + " is a " + entry.type().label() + " in snapshot "
                        + snapshot.shortId() + ", not a dump file");
            }
            return entry;
        }
        List<SnapshotEntry> files = browser.children(browser.root()).stream().filter(SnapshotEntry::isFile).toList();
        if (files.isEmpty()) {
            throw new RepositoryException("snapshot " + snapshot.shortId() + " holds no database dump: there is no file at "
                    + "its root (a database backup is one dump file there). Restore its files with --target DIR, or "
                    + "pick a dump inside it with --file PATH", RepositoryException.EXIT_FAILURE);
        }
        if (files.size() > 1) {
            throw new IllegalArgumentException("snapshot " + snapshot.shortId() + " holds " + files.size() + " files at "
                    + "its root (" + String.join(", ", files.stream().limit(5).map(SnapshotEntry::path).toList())
                    + (files.size() > 5 ? ", ..." : "") + "): choose the dump with --file PATH");
        }
        return files.get(0);
    }

    private Optional<SourceKind> taggedKind() {
        return snapshot.snapshot().tags().stream().filter(t -> t.startsWith(KIND_TAG))
                .map(t -> DumpFormat.kindOf(t.substring(KIND_TAG.length()))).flatMap(Optional::stream).findFirst();
    }

    private Optional<String> taggedDatabase() {
        return snapshot.snapshot().tags().stream().filter(t -> t.startsWith(DATABASE_TAG))
                .map(t -> t.substring(DATABASE_TAG.length())).findFirst();
    }

    /** The damaged repository data behind an adapter's failure to read the dump, if that is the cause. */
    private static CorruptObjectException damageIn(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof CorruptObjectException c) {
                return c;
            }
        }
        return null;
    }

    /**
     * The adapter's failure with the options that resolve it named: a non-empty target needs
     * {@code --overwrite-database}, a missing one {@code --create-database}, a one-database dump a
     * {@code --db-name}, roles {@code --with-roles} (or its absence). Exit code {@link CairnCommand#EXIT_DATABASE_TARGET} for the first two, else 1.
     */
    static RepositoryException inCommandLineWords(DatabaseException e, ConnectionSpec target) {
        String message = e.getMessage()
                .replace("or choose to overwrite", "or add --overwrite-database")
                .replace(": choose to overwrite", ": add --overwrite-database")
                .replace("restore with the option to create it", "add --create-database")
                .replace("restore without roles and permissions", "restore without --with-roles")
                .replace("restore with roles and permissions", "restore with --with-roles");
        int code = RepositoryException.EXIT_FAILURE;
        if (e.status() == CheckStatus.TARGET_NOT_EMPTY) {
            code = CairnCommand.EXIT_DATABASE_TARGET;
            if (!message.contains("--overwrite-database")) {
                message += "; to restore over what is there, add --overwrite-database";
            }
        } else if (e.status() == CheckStatus.DATABASE_MISSING) {
            code = CairnCommand.EXIT_DATABASE_TARGET;
            if (target.allDatabases() && message.contains("name the database")) {
                message += " with --db-name NAME";
            } else if (!message.contains("--create-database") && target.kind() != SourceKind.REDIS) {
                message += "; add --create-database to create it";
            }
        }
        return new RepositoryException("restore into " + target.kind().displayName() + " " + target.target()
                + " failed: " + message, code, e);
    }
}
