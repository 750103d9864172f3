package io.cairn.server.source;

import io.cairn.dumps.TlsMode;

import io.cairn.engine.blob.Compression;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The {@code sources} table. The sealed password is read only by {@link SourceService}. */
@Component
public class Sources {

    private final JdbcClient jdbc;

    public Sources(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    static String key(String name) {
        return name.trim().toLowerCase(Locale.ROOT);
    }

    List<Source> list() {
        return jdbc.sql("SELECT * FROM sources ORDER BY name_key").query(Sources::map).list();
    }

    List<Source> listByProject(ProjectId project) {
        return jdbc.sql("SELECT * FROM sources WHERE project_id = ? ORDER BY name_key").param(project.value())
                .query(Sources::map).list();
    }

    Optional<Source> find(SourceId id) {
        return jdbc.sql("SELECT * FROM sources WHERE id = ?").param(id.value()).query(Sources::map).optional();
    }

    Optional<Source> findByName(String name) {
        return jdbc.sql("SELECT * FROM sources WHERE name_key = ?").param(key(name)).query(Sources::map).optional();
    }

    long count() {
        return jdbc.sql("SELECT COUNT(*) FROM sources").query(Long.class).single();
    }

    SourceId insert(SourceValidation.Checked c, Long projectId, long repositoryId, Compression compression, Instant now) {
        long id = jdbc.sql("INSERT INTO sources (name, name_key, type, project_id, repository_id, host, port, database_name, "
                        + "username, tls_mode, path, includes, excludes, compression, created_at, updated_at) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id")
                .param(c.name()).param(key(c.name())).param(c.type().name()).param(projectId).param(repositoryId)
                .param(c.host()).param(c.port()).param(c.database()).param(c.username()).param(c.tlsMode().name())
                .param(c.path()).param(String.join("\n", c.includes())).param(String.join("\n", c.excludes()))
                .param(compression.name()).param(now.toEpochMilli()).param(now.toEpochMilli())
                .query(Long.class).single();
        return new SourceId(id);
    }

    void update(SourceId id, SourceValidation.Checked c, Long projectId, long repositoryId, Compression compression,
                Instant now) {
        jdbc.sql("UPDATE sources SET name = ?, name_key = ?, type = ?, project_id = ?, repository_id = ?, host = ?, "
                        + "port = ?, database_name = ?, username = ?, tls_mode = ?, path = ?, includes = ?, excludes = ?, "
                        + "compression = ?, updated_at = ? WHERE id = ?")
                .param(c.name()).param(key(c.name())).param(c.type().name()).param(projectId).param(repositoryId)
                .param(c.host()).param(c.port()).param(c.database()).param(c.username()).param(c.tlsMode().name())
                .param(c.path()).param(String.join("\n", c.includes())).param(String.join("\n", c.excludes()))
                .param(compression.name()).param(now.toEpochMilli()).param(id.value()).update();
    }

    void updatePassword(SourceId id, String sealed) {
        jdbc.sql("UPDATE sources SET password_sealed = ? WHERE id = ?").param(sealed).param(id.value()).update();
    }

    Optional<String> sealedPassword(SourceId id) {
        return jdbc.sql("SELECT password_sealed FROM sources WHERE id = ?").param(id.value()).query(String.class)
                .optional().filter(s -> s != null);
    }

    void delete(SourceId id) {
        jdbc.sql("DELETE FROM sources WHERE id = ?").param(id.value()).update();
    }

    private static Source map(ResultSet rs, int row) throws SQLException {
        long projectId = rs.getLong("project_id");
        ProjectId project = rs.wasNull() ? null : new ProjectId(projectId);
        int port = rs.getInt("port");
        Integer p = rs.wasNull() ? null : port;
        return new Source(new SourceId(rs.getLong("id")), rs.getString("name"), SourceType.valueOf(rs.getString("type")),
                project, rs.getLong("repository_id"), rs.getString("host"), p, rs.getString("database_name"),
                rs.getString("username"), rs.getString("password_sealed") != null,
                TlsMode.valueOf(rs.getString("tls_mode")), rs.getString("path"), lines(rs.getString("includes")),
                lines(rs.getString("excludes")), Compression.valueOf(rs.getString("compression")),
                Instant.ofEpochMilli(rs.getLong("created_at")), Instant.ofEpochMilli(rs.getLong("updated_at")));
    }

    private static List<String> lines(String s) {
        return s == null || s.isEmpty() ? List.of() : Arrays.asList(s.split("\n"));
    }
}
