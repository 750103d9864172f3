package io.cairn.server.web;

import io.cairn.server.audit.AuditAction;
import io.cairn.server.audit.AuditLog;
import io.cairn.server.audit.AuditOutcome;
import io.cairn.server.user.ApiTokenService;
import io.cairn.server.user.CairnPrincipal;
import io.cairn.server.user.PasswordAuthenticationProvider;
import io.cairn.server.user.SetupService;
import io.cairn.server.user.UserAccessRevoked;
import io.cairn.server.user.UserService;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.session.SessionInformation;
import org.springframework.security.core.session.SessionRegistry;
import org.springframework.security.core.session.SessionRegistryImpl;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.authentication.SavedRequestAwareAuthenticationSuccessHandler;
import org.springframework.security.web.authentication.SimpleUrlAuthenticationFailureHandler;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.header.HeaderWriterFilter;
import org.springframework.security.web.header.writers.ContentSecurityPolicyHeaderWriter;
import org.springframework.security.web.header.writers.DelegatingRequestMatcherHeaderWriter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;
import org.springframework.security.web.header.writers.StaticHeadersWriter;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.session.HttpSessionEventPublisher;
import org.springframework.security.web.session.SessionManagementFilter;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Spring Security, configured once: sign-in by form (server-side session, CSRF on every form) or by
 * bearer token (no session, no CSRF), authorization by {@link RouteAccess} only, problem details for
 * API errors, and the security headers on every response.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfig {

    /** Content-Security-Policy: nothing inline, nothing from elsewhere, no framing. */
    public static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
            + "frame-ancestors 'none'";

    /** The policy of the Swagger UI pages: as {@link #CSP}, but with inline styles allowed. */
    static final String CSP_API_DOCS = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'");

    static boolean isApiDocs(HttpServletRequest request) {
        String path = request.getRequestURI();
        return path.startsWith("/api/swagger-ui/") || path.equals("/api/docs");
    }

    private static final java.util.Set<String> SAFE_METHODS = java.util.Set.of("GET", "HEAD", "OPTIONS", "TRACE");

    @Bean
    SecurityFilterChain securityFilterChain(HttpSecurity http, RouteAccess routes, ApiTokenService tokens,
                                            ProblemWriter problems, PasswordAuthenticationProvider passwords,
                                            SessionRegistry sessions, AuditLog audit, UserService users,
                                            SetupService setup)
            throws Exception {
        RequestMatcher api = ProblemWriter::isApi;
        RequestMatcher bearer = BearerTokenFilter::hasBearer;
        RequestMatcher apiTokenLogin = request -> request.getRequestURI().equals("/api/v1/auth/login")
                || request.getRequestURI().equals("/api/v1/auth/refresh");

        HttpSessionRequestCache requestCache = new HttpSessionRequestCache();
        requestCache.setRequestMatcher(request -> "GET".equals(request.getMethod()) && !ProblemWriter.isApi(request)
                && request.getHeader("HX-Request") == null);

        SavedRequestAwareAuthenticationSuccessHandler success = new SavedRequestAwareAuthenticationSuccessHandler() {
            @Override
            public void onAuthenticationSuccess(HttpServletRequest request, jakarta.servlet.http.HttpServletResponse response,
                                                org.springframework.security.core.Authentication authentication)
                    throws java.io.IOException, jakarta.servlet.ServletException {
                if (authentication.getPrincipal() instanceof CairnPrincipal p) {
                    users.recordLogin(p.id());
                    audit.recordAs(p.getUsername(), AuditAction.LOGIN, null, AuditOutcome.SUCCESS, "web session");
                }
                super.onAuthenticationSuccess(request, response, authentication);
            }
        };
        success.setRequestCache(requestCache);
        success.setDefaultTargetUrl("/");

        SimpleUrlAuthenticationFailureHandler failure = new SimpleUrlAuthenticationFailureHandler("/login?error");

        http.authenticationManager(new ProviderManager(List.of(passwords)))
                .authorizeHttpRequests(a -> a.anyRequest().access(routes))
                .addFilterAfter(new SetupGateFilter(setup, problems), HeaderWriterFilter.class)
                // After session management, which takes any sign-in it finds there for a new login and keeps it
                // in an HTTP session: a token's sign-in would then live on in a cookie after the token ended.
                .addFilterAfter(new BearerTokenFilter(tokens, problems), SessionManagementFilter.class)
                .formLogin(f -> f.loginPage("/login").loginProcessingUrl("/login")
                        .successHandler(success).failureHandler(failure))
                .logout(l -> l.logoutUrl("/logout").logoutSuccessUrl("/login?signedOut")
                        .addLogoutHandler((request, response, auth) -> {
                            if (auth != null) {
                                audit.recordAs(auth.getName(), AuditAction.LOGOUT, null, AuditOutcome.SUCCESS, null);
                            }
                        })
                        .deleteCookies("CAIRN_SESSION"))
                .requestCache(c -> c.requestCache(requestCache))
                .csrf(c -> c.requireCsrfProtectionMatcher(request -> !SAFE_METHODS.contains(request.getMethod())
                        // Only a session cookie is an ambient credential: requests signed in by a bearer
                        // token, and API calls that have no session, cannot be forged across sites.
                        && !bearer.matches(request) && !apiTokenLogin.matches(request)
                        && !(api.matches(request) && request.getSession(false) == null)))
                .sessionManagement(s -> s.sessionFixation(f -> f.changeSessionId())
                        .maximumSessions(-1).sessionRegistry(sessions)
                        .expiredSessionStrategy(event -> {
                            if (isHtmx(event.getRequest())) {
                                htmxToLogin(event.getResponse(), "/login?expired");
                            } else {
                                event.getResponse().sendRedirect("/login?expired");
                            }
                        }))
                .exceptionHandling(e -> e
                        .defaultAuthenticationEntryPointFor((request, response, ex) -> problems.write(request, response,
                                HttpStatus.UNAUTHORIZED, "Sign-in required",
                                "Send a bearer token (Authorization: Bearer ...) from POST /api/v1/auth/login or a "
                                        + "personal API token."), api)
                        .defaultAuthenticationEntryPointFor((request, response, ex) -> htmxToLogin(response, "/login"),
                                SecurityConfig::isHtmx)
                        .defaultAuthenticationEntryPointFor(new LoginUrlAuthenticationEntryPoint("/login"),
                                request -> true)
                        .accessDeniedHandler((request, response, ex) -> {
                            String actor = AuditLog.currentActor();
                            if (!AuditLog.ANONYMOUS.equals(actor)) {
                                audit.recordAs(actor, AuditAction.ACCESS_DENIED, request.getMethod() + " "
                                        + request.getRequestURI(), AuditOutcome.DENIED, null);
                            }
                            if (api.matches(request)) {
                                problems.write(request, response, HttpStatus.FORBIDDEN, "Forbidden",
                                        "Your role does not allow this. Ask an admin if you need it.");
                            } else if (ex instanceof org.springframework.security.web.csrf.CsrfException) {
                                response.sendError(HttpStatus.FORBIDDEN.value(), "The form expired or was sent from "
                                        + "elsewhere (CSRF check failed). Reload the page and try again.");
                            } else {
                                response.sendError(HttpStatus.FORBIDDEN.value(),
                                        "Your role does not allow this page. Ask an admin if you need it.");
                            }
                        }))
                .headers(h -> h
                        // Swagger UI (the API documentation) sets inline styles; only its pages allow them.
                        .addHeaderWriter(new DelegatingRequestMatcherHeaderWriter(SecurityConfig::isApiDocs,
                                new ContentSecurityPolicyHeaderWriter(CSP_API_DOCS)))
                        .addHeaderWriter(new DelegatingRequestMatcherHeaderWriter(r -> !isApiDocs(r),
                                new ContentSecurityPolicyHeaderWriter(CSP)))
                        .frameOptions(f -> f.deny())
                        .referrerPolicy(r -> r.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.SAME_ORIGIN))
                        .addHeaderWriter(new StaticHeadersWriter("Permissions-Policy",
                                "camera=(), microphone=(), geolocation=(), payment=()"))
                        .addHeaderWriter(new StaticHeadersWriter("Cross-Origin-Opener-Policy", "same-origin")));
        return http.build();
    }

    /** A partial update by htmx (it would follow a redirect and swap the login page into a fragment). */
    static boolean isHtmx(HttpServletRequest request) {
        return "true".equals(request.getHeader("HX-Request"));
    }

    /** Tells htmx to load the login page as a whole page: 401 plus HX-Redirect. */
    private static void htmxToLogin(jakarta.servlet.http.HttpServletResponse response, String location) {
        response.setStatus(HttpStatus.UNAUTHORIZED.value());
        response.setHeader("HX-Redirect", location);
    }

    @Bean
    AuthenticationManager authenticationManager(PasswordAuthenticationProvider passwords) {
        return new ProviderManager(List.of(passwords));
    }

    @Bean
    SessionRegistry sessionRegistry() {
        return new SessionRegistryImpl();
    }

    @Bean
    HttpSessionEventPublisher httpSessionEventPublisher() {
        return new HttpSessionEventPublisher();
    }

    /** Ends the web sessions of a user whose access was revoked (disabled, new password, new role). */
    @Bean
    SessionEnder sessionEnder(SessionRegistry sessions) {
        return new SessionEnder(sessions);
    }

    /** Expires a user's sessions in the registry; their next request goes to the login page. */
    public static final class SessionEnder {
        private final SessionRegistry sessions;

        SessionEnder(SessionRegistry sessions) {
            this.sessions = sessions;
        }

        @EventListener
        public void onAccessRevoked(UserAccessRevoked event) {
            for (Object principal : sessions.getAllPrincipals()) {
                if (principal instanceof CairnPrincipal p && p.id().equals(event.userId())) {
                    for (SessionInformation info : sessions.getAllSessions(principal, false)) {
                        if (!info.getSessionId().equals(event.keepSessionId())) {
                            info.expireNow();
                        }
                    }
                }
            }
        }
    }
}
