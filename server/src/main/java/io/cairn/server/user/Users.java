package io.cairn.server.user;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The {@code users} and {@code setup} tables. */
@Component
public class Users {

    private static final String COLUMNS = "id, username, role, enabled, created_at, updated_at, password_changed_at, "
            + "last_login_at";

    private final JdbcClient jdbc;

    public Users(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    static String key(String username) {
        return username.trim().toLowerCase(Locale.ROOT);
    }

    public Optional<User> find(UserId id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM users WHERE id = ?").param(id.value()).query(Users::map).optional();
    }

    public Optional<User> findByUsername(String username) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM users WHERE username_key = ?").param(key(username))
                .query(Users::map).optional();
    }

    /** The stored password hash, for authentication only. */
    Optional<String> passwordHash(UserId id) {
        return jdbc.sql("SELECT password_hash FROM users WHERE id = ?").param(id.value()).query(String.class).optional();
    }

    public List<User> list(int offset, int limit) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM users ORDER BY username_key LIMIT ? OFFSET ?")
                .param(limit).param(offset).query(Users::map).list();
    }

    public long count() {
        return jdbc.sql("SELECT COUNT(*) FROM users").query(Long.class).single();
    }

    public long countEnabledAdmins() {
        return jdbc.sql("SELECT COUNT(*) FROM users WHERE role = 'ADMIN' AND enabled = 1").query(Long.class).single();
    }

    UserId insert(String username, String passwordHash, Role role, Instant now) {
        long id = jdbc.sql("INSERT INTO users (username, username_key, password_hash, role, enabled, created_at, "
                        + "updated_at, password_changed_at) VALUES (?, ?, ?, ?, 1, ?, ?, ?) RETURNING id")
                .param(username.trim()).param(key(username)).param(passwordHash).param(role.name())
                .param(now.toEpochMilli()).param(now.toEpochMilli()).param(now.toEpochMilli())
                .query(Long.class).single();
        return new UserId(id);
    }

    void updateRole(UserId id, Role role, Instant now) {
        jdbc.sql("UPDATE users SET role = ?, updated_at = ? WHERE id = ?").param(role.name()).param(now.toEpochMilli())
                .param(id.value()).update();
    }

    void updateEnabled(UserId id, boolean enabled, Instant now) {
        jdbc.sql("UPDATE users SET enabled = ?, updated_at = ? WHERE id = ?").param(enabled ? 1 : 0)
                .param(now.toEpochMilli()).param(id.value()).update();
    }

    void updatePassword(UserId id, String passwordHash, Instant now) {
        jdbc.sql("UPDATE users SET password_hash = ?, password_changed_at = ?, updated_at = ? WHERE id = ?")
                .param(passwordHash).param(now.toEpochMilli()).param(now.toEpochMilli()).param(id.value()).update();
    }

    void recordLogin(UserId id, Instant now) {
        jdbc.sql("UPDATE users SET last_login_at = ? WHERE id = ?").param(now.toEpochMilli()).param(id.value()).update();
    }

    /** Inserts the one setup row; a second insert violates the primary key, whoever races. */
    void markSetupComplete(UserId admin, Instant now) {
        jdbc.sql("INSERT INTO setup (id, admin_id, completed_at) VALUES (1, ?, ?)").param(admin.value())
                .param(now.toEpochMilli()).update();
    }

    boolean isSetupComplete() {
        return jdbc.sql("SELECT COUNT(*) FROM setup").query(Long.class).single() > 0;
    }

    private static User map(ResultSet rs, int row) throws SQLException {
        long lastLogin = rs.getLong("last_login_at");
        boolean noLogin = rs.wasNull();
        return new User(new UserId(rs.getLong("id")), rs.getString("username"), Role.valueOf(rs.getString("role")),
                rs.getInt("enabled") == 1, Instant.ofEpochMilli(rs.getLong("created_at")),
                Instant.ofEpochMilli(rs.getLong("updated_at")), Instant.ofEpochMilli(rs.getLong("password_changed_at")),
                noLogin ? null : Instant.ofEpochMilli(lastLogin));
    }
}
