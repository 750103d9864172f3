package io.cairn.server.web;

import io.cairn.server.user.CairnPrincipal;
import io.cairn.server.user.Role;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * The role table: every route the server has, with who may call it. This is the only place access is
 * decided; a request that matches no rule is denied, and RouteAccessTest fails the build for any
 * route of the application that has no rule here. The first matching rule wins.
 */
@Component
public class RouteAccess implements AuthorizationManager<RequestAuthorizationContext> {

    /** One rule: a method (null = any) and a path pattern (Spring's PathPattern syntax). */
    public record Rule(HttpMethod method, String pattern, Access access, PathPattern parsed) {
        boolean matches(String method, String path) {
            return (this.method == null || this.method.matches(method)) && parsed.matches(PathContainer.parsePath(path));
        }
    }

    private static final HttpMethod GET = HttpMethod.GET;
    private static final HttpMethod POST = HttpMethod.POST;
    private static final HttpMethod PUT = HttpMethod.PUT;
    private static final HttpMethod PATCH = HttpMethod.PATCH;
    private static final HttpMethod DELETE = HttpMethod.DELETE;

    private final ObjectProvider<RequestMappingHandlerMapping> controllers;

    public RouteAccess(@Qualifier("requestMappingHandlerMapping") ObjectProvider<RequestMappingHandlerMapping> controllers) {
        this.controllers = controllers;
    }

