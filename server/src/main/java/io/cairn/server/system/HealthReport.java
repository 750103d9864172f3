package io.cairn.server.system;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Everything the health check found. {@code status} is the worst of the components' (UNKNOWN
 * counts as UP: a check that has not run yet is not a failure).
 */
public record HealthReport(String status, String version, Instant startedAt, Duration uptime, Instant checkedAt,
                           List<ComponentHealth> components) {

    public boolean isDown() {
        return "DOWN".equals(status);
    }
}
