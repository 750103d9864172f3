package io.cairn.server.schedule;

import io.cairn.server.audit.AuditLog;
import io.cairn.server.repository.RepositoryId;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Prune per repository over the API: its schedule, its recent prunes, a prune now. */
@RestController
@Tag(name = "Repositories")
public class PruneApiController {

    private final RepositoryPruning pruning;

    public PruneApiController(RepositoryPruning pruning) {
        this.pruning = pruning;
    }

    /**
     * @param cron    5 or 6 fields (default {@value RepositoryPruning#DEFAULT_CRON}, weekly)
     * @param zone    IANA time zone (default UTC)
     * @param enabled false turns scheduled prunes off (on demand still works)
     */
    public record ScheduleBody(String cron, String zone, Boolean enabled) {
    }

    public record PruneState(RepositoryPruning.PruneSchedule schedule, List<RepositoryPruning.PruneView> recent) {
    }

    @GetMapping("/api/v1/repositories/{id}/prune")
    @Operation(summary = "A repository's prune schedule and its recent prunes (space freed, packs removed, errors)")
    public PruneState state(@PathVariable long id) {
        RepositoryId repo = new RepositoryId(id);
        return new PruneState(pruning.schedule(repo), pruning.recent(repo, 10));
    }

    @PutMapping("/api/v1/repositories/{id}/prune")
    @Operation(summary = "Change a repository's prune schedule (cron, zone, enabled); 400 naming a bad cron field")
    public RepositoryPruning.PruneSchedule changeSchedule(@PathVariable long id, @RequestBody ScheduleBody body) {
        return pruning.changeSchedule(new RepositoryId(id), body.cron(), body.zone(),
                body.enabled() == null || body.enabled());
    }

    @PostMapping("/api/v1/repositories/{id}/prune")
    @Operation(summary = "Prune a repository now (202): removes data no snapshot references; follow it with GET")
    public ResponseEntity<RepositoryPruning.PruneView> pruneNow(@PathVariable long id) {
        return ResponseEntity.status(HttpStatus.ACCEPTED)
                .body(pruning.startNow(new RepositoryId(id), AuditLog.currentActor()));
    }
}
