package io.cairn.server.snapshot;

import io.cairn.server.user.CairnPrincipal;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import org.springframework.core.io.Resource;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Browsing backups over the API: open a browse session ("mount") on a backup, list and search its
 * files, preview a text file (secrets redacted), download files (with ranges) or folders (zip, tar.gz),
 * sign a short-lived download link, close the session; and compare two backups of a source.
 */
@RestController
@Tag(name = "Browse and download")
public class BrowseApiController {

    private final BrowseService browse;

    public BrowseApiController(BrowseService browse) {
        this.browse = browse;
    }

    /** @param backupId the backup (its id in the backup list) to open */
    public record MountBody(Long backupId) {
    }

    public record Mount(String id, long backupId, String username, Instant createdAt, Instant lastUsedAt,
                        Instant expiresAt, long idleTimeoutSeconds) {
        static Mount of(BrowseSession s) {
            return new Mount(s.id(), s.backupId(), s.username(), s.createdAt(), s.lastUsedAt(), s.expiresAt(),
                    BrowseService.IDLE_TIMEOUT.toSeconds());
        }
    }

    public record Files(String path, List<CatalogEntry> items, int offset, int limit, long total) {
    }

    /** @param paths snapshot paths; @param format null for one file as it is, else zip, tar.gz or tar */
    public record LinkBody(List<String> paths, String format) {
    }

    @PostMapping("/api/v1/restore/mount")
    @Operation(summary = "Open a backup for browsing (a browse session). The session ends after an hour unused; "
            + "each request with it starts the hour again. The first browse of a backup builds its file catalog")
    public ResponseEntity<Mount> mount(@RequestBody MountBody body, @AuthenticationPrincipal CairnPrincipal me) {
        if (body.backupId() == null) {
            throw io.cairn.server.problem.ProblemException.invalid("backupId", "give the id of the backup to browse");
        }
        return ResponseEntity.status(HttpStatus.CREATED).body(Mount.of(browse.open(body.backupId(), me)));
    }

    @GetMapping("/api/v1/restore/mounts")
    @Operation(summary = "Open browse sessions: yours, or everyone's for an admin")
    public List<Mount> mounts(@AuthenticationPrincipal CairnPrincipal me) {
        return browse.sessions(me).stream().map(Mount::of).toList();
    }

    @GetMapping("/api/v1/restore/{mountId}/files")
    @Operation(summary = "A page of a folder (folders first, then by name), or with q the entries anywhere in the "
            + "backup whose name contains q")
    public Files files(@PathVariable String mountId,
                       @Parameter(description = "folder, e.g. /srv/app (default /)") @RequestParam(required = false) String path,
                       @RequestParam(defaultValue = "0") int offset, @RequestParam(defaultValue = "100") int limit,
                       @Parameter(description = "search by name in the whole backup") @RequestParam(required = false) String q,
                       @AuthenticationPrincipal CairnPrincipal me) {
        SnapshotCatalog.Listing page = browse.files(browse.session(mountId, me), path, offset, limit, q);
        return new Files(page.path(), page.entries(), page.offset(), page.limit(), page.total());
    }

    @GetMapping("/api/v1/restore/{mountId}/preview")
    @Operation(summary = "The first 64 KiB of a text file, with values of secret-looking keys shown as REDACTED")
    public BrowseService.Preview preview(@PathVariable String mountId, @RequestParam String path,
                                         @AuthenticationPrincipal CairnPrincipal me) {
        return browse.preview(browse.session(mountId, me), path);
    }

    @GetMapping("/api/v1/restore/{mountId}/download")
    @Operation(summary = "Download: one file as it is (Range requests answered with 206), or a folder, a symlink or "
            + "several path parameters as one archive; format zip (default), tar.gz or tar")
    public ResponseEntity<Resource> download(@PathVariable String mountId, @RequestParam("path") List<String> paths,
                                             @RequestParam(required = false) String format,
                                             @AuthenticationPrincipal CairnPrincipal me,
                                             HttpServletResponse response) throws IOException {
        return DownloadResponses.send(browse.download(browse.session(mountId, me), paths, format), response);
    }

    @PostMapping("/api/v1/restore/{mountId}/links")
    @Operation(summary = "A signed download link (/downloads/...) for these paths that works without signing in "
            + "for 5 minutes, while the session is open")
    public BrowseService.SignedLink link(@PathVariable String mountId, @RequestBody LinkBody body,
                                         @AuthenticationPrincipal CairnPrincipal me) {
        return browse.signLink(browse.session(mountId, me), body.paths(), body.format());
    }

    @DeleteMapping({"/api/v1/restore/{mountId}", "/api/v1/restore/mounts/{mountId}"})
    @Operation(summary = "Close a browse session (yours; an admin may close anyone's)")
    public ResponseEntity<Void> unmount(@PathVariable String mountId, @AuthenticationPrincipal CairnPrincipal me) {
        browse.close(mountId, me);
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/api/v1/backup/{id}/diff")
    @Operation(summary = "What changed from backup 'against' to this one (two backups of one source): files added, "
            + "removed and changed with sizes, and for databases the tables whose row counts changed")
    public BrowseService.BackupDiff diff(@PathVariable long id, @RequestParam long against,
                                         @RequestParam(defaultValue = "1000") int limit) {
        return browse.diff(id, against, limit);
    }
}
