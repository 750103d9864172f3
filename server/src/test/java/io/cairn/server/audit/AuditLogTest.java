package io.cairn.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.server.ServerTestBase;
import io.cairn.server.TestHttp;
import io.cairn.server.user.Role;
import io.cairn.server.user.User;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** What the audit log records, how admins search and export it, and that secrets never get into it. */
@ExtendWith(OutputCaptureExtension.class)
class AuditLogTest extends ServerTestBase {

    @Autowired
    AuditLog audit;
    @Autowired
    JdbcClient jdbc;

    @Test
    void sign_ins_user_changes_and_tokens_are_recorded_with_who_what_and_from_where() {
        User user = newUser(Role.VIEWER);
        http().login(user.username(), "not the password");
        TestHttp session = signedInAs(user.username());
        session.postForm("/account", "/account/tokens", Map.of("name", "ci-runner"));
        long tokenId = tokens.listPersonal(user.id()).get(0).id();
        session.postForm("/account", "/account/tokens/" + tokenId + "/revoke", Map.of());
        TestHttp admin = signedInAs(ADMIN);
        admin.postForm("/settings", "/settings/users/" + user.id() + "/role", Map.of("role", "OPERATOR"));

        List<AuditEvent> mine = audit.search(new AuditQuery(user.username(), null, null, null, null, null), 0, 100).items();
        assertThat(mine).extracting(AuditEvent::action).contains("auth.login.failed", "auth.login", "token.created",
                "token.revoked");
        AuditEvent failed = mine.stream().filter(e -> e.action().equals("auth.login.failed")).findFirst().orElseThrow();
        assertThat(failed.outcome()).isEqualTo(AuditOutcome.FAILURE);
        assertThat(failed.clientIp()).isIn("127.0.0.1", "0:0:0:0:0:0:0:1");
        assertThat(failed.at()).isNotNull();

        List<AuditEvent> roleChanges = audit.search(new AuditQuery(ADMIN, "user.role.changed", null, user.username(),
                null, null), 0, 10).items();
        assertThat(roleChanges).hasSize(1);
        assertThat(roleChanges.get(0).target()).isEqualTo("user " + user.username());
        assertThat(roleChanges.get(0).details()).isEqualTo("VIEWER -> OPERATOR");
    }

    @Test
    void a_viewer_refused_an_admin_page_is_recorded() {
        User viewer = newUser(Role.VIEWER);
        signedInAs(viewer.username()).get("/audit");
        assertThat(audit.search(new AuditQuery(viewer.username(), "auth.denied", AuditOutcome.DENIED, null, null, null),
                0, 10).items()).extracting(AuditEvent::target).containsExactly("GET /audit");
    }

    @Test
    void admins_search_with_filters_and_pages_and_export_csv_and_json() {
        User user = newUser(Role.VIEWER);
        for (int i = 0; i < 3; i++) {
            http().login(user.username(), "wrong " + i);
        }
        TestHttp api = http().withBearer(tokenFor(users.list(0, 1000).items().stream()
                .filter(u -> u.username().equals(ADMIN)).findFirst().orElseThrow()));
        JsonNode page = parse(api.get("/api/v1/audit?actor=" + user.username() + "&action=auth.&size=2").body());
        assertThat(page.get("total").asLong()).isEqualTo(3);
        assertThat(page.get("items").size()).isEqualTo(2);
        assertThat(page.get("totalPages").asInt()).isEqualTo(2);
        assertThat(parse(api.get("/api/v1/audit?actor=" + user.username() + "&outcome=SUCCESS").body())
                .get("total").asLong()).isZero();
        assertThat(parse(api.get("/api/v1/audit?actor=" + user.username() + "&from=2000-01-01&to=2000-01-02").body())
                .get("total").asLong()).isZero();
        HttpResponse<String> badDate = api.get("/api/v1/audit?from=yesterday");
        assertThat(badDate.statusCode()).isEqualTo(400);
        assertThat(badDate.body()).contains("\"field\":\"from\"");

        HttpResponse<String> csv = api.get("/api/v1/audit/export?format=csv&actor=" + user.username());
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Disposition").orElse("")).contains("attachment").contains(".csv");
        String[] lines = csv.body().split("\r\n");
        assertThat(lines[0]).isEqualTo("id,time,actor,action,target,outcome,details,client_ip");
        assertThat(lines).hasSize(4);
        assertThat(lines[1]).contains(user.username()).contains("auth.login.failed").contains("FAILURE");

        HttpResponse<String> json = api.get("/api/v1/audit/export?format=json&actor=" + user.username());
        JsonNode all = parse(json.body());
        assertThat(all.isArray()).isTrue();
        assertThat(all.size()).isEqualTo(3);
        assertThat(all.get(0).get("action").asText()).isEqualTo("auth.login.failed");

        TestHttp page2 = signedInAs(ADMIN);
        HttpResponse<String> rows = page2.get("/audit/rows?actor=" + user.username());
        assertThat(rows.body()).contains("3</span> entries").contains("auth.login.failed");
        assertThat(page2.get("/audit/export?format=csv&actor=" + user.username()).body().split("\r\n")).hasSize(4);
        assertThat(audit.search(new AuditQuery(ADMIN, "audit.exported", null, null, null, null), 0, 10).total())
                .isGreaterThanOrEqualTo(3);
    }

