package io.cairn.server.job;

import io.cairn.engine.blob.Compression;
import io.cairn.engine.repository.Repository;
import io.cairn.engine.snapshot.SnapshotRef;
import io.cairn.server.api.ApiPage;
import io.cairn.server.api.Paging;
import io.cairn.server.audit.AuditLog;
import io.cairn.server.config.CairnProperties;
import io.cairn.server.problem.ProblemException;
import io.cairn.server.repository.RepositoryId;
import io.cairn.server.repository.RepositoryService;
import io.cairn.server.source.ProjectId;
import io.cairn.server.source.Source;
import io.cairn.server.source.SourceId;
import io.cairn.server.source.SourceService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Backups over the API, under the names the dashboard's plans use: status, history, list, start and
 * trigger, one backup, its logs and chain, cancel and delete, the configuration, and the event stream.
 */
@RestController
@Tag(name = "Backups")
public class BackupApiController {

    private final JobService jobs;
    private final BackupViews views;
    private final SourceService sources;
    private final RepositoryService repositories;
    private final JobEvents events;
    private final CairnProperties properties;

    public BackupApiController(JobService jobs, BackupViews views, SourceService sources,
                               RepositoryService repositories, JobEvents events, CairnProperties properties) {
        this.jobs = jobs;
        this.views = views;
        this.sources = sources;
        this.repositories = repositories;
        this.events = events;
        this.properties = properties;
    }

    /**
     * @param sourceId   the source to back up (or sourceName, or projectId for every source of a project)
     * @param type       FULL or INCREMENTAL (default)
     * @param verify     read the snapshot back in full afterwards
     * @param compression OFF, FAST, DEFAULT or MAX (default: the source's)
     */
    public record StartBody(Long sourceId, String sourceName, Long projectId, BackupType type, Boolean verify,
                            Compression compression) {
    }

    public record Started(List<BackupView> backups) {
    }

    public record Status(String status, int running, int queued, long sources, List<LiveProgress> active,
                         List<SourceState> sourcesState) {
    }

    public record SourceState(long sourceId, String name, String health, Instant lastSuccessAt, String lastStatus) {
    }

    public record Config(int concurrency, long telemetryIntervalSeconds, List<Map<String, Object>> repositories,
                         long sources) {
    }

    public record ChainEntry(String snapshotId, String time, String parent, List<String> tags, long totalBytes,
                             long dataAdded) {
    }

    @PostMapping("/api/v1/backup/start")
    @Operation(summary = "Start a backup of a source (or of every source of a project); 202 with the queued backups")
    public ResponseEntity<Started> start(@RequestBody StartBody body) {
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(new Started(views.of(startJobs(body, TriggerKind.API))));
    }

    @PostMapping("/api/v1/backup/trigger")
    @Operation(summary = "Trigger a backup now (same body as start); for scripts and the CLI")
    public ResponseEntity<Started> trigger(@RequestBody StartBody body,
                                           @RequestParam(defaultValue = "false") boolean cli) {
        return ResponseEntity.status(HttpStatus.ACCEPTED)
                .body(new Started(views.of(startJobs(body, cli ? TriggerKind.CLI : TriggerKind.API))));
    }

    @GetMapping("/api/v1/backup/list")
    @Operation(summary = "Backups, newest first. Filters: source, project, type, status, from, to, q; sort "
            + "(queued, started, duration, size, added, source, status) and dir (asc, desc); page, size")
    public ApiPage<BackupView> list(@ModelAttribute BackupFilter filter, @RequestParam(required = false) Integer page,
                                    @RequestParam(required = false) Integer size) {
        Paging paging = Paging.of(page, size);
        JobService.Page result = jobs.search(filter.toQuery(), paging.offset(), paging.size());
        return ApiPage.of(views.of(result.items()), paging.page(), paging.size(), result.total());
    }

