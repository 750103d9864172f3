package io.cairn.server.user;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.server.ServerTestBase;
import io.cairn.server.TestHttp;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Signing in and out through the real HTTP endpoints: sessions, CSRF, API tokens, and ending access. */
class AuthFlowTest extends ServerTestBase {

    @Test
    void a_wrong_password_and_an_unknown_user_get_the_same_answer() {
        User user = newUser(Role.VIEWER);
        TestHttp a = http();
        HttpResponse<String> wrongPassword = a.login(user.username(), "not the right password");
        TestHttp b = http();
        HttpResponse<String> unknownUser = b.login("nobody-" + System.nanoTime(), "not the right password");
        assertThat(TestHttp.location(wrongPassword)).isEqualTo("/login?error");
        assertThat(TestHttp.location(unknownUser)).isEqualTo("/login?error");
        assertThat(a.get("/login?error").body()).contains("Wrong username or password.");
        assertThat(b.get("/login?error").body()).contains("Wrong username or password.");

        HttpResponse<String> apiWrong = http().postJson("/api/v1/auth/login",
                "{\"username\":\"" + user.username() + "\",\"password\":\"not the right password\"}");
        HttpResponse<String> apiUnknown = http().postJson("/api/v1/auth/login",
                "{\"username\":\"nobody-" + System.nanoTime() + "\",\"password\":\"not the right password\"}");
        assertThat(apiWrong.statusCode()).isEqualTo(401);
        assertThat(apiUnknown.statusCode()).isEqualTo(401);
        assertThat(parse(apiWrong.body()).get("detail")).isEqualTo(parse(apiUnknown.body()).get("detail"));
    }

    @Test
    void a_session_signs_in_reaches_pages_and_signs_out() {
        User user = newUser(Role.VIEWER);
        TestHttp browser = http();
        assertThat(TestHttp.location(browser.get("/"))).isEqualTo("/login");
        HttpResponse<String> login = browser.login(user.username(), PASSWORD);
        assertThat(TestHttp.location(login)).as("back to the page asked for").isIn("/", "/?continue");
        HttpResponse<String> dashboard = browser.get("/");
        assertThat(dashboard.statusCode()).isEqualTo(200);
        assertThat(dashboard.body()).contains(user.username());

        HttpResponse<String> logout = browser.postForm("/", "/logout", Map.of());
        assertThat(TestHttp.location(logout)).isEqualTo("/login?signedOut");
        assertThat(TestHttp.location(browser.get("/"))).isEqualTo("/login");
    }

    @Test
    void a_form_post_without_its_csrf_token_is_refused_and_changes_nothing() {
        User user = newUser(Role.VIEWER);
        TestHttp browser = signedInAs(user.username());
        HttpResponse<String> forged = browser.postFormRaw("/account/tokens", Map.of("name", "forged"));
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(tokens.listPersonal(user.id())).isEmpty();
        HttpResponse<String> forgedLogout = browser.postFormRaw("/logout", Map.of());
        assertThat(forgedLogout.statusCode()).isEqualTo(403);
        assertThat(browser.get("/").statusCode()).as("still signed in").isEqualTo(200);
    }

    @Test
    void disabling_a_user_ends_their_sessions_and_tokens_at_once() {
        User user = newUser(Role.OPERATOR);
        TestHttp theirBrowser = signedInAs(user.username());
        String token = tokenFor(user);
        String access = apiLogin(user.username()).get("accessToken").asText();
        assertThat(theirBrowser.get("/").statusCode()).isEqualTo(200);

        TestHttp admin = signedInAs(ADMIN);
        HttpResponse<String> disable = admin.postForm("/settings", "/settings/users/" + user.id() + "/enabled",
                Map.of("enabled", "false"));
        assertThat(TestHttp.location(disable)).isEqualTo("/settings");

        assertThat(TestHttp.location(theirBrowser.get("/"))).isEqualTo("/login?expired");
        assertThat(http().withBearer(token).get("/api/v1/auth/me").statusCode()).isEqualTo(401);
        assertThat(http().withBearer(access).get("/api/v1/auth/me").statusCode()).isEqualTo(401);
        assertThat(TestHttp.location(http().login(user.username(), PASSWORD))).isEqualTo("/login?error");
        assertThat(http().get("/login?error").body()).doesNotContain("disabled");
    }

