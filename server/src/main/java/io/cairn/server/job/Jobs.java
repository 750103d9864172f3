package io.cairn.server.job;

import io.cairn.engine.blob.Compression;
import io.cairn.server.source.ProjectId;
import io.cairn.server.source.SourceId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The {@code jobs} table. Deleted backups keep their row (with {@code deleted_at}) for the history. */
@Component
public class Jobs {

    private static final Map<String, String> SORTS = Map.of("queued", "j.queued_at", "started", "j.started_at",
            "duration", "(COALESCE(j.finished_at, j.started_at) - j.started_at)", "size", "j.bytes_read",
            "added", "j.bytes_added", "source", "s.name_key", "status", "j.status");

    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;

    public Jobs(JdbcClient jdbc, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.transaction = new TransactionTemplate(transactions);
    }

    JobId insert(SourceId source, long repository, ProjectId project, BackupType type, TriggerKind trigger,
                 String requestedBy, boolean verify, Compression compression, Instant now) {
        return new JobId(jdbc.sql("INSERT INTO jobs (source_id, repository_id, project_id, backup_type, status, "
                        + "trigger_kind, requested_by, verify, compression, queued_at) "
                        + "VALUES (?, ?, ?, ?, 'QUEUED', ?, ?, ?, ?, ?) RETURNING id")
                .param(source.value()).param(repository).param(project == null ? null : project.value())
                .param(type.name()).param(trigger.name()).param(requestedBy).param(verify ? 1 : 0)
                .param(compression == null ? null : compression.name()).param(now.toEpochMilli())
                .query(Long.class).single());
    }

    Optional<Job> find(JobId id) {
        return jdbc.sql("SELECT j.* FROM jobs j WHERE j.id = ? AND j.deleted_at IS NULL").param(id.value())
                .query(Jobs::map).optional();
    }

    /** Queued jobs, oldest first. */
    List<Job> queued() {
        return jdbc.sql("SELECT j.* FROM jobs j WHERE j.status = 'QUEUED' AND j.deleted_at IS NULL ORDER BY j.queued_at, j.id")
                .query(Jobs::map).list();
    }

    List<Job> withStatus(JobStatus status) {
        return jdbc.sql("SELECT j.* FROM jobs j WHERE j.status = ? AND j.deleted_at IS NULL ORDER BY j.id")
                .param(status.name()).query(Jobs::map).list();
    }

    /**
     * Moves a job from QUEUED to RUNNING on a node; false if someone else (another server) took it first, or if
     * another job of its source runs (on any server). Claims of one source are serialized by a lock on the
     * source's row, so two servers never start two backups of one source.
     */
    boolean claim(JobId id, SourceId source, String node, Instant now) {
        return Boolean.TRUE.equals(transaction.execute(tx -> {
            jdbc.sql("UPDATE sources SET id = id WHERE id = ?").param(source.value()).update();
            return jdbc.sql("UPDATE jobs SET status = 'RUNNING', started_at = ?, phase = 'starting', runner_node = ? "
                            + "WHERE id = ? AND status = 'QUEUED' AND NOT EXISTS (SELECT 1 FROM jobs r "
                            + "WHERE r.source_id = ? AND r.status = 'RUNNING')")
                    .param(now.toEpochMilli()).param(node).param(id.value()).param(source.value()).update() == 1;
        }));
    }

    /** Queues a second run of a job that a stopped server left unfinished. */
    JobId insertRetry(Job of, Instant now) {
        return new JobId(jdbc.sql("INSERT INTO jobs (source_id, repository_id, project_id, backup_type, status, "
                        + "trigger_kind, requested_by, verify, compression, queued_at, retry_of) "
                        + "VALUES (?, ?, ?, ?, 'QUEUED', ?, ?, ?, ?, ?, ?) RETURNING id")
                .param(of.sourceId().value()).param(of.repositoryId())
                .param(of.projectId() == null ? null : of.projectId().value()).param(of.type().name())
                .param(of.trigger().name()).param(of.requestedBy()).param(of.verify() ? 1 : 0)
                .param(of.compression() == null ? null : of.compression().name()).param(now.toEpochMilli())
                .param(of.id().value()).query(Long.class).single());
    }

    /** Asks the server running a job to cancel it (it looks every second); false if the job is not running. */
    boolean requestCancel(JobId id) {
        return jdbc.sql("UPDATE jobs SET cancel_requested = 1 WHERE id = ? AND status = 'RUNNING'").param(id.value())
                .update() == 1;
    }

    /**
     * Of the jobs a node believes it runs, those it should stop: a cancel was asked for, or the job is no
     * longer RUNNING on this node (another server settled it when this one was silent too long).
     */
    List<Long> toStop(String node, java.util.Collection<Long> running) {
        if (running.isEmpty()) {
            return List.of();
        }
        String marks = String.join(", ", java.util.Collections.nCopies(running.size(), "?"));
        List<Long> keep = jdbc.sql("SELECT id FROM jobs WHERE id IN (" + marks + ") AND status = 'RUNNING' "
                        + "AND runner_node = ? AND cancel_requested = 0")
                .params(new ArrayList<Object>(running)).param(node).query(Long.class).list();
        List<Long> out = new ArrayList<>(running);
        out.removeAll(keep);
        return out;
    }

