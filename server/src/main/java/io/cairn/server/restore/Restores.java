package io.cairn.server.restore;

import io.cairn.server.job.JobId;
import io.cairn.server.source.SourceId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The {@code restores} table. */
@Component
class Restores {

    private final JdbcClient jdbc;

    Restores(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    RestoreId insert(JobId backup, SourceId source, TargetKind kind, String target, String request, boolean overwrites,
                     String requestedBy, int stepCount, String node, Instant now) {
        return new RestoreId(jdbc.sql("INSERT INTO restores (job_id, source_id, target_kind, target, request, overwrites, "
                        + "status, requested_by, queued_at, step, step_number, step_count, runner_node) "
                        + "VALUES (?, ?, ?, ?, ?, ?, 'QUEUED', ?, ?, 'Waiting to start', 0, ?, ?) RETURNING id")
                .param(backup.value()).param(source.value()).param(kind.name()).param(target).param(request)
                .param(overwrites ? 1 : 0).param(requestedBy).param(now.toEpochMilli()).param(stepCount).param(node)
                .query(Long.class).single());
    }

    Optional<Restore> find(RestoreId id) {
        return jdbc.sql("SELECT * FROM restores WHERE id = ?").param(id.value()).query(Restores::map).optional();
    }

    /** The restores of one backup, newest first. */
    List<Restore> ofBackup(JobId backup) {
        return jdbc.sql("SELECT * FROM restores WHERE job_id = ? ORDER BY queued_at DESC, id DESC")
                .param(backup.value()).query(Restores::map).list();
    }

    List<Restore> page(int offset, int limit) {
        return jdbc.sql("SELECT * FROM restores ORDER BY queued_at DESC, id DESC LIMIT ? OFFSET ?")
                .param(limit).param(offset).query(Restores::map).list();
    }

    long count() {
        return jdbc.sql("SELECT COUNT(*) FROM restores").query(Long.class).single();
    }

    /** A restore not ended yet, with the server (cluster node) that runs it. */
    record Unfinished(Restore restore, String runnerNode, boolean cancelRequested) {
    }

    List<Unfinished> unfinished() {
        return jdbc.sql("SELECT * FROM restores WHERE status IN ('QUEUED', 'RUNNING') ORDER BY id")
                .query((rs, n) -> new Unfinished(map(rs, n), rs.getString("runner_node"),
                        rs.getInt("cancel_requested") == 1)).list();
    }

    /** Asks the server running a restore to cancel it; false if it is not running. */
    boolean requestCancel(RestoreId id) {
        return jdbc.sql("UPDATE restores SET cancel_requested = 1 WHERE id = ? AND status IN ('QUEUED', 'RUNNING')")
                .param(id.value()).update() == 1;
    }

    /** QUEUED → RUNNING; false if it is no longer queued (cancelled meanwhile). */
    boolean claim(RestoreId id, Instant now) {
        return jdbc.sql("UPDATE restores SET status = 'RUNNING', started_at = ? WHERE id = ? AND status = 'QUEUED'")
                .param(now.toEpochMilli()).param(id.value()).update() == 1;
    }

    void step(RestoreId id, int number, String step) {
        jdbc.sql("UPDATE restores SET step_number = ?, step = ? WHERE id = ?").param(number).param(step)
                .param(id.value()).update();
    }

    void progress(RestoreId id, long current, Long total) {
        jdbc.sql("UPDATE restores SET progress_current = ?, progress_total = ? WHERE id = ?").param(current)
                .param(total).param(id.value()).update();
    }

    /** Ends an operation; only one not already ended changes (a cancel and an end can race). */
    boolean finish(RestoreId id, RestoreStatus status, Instant now, String result, String error) {
        return jdbc.sql("UPDATE restores SET status = ?, finished_at = ?, result = ?, error = ? "
                        + "WHERE id = ? AND status IN ('QUEUED', 'RUNNING')")
                .param(status.name()).param(now.toEpochMilli()).param(result).param(error).param(id.value())
                .update() == 1;
    }

    private static Restore map(ResultSet rs, int row) throws SQLException {
        long total = rs.getLong("progress_total");
        Long progressTotal = rs.wasNull() ? null : total;
        return new Restore(new RestoreId(rs.getLong("id")), new JobId(rs.getLong("job_id")),
                new SourceId(rs.getLong("source_id")), TargetKind.valueOf(rs.getString("target_kind")),
                rs.getString("target"), rs.getString("request"), rs.getInt("overwrites") == 1,
                RestoreStatus.valueOf(rs.getString("status")), rs.getString("requested_by"), instant(rs, "queued_at"),
                instant(rs, "started_at"), instant(rs, "finished_at"), rs.getString("step"), rs.getInt("step_number"),
                rs.getInt("step_count"), rs.getLong("progress_current"), progressTotal, rs.getString("result"),
                rs.getString("error"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }
}
