package io.cairn.server.web;

import io.cairn.server.user.ApiTokenService;
import io.cairn.server.user.CairnPrincipal;
import io.cairn.server.user.TokenSignIn;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Signs a request in from {@code Authorization: Bearer <token>} (a personal token or an access token
 * from {@code POST /api/v1/auth/login}). The sign-in lasts for this request only: no session is made.
 * A bearer token that is unknown, revoked, expired or whose user is disabled gets 401 at once, rather
 * than silently continuing as anonymous.
 */
public class BearerTokenFilter extends OncePerRequestFilter {

    private static final String PREFIX = "Bearer ";

    private final ApiTokenService tokens;
    private final ProblemWriter problems;

    public BearerTokenFilter(ApiTokenService tokens, ProblemWriter problems) {
        this.tokens = tokens;
        this.problems = problems;
    }

    /** Whether a request carries a bearer token (and so needs no CSRF token: it has no ambient credential). */
    public static boolean hasBearer(HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        return header != null && header.regionMatches(true, 0, PREFIX, 0, PREFIX.length());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!hasBearer(request)) {
            chain.doFilter(request, response);
            return;
        }
        String token = request.getHeader("Authorization").substring(PREFIX.length()).trim();
        Optional<CairnPrincipal> principal = tokens.authenticate(token).map(CairnPrincipal::of);
        if (principal.isEmpty()) {
            response.setHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            problems.write(request, response, HttpStatus.UNAUTHORIZED, "Invalid token",
                    "The bearer token is unknown, expired or revoked, or its user is disabled. Create a new token on "
                            + "your account page, or log in again with POST /api/v1/auth/login.");
            return;
        }
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        var auth = UsernamePasswordAuthenticationToken.authenticated(principal.get(), null,
                principal.get().getAuthorities());
        auth.setDetails(TokenSignIn.INSTANCE);
        context.setAuthentication(auth);
        SecurityContextHolder.setContext(context);
        try {
            chain.doFilter(request, response);
        } finally {
            SecurityContextHolder.clearContext();
        }
    }
}