    void progress(JobId id, String phase, Long bytesTotal, long bytesRead, long bytesAdded, long files) {
        jdbc.sql("UPDATE jobs SET phase = ?, bytes_total = ?, bytes_read = ?, bytes_added = ?, files = ? WHERE id = ? "
                        + "AND status = 'RUNNING'")
                .param(phase).param(bytesTotal).param(bytesRead).param(bytesAdded).param(files).param(id.value()).update();
    }

    void contents(JobId id, String json) {
        jdbc.sql("UPDATE jobs SET contents = ? WHERE id = ?").param(json).param(id.value()).update();
    }

    /** Ends a job; only a job not already ended changes (a cancel and a finish can race). */
    boolean finish(JobId id, JobStatus status, Instant now, String snapshotId, String error, String performance) {
        return jdbc.sql("UPDATE jobs SET status = ?, finished_at = ?, snapshot_id = ?, error = ?, performance = ?, "
                        + "phase = ? WHERE id = ? AND status IN ('QUEUED', 'RUNNING')")
                .param(status.name()).param(now.toEpochMilli()).param(snapshotId).param(error).param(performance)
                .param(status == JobStatus.SUCCEEDED ? "done" : status.name().toLowerCase(Locale.ROOT))
                .param(id.value()).update() == 1;
    }

    void markDeleted(JobId id, Instant now) {
        jdbc.sql("UPDATE jobs SET deleted_at = ? WHERE id = ?").param(now.toEpochMilli()).param(id.value()).update();
    }

    /** The last successful job of a source, for estimates and parents. */
    Optional<Job> lastSucceeded(SourceId source) {
        return jdbc.sql("SELECT j.* FROM jobs j WHERE j.source_id = ? AND j.status = 'SUCCEEDED' AND j.deleted_at IS NULL "
                + "ORDER BY j.finished_at DESC LIMIT 1").param(source.value()).query(Jobs::map).optional();
    }

    List<Job> search(JobQuery q, int offset, int limit) {
        Where w = where(q);
        String order = SORTS.getOrDefault(q.sort() == null ? "queued" : q.sort(), "j.queued_at")
                + (q.descending() ? " DESC" : " ASC") + ", j.id " + (q.descending() ? "DESC" : "ASC");
        return jdbc.sql("SELECT j.* FROM jobs j JOIN sources s ON s.id = j.source_id" + w.sql + " ORDER BY " + order
                + " LIMIT ? OFFSET ?").params(w.params).param(limit).param(offset).query(Jobs::map).list();
    }

    long count(JobQuery q) {
        Where w = where(q);
        return jdbc.sql("SELECT COUNT(*) FROM jobs j JOIN sources s ON s.id = j.source_id" + w.sql).params(w.params)
                .query(Long.class).single();
    }

    /** Counts of jobs queued since {@code since}, by status. */
    Map<JobStatus, Long> countsSince(Instant since) {
        Map<JobStatus, Long> out = new java.util.EnumMap<>(JobStatus.class);
        jdbc.sql("SELECT status, COUNT(*) AS n FROM jobs WHERE queued_at >= ? AND deleted_at IS NULL GROUP BY status")
                .param(since.toEpochMilli())
                .query(rs -> {
                    out.put(JobStatus.valueOf(rs.getString("status")), rs.getLong("n"));
                });
        return out;
    }

    /** Backup counts and averages of one source. */
    record SourceStats(long sourceId, long total, long succeeded, long failed, long running, long averageBytes,
                       long averageMillis, Instant lastSuccessAt, Instant lastJobAt) {
    }

    /** Per source: counts by outcome, averages of successful runs, last success and last job. */
    List<SourceStats> statsBySource(Instant since) {
        return jdbc.sql("SELECT source_id, COUNT(*) AS total, "
                        + "SUM(CASE WHEN status = 'SUCCEEDED' THEN 1 ELSE 0 END) AS succeeded, "
                        + "SUM(CASE WHEN status = 'FAILED' THEN 1 ELSE 0 END) AS failed, "
                        + "SUM(CASE WHEN status IN ('RUNNING', 'QUEUED') THEN 1 ELSE 0 END) AS running, "
                        + "AVG(CASE WHEN status = 'SUCCEEDED' THEN bytes_read END) AS avg_bytes, "
                        + "AVG(CASE WHEN status = 'SUCCEEDED' THEN finished_at - started_at END) AS avg_millis, "
                        + "MAX(CASE WHEN status = 'SUCCEEDED' THEN finished_at END) AS last_success, "
                        + "MAX(queued_at) AS last_job "
                        + "FROM jobs WHERE deleted_at IS NULL AND queued_at >= ? GROUP BY source_id")
                .param(since.toEpochMilli())
                .query((rs, n) -> {
                    long lastSuccess = rs.getLong("last_success");
                    Instant ls = rs.wasNull() ? null : Instant.ofEpochMilli(lastSuccess);
                    return new SourceStats(rs.getLong("source_id"), rs.getLong("total"), rs.getLong("succeeded"),
                            rs.getLong("failed"), rs.getLong("running"), Math.round(rs.getDouble("avg_bytes")),
                            Math.round(rs.getDouble("avg_millis")), ls, Instant.ofEpochMilli(rs.getLong("last_job")));
                }).list();
    }