    private final List<Rule> rules = List.of(
            // Static assets and the pages you need before signing in.
            rule(GET, "/css/**", Access.PUBLIC),
            rule(GET, "/js/**", Access.PUBLIC),
            rule(GET, "/img/**", Access.PUBLIC),
            rule(GET, "/webjars/**", Access.PUBLIC),
            rule(GET, "/favicon.ico", Access.PUBLIC),
            rule(GET, "/robots.txt", Access.PUBLIC),
            rule(null, "/error", Access.PUBLIC),
            rule(GET, "/login", Access.PUBLIC),
            rule(POST, "/login", Access.PUBLIC),
            rule(GET, "/setup", Access.PUBLIC),
            rule(POST, "/setup", Access.PUBLIC),
            rule(GET, "/api/v1/health", Access.PUBLIC),
            rule(POST, "/api/v1/auth/login", Access.PUBLIC),
            rule(POST, "/api/v1/auth/refresh", Access.PUBLIC),

            // Operators: sources, projects, starting, cancelling and deleting backups. Listed before the
            // viewer rules, because "/sources/new" would otherwise match "/sources/{id}".
            rule(GET, "/sources/new", Access.OPERATOR),
            rule(POST, "/sources", Access.OPERATOR),
            rule(GET, "/sources/{id}/edit", Access.OPERATOR),
            rule(POST, "/sources/{id}", Access.OPERATOR),
            rule(POST, "/sources/{id}/delete", Access.OPERATOR),
            rule(POST, "/sources/{id}/test", Access.OPERATOR),
            rule(POST, "/sources/{id}/backup", Access.OPERATOR),
            rule(POST, "/projects", Access.OPERATOR),
            rule(POST, "/projects/{id}/delete", Access.OPERATOR),
            rule(POST, "/projects/{id}/backup", Access.OPERATOR),
            rule(POST, "/backups/start", Access.OPERATOR),
            rule(POST, "/backups/delete", Access.OPERATOR),
            rule(POST, "/backups/{id}/cancel", Access.OPERATOR),
            rule(POST, "/backups/{id}/delete", Access.OPERATOR),
            rule(POST, "/api/v1/sources", Access.OPERATOR),
            rule(PUT, "/api/v1/sources/{id}", Access.OPERATOR),
            rule(DELETE, "/api/v1/sources/{id}", Access.OPERATOR),
            rule(POST, "/api/v1/sources/{id}/test", Access.OPERATOR),
            rule(POST, "/api/v1/projects", Access.OPERATOR),
            rule(PUT, "/api/v1/projects/{id}", Access.OPERATOR),
            rule(DELETE, "/api/v1/projects/{id}", Access.OPERATOR),
            rule(POST, "/api/v1/backup/start", Access.OPERATOR),
            rule(POST, "/api/v1/backup/trigger", Access.OPERATOR),
            rule(POST, "/api/v1/backup/{id}/cancel", Access.OPERATOR),
            rule(DELETE, "/api/v1/backup/{id}", Access.OPERATOR),
            // Restoring: the wizard, starting and cancelling restores.
            rule(GET, "/restore/what", Access.OPERATOR),
            rule(GET, "/restore/review", Access.OPERATOR),
            rule(POST, "/restores", Access.OPERATOR),
            rule(GET, "/restore/project", Access.OPERATOR),
            rule(POST, "/restores/project", Access.OPERATOR),
            rule(POST, "/api/v1/projects/{id}/restore", Access.OPERATOR),
            rule(POST, "/restores/{id}/cancel", Access.OPERATOR),
            rule(POST, "/api/v1/backup/{id}/restore/plan", Access.OPERATOR),
            rule(POST, "/api/v1/backup/{id}/restore", Access.OPERATOR),
            rule(POST, "/api/v1/restores/{id}/cancel", Access.OPERATOR),
            // Browsing backups' files, downloads, diffs (io.cairn.server.snapshot): file contents, so operators.
            rule(GET, "/backups/{id}/files", Access.OPERATOR),
            rule(GET, "/backups/{id}/files/list", Access.OPERATOR),
            rule(GET, "/backups/{id}/files/preview", Access.OPERATOR),
            rule(POST, "/backups/{id}/files/download", Access.OPERATOR),
            rule(POST, "/backups/{id}/files/close", Access.OPERATOR),
            rule(GET, "/backups/{id}/diff", Access.OPERATOR),
            rule(GET, "/browse-sessions", Access.OPERATOR),
            rule(POST, "/browse-sessions/{session}/close", Access.OPERATOR),
            rule(POST, "/api/v1/restore/mount", Access.OPERATOR),
            rule(GET, "/api/v1/restore/mounts", Access.OPERATOR),
            rule(DELETE, "/api/v1/restore/mounts/{mountId}", Access.OPERATOR),
            rule(GET, "/api/v1/restore/{mountId}/files", Access.OPERATOR),
            rule(GET, "/api/v1/restore/{mountId}/preview", Access.OPERATOR),
            rule(GET, "/api/v1/restore/{mountId}/download", Access.OPERATOR),
            rule(POST, "/api/v1/restore/{mountId}/links", Access.OPERATOR),
            rule(DELETE, "/api/v1/restore/{mountId}", Access.OPERATOR),
            rule(GET, "/api/v1/backup/{id}/diff", Access.OPERATOR),
            // A signed download link is its own permission (HMAC, minutes long, only while its session is open).
            rule(GET, "/downloads/{token}", Access.PUBLIC),
            // Schedules and their retention.
            rule(GET, "/schedules/new", Access.OPERATOR),
            rule(POST, "/schedules", Access.OPERATOR),
            rule(GET, "/schedules/{id}/edit", Access.OPERATOR),
            rule(POST, "/schedules/{id}", Access.OPERATOR),
            rule(POST, "/schedules/{id}/enabled", Access.OPERATOR),
            rule(POST, "/schedules/{id}/delete", Access.OPERATOR),
            rule(POST, "/api/v1/schedules", Access.OPERATOR),
            rule(PUT, "/api/v1/schedules/{id}", Access.OPERATOR),
            rule(DELETE, "/api/v1/schedules/{id}", Access.OPERATOR),
            rule(POST, "/api/v1/schedules/{id}/enable", Access.OPERATOR),
            rule(POST, "/api/v1/schedules/{id}/disable", Access.OPERATOR),

            // Every signed-in user: read-only pages, their own account.
            rule(GET, "/", Access.VIEWER),
            rule(GET, "/dashboard/health", Access.VIEWER),
            rule(GET, "/dashboard/backups", Access.VIEWER),
            rule(GET, "/sources", Access.VIEWER),
            rule(GET, "/sources/{id}", Access.VIEWER),
            rule(GET, "/backups", Access.VIEWER),
            rule(GET, "/backups/rows", Access.VIEWER),
            rule(GET, "/backups/estimate", Access.VIEWER),
            rule(GET, "/backups/{id}", Access.VIEWER),
            rule(GET, "/backups/{id}/logs", Access.VIEWER),
            rule(GET, "/backups/{id}/overview", Access.VIEWER),
            rule(GET, "/jobs/events", Access.VIEWER),
            rule(GET, "/api/v1/sources", Access.VIEWER),
            rule(GET, "/api/v1/sources/{id}", Access.VIEWER),
            rule(GET, "/api/v1/projects", Access.VIEWER),
            rule(GET, "/api/v1/projects/{id}", Access.VIEWER),
            rule(GET, "/api/v1/backup/list", Access.VIEWER),
            rule(GET, "/api/v1/backup/history", Access.VIEWER),
            rule(GET, "/api/v1/backup/status", Access.VIEWER),
            rule(GET, "/api/v1/backup/config", Access.VIEWER),
            rule(GET, "/api/v1/backup/logs", Access.VIEWER),
            rule(GET, "/api/v1/backup/events", Access.VIEWER),
            rule(GET, "/api/v1/backup/{id}", Access.VIEWER),
            rule(GET, "/api/v1/backup/chain", Access.VIEWER),
            rule(GET, "/api/v1/backup/{id}/chain", Access.VIEWER),
            rule(GET, "/api/v1/telemetry/history/{jobId}", Access.VIEWER),
            rule(GET, "/api/v1/stats", Access.VIEWER),
            rule(GET, "/restore", Access.VIEWER),
            rule(GET, "/restores/{id}", Access.VIEWER),
            rule(GET, "/restores/{id}/progress", Access.VIEWER),
            rule(GET, "/backups/{id}/restores", Access.VIEWER),
            rule(GET, "/api/v1/backup/{id}/restore/status", Access.VIEWER),
            rule(GET, "/api/v1/backup/{id}/restores", Access.VIEWER),
            rule(GET, "/api/v1/restores", Access.VIEWER),
            rule(GET, "/api/v1/restores/{id}", Access.VIEWER),
            rule(GET, "/schedules", Access.VIEWER),
            rule(GET, "/schedules/preview", Access.VIEWER),
            rule(GET, "/schedules/{id}/retention", Access.VIEWER),
            rule(GET, "/api/v1/schedules", Access.VIEWER),
            rule(GET, "/api/v1/schedules/preview", Access.VIEWER),
            rule(GET, "/api/v1/schedules/{id}", Access.VIEWER),
            rule(GET, "/api/v1/schedules/{id}/retention/dry-run", Access.VIEWER),
            rule(GET, "/repositories", Access.VIEWER),
            rule(GET, "/repositories/{id}/prune", Access.VIEWER),
            rule(GET, "/api/v1/repositories/{id}/prune", Access.VIEWER),
            rule(POST, "/logout", Access.VIEWER),
            rule(GET, "/account", Access.VIEWER),
            rule(POST, "/account/password", Access.VIEWER),
            rule(POST, "/account/tokens", Access.VIEWER),
            rule(POST, "/account/tokens/{id}/revoke", Access.VIEWER),
            rule(GET, "/api/docs", Access.VIEWER),
            rule(GET, "/api/docs/**", Access.VIEWER),
            rule(GET, "/api/swagger-ui/**", Access.VIEWER),
            rule(GET, "/api/openapi", Access.VIEWER),
            rule(GET, "/api/openapi.yaml", Access.VIEWER),
            rule(GET, "/api/openapi/**", Access.VIEWER),
            rule(GET, "/api/v1/auth/me", Access.VIEWER),
            rule(POST, "/api/v1/auth/logout", Access.VIEWER),
            rule(PUT, "/api/v1/auth/password", Access.VIEWER),
            rule(GET, "/api/v1/tokens", Access.VIEWER),
            rule(POST, "/api/v1/tokens", Access.VIEWER),
            rule(DELETE, "/api/v1/tokens/{id}", Access.VIEWER),
            rule(GET, "/api/v1/repositories", Access.VIEWER),
            rule(GET, "/api/v1/repositories/{id}", Access.VIEWER),

            // Admins: users, the audit log, recovery kits.
            rule(GET, "/settings", Access.ADMIN),
            rule(POST, "/settings/users", Access.ADMIN),
            rule(POST, "/settings/users/{id}/role", Access.ADMIN),
            rule(POST, "/settings/users/{id}/enabled", Access.ADMIN),
            rule(POST, "/settings/users/{id}/password", Access.ADMIN),
            rule(GET, "/audit", Access.ADMIN),
            rule(GET, "/audit/rows", Access.ADMIN),
            rule(GET, "/audit/export", Access.ADMIN),
            rule(GET, "/repositories/{id}/recovery-kit", Access.ADMIN),
            rule(POST, "/repositories/{id}/recovery-kit", Access.ADMIN),
            rule(GET, "/repositories/{id}/recovery-kit.txt", Access.ADMIN),
            rule(POST, "/repositories/{id}/recovery-kit/confirm", Access.ADMIN),
            // Prune removes data for good: admins start it and set its schedule.
            rule(POST, "/repositories/{id}/prune", Access.ADMIN),
            rule(POST, "/api/v1/repositories/{id}/prune", Access.ADMIN),
            rule(PUT, "/api/v1/repositories/{id}/prune", Access.ADMIN),
            rule(GET, "/api/v1/users", Access.ADMIN),
            rule(POST, "/api/v1/users", Access.ADMIN),
            rule(GET, "/api/v1/users/{id}", Access.ADMIN),
            rule(PATCH, "/api/v1/users/{id}", Access.ADMIN),
            rule(PUT, "/api/v1/users/{id}/password", Access.ADMIN),
            rule(GET, "/api/v1/audit", Access.ADMIN),
            rule(GET, "/api/v1/audit/export", Access.ADMIN));

