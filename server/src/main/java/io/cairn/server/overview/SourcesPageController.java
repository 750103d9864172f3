package io.cairn.server.overview;

import io.cairn.server.job.BackupViews;
import io.cairn.server.job.JobQuery;
import io.cairn.server.job.JobService;
import io.cairn.server.source.ProjectService;
import io.cairn.server.source.SourceId;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import tools.jackson.databind.json.JsonMapper;

/** The Sources list (each source with its last backup) and a source's page in three tabs. */
@Controller
public class SourcesPageController {

    static final int HISTORY = 50;

    private final OverviewService overview;
    private final ProjectService projects;
    private final JobService jobs;
    private final BackupViews views;
    private final JsonMapper json;
    private final Clock clock;

    public SourcesPageController(OverviewService overview, ProjectService projects, JobService jobs, BackupViews views,
                                 JsonMapper json, Clock clock) {
        this.overview = overview;
        this.projects = projects;
        this.jobs = jobs;
        this.views = views;
        this.json = json;
        this.clock = clock;
    }

    @GetMapping("/sources")
    public String list(Model model) {
        List<SourceRow> rows = overview.rows();
        model.addAttribute("section", "sources");
        model.addAttribute("rows", rows);
        model.addAttribute("projects", projects.list());
        model.addAttribute("projectSizes", rows.stream().filter(r -> r.project() != null)
                .collect(java.util.stream.Collectors.groupingBy(r -> r.project().id().value(),
                        java.util.stream.Collectors.counting())));
        return "sources/list";
    }

    @GetMapping("/sources/{id}")
    public String page(@PathVariable long id, Model model) {
        SourceRow row = overview.row(new SourceId(id));
        var history = views.of(jobs.search(JobQuery.ofSource(id), 0, HISTORY).items());
        model.addAttribute("section", "sources");
        model.addAttribute("row", row);
        model.addAttribute("history", history);
        model.addAttribute("estimate", jobs.estimate(row.source().id()));
        // Charts read their data from JSON blocks in the page (no inline script; the CSP forbids it).
        List<Map<String, Object>> perf = new ArrayList<>();
        history.stream().filter(b -> b.performance() != null || b.live() != null).limit(20).forEach(b -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", b.id());
            m.put("label", "#" + b.id() + " · " + (b.startedAt() == null ? "" : b.startedAt().toString().substring(0, 16)
                    .replace('T', ' ')) + " · " + b.type().name().toLowerCase());
            m.put("running", b.live() != null);
            m.put("performance", b.performance());
            perf.add(m);
        });
        model.addAttribute("performanceJson", json.writeValueAsString(perf));
        Map<String, Object> analytics = new LinkedHashMap<>();
        var stats = row.stats();
        analytics.put("succeeded", stats == null ? 0 : stats.succeeded());
        analytics.put("failed", stats == null ? 0 : stats.failed());
        analytics.put("daily", jobs.dailyTotals(row.source().id(), clock.instant().minus(OverviewService.PERIOD)));
        model.addAttribute("analyticsJson", json.writeValueAsString(analytics));
        model.addAttribute("charts", true);
        return "sources/page";
    }
}