    /** The newest job of each source. */
    List<Job> latestPerSource() {
        return jdbc.sql("SELECT j.* FROM jobs j WHERE j.deleted_at IS NULL AND j.id = (SELECT MAX(k.id) FROM jobs k "
                + "WHERE k.source_id = j.source_id AND k.deleted_at IS NULL)").query(Jobs::map).list();
    }

    /** Bytes read and added by successful jobs per day, for trend charts: [day start millis, jobs, bytes, added]. */
    List<long[]> dailyTotals(Long sourceId, Instant since) {
        String filter = sourceId == null ? "" : " AND source_id = " + sourceId.longValue();
        return jdbc.sql("SELECT (queued_at / 86400000) * 86400000 AS day, COUNT(*) AS n, "
                        + "SUM(CASE WHEN status = 'SUCCEEDED' THEN 1 ELSE 0 END) AS ok, SUM(bytes_read) AS bytes "
                        + "FROM jobs WHERE deleted_at IS NULL AND queued_at >= ?" + filter
                        + " GROUP BY (queued_at / 86400000) * 86400000 ORDER BY day")
                .param(since.toEpochMilli())
                .query((rs, n) -> new long[] {rs.getLong("day"), rs.getLong("n"), rs.getLong("ok"), rs.getLong("bytes")})
                .list();
    }

    private record Where(String sql, List<Object> params) {
    }

    private static Where where(JobQuery q) {
        List<String> c = new ArrayList<>();
        List<Object> p = new ArrayList<>();
        c.add("j.deleted_at IS NULL");
        if (q.sourceId() != null) {
            c.add("j.source_id = ?");
            p.add(q.sourceId());
        }
        if (q.projectId() != null) {
            c.add("j.project_id = ?");
            p.add(q.projectId());
        }
        if (q.type() != null) {
            c.add("j.backup_type = ?");
            p.add(q.type().name());
        }
        if (q.status() != null) {
            c.add("j.status = ?");
            p.add(q.status().name());
        }
        if (q.from() != null) {
            c.add("j.queued_at >= ?");
            p.add(q.from().toEpochMilli());
        }
        if (q.to() != null) {
            c.add("j.queued_at < ?");
            p.add(q.to().toEpochMilli());
        }
        if (q.text() != null && !q.text().isBlank()) {
            String like = "%" + q.text().trim().toLowerCase(Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%")
                    .replace("_", "\\_") + "%";
            c.add("(s.name_key LIKE ? ESCAPE '\\' OR LOWER(COALESCE(j.snapshot_id, '')) LIKE ? ESCAPE '\\' "
                    + "OR LOWER(COALESCE(j.error, '')) LIKE ? ESCAPE '\\')");
            p.add(like);
            p.add(like);
            p.add(like);
        }
        return new Where(" WHERE " + String.join(" AND ", c), p);
    }

    static Job map(ResultSet rs, int row) throws SQLException {
        long project = rs.getLong("project_id");
        ProjectId projectId = rs.wasNull() ? null : new ProjectId(project);
        long total = rs.getLong("bytes_total");
        Long bytesTotal = rs.wasNull() ? null : total;
        String compression = rs.getString("compression");
        return new Job(new JobId(rs.getLong("id")), new SourceId(rs.getLong("source_id")), rs.getLong("repository_id"),
                projectId, BackupType.valueOf(rs.getString("backup_type")), JobStatus.valueOf(rs.getString("status")),
                TriggerKind.valueOf(rs.getString("trigger_kind")), rs.getString("requested_by"), rs.getInt("verify") == 1,
                compression == null ? null : Compression.valueOf(compression), instant(rs, "queued_at"),
                instant(rs, "started_at"), instant(rs, "finished_at"), rs.getString("phase"), bytesTotal,
                rs.getLong("bytes_read"), rs.getLong("bytes_added"), rs.getLong("files"), rs.getString("snapshot_id"),
                rs.getString("error"), rs.getString("contents"), rs.getString("performance"),
                rs.getString("runner_node"), retryOf(rs));
    }

    private static JobId retryOf(ResultSet rs) throws SQLException {
        long v = rs.getLong("retry_of");
        return rs.wasNull() ? null : new JobId(v);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }
}