    private static Rule rule(HttpMethod method, String pattern, Access access) {
        return new Rule(method, pattern, access, PathPatternParser.defaultInstance.parse(pattern));
    }

    public List<Rule> rules() {
        return rules;
    }

    /** The rule for a request, or empty if none matches (the request is then denied). */
    public Optional<Rule> ruleFor(String method, String path) {
        for (Rule r : rules) {
            if (r.matches(method, path)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    @Override
    public AuthorizationResult authorize(Supplier<? extends Authentication> authentication,
                                         RequestAuthorizationContext context) {
        HttpServletRequest request = context.getRequest();
        String path = request.getRequestURI().substring(request.getContextPath().length());
        Optional<Rule> rule = ruleFor(request.getMethod(), path.isEmpty() ? "/" : path);
        if (rule.isEmpty()) {
            // No rule: denied if a controller would answer (a route someone forgot to put here); for an
            // address nothing answers, a signed-in user gets the honest 404 instead of a misleading 403.
            return new AuthorizationDecision(roleOf(authentication.get()) != null && !hasController(request));
        }
        Access access = rule.get().access();
        if (access == Access.PUBLIC) {
            return new AuthorizationDecision(true);
        }
        return new AuthorizationDecision(access.allows(roleOf(authentication.get())));
    }

    private boolean hasController(HttpServletRequest request) {
        RequestMappingHandlerMapping mapping = controllers.getIfAvailable();
        if (mapping == null) {
            return true;
        }
        try {
            return mapping.getHandler(request) != null;
        } catch (org.springframework.web.HttpRequestMethodNotSupportedException e) {
            return false; // a known path, another method: no controller runs, MVC answers 405
        } catch (Exception e) {
            return true; // cannot tell: treat it as a route, so it is denied
        }
    }

    /** The role of a signed-in user, or null for anonymous. */
    public static Role roleOf(Authentication auth) {
        if (auth == null || !auth.isAuthenticated() || auth instanceof AnonymousAuthenticationToken) {
            return null;
        }
        return auth.getPrincipal() instanceof CairnPrincipal p ? p.role() : null;
    }
}
