package io.cairn.server.restore;

import io.cairn.server.api.ApiPage;
import io.cairn.server.api.Paging;
import io.cairn.server.audit.AuditLog;
import io.cairn.server.job.Job;
import io.cairn.server.job.JobId;
import io.cairn.server.job.JobService;
import io.cairn.server.problem.ProblemException;
import io.cairn.server.source.ProjectId;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Duration;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/** Restores over the API: plan, start, follow, list and cancel. */
@RestController
@Tag(name = "Restores")
public class RestoreApiController {

    private final RestoreService restores;
    private final JobService jobs;
    private final JsonMapper json;

    public RestoreApiController(RestoreService restores, JobService jobs, JsonMapper json) {
        this.restores = restores;
        this.jobs = jobs;
        this.json = json;
    }

    /**
     * @param operationId   the restore's id, for {@code /api/v1/restores/{operationId}} and the status endpoint
     * @param estimatedTime seconds, from how long the backup took; null when unknown
     */
    public record Started(long operationId, String status, Long estimatedTime, RestoreView restore) {
    }

    @PostMapping("/api/v1/backup/{id}/restore/plan")
    @Operation(summary = "What a restore of this backup would do, without doing it: the target, what it holds now, "
            + "whether it would be overwritten and the text to repeat in 'confirm'")
    public RestorePlan plan(@PathVariable long id, @RequestBody(required = false) RestoreRequest request) {
        return restores.plan(new JobId(id), request == null ? RestoreRequest.defaults() : request);
    }

    @PostMapping("/api/v1/backup/{id}/restore")
    @Operation(summary = "Restore a backup (202 with the operation id). Defaults restore into a new database or a "
            + "new folder; overwriting existing data needs overwrite (databases) or an overwritePolicy (folders) "
            + "and 'confirm' repeating the target's name; withRoles (PostgreSQL, MySQL/MariaDB) restores roles and "
            + "permissions too")
    public ResponseEntity<Started> start(@PathVariable long id, @RequestBody(required = false) RestoreRequest request) {
        Restore r = restores.start(new JobId(id), request == null ? RestoreRequest.defaults() : request,
                AuditLog.currentActor());
        Job backup = jobs.get(new JobId(id));
        Duration took = backup.startedAt() == null || backup.finishedAt() == null ? null
                : Duration.between(backup.startedAt(), backup.finishedAt());
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(new Started(r.id().value(), r.status().name(),
                took == null ? null : Math.max(1, took.toSeconds()), RestoreView.of(r, json)));
    }

    /** @param sources restore only these sources of the project (ids); empty or absent: all of them */
    public record ProjectBody(List<Long> sources) {
    }

    public record ProjectStarted(List<RestoreView> restores) {
    }

    @PostMapping("/api/v1/projects/{id}/restore")
    @Operation(summary = "Restore a project: the newest successful backup of each of its sources (or of those in "
            + "'sources'), each into a new database or folder; 202 with the operations. Sources without a backup are "
            + "skipped; 409 when nothing can be restored")
    public ResponseEntity<ProjectStarted> startProject(@PathVariable long id,
                                                       @RequestBody(required = false) ProjectBody body) {
        List<Restore> started = restores.startProject(new ProjectId(id), body == null ? null : body.sources(),
                AuditLog.currentActor());
        return ResponseEntity.status(HttpStatus.ACCEPTED)
                .body(new ProjectStarted(started.stream().map(r -> RestoreView.of(r, json)).toList()));
    }

    @GetMapping("/api/v1/backup/{id}/restore/status")
    @Operation(summary = "The newest restore of this backup (or the one named by operationId): status, progress "
            + "(current, total, step), result counts, error")
    public RestoreView status(@PathVariable long id, @RequestParam(required = false) Long operationId) {
        if (operationId != null) {
            Restore r = restores.get(new RestoreId(operationId));
            if (r.backupId().value() != id) {
                throw ProblemException.notFound("Restore " + operationId + " is not a restore of backup " + id + ".");
            }
            return RestoreView.of(r, json);
        }
        return restores.ofBackup(new JobId(id)).stream().findFirst().map(r -> RestoreView.of(r, json))
                .orElseThrow(() -> ProblemException.notFound("Backup " + id + " has not been restored yet."));
    }

    @GetMapping("/api/v1/backup/{id}/restores")
    @Operation(summary = "Every restore of this backup, newest first")
    public List<RestoreView> ofBackup(@PathVariable long id) {
        return restores.ofBackup(new JobId(id)).stream().map(r -> RestoreView.of(r, json)).toList();
    }

    @GetMapping("/api/v1/restores")
    @Operation(summary = "Every restore, newest first; page, size")
    public ApiPage<RestoreView> list(@RequestParam(required = false) Integer page,
                                     @RequestParam(required = false) Integer size) {
        Paging paging = Paging.of(page, size);
        RestoreService.Page result = restores.list(paging.offset(), paging.size());
        return ApiPage.of(result.items().stream().map(r -> RestoreView.of(r, json)).toList(), paging.page(),
                paging.size(), result.total());
    }

    @GetMapping("/api/v1/restores/{operationId}")
    @Operation(summary = "One restore operation")
    public RestoreView get(@PathVariable long operationId) {
        return RestoreView.of(restores.get(new RestoreId(operationId)), json);
    }

    @PostMapping("/api/v1/restores/{operationId}/cancel")
    @Operation(summary = "Cancel a queued or running restore")
    public RestoreView cancel(@PathVariable long operationId) {
        return RestoreView.of(restores.cancel(new RestoreId(operationId)), json);
    }
}
