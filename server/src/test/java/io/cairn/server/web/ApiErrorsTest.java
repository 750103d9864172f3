package io.cairn.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.server.ServerTestBase;
import io.cairn.server.TestHttp;
import io.cairn.server.user.Role;
import io.cairn.server.user.User;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Bad input gets a clear 4xx problem (RFC 9457) that says what is wrong, never a 500 or a stack trace,
 * and nothing is half-saved.
 */
class ApiErrorsTest extends ServerTestBase {

    private TestHttp admin;

    @BeforeEach
    void admin() {
        admin = http().withBearer(tokenFor(newUser(Role.ADMIN)));
    }

    @Test
    void malformed_json_is_a_400_that_says_so() {
        HttpResponse<String> r = admin.postJson("/api/v1/users", "{\"username\": \"x\", ");
        assertProblem(r, 400, "Malformed JSON");
    }

    @Test
    void an_unknown_field_is_named() {
        HttpResponse<String> r = admin.postJson("/api/v1/users",
                "{\"username\":\"newbie\",\"password\":\"long enough password\",\"role\":\"VIEWER\",\"isAdmin\":true}");
        JsonNode p = assertProblem(r, 400, "Unknown field");
        assertThat(p.get("errors").get(0).get("field").asText()).isEqualTo("isAdmin");
        assertThat(users.list(0, 1000).items()).noneMatch(u -> u.username().equals("newbie"));
    }

    @Test
    void a_wrong_type_is_named_with_the_type_expected() {
        HttpResponse<String> r = admin.postJson("/api/v1/users",
                "{\"username\":\"typed\",\"password\":\"long enough password\",\"role\":\"OWNER\"}");
        JsonNode p = assertProblem(r, 400, "Wrong type");
        assertThat(p.get("detail").asText()).contains("role").contains("VIEWER");

        HttpResponse<String> r2 = admin.send("PATCH", "/api/v1/users/1", "{\"enabled\":\"sometimes\"}");
        JsonNode p2 = assertProblem(r2, 400, "Wrong type");
        assertThat(p2.get("errors").get(0).get("field").asText()).isEqualTo("enabled");

        HttpResponse<String> r3 = admin.get("/api/v1/users/not-a-number");
        assertProblem(r3, 400, "Wrong type");
        HttpResponse<String> r4 = admin.get("/api/v1/users?page=-1");
        assertProblem(r4, 400, "Invalid request");
    }

    @Test
    void missing_and_invalid_fields_get_field_level_messages_and_nothing_is_saved() {
        long before = users.list(0, 1000).total();
        HttpResponse<String> r = admin.postJson("/api/v1/users", "{\"username\":\"\",\"password\":\"short\"}");
        JsonNode p = assertProblem(r, 400, "Invalid request");
        List<String> fields = p.get("errors").valueStream().map(e -> e.get("field").asText()).toList();
        assertThat(fields).contains("username", "role");

        HttpResponse<String> weak = admin.postJson("/api/v1/users",
                "{\"username\":\"weakling\",\"password\":\"short\",\"role\":\"VIEWER\"}");
        JsonNode pw = assertProblem(weak, 400, "Invalid request");
        assertThat(pw.get("errors").get(0).get("field").asText()).isEqualTo("password");
        assertThat(pw.get("errors").get(0).get("message").asText()).contains("12 characters");
        assertThat(users.list(0, 1000).total()).isEqualTo(before);
    }

    @Test
    void an_oversized_body_is_refused_with_413() {
        String big = "{\"name\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}";
        assertProblem(admin.postJson("/api/v1/tokens", big), 413, "Request body too large");
    }

