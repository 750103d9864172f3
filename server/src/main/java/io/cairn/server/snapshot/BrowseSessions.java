package io.cairn.server.snapshot;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The {@code browse_sessions} table. */
@Component
class BrowseSessions {

    private static final String COLUMNS = "id, job_id, user_id, username, created_at, last_used_at, expires_at";

    private final JdbcClient jdbc;

    BrowseSessions(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(BrowseSession s) {
        jdbc.sql("INSERT INTO browse_sessions (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)").param(s.id())
                .param(s.backupId()).param(s.userId()).param(s.username()).param(s.createdAt().toEpochMilli())
                .param(s.lastUsedAt().toEpochMilli()).param(s.expiresAt().toEpochMilli()).update();
    }

    /** The session if it exists and has not expired at {@code now}. */
    Optional<BrowseSession> findOpen(String id, Instant now) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM browse_sessions WHERE id = ? AND expires_at > ?").param(id)
                .param(now.toEpochMilli()).query(BrowseSessions::map).optional();
    }

    /** The newest open session of a user on a backup. */
    Optional<BrowseSession> findOpen(long userId, long backupId, Instant now) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM browse_sessions WHERE user_id = ? AND job_id = ? AND expires_at > ? "
                        + "ORDER BY created_at DESC LIMIT 1").param(userId).param(backupId).param(now.toEpochMilli())
                .query(BrowseSessions::map).optional();
    }

    /** Open sessions, newest first; of one user, or of everyone when {@code userId} is null. */
    List<BrowseSession> listOpen(Long userId, Instant now) {
        if (userId == null) {
            return jdbc.sql("SELECT " + COLUMNS + " FROM browse_sessions WHERE expires_at > ? ORDER BY created_at DESC")
                    .param(now.toEpochMilli()).query(BrowseSessions::map).list();
        }
        return jdbc.sql("SELECT " + COLUMNS + " FROM browse_sessions WHERE expires_at > ? AND user_id = ? "
                        + "ORDER BY created_at DESC").param(now.toEpochMilli()).param(userId)
                .query(BrowseSessions::map).list();
    }

    void touch(String id, Instant now, Instant expiresAt) {
        jdbc.sql("UPDATE browse_sessions SET last_used_at = ?, expires_at = ? WHERE id = ?").param(now.toEpochMilli())
                .param(expiresAt.toEpochMilli()).param(id).update();
    }

    boolean delete(String id) {
        return jdbc.sql("DELETE FROM browse_sessions WHERE id = ?").param(id).update() == 1;
    }

    /** Removes sessions that expired before {@code now}; returns how many. */
    int deleteExpired(Instant now) {
        return jdbc.sql("DELETE FROM browse_sessions WHERE expires_at <= ?").param(now.toEpochMilli()).update();
    }

    private static BrowseSession map(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        return new BrowseSession(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getString(4),
                Instant.ofEpochMilli(rs.getLong(5)), Instant.ofEpochMilli(rs.getLong(6)), Instant.ofEpochMilli(rs.getLong(7)));
    }
}