    @Test
    void changing_a_password_ends_the_other_sessions_and_api_logins_but_keeps_this_one() {
        User user = newUser(Role.VIEWER);
        TestHttp here = signedInAs(user.username());
        TestHttp elsewhere = signedInAs(user.username());
        String access = apiLogin(user.username()).get("accessToken").asText();

        String newPassword = "a brand new passphrase";
        HttpResponse<String> change = here.postForm("/account", "/account/password", Map.of(
                "currentPassword", PASSWORD, "newPassword", newPassword, "confirmPassword", newPassword));
        assertThat(TestHttp.location(change)).isEqualTo("/account");
        assertThat(here.get("/account").statusCode()).isEqualTo(200);
        assertThat(TestHttp.location(elsewhere.get("/account"))).isEqualTo("/login?expired");
        assertThat(http().withBearer(access).get("/api/v1/auth/me").statusCode()).isEqualTo(401);
        assertThat(TestHttp.location(http().login(user.username(), PASSWORD))).isEqualTo("/login?error");
        assertThat(TestHttp.location(http().login(user.username(), newPassword))).isEqualTo("/");
    }

    @Test
    void a_wrong_current_password_changes_nothing() {
        User user = newUser(Role.VIEWER);
        TestHttp here = signedInAs(user.username());
        HttpResponse<String> change = here.postForm("/account", "/account/password", Map.of(
                "currentPassword", "wrong wrong wrong", "newPassword", "another passphrase here",
                "confirmPassword", "another passphrase here"));
        assertThat(change.statusCode()).isEqualTo(400);
        assertThat(change.body()).contains("This is not your current password.");
        assertThat(TestHttp.location(http().login(user.username(), PASSWORD))).isEqualTo("/");
    }

    @Test
    void api_login_refresh_reuse_detection_and_logout() {
        User user = newUser(Role.OPERATOR);
        JsonNode login = apiLogin(user.username());
        assertThat(login.get("tokenType").asText()).isEqualTo("Bearer");
        String access = login.get("accessToken").asText();
        String refresh = login.get("refreshToken").asText();
        assertThat(access).startsWith("cairn_at_");
        assertThat(refresh).startsWith("cairn_rt_");

        HttpResponse<String> me = http().withBearer(access).get("/api/v1/auth/me");
        assertThat(me.statusCode()).isEqualTo(200);
        assertThat(parse(me.body()).get("role").asText()).isEqualTo("OPERATOR");
        assertThat(parse(me.body()).get("signedInWith").asText()).isEqualTo("token");
        assertThat(http().withBearer(refresh).get("/api/v1/auth/me").statusCode())
                .as("a refresh token is not a bearer token").isEqualTo(401);

        HttpResponse<String> refreshed = http().postJson("/api/v1/auth/refresh", "{\"refreshToken\":\"" + refresh + "\"}");
        assertThat(refreshed.statusCode()).isEqualTo(200);
        String access2 = parse(refreshed.body()).get("accessToken").asText();
        assertThat(http().withBearer(access2).get("/api/v1/auth/me").statusCode()).isEqualTo(200);

        HttpResponse<String> reused = http().postJson("/api/v1/auth/refresh", "{\"refreshToken\":\"" + refresh + "\"}");
        assertThat(reused.statusCode()).isEqualTo(401);
        assertThat(http().withBearer(access2).get("/api/v1/auth/me").statusCode())
                .as("reusing a refresh token ends the whole login").isEqualTo(401);

        String access3 = apiLogin(user.username()).get("accessToken").asText();
        assertThat(http().withBearer(access3).postJson("/api/v1/auth/logout", null).statusCode()).isEqualTo(204);
        assertThat(http().withBearer(access3).get("/api/v1/auth/me").statusCode()).isEqualTo(401);
    }

    @Test
    void a_bearer_token_signs_in_one_request_only_and_leaves_no_session_behind() {
        User user = newUser(Role.OPERATOR);
        String access = apiLogin(user.username()).get("accessToken").asText();
        TestHttp client = http().withBearer(access);

        for (String path : new String[] {"/api/v1/auth/me", "/api/v1/sources", "/api/v1/backup/list"}) {
            HttpResponse<String> r = client.get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(200);
            assertThat(r.headers().allValues("Set-Cookie")).as("no session cookie for " + path).isEmpty();
        }
        assertThat(client.postJson("/api/v1/tokens", "{\"name\":\"ci\"}").headers().allValues("Set-Cookie"))
                .as("no session cookie for a POST").isEmpty();
        // A page renders a form token, which a session keeps; that session signs nobody in (below).
        assertThat(client.get("/").statusCode()).isEqualTo(200);
        assertThat(client.withBearer(access).postJson("/api/v1/auth/logout", null).statusCode()).isEqualTo(204);

        // The same client (any cookie it was given, kept) without its ended token is nobody.
        client.withBearer(null);
        assertThat(client.get("/api/v1/auth/me").statusCode()).isEqualTo(401);
        assertThat(TestHttp.location(client.get("/sources"))).isEqualTo("/login");
    }

