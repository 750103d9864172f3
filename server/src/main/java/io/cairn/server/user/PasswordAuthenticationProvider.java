package io.cairn.server.user;

import io.cairn.server.audit.AuditAction;
import io.cairn.server.audit.AuditLog;
import io.cairn.server.audit.AuditOutcome;
import java.time.Duration;
import java.util.Optional;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.DisabledException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.stereotype.Component;

/**
 * Checks a username and password, for the login form and for {@code POST /api/v1/auth/login}.
 * <ul>
 *   <li>Throttled first ({@link LoginThrottle}); a throttled attempt is refused without a hash.</li>
 *   <li>An unknown username costs the same Argon2 work as a known one and gets the same message,
 *       so neither the answer nor its timing tells whether an account exists.</li>
 *   <li>A disabled account is only reported as disabled to someone who gave its right password.</li>
 *   <li>Every outcome is audited.</li>
 * </ul>
 */
@Component
public class PasswordAuthenticationProvider implements AuthenticationProvider {

    public static final String BAD_CREDENTIALS = "Wrong username or password.";

    private final Users users;
    private final PasswordEncoder encoder;
    private final LoginThrottle throttle;
    private final AuditLog audit;
    private volatile String unknownUserHash;

    public PasswordAuthenticationProvider(Users users, PasswordEncoder encoder, LoginThrottle throttle, AuditLog audit) {
        this.users = users;
        this.encoder = encoder;
        this.throttle = throttle;
        this.audit = audit;
    }

    /** An Argon2 hash to check unknown usernames against, made once (after start-up, not during it). */
    private String unknownUserHash() {
        String h = unknownUserHash;
        if (h == null) {
            synchronized (this) {
                h = unknownUserHash;
                if (h == null) {
                    h = encoder.encode("not a password: evens out the time of unknown usernames");
                    unknownUserHash = h;
                }
            }
        }
        return h;
    }

    @org.springframework.context.event.EventListener(org.springframework.boot.context.event.ApplicationReadyEvent.class)
    void prepareUnknownUserHash() {
        unknownUserHash();
    }

    @Override
    public Authentication authenticate(Authentication authentication) throws AuthenticationException {
        String username = String.valueOf(authentication.getPrincipal()).trim();
        String password = authentication.getCredentials() == null ? "" : authentication.getCredentials().toString();
        String address = addressOf(authentication);
        String auditName = username.length() > 64 ? username.substring(0, 64) : username;

        Duration wait = throttle.waitFor(username, address);
        if (!wait.isZero()) {
            audit.recordAs(auditName.isEmpty() ? AuditLog.ANONYMOUS : auditName, AuditAction.LOGIN_THROTTLED, null,
                    AuditOutcome.DENIED, "refused for " + LoginThrottledException.describe(wait));
            throw new LoginThrottledException(wait);
        }
        Optional<User> user = username.isEmpty() || password.length() > PasswordPolicy.MAX_LENGTH
                ? Optional.empty() : users.findByUsername(username);
        String hash = user.flatMap(u -> users.passwordHash(u.id())).orElseGet(this::unknownUserHash);
        boolean matches = encoder.matches(password.length() > PasswordPolicy.MAX_LENGTH ? "" : password, hash);
        if (user.isEmpty() || !matches) {
            throttle.recordFailure(username, address);
            audit.recordAs(auditName.isEmpty() ? AuditLog.ANONYMOUS : auditName, AuditAction.LOGIN_FAILED, null,
                    AuditOutcome.FAILURE, "wrong username or password");
            throw new BadCredentialsException(BAD_CREDENTIALS);
        }
        User u = user.get();
        if (!u.enabled()) {
            audit.recordAs(u.username(), AuditAction.LOGIN_FAILED, null, AuditOutcome.DENIED, "account disabled");
            throw new DisabledException("This account is disabled. Ask an admin to enable it.");
        }
        throttle.recordSuccess(username, address);
        CairnPrincipal principal = CairnPrincipal.of(u);
        UsernamePasswordAuthenticationToken result = UsernamePasswordAuthenticationToken.authenticated(principal, null,
                principal.getAuthorities());
        result.setDetails(authentication.getDetails());
        return result;
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }

    private static String addressOf(Authentication authentication) {
        if (authentication.getDetails() instanceof WebAuthenticationDetails details && details.getRemoteAddress() != null) {
            return details.getRemoteAddress();
        }
        String ip = AuditLog.currentClientIp();
        return ip == null ? "unknown" : ip;
    }
}
