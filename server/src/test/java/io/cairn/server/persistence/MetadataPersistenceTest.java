package io.cairn.server.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.server.audit.AuditEvent;
import io.cairn.server.audit.AuditEvents;
import io.cairn.server.audit.AuditOutcome;
import io.cairn.server.audit.AuditQuery;
import io.cairn.server.repository.ManagedRepositories;
import io.cairn.server.user.ApiTokens;
import io.cairn.server.user.Users;
import java.lang.reflect.Method;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The same persistence tests on both metadata databases: migrations apply, and the table classes
 * read back what they wrote, with the constraints the server relies on (one setup row, unique
 * usernames whatever their case, unique token hashes, LIKE patterns escaped).
 */
class MetadataPersistenceTest {

    private MetadataDatabase db;

    @AfterEach
    void drop() throws Exception {
        if (db != null) {
            db.close();
        }
    }

    private JdbcClient open(String vendor) throws Exception {
        db = MetadataDatabase.create(vendor);
        return db.jdbc();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void migrations_create_every_table(String vendor) throws Exception {
        JdbcClient jdbc = open(vendor);
        for (String table : List.of("users", "setup", "api_tokens", "audit_events", "repositories", "settings")) {
            assertThat(jdbc.sql("SELECT COUNT(*) FROM " + table).query(Long.class).single()).as(table).isZero();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void users_are_unique_whatever_the_case_and_setup_has_one_row_at_most(String vendor) throws Exception {
        JdbcClient jdbc = open(vendor);
        Users users = new Users(jdbc);
        Instant now = Instant.parse("2026-12-01T10:00:00Z");
        Object first = call(users, "insert", "Alice", "hash1", io.cairn.server.user.Role.ADMIN, now);
        assertThat(users.findByUsername("ALICE")).isPresent();
        assertThat(users.findByUsername("alice").orElseThrow().username()).isEqualTo("Alice");
        assertThatThrownBy(() -> call(users, "insert", "alice", "hash2", io.cairn.server.user.Role.VIEWER, now))
                .hasRootCauseInstanceOf(java.sql.SQLException.class);

        call(users, "markSetupComplete", first, now);
        Object second = call(users, "insert", "bob", "hash3", io.cairn.server.user.Role.ADMIN, now);
        assertThatThrownBy(() -> call(users, "markSetupComplete", second, now))
                .as("a second setup row violates the primary key").isInstanceOf(DataAccessException.class);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM setup").query(Long.class).single()).isEqualTo(1);
        assertThat(users.count()).isEqualTo(2);
        assertThat(users.countEnabledAdmins()).isEqualTo(2);
        assertThat(users.list(0, 10)).extracting(u -> u.username()).containsExactly("Alice", "bob");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void tokens_round_trip_and_revoke(String vendor) throws Exception {
        JdbcClient jdbc = open(vendor);
        Users users = new Users(jdbc);
        Instant now = Instant.parse("2026-12-01T10:00:00Z");
        Object user = call(users, "insert", "carol", "h", io.cairn.server.user.Role.VIEWER, now);
        ApiTokens tokens = new ApiTokens(jdbc);
        long id = (long) call(tokens, "insert", user, io.cairn.server.user.ApiTokenKind.PERSONAL, "ci", "hash-a",
                "cairn_pat_ab", null, now, null);
        assertThat(call(tokens, "findByHash", "hash-a").toString()).contains("ci");
        assertThatThrownBy(() -> call(tokens, "insert", user, io.cairn.server.user.ApiTokenKind.PERSONAL, "dup",
                "hash-a", "cairn_pat_ab", null, now, null)).hasRootCauseInstanceOf(java.sql.SQLException.class);
        assertThat((int) call(tokens, "revoke", id, now)).isEqualTo(1);
        assertThat((int) call(tokens, "revoke", id, now)).as("revoking twice changes nothing").isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void audit_search_filters_and_escapes_like_patterns(String vendor) throws Exception {
        JdbcClient jdbc = open(vendor);
        AuditEvents events = new AuditEvents(jdbc);
        Instant t0 = Instant.parse("2026-12-01T10:00:00Z");
        call(events, "insert", t0, "alice", "auth.login", null, AuditOutcome.SUCCESS, "web session", "10.0.0.1");
        call(events, "insert", t0.plusSeconds(60), "bob", "user.created", "user 100%_real", AuditOutcome.SUCCESS,
                null, "10.0.0.2");
        call(events, "insert", t0.plusSeconds(120), "Alice", "auth.login.failed", null, AuditOutcome.FAILURE,
                "wrong username or password", "10.0.0.1");

        assertThat(search(events, new AuditQuery("ALICE", null, null, null, null, null))).hasSize(2);
        assertThat(search(events, new AuditQuery(null, "auth.", null, null, null, null))).hasSize(2);
        assertThat(search(events, new AuditQuery(null, "auth.login", null, null, null, null))).hasSize(1);
        assertThat(search(events, new AuditQuery(null, null, AuditOutcome.FAILURE, null, null, null))).hasSize(1);
        assertThat(search(events, new AuditQuery(null, null, null, "100%_", null, null))).hasSize(1);
        assertThat(search(events, new AuditQuery(null, null, null, "%", null, null))).hasSize(1);
        assertThat(search(events, new AuditQuery(null, null, null, "' OR 1=1 --", null, null))).isEmpty();
        assertThat(search(events, new AuditQuery(null, null, null, null, t0.plusSeconds(30), t0.plusSeconds(90))))
                .extracting(AuditEvent::actor).containsExactly("bob");
        List<AuditEvent> all = search(events, AuditQuery.all());
        assertThat(all).extracting(AuditEvent::actor).as("newest first").containsExactly("Alice", "bob", "alice");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void repositories_keep_their_sealed_password_and_recovery_kit_state(String vendor) throws Exception {
        JdbcClient jdbc = open(vendor);
        ManagedRepositories repos = new ManagedRepositories(jdbc);
        Instant now = Instant.parse("2026-12-01T10:00:00Z");
        Object id = call(repos, "insert", "Local", "LOCAL", "/data/repository", now);
        call(repos, "updateSealedPassword", id, "v1:sealed");
        assertThat(call(repos, "sealedPassword", id)).isEqualTo("v1:sealed");
        call(repos, "markRecoveryKitSeen", id, now);
        call(repos, "markRecoveryKitSeen", id, now.plusSeconds(5));
        assertThat(((List<?>) call(repos, "list")).get(0).toString()).contains("recoveryKitSeenAt=" + now);
        assertThat(jdbc.sql("SELECT value FROM settings").query(String.class).list()).isEmpty();
        jdbc.sql("INSERT INTO settings (name, value) VALUES ('a', 'b')").update();
        assertThat(jdbc.sql("SELECT name, value FROM settings").query().listOfRows())
                .containsExactly(Map.of("name", "a", "value", "b"));
    }

    @SuppressWarnings("unchecked")
    private static List<AuditEvent> search(AuditEvents events, AuditQuery query) throws Exception {
        return (List<AuditEvent>) call(events, "search", query, 0, 100);
    }

    /** The table classes keep their writers package-private; tests reach them as the feature does. */
    private static Object call(Object target, String name, Object... args) throws Exception {
        for (Method m : target.getClass().getDeclaredMethods()) {
            if (m.getName().equals(name) && m.getParameterCount() == args.length) {
                m.setAccessible(true);
                try {
                    return m.invoke(target, args);
                } catch (java.lang.reflect.InvocationTargetException e) {
                    throw e.getCause() instanceof Exception ex ? ex : new RuntimeException(e.getCause());
                }
            }
        }
        throw new NoSuchMethodException(name);
    }
}
