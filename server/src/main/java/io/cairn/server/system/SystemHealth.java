package io.cairn.server.system;

import io.cairn.server.cluster.ClusterMembership;
import io.cairn.server.config.MetadataDatabaseConfig;
import io.cairn.server.repository.RepositoryService;
import io.cairn.server.repository.RepositoryStatus;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.stereotype.Service;

/**
 * Checks the metadata database, the repositories, the scheduler and the servers sharing the database. Cheap
 * enough to call per request.
 */
@Service
public class SystemHealth {

    private final DataSource dataSource;
    private final RepositoryService repositories;
    private final ObjectProvider<ThreadPoolTaskScheduler> schedulerProvider;
    private volatile ThreadPoolTaskScheduler scheduler;
    private final Clock clock;
    private final ClusterMembership cluster;
    private final Instant startedAt;
    private final String version;

    public SystemHealth(DataSource dataSource, RepositoryService repositories,
                        ObjectProvider<ThreadPoolTaskScheduler> scheduler, Clock clock, ClusterMembership cluster) {
        this.dataSource = dataSource;
        this.repositories = repositories;
        this.schedulerProvider = scheduler;
        this.clock = clock;
        this.cluster = cluster;
        this.startedAt = Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime());
        this.version = versionOf();
    }

    public String version() {
        return version;
    }

    public HealthReport check() {
        Instant now = clock.instant();
        List<ComponentHealth> components = new ArrayList<>();
        components.add(database());
        components.addAll(repositoryHealth());
        components.add(scheduler());
        components.add(servers(now));
        String status = worst(components);
        return new HealthReport(status, version, startedAt, Duration.between(startedAt, now), now, components);
    }

    private ComponentHealth database() {
        String vendor = MetadataDatabaseConfig.vendorOf(dataSource);
        long start = System.nanoTime();
        try (Connection c = dataSource.getConnection(); var st = c.createStatement()) {
            st.setQueryTimeout(5);
            st.executeQuery("SELECT 1").close();
            long micros = (System.nanoTime() - start) / 1000;
            return new ComponentHealth("Metadata database", "UP", vendor + " answers.",
                    Map.of("vendor", vendor, "latencyMicros", micros));
        } catch (Exception e) {
            return new ComponentHealth("Metadata database", "DOWN", vendor + " does not answer: "
                    + e.getMessage() + ". Check that it is running and reachable.", Map.of("vendor", vendor));
        }
    }

    private List<ComponentHealth> repositoryHealth() {
        List<ComponentHealth> out = new ArrayList<>();
        if (repositories.problem() != null) {
            out.add(new ComponentHealth("Repository", "DOWN", repositories.problem(), Map.of()));
        }
        List<RepositoryStatus> statuses;
        try {
            statuses = repositories.statuses();
        } catch (RuntimeException e) {
            return List.of(new ComponentHealth("Repositories", "DOWN", "Cannot list repositories: " + e.getMessage(),
                    Map.of()));
        }
        if (statuses.isEmpty() && out.isEmpty()) {
            out.add(new ComponentHealth("Repositories", "DOWN", "No repository is configured.", Map.of()));
        }
        for (RepositoryStatus s : statuses) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("id", s.repository().id().value());
            details.put("kind", s.repository().kind());
            details.put("freeBytes", s.freeBytes());
            details.put("totalBytes", s.totalBytes());
            out.add(new ComponentHealth("Repository \"" + s.repository().name() + "\"", s.state(), s.message(), details));
        }
        return out;
    }

    private ComponentHealth scheduler() {
        ThreadPoolTaskScheduler s = scheduler;
        if (s == null) {
            s = schedulerProvider.getIfAvailable(); // looked up once: a lookup per health check is costly
            scheduler = s;
        }
        if (s == null || s.getScheduledExecutor().isShutdown()) {
            return new ComponentHealth("Scheduler", "DOWN", "The scheduler is not running.", Map.of());
        }
        return new ComponentHealth("Scheduler", "UP", "Running: schedules fire and prunes run on time.",
                Map.of("activeTasks", s.getActiveCount()));
    }

    /**
     * The servers sharing the metadata database: DEGRADED while one that did not stop cleanly was heard from
     * in the last day (its work was taken over; it may need a look).
     */
    private ComponentHealth servers(Instant now) {
        List<ClusterMembership.NodeStatus> nodes;
        try {
            nodes = cluster.nodes();
        } catch (RuntimeException e) {
            return new ComponentHealth("Servers", "UNKNOWN", "Cannot list the servers: " + e.getMessage(), Map.of());
        }
        List<Map<String, Object>> details = new ArrayList<>();
        List<String> alive = new ArrayList<>();
        List<String> lost = new ArrayList<>();
        for (ClusterMembership.NodeStatus n : nodes) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("name", n.name());
            d.put("self", n.self());
            d.put("alive", n.alive());
            d.put("version", n.version());
            d.put("startedAt", n.startedAt().toString());
            d.put("heartbeatAt", n.heartbeatAt().toString());
            if (n.stoppedAt() != null) {
                d.put("stoppedAt", n.stoppedAt().toString());
            }
            details.add(d);
            if (n.alive()) {
                alive.add(n.self() ? n.name() + " (this one)" : n.name());
            } else if (n.stoppedAt() == null && n.heartbeatAt().isAfter(now.minus(Duration.ofDays(1)))) {
                lost.add(n.name() + " (last heard from " + n.heartbeatAt().truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + ")");
            }
        }
        if (!cluster.isShared()) {
            return new ComponentHealth("Servers", "UP", "This server alone (" + cluster.nodeName() + "): the SQLite "
                    + "metadata database is not shared.", Map.of("nodes", details));
        }
        String message = alive.size() + (alive.size() == 1 ? " server shares" : " servers share")
                + " the metadata database: " + String.join(", ", alive) + ".";
        if (!lost.isEmpty()) {
            return new ComponentHealth("Servers", "DEGRADED", message + " Stopped without a clean shutdown: "
                    + String.join(", ", lost) + "; the backups they ran were taken over. Check their logs.",
                    Map.of("nodes", details));
        }
        return new ComponentHealth("Servers", "UP", message, Map.of("nodes", details));
    }

    private static String worst(List<ComponentHealth> components) {
        int worst = 0;
        for (ComponentHealth c : components) {
            worst = Math.max(worst, switch (c.status()) {
                case "DOWN" -> 2;
                case "DEGRADED" -> 1;
                default -> 0;
            });
        }
        return switch (worst) {
            case 2 -> "DOWN";
            case 1 -> "DEGRADED";
            default -> "UP";
        };
    }

    private static String versionOf() {
        String v = SystemHealth.class.getPackage().getImplementationVersion();
        return v != null ? v : "0.1.0-SNAPSHOT";
    }
}
