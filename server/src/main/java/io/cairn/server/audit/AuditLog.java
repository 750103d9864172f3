package io.cairn.server.audit;

import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Service;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Records and searches audit entries. The actor and the client address come from the current
 * request and sign-in unless given; an action outside any request (start-up, schedules) is recorded
 * as {@code system}.
 */
@Service
public class AuditLog {

    private static final Logger log = LoggerFactory.getLogger(AuditLog.class);
    public static final String ANONYMOUS = "anonymous";
    public static final String SYSTEM = "system";

    private final AuditEvents events;
    private final Clock clock;

    public AuditLog(AuditEvents events, Clock clock) {
        this.events = events;
        this.clock = clock;
    }

    /** A page of search results and the total number of matches. */
    public record Page(List<AuditEvent> items, long total, int offset, int limit) {
    }

    /** Records an action by whoever is signed in on the current request. */
    public void record(AuditAction action, String target, AuditOutcome outcome, String details) {
        recordAs(currentActor(), action, target, outcome, details);
    }

    /** Records an action by a named actor (a sign-in in progress, the system). */
    public void recordAs(String actor, AuditAction action, String target, AuditOutcome outcome, String details) {
        String ip = currentClientIp();
        events.insert(clock.instant(), actor, action.code(), target, outcome, details, ip);
        log.info("audit: {} {} {}{}{}", actor, action.code(), outcome, target == null ? "" : " " + target,
                ip == null ? "" : " from " + ip);
    }

    public Page search(AuditQuery query, int offset, int limit) {
        return new Page(events.search(query, offset, limit), events.count(query), offset, limit);
    }

    public void export(AuditQuery query, Consumer<AuditEvent> consumer) {
        events.forEach(query, consumer);
    }

    /** The signed-in user's name, or {@code anonymous}, or {@code system} outside a request. */
    public static String currentActor() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        if (auth != null && auth.isAuthenticated() && !(auth instanceof AnonymousAuthenticationToken)) {
            return auth.getName();
        }
        return currentRequest() == null ? SYSTEM : ANONYMOUS;
    }

    public static String currentClientIp() {
        HttpServletRequest request = currentRequest();
        return request == null ? null : request.getRemoteAddr();
    }

    private static HttpServletRequest currentRequest() {
        return RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attrs
                ? attrs.getRequest() : null;
    }
}
