package io.cairn.server.system;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/health}: 200 when the server works (UP or DEGRADED), 503 when a part it needs is
 * DOWN. Anyone may ask (load balancers, monitors); only signed-in callers see the messages and figures,
 * which name paths and sizes.
 */
@RestController
@Tag(name = "Health")
public class HealthApiController {

    private final SystemHealth health;

    public HealthApiController(SystemHealth health) {
        this.health = health;
    }

    public record Component(String name, String status, String message, Map<String, Object> details) {
    }

    public record Health(String status, String version, Instant startedAt, long uptimeSeconds, Instant checkedAt,
                         List<Component> components) {
    }

    @GetMapping("/api/v1/health")
    @Operation(summary = "Health of the metadata database, the repositories and the scheduler")
    public ResponseEntity<Health> health(Authentication auth) {
        HealthReport report = health.check();
        boolean signedIn = auth != null && auth.isAuthenticated() && !(auth instanceof AnonymousAuthenticationToken);
        List<Component> components = report.components().stream().map(c -> signedIn
                ? new Component(c.name(), c.status(), c.message(), c.details())
                : new Component(c.name(), c.status(), null, null)).toList();
        return ResponseEntity.status(report.isDown() ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.OK)
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .body(new Health(report.status(), report.version(), report.startedAt(), report.uptime().toSeconds(),
                        report.checkedAt(), components));
    }
}