    @Test
    void a_wrong_media_type_and_a_wrong_method_are_problems_too() {
        HttpResponse<String> r = admin.send(HttpRequest.newBuilder(URI.create(admin.base() + "/api/v1/tokens"))
                .header("Authorization", "Bearer " + tokenFor(newUser(Role.VIEWER)))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("name=x")));
        assertProblem(r, 415, "Unsupported media type");
        assertProblem(admin.send("DELETE", "/api/v1/health", null), 405, "Method not allowed");
        assertProblem(admin.get("/api/v1/no-such-thing"), 404, "Not found");
    }

    @Test
    void sql_looking_text_in_every_field_is_just_text() {
        String sql = "x'); DROP TABLE users; --";
        HttpResponse<String> user = admin.postJson("/api/v1/users",
                "{\"username\":\"" + sql + "\",\"password\":\"" + sql + " long\",\"role\":\"VIEWER\"}");
        assertProblem(user, 400, "Invalid request");

        User viewer = newUser(Role.VIEWER);
        TestHttp v = http().withBearer(tokenFor(viewer));
        HttpResponse<String> token = v.postJson("/api/v1/tokens", "{\"name\":\"" + sql + "\"}");
        assertThat(token.statusCode()).isEqualTo(201);
        assertThat(parse(token.body()).get("name").asText()).isEqualTo(sql);

        HttpResponse<String> login = http().postJson("/api/v1/auth/login",
                "{\"username\":\"admin' OR '1'='1\",\"password\":\"' OR '1'='1\"}");
        assertThat(login.statusCode()).isEqualTo(401);

        HttpResponse<String> search = admin.get("/api/v1/audit?q=%27%20OR%201%3D1%20--&actor=%27%20OR%20%271%27%3D%271");
        assertThat(search.statusCode()).isEqualTo(200);
        assertThat(parse(search.body()).get("total").asLong()).isZero();
        HttpResponse<String> like = admin.get("/api/v1/audit?q=%25");
        assertThat(like.statusCode()).isEqualTo(200);

        TestHttp page = signedInAs(viewer.username());
        HttpResponse<String> form = page.postForm("/account", "/account/tokens", Map.of("name", "<script>alert(1)</script>"));
        assertThat(form.statusCode()).isEqualTo(302);
        String account = page.get("/account").body();
        assertThat(account).doesNotContain("<script>alert(1)</script>").contains("&lt;script&gt;alert(1)&lt;/script&gt;");

        assertThat(users.list(0, 1000).total()).isGreaterThan(1);
        assertThat(http().withBearer(tokenFor(viewer)).get("/api/v1/auth/me").statusCode()).isEqualTo(200);
    }

    @Test
    void an_expired_session_sends_pages_to_login_and_api_calls_get_401() {
        TestHttp stale = http();
        HttpResponse<String> page = stale.send(HttpRequest.newBuilder(URI.create(stale.base() + "/account"))
                .header("Cookie", "CAIRN_SESSION=0123456789ABCDEF0123456789ABCDEF").GET());
        assertThat(page.statusCode()).isEqualTo(302);
        assertThat(TestHttp.location(page)).isEqualTo("/login");
        HttpResponse<String> api = stale.send(HttpRequest.newBuilder(URI.create(stale.base() + "/api/v1/auth/me"))
                .header("Cookie", "CAIRN_SESSION=0123456789ABCDEF0123456789ABCDEF").GET());
        assertProblem(api, 401, "Sign-in required");
    }

    @Test
    void every_response_carries_the_security_headers_and_api_json_is_not_stored() {
        for (HttpResponse<String> r : List.of(http().get("/login"), http().get("/api/v1/health"),
                admin.get("/api/v1/users"), http().get("/"), admin.get("/api/v1/no-such-thing"))) {
            var h = r.headers();
            assertThat(h.firstValue("Content-Security-Policy")).as(r.uri().toString()).hasValueSatisfying(csp ->
                    assertThat(csp).contains("default-src 'self'").contains("frame-ancestors 'none'")
                            .contains("script-src 'self'").doesNotContain("unsafe"));
            assertThat(h.firstValue("X-Content-Type-Options")).hasValue("nosniff");
            assertThat(h.firstValue("X-Frame-Options")).hasValue("DENY");
            assertThat(h.firstValue("Referrer-Policy")).hasValue("same-origin");
        }
        assertThat(admin.get("/api/v1/users").headers().firstValue("Cache-Control").orElse(""))
                .contains("no-store");
        assertThat(http().get("/api/v1/health").headers().firstValue("Cache-Control").orElse("")).contains("no-store");
    }

    @Test
    void a_failure_inside_a_page_is_a_page_with_words_not_a_stack_trace() {
        TestHttp page = signedInAs(ADMIN);
        HttpResponse<String> r = page.get("/repositories/424242/recovery-kit");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).contains("There is no repository with id 424242.").doesNotContain("Exception")
                .doesNotContain("at io.cairn");
        HttpResponse<String> missing = page.get("/no/such/page");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("Page not found");
    }

    private JsonNode assertProblem(HttpResponse<String> r, int status, String title) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("at io.cairn").doesNotContain("at org.");
        JsonNode p = parse(r.body());
        assertThat(p.get("status").asInt()).isEqualTo(status);
        assertThat(p.get("title").asText()).isEqualTo(title);
        assertThat(p.get("detail").asText()).isNotBlank();
        return p;
    }
}
