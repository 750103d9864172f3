package io.cairn.server.schedule;

import io.cairn.server.repository.RepositoryId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The {@code prune_schedules} and {@code prunes} tables. */
@Component
class Prunes {

    /** A repository's prune schedule as stored; no row means {@link RepositoryPruning#DEFAULT_CRON} in UTC. */
    record StoredSchedule(String cron, String zone, boolean enabled) {
    }

    /** One prune: how it was started, how it ended, what it freed. */
    record Prune(long id, long repositoryId, String trigger, String requestedBy, Instant startedAt,
                 Instant finishedAt, String status, Long bytesFreed, Integer packsRemoved, Integer snapshots,
                 String error, String runnerNode) {
    }

    private final JdbcClient jdbc;

    Prunes(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<StoredSchedule> schedule(RepositoryId id) {
        return jdbc.sql("SELECT cron, zone, enabled FROM prune_schedules WHERE repository_id = ?").param(id.value())
                .query((rs, n) -> new StoredSchedule(rs.getString(1), rs.getString(2), rs.getInt(3) == 1)).optional();
    }

    void saveSchedule(RepositoryId id, String cron, String zone, boolean enabled, Instant now) {
        int updated = jdbc.sql("UPDATE prune_schedules SET cron = ?, zone = ?, enabled = ?, updated_at = ? "
                        + "WHERE repository_id = ?").param(cron).param(zone).param(enabled ? 1 : 0)
                .param(now.toEpochMilli()).param(id.value()).update();
        if (updated == 0) {
            jdbc.sql("INSERT INTO prune_schedules (repository_id, cron, zone, enabled, updated_at) VALUES (?, ?, ?, ?, ?)")
                    .param(id.value()).param(cron).param(zone).param(enabled ? 1 : 0).param(now.toEpochMilli()).update();
        }
    }

    long start(RepositoryId id, String trigger, String requestedBy, String node, Instant now) {
        return jdbc.sql("INSERT INTO prunes (repository_id, trigger_kind, requested_by, started_at, status, runner_node) "
                        + "VALUES (?, ?, ?, ?, 'RUNNING', ?) RETURNING id").param(id.value()).param(trigger)
                .param(requestedBy).param(now.toEpochMilli()).param(node).query(Long.class).single();
    }

    void finish(long pruneId, String status, Instant now, Long bytesFreed, Integer packsRemoved, Integer snapshots,
                String error) {
        jdbc.sql("UPDATE prunes SET status = ?, finished_at = ?, bytes_freed = ?, packs_removed = ?, snapshots = ?, "
                        + "error = ? WHERE id = ? AND status = 'RUNNING'").param(status).param(now.toEpochMilli())
                .param(bytesFreed).param(packsRemoved).param(snapshots).param(error).param(pruneId).update();
    }

    Optional<Prune> find(long pruneId) {
        return jdbc.sql("SELECT * FROM prunes WHERE id = ?").param(pruneId).query(Prunes::map).optional();
    }

    List<Prune> recent(RepositoryId id, int limit) {
        return jdbc.sql("SELECT * FROM prunes WHERE repository_id = ? ORDER BY started_at DESC, id DESC LIMIT ?")
                .param(id.value()).param(limit).query(Prunes::map).list();
    }

    Optional<Prune> running(RepositoryId id) {
        return jdbc.sql("SELECT * FROM prunes WHERE repository_id = ? AND status = 'RUNNING' ORDER BY id DESC")
                .param(id.value()).query(Prunes::map).list().stream().findFirst();
    }

    List<Prune> allRunning() {
        return jdbc.sql("SELECT * FROM prunes WHERE status = 'RUNNING'").query(Prunes::map).list();
    }

    /** When the repository's newest prune (of any trigger, any outcome) started, if it has one. */
    Optional<Instant> lastStarted(RepositoryId id) {
        return jdbc.sql("SELECT started_at FROM prunes WHERE repository_id = ? ORDER BY started_at DESC LIMIT 1")
                .param(id.value()).query(Long.class).optional().map(Instant::ofEpochMilli);
    }

    private static Prune map(ResultSet rs, int row) throws SQLException {
        return new Prune(rs.getLong("id"), rs.getLong("repository_id"), rs.getString("trigger_kind"),
                rs.getString("requested_by"), Instant.ofEpochMilli(rs.getLong("started_at")),
                instant(rs, "finished_at"), rs.getString("status"), longOrNull(rs, "bytes_freed"),
                intOrNull(rs, "packs_removed"), intOrNull(rs, "snapshots"), rs.getString("error"),
                rs.getString("runner_node"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    private static Long longOrNull(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    private static Integer intOrNull(ResultSet rs, String column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }
}
