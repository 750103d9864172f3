package io.cairn.server.job;

import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The {@code job_telemetry_snapshots} table: samples of a running job, deleted after the rollup. */
@Component
public class JobTelemetry {

    /** One sample. {@code percent} is null while the total is unknown. */
    public record Sample(Instant at, long bytesTransferred, long speedBps, Double percent, String phase) {
    }

    private final JdbcClient jdbc;

    public JobTelemetry(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void add(JobId job, Sample s) {
        jdbc.sql("INSERT INTO job_telemetry_snapshots (job_id, at, bytes_transferred, speed_bps, progress_percent, phase) "
                        + "VALUES (?, ?, ?, ?, ?, ?)").param(job.value()).param(s.at().toEpochMilli())
                .param(s.bytesTransferred()).param(s.speedBps()).param(s.percent()).param(s.phase()).update();
    }

    List<Sample> of(JobId job) {
        return jdbc.sql("SELECT * FROM job_telemetry_snapshots WHERE job_id = ? ORDER BY at, id").param(job.value())
                .query((rs, n) -> {
                    double pct = rs.getDouble("progress_percent");
                    Double percent = rs.wasNull() ? null : pct;
                    return new Sample(Instant.ofEpochMilli(rs.getLong("at")), rs.getLong("bytes_transferred"),
                            rs.getLong("speed_bps"), percent, rs.getString("phase"));
                }).list();
    }

    void delete(JobId job) {
        jdbc.sql("DELETE FROM job_telemetry_snapshots WHERE job_id = ?").param(job.value()).update();
    }
}
