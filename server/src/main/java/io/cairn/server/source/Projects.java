package io.cairn.server.source;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The {@code projects} table. */
@Component
public class Projects {

    private final JdbcClient jdbc;

    public Projects(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    List<Project> list() {
        return jdbc.sql("SELECT * FROM projects ORDER BY name_key").query(Projects::map).list();
    }

    Optional<Project> find(ProjectId id) {
        return jdbc.sql("SELECT * FROM projects WHERE id = ?").param(id.value()).query(Projects::map).optional();
    }

    Optional<Project> findByName(String name) {
        return jdbc.sql("SELECT * FROM projects WHERE name_key = ?").param(Sources.key(name)).query(Projects::map)
                .optional();
    }

    ProjectId insert(String name, String description, Instant now) {
        return new ProjectId(jdbc.sql("INSERT INTO projects (name, name_key, description, created_at, updated_at) "
                        + "VALUES (?, ?, ?, ?, ?) RETURNING id").param(name).param(Sources.key(name)).param(description)
                .param(now.toEpochMilli()).param(now.toEpochMilli()).query(Long.class).single());
    }

    void update(ProjectId id, String name, String description, Instant now) {
        jdbc.sql("UPDATE projects SET name = ?, name_key = ?, description = ?, updated_at = ? WHERE id = ?").param(name)
                .param(Sources.key(name)).param(description).param(now.toEpochMilli()).param(id.value()).update();
    }

    void delete(ProjectId id) {
        jdbc.sql("DELETE FROM projects WHERE id = ?").param(id.value()).update();
    }

    private static Project map(ResultSet rs, int row) throws SQLException {
        return new Project(new ProjectId(rs.getLong("id")), rs.getString("name"), rs.getString("description"),
                Instant.ofEpochMilli(rs.getLong("created_at")), Instant.ofEpochMilli(rs.getLong("updated_at")));
    }
}
