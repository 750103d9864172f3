package io.cairn.server.snapshot;

import io.cairn.engine.concurrent.TreeWalkThreads;
import io.cairn.engine.browse.DiffEntry;
import io.cairn.engine.browse.DiffSummary;
import io.cairn.engine.browse.SnapshotBrowser;
import io.cairn.engine.browse.SnapshotDiff;
import io.cairn.engine.browse.SnapshotEntry;
import io.cairn.engine.dump.ArchiveFormat;
import io.cairn.engine.dump.SnapshotDumper;
import io.cairn.engine.repository.Repository;
import io.cairn.engine.repository.RepositoryException;
import io.cairn.server.audit.AuditAction;
import io.cairn.server.audit.AuditLog;
import io.cairn.server.audit.AuditOutcome;
import io.cairn.server.job.Job;
import io.cairn.server.job.JobId;
import io.cairn.server.job.JobService;
import io.cairn.server.problem.ProblemException;
import io.cairn.server.repository.RepositoryId;
import io.cairn.server.repository.RepositoryService;
import io.cairn.server.user.CairnPrincipal;
import io.cairn.server.user.Role;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.zip.GZIPOutputStream;
import org.springframework.core.io.Resource;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The feature's API: open a backup for browsing (a browse session, "mount"), list and search its
 * files from the snapshot's catalog, preview a text file with secrets redacted, download a file (with
 * ranges) or folders as an archive, sign short-lived download links, close sessions, and compare two
 * backups of a source. Every session opened or closed, every download and preview is audited.
 *
 * <p>Access: routes need OPERATOR (see RouteAccess); a session is used and closed only by its owner or
 * an admin, and to anyone else it does not exist (404).
 */
@Service
public class BrowseService {

    /** A session ends after this long unused; each use starts it again. */
    public static final Duration IDLE_TIMEOUT = Duration.ofHours(1);
    /** How long a signed download link works. */
    public static final Duration LINK_LIFETIME = Duration.ofMinutes(5);
    /** How much of a file a preview shows. */
    public static final int PREVIEW_BYTES = 64 * 1024;
    /** The largest page of a listing. */
    public static final int MAX_PAGE = 1000;
    private static final int MAX_DIFF_ENTRIES = 10_000;

    private final BrowseSessions sessions;
    private final SnapshotCatalogs catalogs;
    private final DownloadLinks links;
    private final JobService jobs;
    private final RepositoryService repositories;
    private final AuditLog audit;
    private final Clock clock;
    private final SecureRandom random;
    private final JsonMapper json = JsonMapper.builder().build();

    BrowseService(BrowseSessions sessions, SnapshotCatalogs catalogs, DownloadLinks links, JobService jobs,
                  RepositoryService repositories, AuditLog audit, Clock clock, SecureRandom random) {
        this.sessions = sessions;
        this.catalogs = catalogs;
        this.links = links;
        this.jobs = jobs;
        this.repositories = repositories;
        this.audit = audit;
        this.clock = clock;
        this.random = random;
    }

    // ------------------------------------------------------------------ sessions

    /** Opens a browse session on a backup; builds the snapshot's catalog if this is its first browse. */
    public BrowseSession open(long backupId, CairnPrincipal me) {
        Job job = browsable(backupId);
        catalog(job);
        Instant now = clock.instant();
        byte[] id = new byte[16];
        random.nextBytes(id);
        BrowseSession session = new BrowseSession(Base64.getUrlEncoder().withoutPadding().encodeToString(id), backupId,
                me.id().value(), me.getUsername(), now, now, now.plus(IDLE_TIMEOUT));
        sessions.deleteExpired(now);
        sessions.insert(session);
        audit.record(AuditAction.BROWSE_OPENED, "backup #" + backupId, AuditOutcome.SUCCESS,
                "session " + session.id().substring(0, 6) + "…, snapshot " + job.snapshotId().substring(0, 8));
        return session;
    }

    /** The caller's open session on a backup, or a new one (the files page uses this, so reloads reuse it). */
    public BrowseSession openOrReuse(long backupId, CairnPrincipal me) {
        var existing = sessions.findOpen(me.id().value(), backupId, clock.instant());
        return existing.isPresent() ? touch(existing.get()) : open(backupId, me);
    }

    /** Open sessions: an admin's list has everyone's, anyone else's only their own. */
    public List<BrowseSession> sessions(CairnPrincipal me) {
        return sessions.listOpen(isAdmin(me) ? null : me.id().value(), clock.instant());
    }

