package io.cairn.server.restore;

import io.cairn.dumps.ConnectionSpec;
import io.cairn.dumps.DatabaseAdapter;
import io.cairn.dumps.DatabaseInfo;
import io.cairn.dumps.ObjectInfo;
import io.cairn.dumps.SourceKind;
import io.cairn.engine.browse.SnapshotBrowser;
import io.cairn.engine.browse.SnapshotEntry;
import io.cairn.engine.progress.ProgressEvent;
import io.cairn.engine.repository.Repository;
import io.cairn.engine.repository.RepositoryLock;
import io.cairn.engine.restorer.OverwritePolicy;
import io.cairn.engine.restorer.RestoreOptions;
import io.cairn.engine.restorer.Restorer;
import io.cairn.engine.snapshot.SnapshotRef;
import io.cairn.server.job.Job;
import io.cairn.server.repository.RepositoryId;
import io.cairn.server.repository.RepositoryService;
import io.cairn.server.source.DatabaseConnections;
import io.cairn.server.source.Source;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs one restore operation: reads the backup from its repository (holding a shared lock, so prune waits)
 * and writes it into the planned target, saving its step and progress as it goes. Returns what it restored
 * as a map for the operation's {@code result}; throws with a message a person can act on when it fails.
 */
final class RestoreExecution {

    /** Two steps whatever the target: validate the backup, then restore it. */
    static final int STEPS = 2;
    private static final Duration SAVE_EVERY = Duration.ofMillis(500);

    private final Restore restore;
    private final Job backup;
    private final Source source;
    private final RestorePlan plan;
    private final RepositoryService repositories;
    private final DatabaseConnections databases;
    private final Restores restores;
    private final Clock clock;
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final AtomicLong current = new AtomicLong();
    private volatile Long total;
    private volatile Instant lastSaved = Instant.EPOCH;
    private volatile Thread thread;

    RestoreExecution(Restore restore, Job backup, Source source, RestorePlan plan, RepositoryService repositories,
                     DatabaseConnections databases, Restores restores, Clock clock) {
        this.restore = restore;
        this.backup = backup;
        this.source = source;
        this.plan = plan;
        this.repositories = repositories;
        this.databases = databases;
        this.restores = restores;
        this.clock = clock;
    }

    Restore restore() {
        return restore;
    }

    boolean isCancelled() {
        return cancelled.get();
    }

    void cancel() {
        cancelled.set(true);
        Thread t = thread;
        if (t != null) {
            // The file restorer stops at its next wait and removes unfinished files; a database restore tool is
            // killed (while it reads the dump, at its next read; after it, while Cairn waits for it to end).
            t.interrupt();
        }
    }

    Map<String, Object> run() throws IOException {
        thread = Thread.currentThread();
        if (cancelled.get()) {
            throw new IOException("cancelled");
        }
        try {
            restores.step(restore.id(), 1, "Validating backup");
            try (Repository repo = repositories.open(new RepositoryId(backup.repositoryId()));
                 RepositoryLock lock = RepositoryLock.acquire(repo, false, "restore", Duration.ofMinutes(1))) {
                SnapshotRef snapshot = repo.findSnapshot(backup.snapshotId());
                checkNotCancelled();
                return plan.kind() == TargetKind.DATABASE ? restoreDatabase(repo, snapshot) : restoreFolder(repo, snapshot);
            }
        } finally {
            thread = null;
            Thread.interrupted(); // a cancel's interrupt must not outlive this restore on the pooled thread
            saveProgress(true);
        }
    }

