package io.cairn.server.audit;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The {@code audit_events} table. Append-only: there is no update and no delete. */
@Component
public class AuditEvents {

    private final JdbcClient jdbc;

    public AuditEvents(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(Instant at, String actor, String action, String target, AuditOutcome outcome, String details,
                String clientIp) {
        jdbc.sql("INSERT INTO audit_events (at, actor, action, target, outcome, details, client_ip) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?)")
                .param(at.toEpochMilli()).param(actor).param(action).param(target).param(outcome.name())
                .param(details).param(clientIp).update();
    }

    List<AuditEvent> search(AuditQuery query, int offset, int limit) {
        Where where = where(query);
        return jdbc.sql("SELECT * FROM audit_events" + where.sql + " ORDER BY at DESC, id DESC LIMIT ? OFFSET ?")
                .params(where.params).param(limit).param(offset).query(AuditEvents::map).list();
    }

    long count(AuditQuery query) {
        Where where = where(query);
        return jdbc.sql("SELECT COUNT(*) FROM audit_events" + where.sql).params(where.params).query(Long.class)
                .single();
    }

    /** Streams every match, newest first, without holding them all in memory. */
    void forEach(AuditQuery query, Consumer<AuditEvent> consumer) {
        Where where = where(query);
        jdbc.sql("SELECT * FROM audit_events" + where.sql + " ORDER BY at DESC, id DESC").params(where.params)
                .query(rs -> {
                    consumer.accept(map(rs, 0));
                });
    }

    private record Where(String sql, List<Object> params) {
    }

    private static Where where(AuditQuery q) {
        List<String> clauses = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        if (q.actor() != null && !q.actor().isBlank()) {
            clauses.add("LOWER(actor) = ?");
            params.add(q.actor().trim().toLowerCase(Locale.ROOT));
        }
        if (q.action() != null && !q.action().isBlank()) {
            if (q.action().endsWith(".")) {
                clauses.add("action LIKE ? ESCAPE '\\'");
                params.add(escapeLike(q.action()) + "%");
            } else {
                clauses.add("action = ?");
                params.add(q.action());
            }
        }
        if (q.outcome() != null) {
            clauses.add("outcome = ?");
            params.add(q.outcome().name());
        }
        if (q.text() != null && !q.text().isBlank()) {
            clauses.add("(LOWER(COALESCE(target, '')) LIKE ? ESCAPE '\\' OR LOWER(COALESCE(details, '')) LIKE ? ESCAPE '\\')");
            String like = "%" + escapeLike(q.text().trim().toLowerCase(Locale.ROOT)) + "%";
            params.add(like);
            params.add(like);
        }
        if (q.from() != null) {
            clauses.add("at >= ?");
            params.add(q.from().toEpochMilli());
        }
        if (q.to() != null) {
            clauses.add("at < ?");
            params.add(q.to().toEpochMilli());
        }
        return new Where(clauses.isEmpty() ? "" : " WHERE " + String.join(" AND ", clauses), params);
    }

    private static String escapeLike(String s) {
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private static AuditEvent map(ResultSet rs, int row) throws SQLException {
        return new AuditEvent(rs.getLong("id"), Instant.ofEpochMilli(rs.getLong("at")), rs.getString("actor"),
                rs.getString("action"), rs.getString("target"), AuditOutcome.valueOf(rs.getString("outcome")),
                rs.getString("details"), rs.getString("client_ip"));
    }
}
