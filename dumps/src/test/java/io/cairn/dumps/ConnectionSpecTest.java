package io.cairn.dumps;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConnectionSpecTest {

    private static ConnectionSpec pg(String host, int port, String db, String user) {
        return ConnectionSpec.server(SourceKind.POSTGRESQL, host, port, db, user, Secret.of("pw"), TlsMode.PREFER);
    }

    @Test
    void acceptsOrdinaryValuesAndFillsTheDefaultPort() {
        ConnectionSpec s = pg("db.example.com", 0, "app_db-1", "app");
        assertThat(s.port()).isEqualTo(5432);
        assertThat(s.target()).isEqualTo("app@db.example.com:5432/app_db-1");
        assertThat(pg("::1", 5433, null, null).address()).isEqualTo("[::1]:5433");
        assertThat(pg("10.0.0.7", 1, "x", null).allDatabases()).isFalse();
        assertThat(pg("10.0.0.7", 1, null, null).allDatabases()).isTrue();
    }

    @Test
    void rejectsHostsThatWouldBecomeToolOptions() {
        for (String bad : new String[]{"-oProxyCommand=x", "db example", "", "db;rm", "db\n", "a/b"}) {
            assertThatThrownBy(() -> pg(bad, 5432, "x", null)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("invalid host");
        }
    }

    @Test
    void rejectsPortsOutOfRange() {
        assertThatThrownBy(() -> pg("db", 65536, "x", null)).hasMessageContaining("1-65535");
        assertThatThrownBy(() -> pg("db", -1, "x", null)).hasMessageContaining("1-65535");
    }

    @Test
    void rejectsDatabaseNamesThatAToolWouldReadAsSomethingElse() {
        assertThatThrownBy(() -> pg("db", 0, "host=evil dbname=x", null)).hasMessageContaining("database name");
        assertThatThrownBy(() -> pg("db", 0, "postgresql://evil/x", null)).hasMessageContaining("database name");
        assertThatThrownBy(() -> pg("db", 0, "-x", null)).hasMessageContaining("database name");
        assertThatThrownBy(() -> ConnectionSpec.server(SourceKind.MYSQL, "db", 0, "a.b", null, null, null))
                .hasMessageContaining("database name");
        assertThatThrownBy(() -> ConnectionSpec.server(SourceKind.REDIS, "db", 0, "zero", null, null, null))
                .hasMessageContaining("database number");
        assertThat(ConnectionSpec.server(SourceKind.REDIS, "db", 0, "3", null, null, null).port()).isEqualTo(6379);
    }

    @Test
    void rejectsUserNamesStartingWithADashOrHoldingControlCharacters() {
        assertThatThrownBy(() -> pg("db", 0, "x", "-U")).hasMessageContaining("user name");
        assertThatThrownBy(() -> pg("db", 0, "x", "a\nb")).hasMessageContaining("user name");
    }

    @Test
    void sqliteNeedsAnAbsoluteFileAndNothingElse() {
        assertThat(ConnectionSpec.sqlite(Path.of("/var/lib/app/app.db")).target()).isEqualTo("/var/lib/app/app.db");
        assertThatThrownBy(() -> ConnectionSpec.sqlite(Path.of("app.db"))).hasMessageContaining("absolute");
        assertThatThrownBy(() -> new ConnectionSpec(SourceKind.POSTGRESQL, "db", 0, null, null, null, null, Path.of("/x")))
                .hasMessageContaining("not a file");
    }
}
