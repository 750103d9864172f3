package io.cairn.server.job;

import io.cairn.engine.archiver.Archiver;
import io.cairn.engine.archiver.BackupOptions;
import io.cairn.engine.archiver.BackupResult;
import io.cairn.engine.browse.SnapshotBrowser;
import io.cairn.engine.dump.ArchiveFormat;
import io.cairn.engine.dump.SnapshotDumper;
import io.cairn.engine.progress.ProgressEvent;
import io.cairn.engine.repository.Repository;
import io.cairn.engine.repository.RepositoryException;
import io.cairn.engine.snapshot.SnapshotRef;
import io.cairn.server.repository.RepositoryId;
import io.cairn.server.repository.RepositoryService;
import io.cairn.server.source.Source;
import io.cairn.server.source.SourceType;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs one job: backs the source up into a snapshot tagged {@code source-<id>} and {@code job-<id>} (a database
 * also {@code kind-<kind>} and {@code database-<name>}) while describing it on a thread of its own, optionally
 * reads the snapshot back in full to verify it, and reports what happened. Progress goes to
 * {@link JobProgressSink}; the outcome is returned, never thrown.
 */
final class BackupExecution {

    /**
     * How a job ended; the figures are the snapshot's own (exact) when there is one, else -1.
     */
    record Outcome(JobStatus status, String snapshotId, String error, long bytesRead, long bytesAdded, long files) {
        static Outcome failed(JobStatus status, String error) {
            return new Outcome(status, null, error, -1, -1, -1);
        }
    }

    private final Job job;
    private final Source source;
    private final SourceReader reader;
    private final RepositoryService repositories;
    private final JobProgressSink sink;
    private final Clock clock;
    private final JsonMapper json;
    /** Where a backup of paths keeps what it found in each directory (see the engine's DirectoryCache). */
    private final Path directoryCache;
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final AtomicReference<ProgressEvent.Status> lastStatus = new AtomicReference<>();
    private volatile String phase = "starting";

    BackupExecution(Job job, Source source, SourceReader reader, RepositoryService repositories, JobProgressSink sink,
                    Clock clock, JsonMapper json, Path directoryCache) {
        this.job = job;
        this.source = source;
        this.reader = reader;
        this.repositories = repositories;
        this.sink = sink;
        this.clock = clock;
        this.json = json;
        this.directoryCache = directoryCache;
    }

    Job job() {
        return job;
    }

    Source source() {
        return source;
    }

    String phase() {
        return phase;
    }

    ProgressEvent.Status lastStatus() {
        return lastStatus.get();
    }

    void cancel() {
        cancelled.set(true);
        reader.cancel();
    }

    boolean isCancelled() {
        return cancelled.get();
    }

    Outcome run() {
        sink.log(job, "INFO", "Backing up " + source.type().label() + " " + source.location() + " ("
                + job.type().name().toLowerCase() + (job.verify() ? ", verified afterwards" : "") + ")");
        // What the source holds is learnt beside the backup, not before it: describing a database is a few
        // catalogue queries on a connection of its own, and the dump need not wait for them.
        CompletableFuture<Map<String, Object>> description = describeAside();
        try (Repository repo = repositories.open(new RepositoryId(job.repositoryId()))) {
            phase(source.type().isDatabase() ? "dumping" : "reading files");
            Archiver archiver = new Archiver(repo, options(repo), this::onEvent)
                    .onCommandOutput(line -> sink.log(job, "WARN", line));
            BackupResult result;
            try {
                result = reader.backup(archiver);
            } catch (Exception e) {
                throw describeFailure(description).orElse(e);
            }
            recordDescription(description);
            for (String warning : result.warnings().stream().limit(100).toList()) {
                sink.log(job, "WARN", warning);
            }
            if (result.warnings().size() > 100) {
                sink.log(job, "WARN", (result.warnings().size() - 100) + " more warnings not shown");
            }
            var summary = result.snapshot().summary();
            sink.log(job, "INFO", "Snapshot " + result.snapshotId().substring(0, 8) + " saved: "
                    + summary.totalFiles() + " files, " + Math.max(summary.totalBytes(), summary.bytesRead()) + " bytes, "
                    + summary.dataAdded() + " bytes of new data (" + summary.dataAddedPacked() + " stored)");
            if (job.verify()) {
                phase("verifying");
                verify(repo, result.snapshotId());
                sink.log(job, "INFO", "Verified: every file of the snapshot reads back and authenticates.");
            }
            // A stream's size is its summary's totalBytes since 2026-12-03; what was read, in older snapshots.
            return new Outcome(JobStatus.SUCCEEDED, result.snapshotId(), null,
                    Math.max(summary.totalBytes(), summary.bytesRead()), summary.dataAdded(), summary.totalFiles());
        } catch (Exception e) {
            if (cancelled.get()) {
                sink.log(job, "WARN", "Cancelled; no snapshot was saved.");
                return Outcome.failed(JobStatus.CANCELLED, "Cancelled by a user; no snapshot was saved.");
            }
            String message = describe(e);
            sink.log(job, "ERROR", message);
            return Outcome.failed(JobStatus.FAILED, message);
        }
    }