    @Test
    void csv_cells_that_a_spreadsheet_would_run_are_defused() {
        assertThat(AuditExport.cell("=HYPERLINK(\"x\")")).isEqualTo("\"'=HYPERLINK(\"\"x\"\")\"");
        assertThat(AuditExport.cell("+1")).isEqualTo("'+1");
        assertThat(AuditExport.cell("a,b")).isEqualTo("\"a,b\"");
        assertThat(AuditExport.cell("plain")).isEqualTo("plain");
        assertThat(AuditExport.cell(null)).isEmpty();
    }

    @Test
    void passwords_and_tokens_never_appear_in_the_audit_log_the_application_log_or_api_responses(CapturedOutput output) {
        User user = newUser(Role.OPERATOR);
        String secretPassword = "zebra-unique-" + System.nanoTime() + " passphrase";
        TestHttp session = signedInAs(user.username());
        session.postForm("/account", "/account/password", Map.of("currentPassword", PASSWORD,
                "newPassword", secretPassword, "confirmPassword", secretPassword));
        http().login(user.username(), secretPassword + "-typo");
        HttpResponse<String> created = http().withBearer(tokenFor(user)).postJson("/api/v1/tokens", "{\"name\":\"x\"}");
        String token = parse(created.body()).get("token").asText();
        HttpResponse<String> login = http().postJson("/api/v1/auth/login",
                "{\"username\":\"" + user.username() + "\",\"password\":\"" + secretPassword + "\"}");
        String access = parse(login.body()).get("accessToken").asText();
        String refresh = parse(login.body()).get("refreshToken").asText();

        String auditText = String.join("\n", jdbc.sql("SELECT actor || ' ' || action || ' ' || COALESCE(target, '') || ' ' "
                + "|| COALESCE(details, '') FROM audit_events").query(String.class).list());
        String adminToken = tokenFor(users.list(0, 1000).items().stream().filter(u -> u.username().equals(ADMIN))
                .findFirst().orElseThrow());
        String apiText = http().withBearer(adminToken).get("/api/v1/users?size=500").body()
                + http().withBearer(adminToken).get("/api/v1/audit?size=500").body()
                + http().withBearer(adminToken).get("/api/v1/repositories").body()
                + http().withBearer(adminToken).get("/api/v1/tokens").body();
        for (String secret : List.of(secretPassword, PASSWORD, token, access, refresh, token.substring(10, 30))) {
            assertThat(auditText).as("audit log").doesNotContain(secret);
            assertThat(output.getAll()).as("application log").doesNotContain(secret);
            assertThat(apiText).as("API responses").doesNotContain(secret);
        }
        assertThat(apiText).doesNotContain("argon2").doesNotContain("password_hash").doesNotContain("passwordHash");
    }
}
