package io.cairn.server.user;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The {@code api_tokens} table. Holds SHA-256 hashes of tokens, never tokens. */
@Component
public class ApiTokens {

    private final JdbcClient jdbc;

    public ApiTokens(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    long insert(UserId user, ApiTokenKind kind, String name, String hash, String prefix, String family,
                Instant now, Instant expiresAt) {
        return jdbc.sql("INSERT INTO api_tokens (user_id, kind, name, token_hash, prefix, family, created_at, expires_at) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id")
                .param(user.value()).param(kind.name()).param(name).param(hash).param(prefix).param(family)
                .param(now.toEpochMilli()).param(expiresAt == null ? null : expiresAt.toEpochMilli())
                .query(Long.class).single();
    }

    Optional<ApiToken> findByHash(String hash) {
        return jdbc.sql("SELECT * FROM api_tokens WHERE token_hash = ?").param(hash).query(ApiTokens::map).optional();
    }

    Optional<ApiToken> find(long id) {
        return jdbc.sql("SELECT * FROM api_tokens WHERE id = ?").param(id).query(ApiTokens::map).optional();
    }

    List<ApiToken> listPersonal(UserId user) {
        return jdbc.sql("SELECT * FROM api_tokens WHERE user_id = ? AND kind = 'PERSONAL' ORDER BY created_at DESC, id DESC")
                .param(user.value()).query(ApiTokens::map).list();
    }

    void touch(long id, Instant now) {
        jdbc.sql("UPDATE api_tokens SET last_used_at = ? WHERE id = ?").param(now.toEpochMilli()).param(id).update();
    }

    int revoke(long id, Instant now) {
        return jdbc.sql("UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")
                .param(now.toEpochMilli()).param(id).update();
    }

    int revokeFamily(String family, Instant now) {
        return jdbc.sql("UPDATE api_tokens SET revoked_at = ? WHERE family = ? AND revoked_at IS NULL")
                .param(now.toEpochMilli()).param(family).update();
    }

    /** Ends every API login (access and refresh tokens) of a user; personal tokens stay. */
    int revokeLogins(UserId user, Instant now) {
        return jdbc.sql("UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND kind <> 'PERSONAL' "
                        + "AND revoked_at IS NULL").param(now.toEpochMilli()).param(user.value()).update();
    }

    /** Deletes login tokens that expired long ago, so the table does not grow forever. */
    int deleteExpiredLogins(Instant before) {
        return jdbc.sql("DELETE FROM api_tokens WHERE kind <> 'PERSONAL' AND expires_at < ?")
                .param(before.toEpochMilli()).update();
    }

    private static ApiToken map(ResultSet rs, int row) throws SQLException {
        return new ApiToken(rs.getLong("id"), new UserId(rs.getLong("user_id")), ApiTokenKind.valueOf(rs.getString("kind")),
                rs.getString("name"), rs.getString("prefix"), rs.getString("family"),
                Instant.ofEpochMilli(rs.getLong("created_at")), instant(rs, "expires_at"), instant(rs, "last_used_at"),
                instant(rs, "revoked_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }
}