    /** Starts describing the source on a thread of its own. */
    private CompletableFuture<Map<String, Object>> describeAside() {
        CompletableFuture<Map<String, Object>> description = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                description.complete(reader.describe());
            } catch (Throwable e) {
                description.completeExceptionally(e);
            }
        }, "cairn-describe-" + job.id().value());
        t.setDaemon(true);
        t.start();
        return description;
    }

    /**
     * When the backup failed: the description's failure, if it failed too. It is the clearer of the two (a
     * wrong password or a missing path in plain words, where a dump tool's exit is less direct), and the
     * one a job reported before the two ran side by side.
     */
    private static Optional<Exception> describeFailure(CompletableFuture<Map<String, Object>> description) {
        try {
            description.join();
            return Optional.empty();
        } catch (CompletionException e) {
            return e.getCause() instanceof Exception cause ? Optional.of(cause) : Optional.empty();
        } catch (CancellationException e) {
            return Optional.empty();
        }
    }

    /**
     * Records what the snapshot holds. A source that could be backed up but not described (a user allowed to
     * dump but not to read the catalogue) still gets its snapshot; the log says what is missing.
     */
    private void recordDescription(CompletableFuture<Map<String, Object>> description) throws IOException {
        Map<String, Object> contents;
        try {
            contents = description.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            sink.log(job, "WARN", "The backup is complete, but what it holds (tables and row counts) could not be "
                    + "listed: " + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage()));
            return;
        }
        if (contents != null && !contents.isEmpty()) {
            sink.contents(job, json.writeValueAsString(contents));
            sink.log(job, "INFO", Contents.summary(contents));
        }
    }

    private BackupOptions options(Repository repo) throws IOException {
        BackupOptions o = BackupOptions.defaults()
                .withForce(job.type() == BackupType.FULL)
                .withTags(tags())
                .withParent(parentSnapshot(repo));
        if (source.type() == SourceType.PATH) {
            o = o.withIncludes(source.includes()).withExcludes(source.excludes()).withCacheDirectory(directoryCache);
        }
        if (job.compression() != null) {
            o = o.withCompression(job.compression());
        }
        return o;
    }

    /**
     * {@code source-<id>} and {@code job-<id>}; for a database also {@code kind-<postgresql|mysql|redis|mongodb|sqlite>}
     * and, when the source names one, {@code database-<name>}, so that the repository alone tells what a
     * snapshot's dump is ({@code cairn restore --to-...} reads them).
     */
    private List<String> tags() {
        List<String> tags = new ArrayList<>(List.of("source-" + source.id().value(), "job-" + job.id().value()));
        if (source.type().isDatabase()) {
            tags.add("kind-" + source.type().name().toLowerCase(Locale.ROOT));
            if (source.database() != null && !source.database().isBlank()) {
                tags.add("database-" + source.database());
            }
        }
        return tags;
    }

    /** The newest snapshot of this source, so incremental runs compare with it; "" (none) for the first. */
    private String parentSnapshot(Repository repo) throws IOException {
        String tag = "source-" + source.id().value();
        return repo.snapshots().stream().filter(s -> s.snapshot().tags().contains(tag))
                .max(Comparator.comparing(s -> s.snapshot().time())).map(SnapshotRef::id).orElse("");
    }

    private void verify(Repository repo, String snapshotId) throws IOException {
        SnapshotBrowser browser = new SnapshotBrowser(repo, repo.loadSnapshot(snapshotId));
        new SnapshotDumper(browser).writeArchive(browser.root(), ArchiveFormat.TAR, OutputStream.nullOutputStream());
    }

    private void onEvent(ProgressEvent event) {
        if (event instanceof ProgressEvent.Status s) {
            lastStatus.set(s);
            sink.progress(this);
        } else if (event instanceof ProgressEvent.Warning w && !source.type().isDatabase()) {
            sink.log(job, "WARN", w.path() + ": " + w.message());
        }
    }

    private void phase(String p) {
        phase = p;
        sink.progress(this);
    }

    Instant startedAt() {
        return job.startedAt() != null ? job.startedAt() : clock.instant();
    }

    Duration elapsed() {
        return Duration.between(startedAt(), clock.instant());
    }

    private static String describe(Exception e) {
        String m = e.getMessage();
        if (e instanceof RepositoryException || (m != null && !m.isBlank())) {
            return m;
        }
        return e.getClass().getSimpleName();
    }
}
