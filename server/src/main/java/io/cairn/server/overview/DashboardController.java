package io.cairn.server.overview;

import io.cairn.server.schedule.ScheduleService;
import io.cairn.server.schedule.ScheduleViews;
import io.cairn.server.system.SystemHealth;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The dashboard: health, today's backups, success rate, storage, protected sources, the oldest last
 * success, recent backups, each source's state and the scheduled backups that run next (with a countdown); the health refreshes every 30 seconds and running
 * backups move live.
 */
@Controller
public class DashboardController {

    private final SystemHealth health;
    private final OverviewService overview;
    private final io.cairn.server.job.BackupViews views;
    private final ScheduleService schedules;
    private final ScheduleViews scheduleViews;

    public DashboardController(SystemHealth health, OverviewService overview, io.cairn.server.job.BackupViews views,
                               ScheduleService schedules, ScheduleViews scheduleViews) {
        this.health = health;
        this.overview = overview;
        this.views = views;
        this.schedules = schedules;
        this.scheduleViews = scheduleViews;
    }

    @GetMapping("/")
    public String dashboard(Model model) {
        model.addAttribute("section", "dashboard");
        model.addAttribute("health", health.check());
        model.addAttribute("kpis", overview.kpis());
        model.addAttribute("recent", views.of(overview.recent(8)));
        model.addAttribute("rows", overview.rows());
        model.addAttribute("scheduled", scheduleViews.of(schedules.nextUp(5)));
        return "dashboard";
    }

    /** The backups part of the dashboard, reloaded when a backup starts or ends. */
    @GetMapping("/dashboard/backups")
    public String backupsFragment(Model model) {
        model.addAttribute("kpis", overview.kpis());
        model.addAttribute("recent", views.of(overview.recent(8)));
        model.addAttribute("rows", overview.rows());
        return "dashboard :: backups";
    }

    @GetMapping("/dashboard/health")
    public String healthFragment(Model model) {
        model.addAttribute("health", health.check());
        return "dashboard :: health";
    }
}
