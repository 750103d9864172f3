package io.cairn.server.overview;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/v1/stats}: the dashboard's figures, and each source's backup statistics of the last 30 days. */
@RestController
@Tag(name = "Statistics")
public class StatsApiController {

    private final OverviewService overview;

    public StatsApiController(OverviewService overview) {
        this.overview = overview;
    }

    public record SourceStats(long sourceId, String name, String type, String health, long backups, long succeeded,
                              long failed, int successPercent, long averageBytes, long averageSeconds,
                              Instant lastSuccessAt) {
    }

    public record Stats(OverviewService.Kpis totals, List<SourceStats> sources) {
    }

    @GetMapping("/api/v1/stats")
    @Operation(summary = "Backups today, success rate, storage used, protected sources, and per-source statistics "
            + "(last 30 days)")
    public Stats stats() {
        List<SourceStats> sources = overview.rows().stream().map(r -> {
            var s = r.stats();
            return new SourceStats(r.source().id().value(), r.source().name(), r.source().type().name(), r.health(),
                    s == null ? 0 : s.total(), s == null ? 0 : s.succeeded(), s == null ? 0 : s.failed(),
                    s == null ? -1 : s.successPercent(), s == null ? 0 : s.averageBytes(),
                    s == null ? 0 : s.averageDuration().toSeconds(), s == null ? null : s.lastSuccessAt());
        }).toList();
        return new Stats(overview.kpis(), sources);
    }
}