    @GetMapping("/api/v1/backup/history")
    @Operation(summary = "Finished backups (succeeded, failed, cancelled), newest first; same filters as list")
    public ApiPage<BackupView> history(@ModelAttribute BackupFilter filter, @RequestParam(required = false) Integer page,
                                       @RequestParam(required = false) Integer size) {
        Paging paging = Paging.of(page, size);
        JobQuery q = filter.toQuery();
        List<BackupView> items = new ArrayList<>();
        long total;
        if (q.status() != null) {
            JobService.Page r = jobs.search(q, paging.offset(), paging.size());
            items = views.of(r.items().stream().filter(j -> j.status().isFinished()).toList());
            total = r.total();
        } else {
            JobService.Page r = jobs.search(q, 0, Integer.MAX_VALUE);
            List<Job> finished = r.items().stream().filter(j -> j.status().isFinished()).toList();
            total = finished.size();
            items = views.of(finished.stream().skip(paging.offset()).limit(paging.size()).toList());
        }
        return ApiPage.of(items, paging.page(), paging.size(), total);
    }

    @GetMapping("/api/v1/backup/status")
    @Operation(summary = "Overall backup status: running and queued jobs, each source's health")
    public Status status() {
        List<Job> latest = jobs.latestPerSource();
        Map<Long, Job> lastBySource = new HashMap<>();
        latest.forEach(j -> lastBySource.put(j.sourceId().value(), j));
        Map<Long, Instant> lastSuccess = new HashMap<>();
        jobs.statsBySource(Instant.EPOCH).forEach(s -> lastSuccess.put(s.sourceId().value(), s.lastSuccessAt()));
        List<SourceState> states = new ArrayList<>();
        boolean failing = false;
        for (Source s : sources.list()) {
            Job last = lastBySource.get(s.id().value());
            String health = last == null ? "NEVER" : switch (last.status()) {
                case SUCCEEDED -> "GOOD";
                case RUNNING, QUEUED -> "RUNNING";
                default -> "FAILING";
            };
            failing |= health.equals("FAILING");
            states.add(new SourceState(s.id().value(), s.name(), health, lastSuccess.get(s.id().value()),
                    last == null ? null : last.status().name()));
        }
        int queued = (int) jobs.search(new JobQuery(null, null, null, JobStatus.QUEUED, null, null, null, "queued", true),
                0, 1).total();
        List<LiveProgress> active = List.copyOf(events.active());
        return new Status(failing ? "FAILING" : "OK", active.size(), queued, states.size(), active, states);
    }

    @GetMapping("/api/v1/backup/config")
    @Operation(summary = "How backups are configured: the queue, the repositories, how many sources")
    public Config config() {
        List<Map<String, Object>> repos = new ArrayList<>();
        repositories.list().forEach(r -> repos.add(Map.of("id", r.id().value(), "name", r.name(), "kind", r.kind(),
                "location", r.location())));
        return new Config(properties.jobs().concurrency(), properties.jobs().telemetryInterval().toSeconds(), repos,
                sources.list().size());
    }

    @GetMapping("/api/v1/backup/logs")
    @Operation(summary = "Log lines of a backup after a line id (for tailing), or of the newest backup when no jobId")
    public List<JobLogs.Line> logs(@RequestParam(required = false) Long jobId,
                                   @RequestParam(defaultValue = "0") long after,
                                   @RequestParam(defaultValue = "500") int limit) {
        JobId id = jobId != null ? new JobId(jobId)
                : jobs.search(JobQuery.all(), 0, 1).items().stream().findFirst().map(Job::id).orElse(null);
        return id == null ? List.of() : jobs.logs(id, after, limit);
    }

