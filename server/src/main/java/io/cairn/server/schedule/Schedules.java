package io.cairn.server.schedule;

import io.cairn.engine.blob.Compression;
import io.cairn.server.job.BackupType;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The {@code schedules} and {@code schedule_jobs} tables. */
@Component
class Schedules {

    private static final String COLUMNS = "name, source_id, project_id, cron, zone, backup_type, compression, enabled, "
            + "missed_run_policy, jitter_seconds, keep_last, keep_hourly, keep_daily, keep_weekly, keep_monthly, "
            + "keep_yearly, keep_within, retention_days, retention_force";

    private final JdbcClient jdbc;

    Schedules(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A schedule's settings, validated, ready to store. */
    record Row(String name, Long sourceId, Long projectId, String cron, String zone, BackupType backupType,
               Compression compression, boolean enabled, MissedRunPolicy missedRunPolicy, int jitterSeconds,
               RetentionSettings retention) {
    }

    ScheduleId insert(Row r, Instant now) {
        return new ScheduleId(jdbc.sql("INSERT INTO schedules (" + COLUMNS + ", created_at, updated_at) VALUES "
                        + "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id")
                .params(values(r)).param(now.toEpochMilli()).param(now.toEpochMilli()).query(Long.class).single());
    }

    void update(ScheduleId id, Row r, Instant now) {
        jdbc.sql("UPDATE schedules SET name = ?, source_id = ?, project_id = ?, cron = ?, zone = ?, backup_type = ?, "
                        + "compression = ?, enabled = ?, missed_run_policy = ?, jitter_seconds = ?, keep_last = ?, "
                        + "keep_hourly = ?, keep_daily = ?, keep_weekly = ?, keep_monthly = ?, keep_yearly = ?, "
                        + "keep_within = ?, retention_days = ?, retention_force = ?, updated_at = ? WHERE id = ?")
                .params(values(r)).param(now.toEpochMilli()).param(id.value()).update();
    }

    private static List<Object> values(Row r) {
        RetentionSettings k = r.retention() == null ? RetentionSettings.NONE : r.retention();
        return java.util.Arrays.asList(r.name(), r.sourceId(), r.projectId(), r.cron(), r.zone(), r.backupType().name(),
                r.compression() == null ? null : r.compression().name(), r.enabled() ? 1 : 0,
                r.missedRunPolicy().name(), r.jitterSeconds(), k.keepLast(), k.keepHourly(), k.keepDaily(),
                k.keepWeekly(), k.keepMonthly(), k.keepYearly(), k.keepWithin(), k.retentionDays(), k.force() ? 1 : 0);
    }

    void setEnabled(ScheduleId id, boolean enabled, Instant now) {
        jdbc.sql("UPDATE schedules SET enabled = ?, updated_at = ? WHERE id = ?").param(enabled ? 1 : 0)
                .param(now.toEpochMilli()).param(id.value()).update();
    }

    void setNextRun(ScheduleId id, Instant next) {
        jdbc.sql("UPDATE schedules SET next_run_at = ? WHERE id = ?").param(next == null ? null : next.toEpochMilli())
                .param(id.value()).update();
    }

    /**
     * Claims the firing for {@code scheduledFor}: true once per instant, false for a repeat (another server or a
     * re-run after a dead execution already fired it).
     */
    boolean claimFiring(ScheduleId id, Instant scheduledFor) {
        return jdbc.sql("UPDATE schedules SET last_fired_for = ? WHERE id = ? AND (last_fired_for IS NULL "
                        + "OR last_fired_for < ?)").param(scheduledFor.toEpochMilli()).param(id.value())
                .param(scheduledFor.toEpochMilli()).update() == 1;
    }

    void recordRun(ScheduleId id, Instant at, String outcome) {
        jdbc.sql("UPDATE schedules SET last_run_at = ?, last_run_outcome = ? WHERE id = ?").param(at.toEpochMilli())
                .param(outcome).param(id.value()).update();
    }

    void recordJob(long jobId, ScheduleId schedule, Instant firedFor) {
        jdbc.sql("INSERT INTO schedule_jobs (job_id, schedule_id, fired_for) VALUES (?, ?, ?)").param(jobId)
                .param(schedule.value()).param(firedFor.toEpochMilli()).update();
    }

    /** The schedule that queued a job, if one did. */
    Optional<ScheduleId> scheduleOfJob(long jobId) {
        return jdbc.sql("SELECT schedule_id FROM schedule_jobs WHERE job_id = ?").param(jobId).query(Long.class)
                .optional().map(ScheduleId::new);
    }

    /** How many jobs each scheduled instant of a schedule queued (for the exactly-once proof). */
    List<long[]> jobsPerFiring(ScheduleId id) {
        return jdbc.sql("SELECT fired_for, COUNT(*) AS n FROM schedule_jobs WHERE schedule_id = ? GROUP BY fired_for "
                        + "ORDER BY fired_for").param(id.value())
                .query((rs, n) -> new long[] {rs.getLong("fired_for"), rs.getLong("n")}).list();
    }

    void delete(ScheduleId id) {
        jdbc.sql("DELETE FROM schedules WHERE id = ?").param(id.value()).update();
    }

    Optional<Schedule> find(ScheduleId id) {
        return jdbc.sql("SELECT * FROM schedules WHERE id = ?").param(id.value()).query(Schedules::map).optional();
    }

    List<Schedule> list() {
        return jdbc.sql("SELECT * FROM schedules ORDER BY LOWER(name), id").query(Schedules::map).list();
    }

    static Schedule map(ResultSet rs, int row) throws SQLException {
        String compression = rs.getString("compression");
        RetentionSettings retention = new RetentionSettings(integer(rs, "keep_last"), integer(rs, "keep_hourly"),
                integer(rs, "keep_daily"), integer(rs, "keep_weekly"), integer(rs, "keep_monthly"),
                integer(rs, "keep_yearly"), rs.getString("keep_within"), integer(rs, "retention_days"),
                rs.getInt("retention_force") == 1);
        return new Schedule(new ScheduleId(rs.getLong("id")), rs.getString("name"), longOrNull(rs, "source_id"),
                longOrNull(rs, "project_id"), rs.getString("cron"), rs.getString("zone"),
                BackupType.valueOf(rs.getString("backup_type")),
                compression == null ? null : Compression.valueOf(compression), rs.getInt("enabled") == 1,
                MissedRunPolicy.valueOf(rs.getString("missed_run_policy")), rs.getInt("jitter_seconds"), retention,
                instant(rs, "next_run_at"), instant(rs, "last_fired_for"), instant(rs, "last_run_at"),
                rs.getString("last_run_outcome"), instant(rs, "created_at"), instant(rs, "updated_at"));
    }

    private static Integer integer(ResultSet rs, String column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }

    private static Long longOrNull(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }
}
