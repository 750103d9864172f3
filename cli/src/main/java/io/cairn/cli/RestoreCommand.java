package io.cairn.cli;

import io.cairn.dumps.DatabaseInfo;
import io.cairn.dumps.ObjectInfo;
import io.cairn.engine.crypto.CipherWarmUp;
import io.cairn.engine.repository.Repository;
import io.cairn.engine.restorer.OverwritePolicy;
import io.cairn.engine.restorer.RestoreOptions;
import io.cairn.engine.restorer.RestoreResult;
import io.cairn.engine.restorer.Restorer;
import io.cairn.engine.snapshot.SnapshotRef;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cairn restore}: writes a snapshot (or parts of it) into a directory ({@code --target}), or
 * loads the database dump a snapshot holds into a database ({@code --to-postgres}, {@code --to-mysql},
 * {@code --to-redis}, {@code --to-mongodb}, {@code --to-sqlite}; see {@link DatabaseRestore}).
 */
@Command(name = "restore", description = {"Restore a snapshot into a directory (--target), or the database dump it "
        + "holds into a database (--to-postgres, --to-mysql, --to-redis, --to-mongodb, --to-sqlite)."})
final class RestoreCommand implements Callable<Integer> {

    @Mixin
    RepositoryOptions repo;
    @Mixin
    Output output;
    @Mixin
    DatabaseTargetOptions database;

    @Parameters(index = "0", paramLabel = "SNAPSHOT", description = "Snapshot id (or prefix), or 'latest'.")
    String snapshot;

    @Option(names = {"-t", "--target"}, paramLabel = "DIR", description = "Directory to restore into.")
    Path target;

    @Option(names = {"-i", "--include"}, paramLabel = "PATH",
            description = "Only restore this snapshot path and what is below it (repeatable), e.g. /home/ann/docs.")
    List<String> includes = new ArrayList<>();

    @Option(names = "--overwrite", paramLabel = "WHEN", defaultValue = "always", description = "What to do with a file "
            + "or symlink already at the target: always replace it (default), replace it if-newer (the snapshot's is "
            + "newer), or never (keep it; counted as skipped).")
    String overwrite;

    @Override
    public Integer call() throws Exception {
        OverwritePolicy policy = OverwritePolicy.parse(overwrite);
        if (database.given()) {
            if (target != null || !includes.isEmpty() || policy != OverwritePolicy.ALWAYS) {
                throw new IllegalArgumentException("--target, --include and --overwrite restore files; a database "
                        + "restore (" + DatabaseRestore.option(database.targetKind()) + ") takes --db-... options, "
                        + "--create-database and --overwrite-database instead");
            }
            return restoreDatabase();
        }
        if (target == null) {
            throw new IllegalArgumentException("say where to restore to: --target DIR for files, or --to-postgres, "
                    + "--to-mysql, --to-redis, --to-mongodb or --to-sqlite FILE for a database dump");
        }
        List<String> databaseOnly = database.databaseOptionsGiven();
        if (!databaseOnly.isEmpty()) {
            throw new IllegalArgumentException(String.join(", ", databaseOnly) + " " + (databaseOnly.size() == 1 ? "is"
                    : "are") + " for restoring a database dump: add --to-postgres, --to-mysql, --to-redis, "
                    + "--to-mongodb or --to-sqlite FILE, or leave " + (databaseOnly.size() == 1 ? "it" : "them") + " out");
        }
        return restoreFiles(policy);
    }

