package io.cairn.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.server.ServerTestBase;
import io.cairn.server.TestHttp;
import io.cairn.server.user.Role;
import io.cairn.server.user.User;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Every route the application has, called as anonymous, as each role and with a revoked token: each
 * must have a rule in {@link RouteAccess}, and the answer must be what the rule says. A new route
 * without a rule fails this test.
 */
class RouteAccessTest extends ServerTestBase {

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;
    @Autowired
    RouteAccess routeAccess;

    private final Map<Role, String> tokenOf = new EnumMap<>(Role.class);
    private String revokedToken;

    record Route(String method, String pattern, String samplePath) {
    }

    @BeforeEach
    void tokens() {
        for (Role role : Role.values()) {
            tokenOf.put(role, tokenFor(newUser(role)));
        }
        User revoked = newUser(Role.ADMIN);
        var issued = tokens.createPersonal(revoked.id(), "to revoke");
        tokens.revokePersonal(revoked.id(), issued.token().id());
        revokedToken = issued.secret();
    }

    List<Route> routes() {
        Set<Route> routes = new LinkedHashSet<>();
        for (RequestMappingInfo info : mappings.getHandlerMethods().keySet()) {
            Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
            List<String> verbs = methods.isEmpty() ? List.of("GET", "POST")
                    : methods.stream().map(Enum::name).toList();
            for (String pattern : info.getPathPatternsCondition().getPatternValues()) {
                String sample = pattern.replaceAll("\\{[^}]+}", "999999").replace("/**", "/x");
                for (String verb : verbs) {
                    routes.add(new Route(verb, pattern, sample));
                }
            }
        }
        return new ArrayList<>(routes);
    }

    @Test
    void the_application_has_the_routes_this_test_expects_to_see() {
        List<String> patterns = routes().stream().map(r -> r.method() + " " + r.pattern()).toList();
        assertThat(patterns).contains("GET /", "POST /setup", "GET /api/v1/health", "POST /api/v1/auth/login",
                "GET /api/v1/users", "GET /audit", "GET /api/openapi");
        assertThat(patterns.size()).isGreaterThan(40);
    }

    @Test
    void every_route_has_a_rule() {
        List<String> missing = new ArrayList<>();
        for (Route r : routes()) {
            if (routeAccess.ruleFor(r.method(), r.samplePath()).isEmpty()) {
                missing.add(r.method() + " " + r.pattern());
            }
        }
        assertThat(missing).as("routes without a rule in RouteAccess (add one)").isEmpty();
    }

    @Test
    void every_route_answers_as_its_rule_says_for_anonymous_each_role_and_a_revoked_token() {
        List<String> wrong = new ArrayList<>();
        for (Route r : routes()) {
            Optional<RouteAccess.Rule> rule = routeAccess.ruleFor(r.method(), r.samplePath());
            if (rule.isEmpty()) {
                continue; // reported by every_route_has_a_rule
            }
            Access access = rule.get().access();

            HttpResponse<String> anon = call(http(), r, true);
            if (access == Access.PUBLIC) {
                expectAllowed(wrong, r, "anonymous", anon, true);
            } else {
                expectSignInRequired(wrong, r, anon);
            }
            for (Role role : Role.values()) {
                HttpResponse<String> res = call(http().withBearer(tokenOf.get(role)), r);
                if (access.allows(role)) {
                    expectAllowed(wrong, r, role.name(), res, access == Access.PUBLIC);
                } else if (res.statusCode() != 403) {
                    wrong.add(r + " as " + role + ": expected 403, got " + res.statusCode());
                }
            }
            HttpResponse<String> revoked = call(http().withBearer(revokedToken), r);
            if (revoked.statusCode() != 401) {
                wrong.add(r + " with a revoked token: expected 401, got " + revoked.statusCode());
            }
        }
        assertThat(wrong).isEmpty();
    }

    private static HttpResponse<String> call(TestHttp http, Route r) {
        return call(http, r, false);
    }

    private static HttpResponse<String> call(TestHttp http, Route r, boolean withSession) {
        boolean api = r.samplePath().startsWith("/api/");
        if (r.samplePath().endsWith("/events") && r.method().equals("GET")) {
            return http.getStreamHead(r.samplePath()); // an event stream never ends
        }
        String body = api && !r.method().equals("GET") && !r.method().equals("DELETE") ? "{}" : null;
        if (!api && r.method().equals("POST") && withSession) {
            // A form post with a valid CSRF token of this client's session, so that only the role decides.
            return http.postForm("/login", r.samplePath(), Map.of());
        }
        return http.send(r.method(), r.samplePath(), body);
    }

    /** Allowed: not refused. A public page may send you on to /login (setup when it is done); others may not. */
    private static void expectAllowed(List<String> wrong, Route r, String who, HttpResponse<String> res,
                                      boolean isPublic) {
        String location = TestHttp.location(res);
        if (res.statusCode() == 401 || res.statusCode() == 403 || (!isPublic && "/login".equals(location))) {
            wrong.add(r + " as " + who + ": expected to be allowed, got " + res.statusCode()
                    + (location == null ? "" : " -> " + location));
        }
        if (res.statusCode() >= 500) {
            wrong.add(r + " as " + who + ": server error " + res.statusCode() + " " + res.body());
        }
    }

    private static void expectSignInRequired(List<String> wrong, Route r, HttpResponse<String> res) {
        boolean api = r.samplePath().startsWith("/api/");
        if (api ? res.statusCode() != 401 : !(res.statusCode() == 302 && "/login".equals(TestHttp.location(res)))) {
            wrong.add(r + " as anonymous: expected " + (api ? "401" : "a redirect to /login") + ", got "
                    + res.statusCode() + " " + TestHttp.location(res));
        }
    }
}
