package io.cairn.server.job;

import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The {@code job_logs} table: a job's lines, in order. */
@Component
public class JobLogs {

    /** One line of a job's log. */
    public record Line(long id, long jobId, Instant at, String level, String text) {
    }

    private final JdbcClient jdbc;

    public JobLogs(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    long append(JobId job, Instant at, String level, String text) {
        return jdbc.sql("INSERT INTO job_logs (job_id, at, level, line) VALUES (?, ?, ?, ?) RETURNING id")
                .param(job.value()).param(at.toEpochMilli()).param(level).param(text).query(Long.class).single();
    }

    /** Lines after {@code afterId}, oldest first, at most {@code limit}. */
    List<Line> after(JobId job, long afterId, int limit) {
        return jdbc.sql("SELECT * FROM job_logs WHERE job_id = ? AND id > ? ORDER BY id LIMIT ?").param(job.value())
                .param(afterId).param(limit)
                .query((rs, n) -> new Line(rs.getLong("id"), rs.getLong("job_id"), Instant.ofEpochMilli(rs.getLong("at")),
                        rs.getString("level"), rs.getString("line"))).list();
    }
}
