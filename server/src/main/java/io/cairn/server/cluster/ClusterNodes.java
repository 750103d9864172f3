package io.cairn.server.cluster;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The {@code cluster_nodes} table: one row per server name, kept after the server stops. */
@Component
class ClusterNodes {

    private final JdbcClient jdbc;

    ClusterNodes(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<ServerNode> find(String name) {
        return jdbc.sql("SELECT * FROM cluster_nodes WHERE name = ?").param(name).query(ClusterNodes::map).optional();
    }

    /** Records a start: a new row, or the name's row taken over by this process. */
    void register(String name, String instance, String version, Instant now) {
        if (jdbc.sql("UPDATE cluster_nodes SET instance = ?, version = ?, started_at = ?, heartbeat_at = ?, "
                + "stopped_at = NULL WHERE name = ?").param(instance).param(version).param(now.toEpochMilli())
                .param(now.toEpochMilli()).param(name).update() == 0) {
            jdbc.sql("INSERT INTO cluster_nodes (name, instance, version, started_at, heartbeat_at) VALUES (?, ?, ?, ?, ?)")
                    .param(name).param(instance).param(version).param(now.toEpochMilli()).param(now.toEpochMilli())
                    .update();
        }
    }

    /** A heartbeat; false if the row now belongs to another process (a second server with this name). */
    boolean beat(String name, String instance, Instant now) {
        return jdbc.sql("UPDATE cluster_nodes SET heartbeat_at = ? WHERE name = ? AND instance = ? AND stopped_at IS NULL")
                .param(now.toEpochMilli()).param(name).param(instance).update() == 1;
    }

    void stopped(String name, String instance, Instant now) {
        jdbc.sql("UPDATE cluster_nodes SET stopped_at = ?, heartbeat_at = ? WHERE name = ? AND instance = ?")
                .param(now.toEpochMilli()).param(now.toEpochMilli()).param(name).param(instance).update();
    }

    List<ServerNode> all() {
        return jdbc.sql("SELECT * FROM cluster_nodes ORDER BY name").query(ClusterNodes::map).list();
    }

    private static ServerNode map(ResultSet rs, int row) throws SQLException {
        long stopped = rs.getLong("stopped_at");
        Instant stoppedAt = rs.wasNull() ? null : Instant.ofEpochMilli(stopped);
        return new ServerNode(rs.getString("name"), rs.getString("instance"), rs.getString("version"),
                Instant.ofEpochMilli(rs.getLong("started_at")), Instant.ofEpochMilli(rs.getLong("heartbeat_at")),
                stoppedAt);
    }
}
