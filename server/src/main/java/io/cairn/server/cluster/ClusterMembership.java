package io.cairn.server.cluster;

import io.cairn.server.config.CairnProperties;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * This server among the servers sharing the metadata database: registers it at start (before the job,
 * restore and prune runners start, {@link #PHASE}), beats every heartbeat interval, records a clean stop,
 * and answers whether the node recorded as running some work is still alive — the one rule by which
 * every feature finds its orphaned work ({@link #isOrphaned}).
 */
@Component
public class ClusterMembership implements SmartLifecycle {

    /** Starts before the runners (default phase) and stops after them. */
    public static final int PHASE = 0;

    private static final Logger log = LoggerFactory.getLogger(ClusterMembership.class);

    private final ClusterNodes nodes;
    private final Clock clock;
    private final CairnProperties.Cluster settings;
    private final boolean shared;
    private final String name;
    private final String instance = UUID.randomUUID().toString();
    private ScheduledExecutorService heartbeat;
    private volatile boolean started;
    private volatile boolean nameTaken;

    ClusterMembership(ClusterNodes nodes, Clock clock, CairnProperties properties, Environment environment) {
        this.nodes = nodes;
        this.clock = clock;
        this.settings = properties.cluster();
        this.shared = !properties.database().isSqlite();
        this.name = settings.nodeName() != null && !settings.nodeName().isBlank() ? settings.nodeName().strip()
                : defaultName(environment.getProperty("server.port", "8080"));
    }

    /** The host name and the configured HTTP port; with a random port (0) the process id instead. */
    static String defaultName(String port) {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "localhost";
        }
        return "0".equals(port) ? host + ":pid-" + ProcessHandle.current().pid() : host + ":" + port;
    }

    /** This server's node name. */
    public String nodeName() {
        return name;
    }

    /** Whether other servers may share the metadata database (PostgreSQL; never SQLite). */
    public boolean isShared() {
        return shared;
    }

    /**
     * Whether work recorded as running on {@code runnerNode} has nobody running it: this server does not
     * ({@code runningHere} false) and the recorded node is this server's name (a previous process of it,
     * {@code atStart}), unknown, or not alive. With SQLite only this server is ever alive.
     */
    public boolean isOrphaned(String runnerNode, boolean runningHere, boolean atStart) {
        if (runningHere) {
            return false;
        }
        if (runnerNode == null) {
            return true;
        }
        if (runnerNode.equals(name)) {
            return atStart;
        }
        return !isAlive(runnerNode);
    }

    /** Whether a node (other than this one) beat within the dead-after time and has not stopped. */
    public boolean isAlive(String node) {
        if (node.equals(name)) {
            return started;
        }
        if (!shared) {
            return false;
        }
        return nodes.find(node).map(n -> n.stoppedAt() == null
                && !n.heartbeatAt().isBefore(clock.instant().minus(settings.deadAfter()))).orElse(false);
    }

    /** When a node was last heard from, for messages; null if never. */
    public Instant lastHeardFrom(String node) {
        return node == null ? null : nodes.find(node).map(ServerNode::heartbeatAt).orElse(null);
    }

    /** Every server this database has seen, with whether each is alive now. */
    public List<NodeStatus> nodes() {
        Instant deadline = clock.instant().minus(settings.deadAfter());
        return nodes.all().stream().map(n -> new NodeStatus(n.name(), n.name().equals(name), n.version(), n.startedAt(),
                n.heartbeatAt(), n.stoppedAt(), n.name().equals(name)
                || (shared && n.stoppedAt() == null && !n.heartbeatAt().isBefore(deadline)))).toList();
    }

    /** A server and whether it is alive, for the health report. */
    public record NodeStatus(String name, boolean self, String version, Instant startedAt, Instant heartbeatAt,
                             Instant stoppedAt, boolean alive) {
    }

    public Duration heartbeatInterval() {
        return settings.heartbeatInterval();
    }

    @Override
    public void start() {
        Instant now = clock.instant();
        nodes.find(name).ifPresent(previous -> {
            if (shared && previous.stoppedAt() == null
                    && !previous.heartbeatAt().isBefore(now.minus(settings.heartbeatInterval().multipliedBy(2)))) {
                log.warn("Node name {} was in use {} s ago by a process that did not stop cleanly. If another server "
                        + "runs with this name, give each its own cairn.cluster.node-name: two servers with one name "
                        + "settle each other's work.", name, Duration.between(previous.heartbeatAt(), now).toSeconds());
            }
        });
        nodes.register(name, instance, version(), now);
        heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cairn-cluster-heartbeat");
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(100, settings.heartbeatInterval().toMillis());
        heartbeat.scheduleAtFixedRate(this::beatSafely, period, period, TimeUnit.MILLISECONDS);
        started = true;
        log.info("Node {} started{}", name, shared ? " (servers sharing this PostgreSQL database take over each "
                + "other's work after " + settings.deadAfter().toSeconds() + " s of silence)" : "");
    }

    private void beatSafely() {
        try {
            boolean mine = nodes.beat(name, instance, clock.instant());
            if (!mine && !nameTaken) {
                log.error("Another server registered with node name {} after this one: give each server its own "
                        + "cairn.cluster.node-name (two servers with one name settle each other's work).", name);
            }
            nameTaken = !mine;
        } catch (RuntimeException e) {
            log.warn("heartbeat of node {}: {}", name, e.getMessage());
        }
    }

    @Override
    public void stop() {
        started = false;
        if (heartbeat != null) {
            heartbeat.shutdownNow();
        }
        try {
            nodes.stopped(name, instance, clock.instant());
        } catch (RuntimeException e) {
            log.warn("could not record that node {} stopped: {}", name, e.getMessage());
        }
    }

    @Override
    public boolean isRunning() {
        return started;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    private static String version() {
        String v = ClusterMembership.class.getPackage().getImplementationVersion();
        return v != null ? v : "0.1.0-SNAPSHOT";
    }
}