    /** An open session the caller may use (theirs, or anyone's for an admin), its expiry moved on. */
    public BrowseSession session(String id, CairnPrincipal me) {
        BrowseSession s = sessions.findOpen(id == null ? "" : id, clock.instant())
                .filter(found -> isAdmin(me) || found.userId() == me.id().value())
                .orElseThrow(() -> ProblemException.notFound("There is no open browse session with this id: it was "
                        + "closed, or it ended after " + IDLE_TIMEOUT.toMinutes() + " minutes unused. Open the backup "
                        + "again (POST /api/v1/restore/mount, or Browse files on the backup's page)."));
        return touch(s);
    }

    public void close(String id, CairnPrincipal me) {
        BrowseSession s = session(id, me);
        sessions.delete(s.id());
        audit.record(AuditAction.BROWSE_CLOSED, "backup #" + s.backupId(), AuditOutcome.SUCCESS,
                "session " + s.id().substring(0, 6) + "…" + (s.userId() == me.id().value() ? "" : " of " + s.username()));
    }

    private BrowseSession touch(BrowseSession s) {
        Instant now = clock.instant();
        Instant expires = now.plus(IDLE_TIMEOUT);
        sessions.touch(s.id(), now, expires);
        return new BrowseSession(s.id(), s.backupId(), s.userId(), s.username(), s.createdAt(), now, expires);
    }

    // ------------------------------------------------------------------ listing

    /**
     * A page of a folder of the session's backup, or (with {@code query}) of entries anywhere in it whose
     * name contains the query.
     */
    public SnapshotCatalog.Listing files(BrowseSession s, String path, int offset, int limit, String query) {
        int size = Math.min(Math.max(limit, 1), MAX_PAGE);
        int from = Math.max(offset, 0);
        String normalized = BrowsePaths.normalize(path);
        SnapshotCatalog catalog = catalog(jobs.get(new JobId(s.backupId())));
        try {
            if (query != null && !query.isBlank()) {
                return catalog.search(query.strip(), from, size);
            }
            return catalog.list(normalized, from, size).orElseThrow(() -> ProblemException.notFound(
                    "Backup #" + s.backupId() + " has no folder " + normalized + ". List its parent to see what it holds."));
        } catch (IOException e) {
            throw unavailable("The backup's file list could not be read", e);
        }
    }

    // ------------------------------------------------------------------ preview

    /**
     * The start of a text file with secret-looking values redacted.
     *
     * @param size      the whole file's size
     * @param truncated whether the file is longer than the preview
     * @param binary    whether it looks like binary data (then {@code text} is empty)
     * @param redacted  how many values were hidden
     */
    public record Preview(String path, long size, boolean truncated, boolean binary, String text, int redacted) {
    }

    public Preview preview(BrowseSession s, String path) {
        String normalized = BrowsePaths.normalize(path);
        Job job = jobs.get(new JobId(s.backupId()));
        try (Repository repo = openRepository(job)) {
            SnapshotBrowser browser = new SnapshotBrowser(repo, repo.loadSnapshot(job.snapshotId()));
            SnapshotEntry entry = resolve(browser, normalized, s);
            if (!entry.isFile()) {
                throw ProblemException.invalid("path", normalized + " is a " + entry.type().label()
                        + ", not a file; only files have a preview");
            }
            byte[] head;
            try (InputStream in = browser.openContent(entry)) {
                head = in.readNBytes(PREVIEW_BYTES);
            }
            long size = entry.node().size();
            audit.record(AuditAction.BROWSE_PREVIEWED, "backup #" + s.backupId(), AuditOutcome.SUCCESS, normalized);
            if (looksBinary(head)) {
                return new Preview(normalized, size, size > head.length, true, "", 0);
            }
            SecretRedaction.Result redacted = SecretRedaction.redact(decodeUtf8(head));
            return new Preview(normalized, size, size > head.length, false, redacted.text(), redacted.redacted());
        } catch (IOException e) {
            throw unavailable("The file could not be read from the repository", e);
        }
    }

    private static boolean looksBinary(byte[] head) {
        for (int i = 0; i < Math.min(head.length, 8192); i++) {
            if (head[i] == 0) {
                return true;
            }
        }
        return false;
    }

