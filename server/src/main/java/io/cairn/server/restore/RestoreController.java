package io.cairn.server.restore;

import io.cairn.server.audit.AuditLog;
import io.cairn.server.job.BackupView;
import io.cairn.server.job.BackupViews;
import io.cairn.server.job.Job;
import io.cairn.server.job.JobId;
import io.cairn.server.job.JobQuery;
import io.cairn.server.job.JobService;
import io.cairn.server.job.JobStatus;
import io.cairn.server.problem.ProblemException;
import io.cairn.server.source.ProjectId;
import io.cairn.server.source.ProjectService;
import io.cairn.server.source.Source;
import io.cairn.server.source.SourceId;
import io.cairn.server.source.SourceService;
import java.util.Arrays;
import java.util.List;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import tools.jackson.databind.json.JsonMapper;

/**
 * The restore wizard and the restore pages: 1. choose the backup, 2. what and where, 3. review and confirm
 * (the plan names what will be overwritten; overwriting needs the target's name typed), then the
 * operation's page with its steps, live progress, and the summary with next steps. Also the restore
 * history shown on a backup's page.
 */
@Controller
public class RestoreController {

    static final int BACKUPS_SHOWN = 50;

    private final RestoreService restores;
    private final JobService jobs;
    private final BackupViews views;
    private final SourceService sources;
    private final ProjectService projects;
    private final JsonMapper json;

    public RestoreController(RestoreService restores, JobService jobs, BackupViews views, SourceService sources,
                             ProjectService projects, JsonMapper json) {
        this.projects = projects;
        this.restores = restores;
        this.jobs = jobs;
        this.views = views;
        this.sources = sources;
        this.json = json;
    }

    /**
     * The wizard's form fields (step 2 → 3 → start), carried from step to step.
     *
     * @param includes one backup path per line
     */
    public record WizardForm(Long backup, String database, String path, Boolean original, String includes,
                             String overwritePolicy, Boolean overwrite, String confirm, List<String> tables,
                             Boolean flushFirst, Boolean withRoles) {

        RestoreRequest toRequest() {
            List<String> paths = includes == null ? List.of() : Arrays.stream(includes.split("\\R"))
                    .map(String::strip).filter(s -> !s.isEmpty()).toList();
            return new RestoreRequest(database, path, original, paths, overwritePolicy, overwrite, confirm, tables,
                    flushFirst, withRoles);
        }
    }

    /** Step 1: choose a backup (and below, the restores so far). */
    @GetMapping("/restore")
    public String chooseBackup(@RequestParam(required = false) Long source, Model model) {
        model.addAttribute("section", "restore");
        List<Source> all = sources.list();
        model.addAttribute("sources", all);
        model.addAttribute("projects", projects.list());
        model.addAttribute("sourceFilter", source);
        JobQuery query = new JobQuery(source, null, null, JobStatus.SUCCEEDED, null, null, null, "queued", true);
        model.addAttribute("backups", views.of(jobs.search(query, 0, BACKUPS_SHOWN).items()));
        model.addAttribute("restores", views(restores.list(0, 20).items()));
        return "restore/choose";
    }

    /** A project instead of one backup: each source's newest backup, each into a new place. */
    @GetMapping("/restore/project")
    public String project(@RequestParam long project, Model model) {
        model.addAttribute("section", "restore");
        model.addAttribute("project", projects.get(new ProjectId(project)));
        model.addAttribute("parts", restores.planProject(new ProjectId(project)));
        return "restore/project";
    }

    @PostMapping("/restores/project")
    public String startProject(@RequestParam long project, @RequestParam(required = false) List<Long> sources,
                               RedirectAttributes redirect) {
        try {
            List<Restore> started = restores.startProject(new ProjectId(project),
                    sources == null ? List.of(-1L) : sources, AuditLog.currentActor());
            redirect.addFlashAttribute("notice", started.size() + (started.size() == 1 ? " restore" : " restores")
                    + " started; each is listed below with its progress.");
            return "redirect:/restore";
        } catch (ProblemException e) {
            redirect.addFlashAttribute("failure", e.getMessage());
            return "redirect:/restore/project?project=" + project;
        }
    }