    @GetMapping(path = "/api/v1/backup/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @Operation(summary = "Server-sent events: 'snapshot' (active jobs) on connect, then 'progress' and 'job' events")
    public SseEmitter eventStream() {
        return events.subscribe();
    }

    @GetMapping("/api/v1/backup/{id}")
    @Operation(summary = "One backup, with what it holds, its performance and, while running, its progress")
    public BackupView get(@PathVariable long id) {
        return views.of(jobs.get(new JobId(id)));
    }

    @DeleteMapping("/api/v1/backup/{id}")
    @Operation(summary = "Delete a backup: its snapshot leaves the repository; the history keeps the job as deleted")
    public ResponseEntity<Void> delete(@PathVariable long id) {
        jobs.delete(new JobId(id));
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/api/v1/backup/{id}/cancel")
    @Operation(summary = "Cancel a queued or running backup; no snapshot is saved")
    public BackupView cancel(@PathVariable long id) {
        return views.of(jobs.cancel(new JobId(id)));
    }

    @GetMapping("/api/v1/backup/chain")
    @Operation(summary = "The chain of a source's newest backup that succeeded (?source=ID), as /api/v1/backup/{id}/chain")
    public List<ChainEntry> sourceChain(@RequestParam(required = false) Long source) {
        if (source == null) {
            throw ProblemException.invalid(Map.of("source", "Name a source by its id (?source=3), or ask for one "
                    + "backup's chain with /api/v1/backup/{id}/chain."));
        }
        JobQuery newestSucceeded = new JobQuery(source, null, null, JobStatus.SUCCEEDED, null, null, null, "queued", true);
        List<Job> found = jobs.search(newestSucceeded, 0, 1).items();
        if (found.isEmpty()) {
            throw ProblemException.notFound("Source " + source + " has no backup that succeeded.");
        }
        return chain(found.get(0).id().value());
    }

    @GetMapping("/api/v1/backup/{id}/chain")
    @Operation(summary = "The backup's snapshot and its ancestors (each parent it was compared with), newest first. "
            + "Every snapshot is complete on its own; the chain only shows what each was compared with")
    public List<ChainEntry> chain(@PathVariable long id) {
        Job job = jobs.get(new JobId(id));
        if (job.snapshotId() == null) {
            throw ProblemException.conflict("This backup has no snapshot (it is " + job.status() + ").");
        }
        List<ChainEntry> chain = new ArrayList<>();
        try (Repository repo = repositories.open(new RepositoryId(job.repositoryId()))) {
            Map<String, SnapshotRef> byId = new HashMap<>();
            repo.snapshots().forEach(s -> byId.put(s.id(), s));
            String next = job.snapshotId();
            while (next != null && chain.size() < 1000) {
                SnapshotRef ref = byId.get(next);
                if (ref == null) {
                    break;
                }
                var sn = ref.snapshot();
                chain.add(new ChainEntry(ref.id(), sn.time(), sn.parent(), sn.tags(),
                        sn.summary() == null ? 0 : sn.summary().totalBytes(),
                        sn.summary() == null ? 0 : sn.summary().dataAdded()));
                next = sn.parent();
            }
        } catch (IOException e) {
            throw new ProblemException(HttpStatus.SERVICE_UNAVAILABLE, "Repository unavailable",
                    "The repository could not be read: " + e.getMessage(), Map.of());
        }
        return chain;
    }

    @GetMapping("/api/v1/telemetry/history/{jobId}")
    @Operation(summary = "Speed over time of a backup: the rollup once it ended, the samples so far while it runs")
    public Map<String, Object> telemetry(@PathVariable long jobId) {
        Job job = jobs.get(new JobId(jobId));
        BackupView view = views.of(job);
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        out.put("jobId", job.id().value());
        out.put("status", job.status());
        if (view.performance() != null) {
            out.put("rollup", view.performance());
        }
        if (!job.status().isFinished()) {
            out.put("samples", jobs.samples(job.id()));
        }
        return out;
    }

    private List<Job> startJobs(StartBody body, TriggerKind trigger) {
        StartRequest request = new StartRequest(body.type(), Boolean.TRUE.equals(body.verify()), body.compression());
        String actor = AuditLog.currentActor();
        if (body.projectId() != null) {
            return jobs.startProject(new ProjectId(body.projectId()), request, trigger, actor);
        }
        SourceId source;
        if (body.sourceId() != null) {
            source = new SourceId(body.sourceId());
        } else if (body.sourceName() != null && !body.sourceName().isBlank()) {
            source = sources.findByName(body.sourceName()).map(Source::id).orElseThrow(() ->
                    ProblemException.invalid("sourceName", "There is no source named \"" + body.sourceName() + "\"."));
        } else {
            throw ProblemException.invalid("sourceId", "Give sourceId, sourceName or projectId.");
        }
        return List.of(jobs.start(source, request, trigger, actor));
    }
}
