package io.cairn.server.schedule;

import io.cairn.engine.blob.Compression;
import io.cairn.server.job.BackupType;
import io.cairn.server.problem.ProblemException;
import io.cairn.server.source.ProjectService;
import io.cairn.server.source.SourceService;
import java.time.DayOfWeek;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The Schedules page: the list, create and edit forms with a live preview, enable/disable, delete, retention dry run. */
@Controller
public class SchedulesController {

    /** Errors of these fields belong to the cron expression input. */
    private static final Set<String> CRON_FIELDS = Set.of("cron", "second", "minute", "hour", "dayOfMonth", "month",
            "dayOfWeek");

    /** One count input of the retention fieldset. */
    record RetentionField(String name, String label, String value) {
    }

    private final ScheduleService schedules;
    private final ScheduleViews views;
    private final ScheduleRetention retention;
    private final SourceService sources;
    private final ProjectService projects;

    public SchedulesController(ScheduleService schedules, ScheduleViews views, ScheduleRetention retention,
                               SourceService sources, ProjectService projects) {
        this.schedules = schedules;
        this.views = views;
        this.retention = retention;
        this.sources = sources;
        this.projects = projects;
    }

    @GetMapping("/schedules")
    public String list(Model model) {
        model.addAttribute("section", "schedules");
        model.addAttribute("schedules", views.of(schedules.list()));
        return "schedules/list";
    }

    @GetMapping("/schedules/new")
    public String newForm(Model model) {
        return form(model, null, ScheduleForm.empty("UTC"), Map.of());
    }

    @GetMapping("/schedules/{id}/edit")
    public String editForm(@PathVariable long id, Model model) {
        Schedule s = schedules.get(new ScheduleId(id));
        return form(model, s, ScheduleForm.of(s), Map.of());
    }

    @PostMapping("/schedules")
    public String create(@ModelAttribute ScheduleForm form, Model model, RedirectAttributes redirect) {
        Map<String, String> errors = new LinkedHashMap<>();
        ScheduleRequest request = form.toRequest(errors);
        if (!errors.isEmpty()) {
            return form(model, null, form, errors);
        }
        try {
            Schedule s = schedules.create(request);
            redirect.addFlashAttribute("notice", "Schedule \"" + s.name() + "\" created.");
            return "redirect:/schedules";
        } catch (ProblemException e) {
            return form(model, null, form, e.fieldErrors().isEmpty() ? Map.of("name", e.getMessage()) : e.fieldErrors());
        }
    }

    @PostMapping("/schedules/{id}")
    public String update(@PathVariable long id, @ModelAttribute ScheduleForm form, Model model,
                         RedirectAttributes redirect) {
        Schedule existing = schedules.get(new ScheduleId(id));
        Map<String, String> errors = new LinkedHashMap<>();
        ScheduleRequest request = form.toRequest(errors);
        if (!errors.isEmpty()) {
            return form(model, existing, form, errors);
        }
        try {
            schedules.update(existing.id(), request);
            redirect.addFlashAttribute("notice", "Schedule \"" + request.name() + "\" saved.");
            return "redirect:/schedules";
        } catch (ProblemException e) {
            return form(model, existing, form, e.fieldErrors().isEmpty() ? Map.of("name", e.getMessage()) : e.fieldErrors());
        }
    }

    @PostMapping("/schedules/{id}/enabled")
    public String setEnabled(@PathVariable long id, @RequestParam boolean enabled, RedirectAttributes redirect) {
        Schedule s = schedules.setEnabled(new ScheduleId(id), enabled);
        redirect.addFlashAttribute("notice", "Schedule \"" + s.name() + "\" " + (enabled ? "enabled." : "disabled."));
        return "redirect:/schedules";
    }

    @PostMapping("/schedules/{id}/delete")
    public String delete(@PathVariable long id, RedirectAttributes redirect) {
        Schedule s = schedules.get(new ScheduleId(id));
        schedules.delete(s.id());
        redirect.addFlashAttribute("notice", "Schedule \"" + s.name() + "\" deleted; its backups stay.");
        return "redirect:/schedules";
    }

    /** The live preview under the form (htmx): the description and next runs, or what is wrong. */
    @GetMapping("/schedules/preview")
    public String preview(@ModelAttribute ScheduleForm form, Model model) {
        boolean custom = form.preset() == null || form.preset().isBlank() || form.preset().equals("CUSTOM");
        try {
            Integer dom = null;
            if (!custom && form.dayOfMonth() != null && !form.dayOfMonth().isBlank()) {
                dom = Integer.valueOf(form.dayOfMonth().trim());
            }
            model.addAttribute("preview", schedules.preview(form.cron(), custom ? null : form.preset(), form.at(),
                    form.dayOfWeek(), dom, form.zone()));
        } catch (ProblemException e) {
            model.addAttribute("previewError", String.join(" ", e.fieldErrors().values()));
        } catch (NumberFormatException e) {
            model.addAttribute("previewError", "The day of the month must be a number from 1 to 28.");
        }
        return "schedules/form :: preview";
    }

    @GetMapping("/schedules/{id}/retention")
    public String retentionDryRun(@PathVariable long id, Model model) {
        model.addAttribute("section", "schedules");
        model.addAttribute("schedule", views.of(schedules.get(new ScheduleId(id))));
        model.addAttribute("decisions", retention.dryRun(new ScheduleId(id)));
        return "schedules/retention";
    }

    private String form(Model model, Schedule existing, ScheduleForm form, Map<String, String> errors) {
        model.addAttribute("section", "schedules");
        model.addAttribute("existing", existing);
        model.addAttribute("form", form);
        model.addAttribute("errors", errors);
        String cronError = errors.entrySet().stream().filter(e -> CRON_FIELDS.contains(e.getKey()))
                .map(Map.Entry::getValue).findFirst().orElse(null);
        model.addAttribute("cronError", cronError);
        model.addAttribute("retentionFields", List.of(new RetentionField("keepLast", "Last", form.keepLast()),
                new RetentionField("keepHourly", "Hourly", form.keepHourly()),
                new RetentionField("keepDaily", "Daily", form.keepDaily()),
                new RetentionField("keepWeekly", "Weekly", form.keepWeekly()),
                new RetentionField("keepMonthly", "Monthly", form.keepMonthly()),
                new RetentionField("keepYearly", "Yearly", form.keepYearly())));
        model.addAttribute("sources", sources.list());
        model.addAttribute("projects", projects.list());
        model.addAttribute("presets", List.of("HOURLY", "DAILY", "WEEKLY", "MONTHLY", "CUSTOM"));
        model.addAttribute("days", DayOfWeek.values());
        model.addAttribute("types", BackupType.values());
        model.addAttribute("compressions", Compression.values());
        model.addAttribute("policies", MissedRunPolicy.values());
        model.addAttribute("zones", List.of("UTC", "Europe/Berlin", "Europe/London", "Europe/Paris", "America/New_York",
                "America/Chicago", "America/Los_Angeles", "Asia/Tokyo", "Asia/Kolkata", "Australia/Sydney"));
        return "schedules/form";
    }
}
