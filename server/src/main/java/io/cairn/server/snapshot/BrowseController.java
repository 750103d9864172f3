package io.cairn.server.snapshot;

import io.cairn.server.job.BackupViews;
import io.cairn.server.job.JobId;
import io.cairn.server.job.JobService;
import io.cairn.server.problem.ProblemException;
import io.cairn.server.user.CairnPrincipal;
import java.util.ArrayList;
import java.util.List;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The files page of a backup ({@code /backups/<id>/files}): folders with breadcrumbs, paging and
 * search, a text preview with secrets redacted, downloads through signed links (one file, a folder, or
 * the ticked entries as one archive), the tables of a database backup, and a comparison with another
 * backup of the source. The page uses the caller's browse session on the backup, opening one if needed.
 */
@Controller
public class BrowseController {

    static final int PAGE_SIZE = 100;

    private final BrowseService browse;
    private final JobService jobs;
    private final BackupViews views;

    public BrowseController(BrowseService browse, JobService jobs, BackupViews views) {
        this.browse = browse;
        this.jobs = jobs;
        this.views = views;
    }

    @GetMapping("/backups/{id}/files")
    public String page(@PathVariable long id, @RequestParam(required = false) String path,
                       @RequestParam(defaultValue = "0") int offset, @RequestParam(required = false) String q,
                       @AuthenticationPrincipal CairnPrincipal me, Model model) {
        BrowseSession session = browse.openOrReuse(id, me);
        model.addAttribute("section", "backups");
        model.addAttribute("backup", views.of(jobs.get(new JobId(id))));
        model.addAttribute("browseSession", session);
        model.addAttribute("comparable", browse.comparable(id));
        listing(session, path == null || path.isBlank() ? browse.startFolder(session) : path, offset, q, model);
        return "backups/files";
    }

    /**
     * The listing alone, for the files page's partial updates and for the quick look on a backup's page
     * ({@code modal=true}: its links stay in the dialog instead of changing the page's address).
     */
    @GetMapping("/backups/{id}/files/list")
    public String list(@PathVariable long id, @RequestParam(required = false) String path,
                       @RequestParam(defaultValue = "0") int offset, @RequestParam(required = false) String q,
                       @RequestParam(defaultValue = "false") boolean modal,
                       @AuthenticationPrincipal CairnPrincipal me, Model model) {
        BrowseSession session = browse.openOrReuse(id, me);
        model.addAttribute("backup", views.of(jobs.get(new JobId(id))));
        model.addAttribute("modal", modal);
        listing(session, path == null || path.isBlank() ? browse.startFolder(session) : path, offset, q, model);
        return "backups/files :: listing";
    }

    @GetMapping("/backups/{id}/files/preview")
    public String preview(@PathVariable long id, @RequestParam String path, @AuthenticationPrincipal CairnPrincipal me,
                          Model model) {
        BrowseSession session = browse.openOrReuse(id, me);
        model.addAttribute("preview", browse.preview(session, path));
        model.addAttribute("download", browse.signLink(session, List.of(path), null).url());
        return "backups/files :: preview";
    }

    /**
     * The ticked entries as a signed link: the browser follows the redirect and downloads. A form post, so
     * a hundred ticked paths do not make a URL longer than servers accept.
     */
    @PostMapping("/backups/{id}/files/download")
    public String download(@PathVariable long id, @RequestParam(name = "path", required = false) List<String> paths,
                           @RequestParam(required = false) String format, @AuthenticationPrincipal CairnPrincipal me) {
        if (paths == null || paths.isEmpty()) {
            throw ProblemException.invalid("path", "tick at least one file or folder to download");
        }
        BrowseSession session = browse.openOrReuse(id, me);
        return "redirect:" + browse.signLink(session, paths, format).url();
    }

    @PostMapping("/backups/{id}/files/close")
    public String close(@PathVariable long id, @RequestParam String session, @AuthenticationPrincipal CairnPrincipal me,
                        RedirectAttributes redirect) {
        browse.close(session, me);
        redirect.addFlashAttribute("notice", "The browse session is closed; its download links no longer work.");
        return "redirect:/backups/" + id;
    }

    /** The open browse sessions: an admin sees and closes everyone's, others their own. */
    @GetMapping("/browse-sessions")
    public String sessions(@AuthenticationPrincipal CairnPrincipal me, Model model) {
        model.addAttribute("section", "restore");
        model.addAttribute("sessions", browse.sessions(me));
        return "backups/sessions";
    }

    @PostMapping("/browse-sessions/{session}/close")
    public String closeSession(@PathVariable String session, @AuthenticationPrincipal CairnPrincipal me,
                               RedirectAttributes redirect) {
        browse.close(session, me);
        redirect.addFlashAttribute("notice", "The browse session is closed; its download links no longer work.");
        return "redirect:/browse-sessions";
    }

    @GetMapping("/backups/{id}/diff")
    public String diff(@PathVariable long id, @RequestParam long against, Model model) {
        model.addAttribute("diff", browse.diff(id, against, 500));
        return "backups/files :: diff";
    }

    /** A crumb of the folder path: its name and the folder it opens. */
    public record Crumb(String name, String path) {
    }

    private void listing(BrowseSession session, String path, int offset, String q, Model model) {
        SnapshotCatalog.Listing page = browse.files(session, path, offset, PAGE_SIZE, q);
        List<Crumb> crumbs = new ArrayList<>();
        crumbs.add(new Crumb("/", "/"));
        StringBuilder at = new StringBuilder();
        for (String part : page.path().split("/")) {
            if (!part.isEmpty()) {
                at.append('/').append(part);
                crumbs.add(new Crumb(part, at.toString()));
            }
        }
        List<String> links = new ArrayList<>();
        for (CatalogEntry e : page.entries()) {
            links.add(browse.signLink(session, List.of(e.path()), e.isFile() ? null : "zip").url());
        }
        model.addAttribute("page", page);
        model.addAttribute("links", links);
        model.addAttribute("crumbs", crumbs);
        model.addAttribute("q", q == null || q.isBlank() ? null : q.strip());
        model.addAttribute("browseSession", session);
        model.addAttribute("pageSize", PAGE_SIZE);
        model.addAttribute("prevOffset", Math.max(0, page.offset() - PAGE_SIZE));
        model.addAttribute("nextOffset", page.offset() + PAGE_SIZE);
    }
}
