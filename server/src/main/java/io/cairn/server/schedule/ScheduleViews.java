package io.cairn.server.schedule;

import io.cairn.server.source.Project;
import io.cairn.server.source.ProjectService;
import io.cairn.server.source.Source;
import io.cairn.server.source.SourceService;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/** Turns schedules into {@link ScheduleView}s (names of sources and projects, descriptions, next runs). */
@Component
public class ScheduleViews {

    private final ScheduleService schedules;
    private final SourceService sources;
    private final ProjectService projects;

    ScheduleViews(ScheduleService schedules, SourceService sources, ProjectService projects) {
        this.schedules = schedules;
        this.sources = sources;
        this.projects = projects;
    }

    public ScheduleView of(Schedule schedule) {
        return of(List.of(schedule)).get(0);
    }

    public List<ScheduleView> of(List<Schedule> list) {
        Map<Long, String> sourceNames = new HashMap<>();
        Map<Long, String> projectNames = new HashMap<>();
        if (!list.isEmpty()) {
            for (Source s : sources.list()) {
                sourceNames.put(s.id().value(), s.name());
            }
            for (Project p : projects.list()) {
                projectNames.put(p.id().value(), p.name());
            }
        }
        return list.stream().map(s -> new ScheduleView(s.id().value(), s.name(), s.sourceId(), s.projectId(),
                s.sourceId() != null ? "source " + sourceNames.getOrDefault(s.sourceId(), "#" + s.sourceId())
                        : "project " + projectNames.getOrDefault(s.projectId(), "#" + s.projectId()),
                s.cron(), s.zone(), s.cronSchedule().describe(), s.backupType(), s.compression(), s.enabled(),
                s.missedRunPolicy(), s.jitterSeconds(), s.retention(), s.retention().describe(), s.nextRunAt(),
                schedules.upcoming(s, ScheduleService.PREVIEW_RUNS), s.lastRunAt(), s.lastRunOutcome())).toList();
    }
}
