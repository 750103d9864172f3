package io.cairn.server.repository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The {@code repositories} table. */
@Component
public class ManagedRepositories {

    private final JdbcClient jdbc;

    public ManagedRepositories(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    List<ManagedRepository> list() {
        return jdbc.sql("SELECT * FROM repositories ORDER BY id").query(ManagedRepositories::map).list();
    }

    Optional<ManagedRepository> find(RepositoryId id) {
        return jdbc.sql("SELECT * FROM repositories WHERE id = ?").param(id.value()).query(ManagedRepositories::map)
                .optional();
    }

    RepositoryId insert(String name, String kind, String location, Instant now) {
        return new RepositoryId(jdbc.sql("INSERT INTO repositories (name, kind, location, password_sealed, created_at) "
                        + "VALUES (?, ?, ?, '', ?) RETURNING id")
                .param(name).param(kind).param(location).param(now.toEpochMilli()).query(Long.class).single());
    }

    void updateSealedPassword(RepositoryId id, String sealed) {
        jdbc.sql("UPDATE repositories SET password_sealed = ? WHERE id = ?").param(sealed).param(id.value()).update();
    }

    String sealedPassword(RepositoryId id) {
        return jdbc.sql("SELECT password_sealed FROM repositories WHERE id = ?").param(id.value()).query(String.class)
                .single();
    }

    void markRecoveryKitSeen(RepositoryId id, Instant now) {
        jdbc.sql("UPDATE repositories SET recovery_kit_seen_at = ? WHERE id = ? AND recovery_kit_seen_at IS NULL")
                .param(now.toEpochMilli()).param(id.value()).update();
    }

    private static ManagedRepository map(ResultSet rs, int row) throws SQLException {
        long seen = rs.getLong("recovery_kit_seen_at");
        boolean notSeen = rs.wasNull();
        return new ManagedRepository(new RepositoryId(rs.getLong("id")), rs.getString("name"), rs.getString("kind"),
                rs.getString("location"), Instant.ofEpochMilli(rs.getLong("created_at")),
                notSeen ? null : Instant.ofEpochMilli(seen));
    }
}