    private static String decodeUtf8(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        try {
            return decoder.decode(ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    // ------------------------------------------------------------------ downloads

    /** What a download request resolved to: one file as it is, or an archive to stream. */
    public sealed interface Download permits FileDownload, ArchiveDownload {
    }

    /** One file; Spring serves the resource, with ranges. */
    public record FileDownload(String filename, long size, Resource resource) implements Download {
    }

    /** Folders or several entries as one archive, written by {@link #writeTo}. */
    public static final class ArchiveDownload implements Download {
        private final String filename;
        private final String contentType;
        private final ArchiveWriter writer;

        ArchiveDownload(String filename, String contentType, ArchiveWriter writer) {
            this.filename = filename;
            this.contentType = contentType;
            this.writer = writer;
        }

        public String filename() {
            return filename;
        }

        public String contentType() {
            return contentType;
        }

        public void writeTo(OutputStream out) throws IOException {
            writer.write(out);
        }
    }

    @FunctionalInterface
    interface ArchiveWriter {
        void write(OutputStream out) throws IOException;
    }

    /**
     * Resolves a download: one file without a {@code format} is served as it is; a folder, a symlink,
     * several paths or any {@code format} become one archive ({@code zip}, the default, {@code tar.gz} or
     * {@code tar}). Audited here, when the download starts.
     */
    public Download download(BrowseSession s, List<String> paths, String format) {
        return download(s, paths, format, null);
    }

    private Download download(BrowseSession s, List<String> paths, String format, String viaLink) {
        List<String> normalized = normalizeAll(paths);
        String archive = archiveFormat(format);
        Job job = jobs.get(new JobId(s.backupId()));
        List<SnapshotEntry> entries = new ArrayList<>();
        try (Repository repo = openRepository(job)) {
            SnapshotBrowser browser = new SnapshotBrowser(repo, repo.loadSnapshot(job.snapshotId()));
            for (String p : normalized) {
                entries.add(resolve(browser, p, s));
            }
        } catch (IOException e) {
            throw unavailable("The backup could not be read", e);
        }
        String details = String.join(", ", normalized) + (archive == null ? "" : " as " + archive)
                + (viaLink == null ? "" : ", " + viaLink);
        if (archive == null && entries.size() == 1 && entries.get(0).isFile()) {
            SnapshotEntry file = entries.get(0);
            recordDownload(s, details, viaLink);
            Instant mtime = Instant.ofEpochSecond(0, file.node().mtimeNs());
            return new FileDownload(file.name(), file.node().size(), new SnapshotFileResource(() -> openRepository(job),
                    job.snapshotId(), file.path(), file.name(), file.node().size(), mtime));
        }
        String chosen = archive == null ? "zip" : archive;
        long names = entries.stream().map(e -> e.isRoot() ? "root" : e.name()).distinct().count();
        if (names < entries.size()) {
            throw ProblemException.invalid("path", "two selected entries have the same name; an archive cannot hold "
                    + "both at its top, so download them one at a time");
        }
        String base = entries.size() == 1 && !entries.get(0).isRoot() ? entries.get(0).name()
                : "backup-" + s.backupId();
        recordDownload(s, details.contains(" as ") ? details : details + " as " + chosen, viaLink);
        return new ArchiveDownload(base + "." + chosen, contentType(chosen), out -> {
            try (Repository repo = openRepository(job)) {
                SnapshotBrowser browser = new SnapshotBrowser(repo, repo.loadSnapshot(job.snapshotId()));
                List<SnapshotEntry> resolved = new ArrayList<>();
                for (String p : normalized) {
                    resolved.add(browser.resolve(p));
                }
                SnapshotDumper dumper = new SnapshotDumper(browser);
                if (chosen.equals("tar.gz")) {
                    GZIPOutputStream gzip = new GZIPOutputStream(out, 64 * 1024);
                    dumper.writeArchive(resolved, ArchiveFormat.TAR, gzip);
                    gzip.finish();
                    gzip.flush();
                } else {
                    dumper.writeArchive(resolved, chosen.equals("tar") ? ArchiveFormat.TAR : ArchiveFormat.ZIP, out);
                }
            }
        });
    }

    private void recordDownload(BrowseSession s, String details, String viaLink) {
        if (viaLink == null) {
            audit.record(AuditAction.BROWSE_DOWNLOADED, "backup #" + s.backupId(), AuditOutcome.SUCCESS, details);
        } else {
            audit.recordAs(s.username(), AuditAction.BROWSE_DOWNLOADED, "backup #" + s.backupId(), AuditOutcome.SUCCESS,
                    details);
        }
    }

    private static String contentType(String format) {
        return switch (format) {
            case "zip" -> "application/zip";
            case "tar.gz" -> "application/gzip";
            default -> "application/x-tar";
        };
    }

    /** null (a file as it is), "zip", "tar" or "tar.gz". */
    private static String archiveFormat(String format) {
        if (format == null || format.isBlank()) {
            return null;
        }
        String f = format.strip().toLowerCase(Locale.ROOT);
        return switch (f) {
            case "zip" -> "zip";
            case "tar" -> "tar";
            case "tar.gz", "tgz" -> "tar.gz";
            default -> throw ProblemException.invalid("format", "use zip, tar.gz or tar (not '" + format + "')");
        };
    }

    private static List<String> normalizeAll(List<String> paths) {
        if (paths == null || paths.isEmpty()) {
            throw ProblemException.invalid("path", "give at least one path to download");
        }
        if (paths.size() > MAX_PAGE) {
            throw ProblemException.invalid("path", "select at most " + MAX_PAGE + " entries, or their folder");
        }
        return paths.stream().map(BrowsePaths::normalize).distinct().toList();
    }

    // ------------------------------------------------------------------ signed links

    /** A signed link and when it stops working. */
    public record SignedLink(String url, Instant expiresAt) {
    }

    /** A link that downloads these paths without signing in, for {@link #LINK_LIFETIME}, while the session is open. */
    public SignedLink signLink(BrowseSession s, List<String> paths, String format) {
        List<String> normalized = normalizeAll(paths);
        String archive = archiveFormat(format);
        Instant expires = clock.instant().plus(LINK_LIFETIME);
        String token = links.sign(new DownloadLinks.Grant(s.id(), normalized, archive, expires.getEpochSecond()));
        return new SignedLink("/downloads/" + token, expires);
    }

    /**
     * The download a signed link grants. A forged or damaged link is unknown (404); an expired one, or
     * one whose browse session has ended, with 410.
     */
    public Download redeem(String token) {
        DownloadLinks.Grant grant = links.verify(token).orElseThrow(() -> new ProblemException(HttpStatus.NOT_FOUND,
                "Invalid link", "This download link is not valid (it was changed or made by another server). "
                + "Open the backup's files and download again.", Map.of()));
        Instant now = clock.instant();
        if (DownloadLinks.expired(grant, now)) {
            throw gone("This download link expired: links work for " + LINK_LIFETIME.toMinutes() + " minutes. "
                    + "Open the backup's files and download again.");
        }
        BrowseSession s = sessions.findOpen(grant.session(), now).orElseThrow(() -> gone(
                "The browse session this link belongs to has ended. Open the backup's files and download again."));
        return download(s, grant.paths(), grant.format(), "signed link");
    }

    private static ProblemException gone(String detail) {
        return new ProblemException(HttpStatus.GONE, "Link expired", detail, Map.of());
    }

    // ------------------------------------------------------------------ diff

    /**
     * One changed path.
     *
     * @param status     ADDED, REMOVED or CHANGED
     * @param symbol     '+', '-', 'M' (content), 'T' (type), 'U' (metadata only)
     */
    public record FileChange(String path, String status, String symbol, String type, long sizeBefore, long sizeAfter) {
    }

    /** A table whose row count differs ({@code -1}: the table is not in that backup). */
    public record TableChange(String database, String table, long rowsBefore, long rowsAfter) {
    }

    /**
     * What changed from backup {@code against} to backup {@code backup} (both of one source).
     *
     * @param truncated whether {@code files} stops before the end (the summary counts everything)
     */
    public record BackupDiff(long backup, long against, DiffSummary summary, List<FileChange> files, boolean truncated,
                             List<TableChange> tables) {
    }

    public BackupDiff diff(long backupId, long againstId, int limit) {
        Job after = browsable(backupId);
        Job before = browsable(againstId);
        if (!after.sourceId().equals(before.sourceId())) {
            throw ProblemException.invalid("against", "backup #" + againstId + " is of another source; compare two "
                    + "backups of the same source");
        }
        if (after.repositoryId() != before.repositoryId()) {
            throw ProblemException.conflict("The two backups are in different repositories; they cannot be compared.");
        }
        int max = Math.min(Math.max(limit, 1), MAX_DIFF_ENTRIES);
        List<FileChange> files = new ArrayList<>();
        boolean[] truncated = new boolean[1];
        DiffSummary summary;
        try (Repository repo = openRepository(after)) {
            // on a thread with room for deep trees: the comparison recurses per level, request threads have 512 KiB
            summary = TreeWalkThreads.call(() -> new SnapshotDiff(repo).compare(repo.loadSnapshot(before.snapshotId()),
                    repo.loadSnapshot(after.snapshotId()), (DiffEntry e) -> {
                        if (files.size() < max) {
                            files.add(new FileChange(e.path(), e.status().name(), String.valueOf(e.symbol()),
                                    e.type().label(), e.sizeBefore(), e.sizeAfter()));
                        } else {
                            truncated[0] = true;
                        }
                    }));
        } catch (IOException e) {
            throw unavailable("The backups could not be compared", e);
        }
        return new BackupDiff(backupId, againstId, summary, files, truncated[0], tableChanges(before, after));
    }

    /** Tables whose row counts differ between two database backups' recorded contents (empty for files). */
    private List<TableChange> tableChanges(Job before, Job after) {
        Map<String, Long> rowsBefore = tableRows(before);
        Map<String, Long> rowsAfter = tableRows(after);
        List<TableChange> out = new ArrayList<>();
        java.util.Set<String> keys = new java.util.TreeSet<>(rowsBefore.keySet());
        keys.addAll(rowsAfter.keySet());
        for (String key : keys) {
            long b = rowsBefore.getOrDefault(key, -1L);
            long a = rowsAfter.getOrDefault(key, -1L);
            if (!Objects.equals(b, a)) {
                int tab = key.indexOf('\t');
                out.add(new TableChange(key.substring(0, tab), key.substring(tab + 1), b, a));
            }
        }
        return out;
    }

    /** "database\ttable" → rows, from a job's contents. */
    private Map<String, Long> tableRows(Job job) {
        Map<String, Long> out = new LinkedHashMap<>();
        if (job.contents() == null) {
            return out;
        }
        JsonNode contents = json.readTree(job.contents());
        for (JsonNode db : contents.path("databases")) {
            for (JsonNode t : db.path("tables")) {
                out.put(db.path("name").asText() + "\t" + t.path("name").asText(), t.path("rows").asLong(-1));
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ helpers

    /**
     * Where the files page starts: the backed-up folder of a folder backup (its parent if a single file
     * was backed up), the root otherwise (a database backup holds its dump files there).
     */
    public String startFolder(BrowseSession s) {
        JsonNode contents = contents(s.backupId());
        String path = contents == null ? null : contents.path("path").asText(null);
        if (contents == null || !"files".equals(contents.path("kind").asText()) || path == null) {
            return "/";
        }
        try {
            String normalized = BrowsePaths.normalize(path);
            SnapshotCatalog catalog = catalog(jobs.get(new JobId(s.backupId())));
            if (catalog.isDir(normalized)) {
                return normalized;
            }
            int slash = normalized.lastIndexOf('/');
            return slash <= 0 ? "/" : normalized.substring(0, slash);
        } catch (IOException | ProblemException e) {
            return "/";
        }
    }

    /** Other backups of the same source that have a snapshot, newest first (at most 50), to compare with. */
    public List<Job> comparable(long backupId) {
        Job job = jobs.get(new JobId(backupId));
        return jobs.search(io.cairn.server.job.JobQuery.ofSource(job.sourceId().value()), 0, 200).items().stream()
                .filter(j -> j.snapshotId() != null && !j.id().equals(job.id())).limit(50).toList();
    }

    /** The backup's recorded contents (database, tables and rows; or top folders), or null. */
    public JsonNode contents(long backupId) {
        Job job = jobs.get(new JobId(backupId));
        return job.contents() == null ? null : json.readTree(job.contents());
    }

    private Job browsable(long backupId) {
        Job job = jobs.get(new JobId(backupId));
        if (job.snapshotId() == null) {
            throw ProblemException.conflict("Backup #" + backupId + " has no snapshot to browse (it is "
                    + job.status().name().toLowerCase(Locale.ROOT) + "). Choose a backup that succeeded.");
        }
        return job;
    }

    private SnapshotCatalog catalog(Job job) {
        try {
            return catalogs.of(job.repositoryId(), job.snapshotId(), () -> openRepository(job));
        } catch (IOException e) {
            throw unavailable("The backup's file list could not be built", e);
        }
    }

    private Repository openRepository(Job job) throws IOException {
        return repositories.open(new RepositoryId(job.repositoryId()));
    }

    private static SnapshotEntry resolve(SnapshotBrowser browser, String path, BrowseSession s) throws IOException {
        try {
            return browser.resolve(path);
        } catch (RepositoryException e) {
            throw ProblemException.notFound("Backup #" + s.backupId() + " has no file or folder " + path + ".");
        }
    }

    private static boolean isAdmin(CairnPrincipal me) {
        return me.role() == Role.ADMIN;
    }

    private static ProblemException unavailable(String what, IOException e) {
        return new ProblemException(HttpStatus.SERVICE_UNAVAILABLE, "Repository unavailable", what + ": "
                + e.getMessage() + ". Check the repository on the Repositories page, then try again.", Map.of());
    }
}
