package io.cairn.server.job;

import io.cairn.server.repository.ManagedRepository;
import io.cairn.server.repository.RepositoryService;
import io.cairn.server.source.Project;
import io.cairn.server.source.ProjectService;
import io.cairn.server.source.Source;
import io.cairn.server.source.SourceService;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** Turns jobs into {@link BackupView}s (one source lookup for a whole list). */
@Component
public class BackupViews {

    private final SourceService sources;
    private final ProjectService projects;
    private final RepositoryService repositories;
    private final JobService jobs;
    private final Clock clock;
    private final JsonMapper json;

    public BackupViews(SourceService sources, ProjectService projects, RepositoryService repositories, JobService jobs,
                       Clock clock, JsonMapper json) {
        this.sources = sources;
        this.projects = projects;
        this.repositories = repositories;
        this.jobs = jobs;
        this.clock = clock;
        this.json = json;
    }

    public List<BackupView> of(List<Job> list) {
        Map<Long, Source> byId = sources.list().stream().collect(Collectors.toMap(s -> s.id().value(),
                Function.identity()));
        Map<Long, String> projectNames = projects.list().stream().collect(Collectors.toMap(p -> p.id().value(),
                Project::name));
        Map<Long, String> repositoryNames = repositories.list().stream().collect(Collectors.toMap(r -> r.id().value(),
                ManagedRepository::name));
        return list.stream().map(j -> {
            Source s = byId.get(j.sourceId().value());
            return BackupView.of(j, s == null ? "(deleted source)" : s.name(), s == null ? null : s.type().name(),
                    j.projectId() == null ? null : projectNames.get(j.projectId().value()),
                    repositoryNames.get(j.repositoryId()), jobs.live(j.id()).orElse(null), clock, json);
        }).toList();
    }

    public BackupView of(Job job) {
        return of(List.of(job)).get(0);
    }
}