    private Map<String, Object> restoreDatabase(Repository repo, SnapshotRef snapshot) throws IOException {
        RestorePlan.Details d = plan.details();
        SnapshotBrowser browser = new SnapshotBrowser(repo, snapshot);
        SnapshotEntry dump = browser.resolve(d.dumpFile());
        total = dump.node().size();
        SourceKind kind = DatabaseConnections.kindOf(source.type());
        DatabaseAdapter adapter = databases.adapter(source);
        ConnectionSpec spec = kind == SourceKind.SQLITE ? ConnectionSpec.sqlite(Path.of(d.database()))
                : databases.spec(source).withDatabase(d.database());
        io.cairn.dumps.RestoreOptions options = new io.cairn.dumps.RestoreOptions(d.createDatabase(),
                restore.overwrites() || d.flushFirst(), null, d.tables(), d.flushFirst(), d.withRoles());
        restores.step(restore.id(), 2, "Restoring " + plan.target());
        io.cairn.dumps.RestoreResult r;
        try (InputStream in = new Watched(browser.openContent(dump))) {
            r = adapter.restore(spec, in, options);
        }
        // Once the tool succeeded, the restore is done: a cancel that came too late does not undo it.
        Map<String, Object> out = new LinkedHashMap<>();
        List<Map<String, Object>> dbs = new ArrayList<>();
        long tables = 0;
        long rows = 0;
        for (DatabaseInfo db : r.restored().databases()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", db.name());
            List<Map<String, Object>> objects = new ArrayList<>();
            for (ObjectInfo o : db.objects()) {
                if (!d.tables().isEmpty() && !d.tables().contains(o.name())) {
                    continue; // the target's other tables were not restored: the summary counts what was
                }
                objects.add(Map.of("name", o.name(), "type", o.type().name(), "rows", o.count()));
                tables++;
                rows += Math.max(0, o.count());
            }
            m.put("tables", objects);
            dbs.add(m);
        }
        out.put("databases", dbs.size());
        out.put("tables", tables);
        out.put("rows", rows);
        out.put("bytes", r.bytesRead());
        out.put("target", r.target());
        out.put("warnings", r.warnings());
        out.put("restored", dbs);
        return out;
    }

    private Map<String, Object> restoreFolder(Repository repo, SnapshotRef snapshot) throws IOException {
        RestorePlan.Details d = plan.details();
        restores.step(restore.id(), 2, "Restoring files to " + plan.target());
        RestoreOptions options = RestoreOptions.defaults().withIncludes(d.includes())
                .withOverwrite(OverwritePolicy.valueOf(d.overwritePolicy()))
                .withProgressInterval(Duration.ofMillis(500));
        Restorer restorer = new Restorer(repo, options, event -> {
            if (event instanceof ProgressEvent.Status s) {
                current.set(s.bytesDone());
                total = s.bytesTotal() > 0 ? s.bytesTotal() : total;
                saveProgress(false);
            }
        });
        io.cairn.engine.restorer.RestoreResult r = restorer.restore(snapshot, Path.of(d.folder()));
        current.set(r.bytes());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("files", r.files());
        out.put("folders", r.dirs());
        out.put("symlinks", r.symlinks());
        out.put("skipped", r.skipped());
        out.put("bytes", r.bytes());
        out.put("target", d.folder());
        out.put("warnings", r.warnings());
        return out;
    }

    private void checkNotCancelled() throws IOException {
        if (cancelled.get()) {
            throw new IOException("cancelled");
        }
    }

    private void saveProgress(boolean force) {
        Instant now = clock.instant();
        if (force || Duration.between(lastSaved, now).compareTo(SAVE_EVERY) >= 0) {
            lastSaved = now;
            restores.progress(restore.id(), current.get(), total);
        }
    }

    /** Counts what the restore tool reads, and ends the stream when the restore is cancelled. */
    private final class Watched extends FilterInputStream {
        Watched(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            checkNotCancelled();
            int b = super.read();
            if (b >= 0) {
                current.incrementAndGet();
                saveProgress(false);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            checkNotCancelled();
            int n = super.read(b, off, len);
            if (n > 0) {
                current.addAndGet(n);
                saveProgress(false);
            }
            return n;
        }
    }
}