    /** Step 2: what to restore and where. */
    @GetMapping("/restore/what")
    public String what(@ModelAttribute("form") WizardForm form, Model model) {
        wizardStep(form.backup(), model);
        model.addAttribute("defaults", defaultsOrNull(form));
        return "restore/what";
    }

    /** Step 3: the plan, and the confirmation when it overwrites. */
    @GetMapping("/restore/review")
    public String review(@ModelAttribute("form") WizardForm form, Model model) {
        wizardStep(form.backup(), model);
        try {
            model.addAttribute("plan", restores.plan(new JobId(form.backup()), form.toRequest()));
        } catch (ProblemException e) {
            model.addAttribute("failure", e.getMessage());
            model.addAttribute("defaults", defaultsOrNull(form));
            return "restore/what";
        }
        return "restore/review";
    }

    /** Starts the restore and goes to its page; a refusal (confirmation missing) goes back to the review. */
    @PostMapping("/restores")
    public String start(@ModelAttribute("form") WizardForm form, Model model, RedirectAttributes redirect) {
        if (form.backup() == null) {
            redirect.addFlashAttribute("failure", "Choose a backup to restore.");
            return "redirect:/restore";
        }
        try {
            Restore r = restores.start(new JobId(form.backup()), form.toRequest(), AuditLog.currentActor());
            return "redirect:/restores/" + r.id();
        } catch (ProblemException e) {
            wizardStep(form.backup(), model);
            model.addAttribute("failure", e.getMessage());
            try {
                model.addAttribute("plan", restores.plan(new JobId(form.backup()), form.toRequest()));
            } catch (ProblemException again) {
                model.addAttribute("defaults", defaultsOrNull(form));
                return "restore/what";
            }
            return "restore/review";
        }
    }

    /** A restore's page: steps, live progress, summary. */
    @GetMapping("/restores/{id}")
    public String page(@PathVariable long id, Model model) {
        Restore r = restores.get(new RestoreId(id));
        model.addAttribute("section", "restore");
        model.addAttribute("restore", RestoreView.of(r, json));
        model.addAttribute("backup", views.of(jobs.get(r.backupId())));
        return "restore/page";
    }

    /** The progress block of a restore's page, polled while it runs. */
    @GetMapping("/restores/{id}/progress")
    public String progress(@PathVariable long id, Model model) {
        Restore r = restores.get(new RestoreId(id));
        model.addAttribute("restore", RestoreView.of(r, json));
        model.addAttribute("backup", views.of(jobs.get(r.backupId())));
        return "restore/page :: progress";
    }

    @PostMapping("/restores/{id}/cancel")
    public String cancel(@PathVariable long id, RedirectAttributes redirect) {
        try {
            restores.cancel(new RestoreId(id));
            redirect.addFlashAttribute("notice", "Cancelling the restore.");
        } catch (ProblemException e) {
            redirect.addFlashAttribute("failure", e.getMessage());
        }
        return "redirect:/restores/" + id;
    }

    /** The "Restore history" card of a backup's page (loaded into it). */
    @GetMapping("/backups/{id}/restores")
    public String history(@PathVariable long id, Model model) {
        Job job = jobs.get(new JobId(id));
        model.addAttribute("backup", views.of(job));
        model.addAttribute("restores", views(restores.ofBackup(job.id())));
        return "restore/history :: history";
    }

    private List<RestoreView> views(List<Restore> list) {
        return list.stream().map(r -> RestoreView.of(r, json)).toList();
    }

    /** What every wizard step shows: the section, the backup and its source. */
    private BackupView wizardStep(Long backupId, Model model) {
        BackupView backup = backup(backupId);
        model.addAttribute("section", "restore");
        model.addAttribute("backup", backup);
        model.addAttribute("source", sources.get(new SourceId(backup.sourceId())));
        return backup;
    }

    private BackupView backup(Long id) {
        if (id == null) {
            throw ProblemException.invalid("backup", "Choose a backup to restore.");
        }
        return views.of(jobs.get(new JobId(id)));
    }

    /** The plan of the defaults, to prefill step 2 (null when the backup cannot be planned, e.g. target down). */
    private RestorePlan defaultsOrNull(WizardForm form) {
        try {
            return restores.plan(new JobId(form.backup()), RestoreRequest.defaults());
        } catch (ProblemException e) {
            return null;
        }
    }
}
