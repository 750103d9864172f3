package io.cairn.server.web;

import io.cairn.server.user.SetupService;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Until the first admin exists, nothing but the setup page (and its assets, and the health check) is
 * reachable: pages redirect to {@code /setup}, the API answers 503 "setup required". After setup this
 * filter costs one volatile read per request.
 */
public class SetupGateFilter extends OncePerRequestFilter {

    private final SetupService setup;
    private final ProblemWriter problems;

    public SetupGateFilter(SetupService setup, ProblemWriter problems) {
        this.setup = setup;
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (setup.isComplete() || isAllowedBeforeSetup(request)) {
            chain.doFilter(request, response);
            return;
        }
        if (ProblemWriter.isApi(request)) {
            problems.write(request, response, HttpStatus.SERVICE_UNAVAILABLE, "Setup required",
                    "Cairn is not set up yet: open /setup in a browser to create the first admin account.");
            return;
        }
        response.sendRedirect(request.getContextPath() + "/setup");
    }

    private static boolean isAllowedBeforeSetup(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return path.equals("/setup") || path.equals("/api/v1/health") || path.equals("/error")
                || path.startsWith("/css/") || path.startsWith("/js/") || path.startsWith("/img/")
                || path.startsWith("/webjars/") || path.equals("/favicon.ico") || path.equals("/robots.txt");
    }
}