    @Test
    void a_personal_token_is_shown_once_works_and_stops_working_when_revoked() {
        User user = newUser(Role.VIEWER);
        String session = apiLogin(user.username()).get("accessToken").asText();
        HttpResponse<String> created = http().withBearer(session).postJson("/api/v1/tokens", "{\"name\":\"grafana\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode body = parse(created.body());
        String secret = body.get("token").asText();
        assertThat(secret).startsWith("cairn_pat_").hasSize("cairn_pat_".length() + 43);

        HttpResponse<String> list = http().withBearer(session).get("/api/v1/tokens");
        assertThat(list.body()).contains("grafana").doesNotContain(secret);
        assertThat(http().withBearer(secret).get("/api/v1/repositories").statusCode()).isEqualTo(200);

        HttpResponse<String> revoke = http().withBearer(session).send("DELETE", "/api/v1/tokens/" + body.get("id").asLong(), null);
        assertThat(revoke.statusCode()).isEqualTo(204);
        HttpResponse<String> after = http().withBearer(secret).get("/api/v1/repositories");
        assertThat(after.statusCode()).isEqualTo(401);
        assertThat(after.headers().firstValue("WWW-Authenticate")).hasValue("Bearer error=\"invalid_token\"");

        User other = newUser(Role.ADMIN);
        String otherSession = apiLogin(other.username()).get("accessToken").asText();
        assertThat(http().withBearer(otherSession).send("DELETE", "/api/v1/tokens/" + body.get("id").asLong(), null)
                .statusCode()).as("nobody revokes another user's token").isEqualTo(404);
    }

    @Test
    void a_viewer_cannot_manage_users_through_the_api() {
        User viewer = newUser(Role.VIEWER);
        String token = tokenFor(viewer);
        HttpResponse<String> attempt = http().withBearer(token).postJson("/api/v1/users",
                "{\"username\":\"sneaky\",\"password\":\"long enough password\",\"role\":\"ADMIN\"}");
        assertThat(attempt.statusCode()).isEqualTo(403);
        assertThat(users.list(0, 1000).items()).noneMatch(u -> u.username().equals("sneaky"));
    }

    @Test
    void an_admin_manages_users_through_the_api() {
        String token = tokenFor(users.list(0, 1000).items().stream().filter(u -> u.username().equals(ADMIN))
                .findFirst().orElseThrow());
        String name = "api-user-" + System.nanoTime();
        HttpResponse<String> created = http().withBearer(token).postJson("/api/v1/users",
                "{\"username\":\"" + name + "\",\"password\":\"long enough password\",\"role\":\"VIEWER\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        long id = parse(created.body()).get("id").asLong();
        assertThat(created.body()).doesNotContain("password\"").doesNotContain("argon2");

        HttpResponse<String> patched = http().withBearer(token).send("PATCH", "/api/v1/users/" + id,
                "{\"role\":\"OPERATOR\",\"enabled\":false}");
        assertThat(patched.statusCode()).isEqualTo(200);
        assertThat(parse(patched.body()).get("role").asText()).isEqualTo("OPERATOR");
        assertThat(parse(patched.body()).get("enabled").asBoolean()).isFalse();

        HttpResponse<String> page = http().withBearer(token).get("/api/v1/users?page=0&size=2");
        JsonNode p = parse(page.body());
        assertThat(p.get("items").size()).isEqualTo(2);
        assertThat(p.get("total").asLong()).isGreaterThanOrEqualTo(3);
        assertThat(p.get("totalPages").asInt()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void the_last_admin_cannot_be_disabled_or_demoted_and_nobody_disables_themselves() {
        User admin = users.list(0, 1000).items().stream().filter(u -> u.username().equals(ADMIN)).findFirst().orElseThrow();
        String token = tokenFor(admin);
        HttpResponse<String> self = http().withBearer(token).send("PATCH", "/api/v1/users/" + admin.id(),
                "{\"enabled\":false}");
        assertThat(self.statusCode()).isEqualTo(409);
        assertThat(users.get(admin.id()).enabled()).isTrue();
    }

    private JsonNode apiLogin(String username) {
        HttpResponse<String> response = http().postJson("/api/v1/auth/login",
                "{\"username\":\"" + username + "\",\"password\":\"" + PASSWORD + "\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
        return parse(response.body());
    }
}