    private int restoreFiles(OverwritePolicy policy) throws Exception {
        CipherWarmUp.startInBackground(); // on the second core, while the key derivation runs
        try (Repository r = repo.open()) {
            SnapshotRef snap = r.findSnapshot(snapshot);
            Restorer restorer = new Restorer(r, RestoreOptions.defaults().withIncludes(includes).withOverwrite(policy)
                    .withProgressInterval(Duration.ofMillis(output.json() ? 1000 : 250)), new ProgressPrinter(output));
            RestoreResult result = restorer.restore(snap, target);
            if (output.json()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("message_type", "summary");
                m.put("snapshot_id", snap.id());
                m.put("target", target.toAbsolutePath().toString());
                m.put("overwrite", policy.label());
                m.put("files", result.files());
                m.put("dirs", result.dirs());
                m.put("symlinks", result.symlinks());
                m.put("hardlinks", result.hardlinks());
                m.put("bytes", result.bytes());
                m.put("skipped", result.skipped());
                m.put("warnings", result.warnings());
                output.json(m);
            } else {
                output.text("restored snapshot " + snap.shortId() + " to " + target.toAbsolutePath() + ": " + result.files()
                        + " files, " + result.dirs() + " dirs, " + Output.bytes(result.bytes())
                        + (result.skipped() > 0 ? ", " + result.skipped() + " skipped (already there, --overwrite "
                        + policy.label() + ")" : ""));
            }
            return result.warnings().isEmpty() ? 0 : CairnCommand.EXIT_PARTIAL;
        }
    }

    private int restoreDatabase() throws Exception {
        var connection = database.connection();
        var declaredKind = database.declaredKind();
        try (Repository r = repo.open()) {
            SnapshotRef snap = r.findSnapshot(snapshot);
            DatabaseRestore.Outcome outcome = new DatabaseRestore(r, snap, line -> {
                if (!output.json()) {
                    System.err.println(line);
                }
            }).restore(database.file, declaredKind, connection, database.restoreOptions());
            report(outcome);
            return 0;
        }
    }

    private void report(DatabaseRestore.Outcome o) {
        var result = o.result();
        if (output.json()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("message_type", "summary");
            m.put("snapshot_id", o.snapshot().id());
            m.put("file", o.file());
            m.put("kind", DumpFormat.label(o.kind()));
            m.put("kind_from", o.kindSource().name().toLowerCase(Locale.ROOT));
            if (o.sourceDatabase() != null) {
                m.put("source_database", o.sourceDatabase());
            }
            m.put("target", result.target());
            m.put("bytes_read", result.bytesRead());
            List<Map<String, Object>> databases = new ArrayList<>();
            for (DatabaseInfo db : result.restored().databases()) {
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("name", db.name());
                d.put("rows", db.totalCount());
                List<Map<String, Object>> objects = new ArrayList<>();
                for (ObjectInfo obj : db.objects()) {
                    Map<String, Object> t = new LinkedHashMap<>();
                    t.put("name", obj.name());
                    t.put("type", obj.type().name().toLowerCase(Locale.ROOT));
                    t.put("rows", obj.count());
                    objects.add(t);
                }
                d.put("tables", objects);
                databases.add(d);
            }
            m.put("databases", databases);
            m.put("rows", result.totalCount());
            m.put("warnings", result.warnings());
            output.json(m);
            return;
        }
        output.text("restored " + o.kind().displayName() + " dump " + o.file() + " of snapshot " + o.snapshot().shortId()
                + (o.sourceDatabase() == null ? "" : " (database " + o.sourceDatabase() + ")") + " into "
                + result.target() + ": " + Output.bytes(result.bytesRead()) + " read, " + count(result.totalCount(), "row")
                + " in " + count(result.restored().databases().size(), "database"));
        for (DatabaseInfo db : result.restored().databases()) {
            output.text("  " + db.name() + ": " + count(db.objects().size(), "table") + ", " + count(db.totalCount(), "row"));
            for (ObjectInfo obj : db.objects()) {
                output.text("    " + obj.name() + " (" + obj.type().name().toLowerCase(Locale.ROOT) + ")"
                        + (obj.count() < 0 ? "" : ": " + count(obj.count(), "row")));
            }
        }
        for (String warning : result.warnings()) {
            output.text("note: " + warning);
        }
    }

    private static String count(long n, String noun) {
        return String.format(Locale.ROOT, "%,d %s%s", n, noun, n == 1 ? "" : "s");
    }
}
