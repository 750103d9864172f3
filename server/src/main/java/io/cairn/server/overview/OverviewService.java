package io.cairn.server.overview;

import io.cairn.server.job.Job;
import io.cairn.server.job.JobService;
import io.cairn.server.job.JobStatus;
import io.cairn.server.job.SourceJobStats;
import io.cairn.server.repository.ManagedRepository;
import io.cairn.server.repository.RepositoryService;
import io.cairn.server.source.Project;
import io.cairn.server.source.ProjectService;
import io.cairn.server.source.Source;
import io.cairn.server.source.SourceId;
import io.cairn.server.source.SourceService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Service;

/** Puts sources, jobs and repositories together for the dashboard and the Sources pages. */
@Service
public class OverviewService {

    /** The period success rates and averages look at. */
    static final Duration PERIOD = Duration.ofDays(30);

    private final SourceService sources;
    private final ProjectService projects;
    private final JobService jobs;
    private final RepositoryService repositories;
    private final Clock clock;

    public OverviewService(SourceService sources, ProjectService projects, JobService jobs,
                           RepositoryService repositories, Clock clock) {
        this.sources = sources;
        this.projects = projects;
        this.jobs = jobs;
        this.repositories = repositories;
        this.clock = clock;
    }

    /** The dashboard's figures. */
    public record Kpis(long completedToday, long runningNow, long failedToday, int successPercent, long storageBytes,
                       long protectedSources, long sources, Instant oldestLastSuccess, String oldestSourceName) {
    }

    public List<SourceRow> rows() {
        Map<Long, Job> last = jobs.latestPerSource().stream()
                .collect(Collectors.toMap(j -> j.sourceId().value(), Function.identity()));
        Map<Long, SourceJobStats> stats = statsBySource();
        Map<Long, Project> byId = projects.list().stream().collect(Collectors.toMap(p -> p.id().value(),
                Function.identity()));
        return sources.list().stream().map(s -> {
            Job j = last.get(s.id().value());
            return new SourceRow(s, s.projectId() == null ? null : byId.get(s.projectId().value()), j,
                    stats.get(s.id().value()), SourceRow.health(j));
        }).toList();
    }

    public SourceRow row(SourceId id) {
        return rows().stream().filter(r -> r.source().id().equals(id)).findFirst()
                .orElseThrow(() -> io.cairn.server.problem.ProblemException.notFound("There is no source with id " + id + "."));
    }

    public Kpis kpis() {
        Instant startOfDay = LocalDate.now(clock.withZone(ZoneOffset.UTC)).atStartOfDay().toInstant(ZoneOffset.UTC);
        Map<JobStatus, Long> today = jobs.countsSince(startOfDay);
        List<SourceRow> rows = rows();
        long succeeded = 0;
        long failed = 0;
        for (SourceRow r : rows) {
            if (r.stats() != null) {
                succeeded += r.stats().succeeded();
                failed += r.stats().failed();
            }
        }
        int successPercent = succeeded + failed == 0 ? -1 : (int) Math.round(100.0 * succeeded / (succeeded + failed));
        long storage = 0;
        for (ManagedRepository repo : repositories.list()) {
            long used = repositories.usedBytes(repo.id());
            storage += Math.max(0, used);
        }
        long protectedCount = rows.stream().filter(r -> r.stats() != null && r.stats().lastSuccessAt() != null).count();
        SourceRow oldest = rows.stream().filter(r -> r.stats() != null && r.stats().lastSuccessAt() != null)
                .min(Comparator.comparing(r -> r.stats().lastSuccessAt())).orElse(null);
        return new Kpis(today.getOrDefault(JobStatus.SUCCEEDED, 0L),
                today.getOrDefault(JobStatus.RUNNING, 0L) + today.getOrDefault(JobStatus.QUEUED, 0L),
                today.getOrDefault(JobStatus.FAILED, 0L), successPercent, storage, protectedCount, rows.size(),
                oldest == null ? null : oldest.stats().lastSuccessAt(), oldest == null ? null : oldest.source().name());
    }

    /** The newest backups of every source, for the dashboard. */
    public List<Job> recent(int n) {
        return jobs.search(io.cairn.server.job.JobQuery.all(), 0, n).items();
    }

    private Map<Long, SourceJobStats> statsBySource() {
        return jobs.statsBySource(clock.instant().minus(PERIOD)).stream()
                .collect(Collectors.toMap(s -> s.sourceId().value(), Function.identity()));
    }
}
