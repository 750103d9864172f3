package io.cairn.server.job;

import io.cairn.engine.blob.Compression;
import io.cairn.server.audit.AuditLog;
import io.cairn.server.problem.ProblemException;
import io.cairn.server.repository.RepositoryId;
import io.cairn.server.repository.RepositoryService;
import io.cairn.server.source.ProjectId;
import io.cairn.server.source.ProjectService;
import io.cairn.server.source.Source;
import io.cairn.server.source.SourceId;
import io.cairn.server.source.SourceService;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The Backups pages: the list (filters, sorting, paging, bulk delete), the "Start backup" dialog, a
 * backup's page with live progress and log, and the event stream that keeps them live.
 */
@Controller
public class BackupsController {

    static final int PAGE_SIZE = 25;

    private final JobService jobs;
    private final BackupViews views;
    private final SourceService sources;
    private final ProjectService projects;
    private final RepositoryService repositories;
    private final JobEvents events;

    public BackupsController(JobService jobs, BackupViews views, SourceService sources, ProjectService projects,
                             RepositoryService repositories, JobEvents events) {
        this.jobs = jobs;
        this.views = views;
        this.sources = sources;
        this.projects = projects;
        this.repositories = repositories;
        this.events = events;
    }

    @GetMapping("/backups")
    public String list(@ModelAttribute("filter") BackupFilter filter, @RequestParam(defaultValue = "0") int page,
                       Model model, HttpServletResponse response) {
        model.addAttribute("section", "backups");
        model.addAttribute("sources", sources.list());
        model.addAttribute("projects", projects.list());
        model.addAttribute("types", BackupType.values());
        model.addAttribute("statuses", JobStatus.values());
        model.addAttribute("compressions", Compression.values());
        fill(filter, page, model, response);
        return "backups/list";
    }

    @GetMapping("/backups/rows")
    public String rows(@ModelAttribute("filter") BackupFilter filter, @RequestParam(defaultValue = "0") int page,
                       Model model, HttpServletResponse response) {
        fill(filter, page, model, response);
        return "backups/list :: results";
    }

    /** The dialog's line about a source: its repository, that repository's used space, the estimate. */
    @GetMapping("/backups/estimate")
    public String estimate(@RequestParam(required = false) Long sourceId, Model model) {
        if (sourceId != null) {
            Source source = sources.get(new SourceId(sourceId));
            model.addAttribute("source", source);
            model.addAttribute("repository", repositories.get(new RepositoryId(source.repositoryId())));
            model.addAttribute("usedBytes", repositories.usedBytes(new RepositoryId(source.repositoryId())));
            Duration estimate = jobs.estimate(source.id());
            model.addAttribute("estimate", estimate);
        }
        return "backups/list :: estimate";
    }

    @PostMapping("/backups/start")
    public String start(@RequestParam(required = false) Long sourceId, @RequestParam(required = false) Long projectId,
                        @RequestParam(defaultValue = "INCREMENTAL") BackupType type,
                        @RequestParam(defaultValue = "false") boolean verify,
                        @RequestParam(required = false) Compression compression, RedirectAttributes redirect) {
        StartRequest request = new StartRequest(type, verify, compression);
        if (projectId != null) {
            List<Job> started = jobs.startProject(new ProjectId(projectId), request, TriggerKind.MANUAL,
                    AuditLog.currentActor());
            redirect.addFlashAttribute("notice", started.size() + " backups started for the project.");
            return "redirect:/backups";
        }
        if (sourceId == null) {
            redirect.addFlashAttribute("failure", "Choose a source to back up.");
            return "redirect:/backups";
        }
        Job job = jobs.start(new SourceId(sourceId), request, TriggerKind.MANUAL, AuditLog.currentActor());
        return "redirect:/backups/" + job.id();
    }

    /** "Backup now" on a source's row or page. */
    @PostMapping("/sources/{id}/backup")
    public String backupNow(@PathVariable long id, @RequestParam(defaultValue = "INCREMENTAL") BackupType type) {
        Job job = jobs.start(new SourceId(id), new StartRequest(type, false, null), TriggerKind.MANUAL,
                AuditLog.currentActor());
        return "redirect:/backups/" + job.id();
    }

    @PostMapping("/projects/{id}/backup")
    public String backupProject(@PathVariable long id, RedirectAttributes redirect) {
        List<Job> started = jobs.startProject(new ProjectId(id), StartRequest.incremental(), TriggerKind.MANUAL,
                AuditLog.currentActor());
        redirect.addFlashAttribute("notice", started.size() + " backups of the project started.");
        return "redirect:/backups";
    }

