package io.cairn.server.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.server.ServerTestBase;
import io.cairn.server.user.Role;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** GET /api/v1/health: the metadata database, the repositories and the scheduler, for monitors and people. */
class HealthApiTest extends ServerTestBase {

    @Test
    void anyone_sees_the_status_of_each_part_and_signed_in_users_see_why() {
        var anonymous = http().get("/api/v1/health");
        assertThat(anonymous.statusCode()).isEqualTo(200);
        JsonNode a = parse(anonymous.body());
        assertThat(a.get("status").asText()).isEqualTo("UP");
        assertThat(a.get("version").asText()).isNotBlank();
        assertThat(a.get("uptimeSeconds").asLong()).isGreaterThanOrEqualTo(0);
        List<String> names = a.get("components").valueStream().map(c -> c.get("name").asText()).toList();
        assertThat(names).contains("Metadata database", "Repository \"Local\"", "Scheduler");
        assertThat(anonymous.body()).as("no paths or figures for anonymous callers")
                .doesNotContain(dataDir().toString()).doesNotContain("freeBytes");

        JsonNode signedIn = parse(http().withBearer(tokenFor(newUser(Role.VIEWER))).get("/api/v1/health").body());
        JsonNode repo = signedIn.get("components").valueStream()
                .filter(c -> c.get("name").asText().startsWith("Repository")).findFirst().orElseThrow();
        assertThat(repo.get("status").asText()).isIn("UP", "UNKNOWN");
        assertThat(repo.get("details").get("freeBytes").asLong()).isPositive();
        assertThat(repo.get("details").get("totalBytes").asLong()).isGreaterThanOrEqualTo(repo.get("details")
                .get("freeBytes").asLong());
        JsonNode db = signedIn.get("components").get(0);
        assertThat(db.get("message").asText()).isEqualTo("SQLite answers.");
    }

    @Test
    void the_dashboard_fragment_renders_the_same_health_for_htmx() {
        var fragment = signedInAs(ADMIN).get("/dashboard/health");
        assertThat(fragment.statusCode()).isEqualTo(200);
        assertThat(fragment.body()).startsWith("<div id=\"health\"").contains("All systems healthy")
                .contains("Metadata database").doesNotContain("<html");
    }
}