    @GetMapping("/backups/{id}")
    public String page(@PathVariable long id, Model model) {
        Job job = jobs.get(new JobId(id));
        model.addAttribute("section", "backups");
        model.addAttribute("backup", views.of(job));
        model.addAttribute("source", sources.list().stream().filter(s -> s.id().equals(job.sourceId())).findFirst()
                .orElse(null));
        List<JobLogs.Line> lines = jobs.logs(job.id(), 0, 1000);
        model.addAttribute("logs", lines);
        model.addAttribute("lastLogId", lines.isEmpty() ? 0 : lines.get(lines.size() - 1).id());
        model.addAttribute("charts", true);
        return "backups/page";
    }

    /** New log lines after {@code after}, for the live tail. */
    @GetMapping("/backups/{id}/logs")
    public String logs(@PathVariable long id, @RequestParam(defaultValue = "0") long after, Model model) {
        Job job = jobs.get(new JobId(id));
        List<JobLogs.Line> lines = jobs.logs(job.id(), after, 1000);
        model.addAttribute("backup", views.of(job));
        model.addAttribute("logs", lines);
        model.addAttribute("lastLogId", lines.isEmpty() ? after : lines.get(lines.size() - 1).id());
        return "backups/log-update :: update";
    }

    /** The overview block of a backup (status, progress, figures), reloaded when its status changes. */
    @GetMapping("/backups/{id}/overview")
    public String overview(@PathVariable long id, Model model) {
        model.addAttribute("backup", views.of(jobs.get(new JobId(id))));
        return "backups/page :: overview";
    }

    @PostMapping("/backups/{id}/cancel")
    public String cancel(@PathVariable long id, RedirectAttributes redirect) {
        try {
            jobs.cancel(new JobId(id));
            redirect.addFlashAttribute("notice", "Cancelling the backup; no snapshot will be saved.");
        } catch (ProblemException e) {
            redirect.addFlashAttribute("failure", e.getMessage());
        }
        return "redirect:/backups/" + id;
    }

    @PostMapping("/backups/{id}/delete")
    public String delete(@PathVariable long id, RedirectAttributes redirect) {
        try {
            jobs.delete(new JobId(id));
            redirect.addFlashAttribute("notice", "Backup deleted. The space it alone used is freed by the next prune.");
            return "redirect:/backups";
        } catch (ProblemException e) {
            redirect.addFlashAttribute("failure", e.getMessage());
            return "redirect:/backups/" + id;
        }
    }

    @PostMapping("/backups/delete")
    public String deleteMany(@RequestParam(name = "ids", required = false) List<Long> ids, RedirectAttributes redirect) {
        if (ids == null || ids.isEmpty()) {
            redirect.addFlashAttribute("failure", "Tick the backups to delete first.");
            return "redirect:/backups";
        }
        List<String> problems = new ArrayList<>();
        int deleted = 0;
        for (Long id : ids.stream().distinct().limit(500).toList()) {
            try {
                jobs.delete(new JobId(id));
                deleted++;
            } catch (ProblemException e) {
                problems.add("#" + id + ": " + e.getMessage());
            }
        }
        redirect.addFlashAttribute("notice", deleted + (deleted == 1 ? " backup" : " backups") + " deleted.");
        if (!problems.isEmpty()) {
            redirect.addFlashAttribute("failure", String.join(" ", problems));
        }
        return "redirect:/backups";
    }

    /** Server-sent events: progress of running jobs and status changes, for every live page. */
    @GetMapping(path = "/jobs/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @ResponseBody
    public SseEmitter events() {
        return events.subscribe();
    }

    private void fill(BackupFilter filter, int page, Model model, HttpServletResponse response) {
        try {
            JobQuery query = filter.toQuery();
            int p = Math.max(0, page);
            JobService.Page result = jobs.search(query, p * PAGE_SIZE, PAGE_SIZE);
            model.addAttribute("backups", views.of(result.items()));
            model.addAttribute("total", result.total());
            model.addAttribute("page", p);
            model.addAttribute("pages", Math.max(1, (result.total() + PAGE_SIZE - 1) / PAGE_SIZE));
        } catch (ProblemException e) {
            response.setStatus(400);
            model.addAttribute("filterErrors", e.fieldErrors());
            model.addAttribute("backups", List.of());
            model.addAttribute("total", 0L);
            model.addAttribute("page", 0);
            model.addAttribute("pages", 1L);
        }
    }
}
