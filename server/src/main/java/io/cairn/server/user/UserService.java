package io.cairn.server.user;

import io.cairn.server.audit.AuditAction;
import io.cairn.server.audit.AuditLog;
import io.cairn.server.audit.AuditOutcome;
import io.cairn.server.problem.ProblemException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataAccessException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Accounts: create, change role, disable and enable, change and reset passwords. Every change is
 * audited. The last enabled admin can neither be disabled nor lose the admin role, and nobody can
 * disable or demote themselves, so a server never ends up without an admin.
 */
@Service
public class UserService {

    private final Users users;
    private final PasswordEncoder encoder;
    private final AuditLog audit;
    private final Clock clock;
    private final ApplicationEventPublisher events;

    public UserService(Users users, PasswordEncoder encoder, AuditLog audit, Clock clock,
                       ApplicationEventPublisher events) {
        this.users = users;
        this.encoder = encoder;
        this.audit = audit;
        this.clock = clock;
        this.events = events;
    }

    /** A page of accounts, ordered by name. */
    public record Page(List<User> items, long total, int offset, int limit) {
    }

    public Page list(int offset, int limit) {
        return new Page(users.list(offset, limit), users.count(), offset, limit);
    }

    public User get(UserId id) {
        return users.find(id).orElseThrow(() -> ProblemException.notFound("There is no user with id " + id + "."));
    }

    public User create(String username, String password, Role role) {
        UsernamePolicy.check("username", username);
        PasswordPolicy.check("password", password, username);
        if (role == null) {
            throw ProblemException.invalid("role", "Choose a role: ADMIN, OPERATOR or VIEWER.");
        }
        if (users.findByUsername(username).isPresent()) {
            throw ProblemException.invalid("username", "This username is taken.");
        }
        UserId id;
        try {
            id = users.insert(username, encoder.encode(password), role, clock.instant());
        } catch (DataAccessException e) {
            if (users.findByUsername(username).isPresent()) {
                throw ProblemException.invalid("username", "This username is taken.");
            }
            throw e;
        }
        audit.record(AuditAction.USER_CREATED, "user " + username.trim(), AuditOutcome.SUCCESS, "role " + role);
        return get(id);
    }

    @Transactional
    public User changeRole(UserId id, Role role, UserId actingUser) {
        User user = get(id);
        if (role == null) {
            throw ProblemException.invalid("role", "Choose a role: ADMIN, OPERATOR or VIEWER.");
        }
        if (user.role() == role) {
            return user;
        }
        if (id.equals(actingUser)) {
            throw ProblemException.conflict("You cannot change your own role; ask another admin.");
        }
        if (user.role() == Role.ADMIN && user.enabled() && users.countEnabledAdmins() <= 1) {
            throw ProblemException.conflict("This is the last enabled admin; make another user an admin first.");
        }
        users.updateRole(id, role, clock.instant());
        audit.record(AuditAction.USER_ROLE_CHANGED, "user " + user.username(), AuditOutcome.SUCCESS,
                user.role() + " -> " + role);
        events.publishEvent(new UserAccessRevoked(id, null, "role changed"));
        return get(id);
    }

    @Transactional
    public User setEnabled(UserId id, boolean enabled, UserId actingUser) {
        User user = get(id);
        if (user.enabled() == enabled) {
            return user;
        }
        if (!enabled && id.equals(actingUser)) {
            throw ProblemException.conflict("You cannot disable your own account.");
        }
        if (!enabled && user.role() == Role.ADMIN && users.countEnabledAdmins() <= 1) {
            throw ProblemException.conflict("This is the last enabled admin; make another user an admin first.");
        }
        users.updateEnabled(id, enabled, clock.instant());
        audit.record(enabled ? AuditAction.USER_ENABLED : AuditAction.USER_DISABLED, "user " + user.username(),
                AuditOutcome.SUCCESS, null);
        if (!enabled) {
            events.publishEvent(new UserAccessRevoked(id, null, "account disabled"));
        }
        return get(id);
    }

    /**
     * A user changes their own password, proving the current one. Their other web sessions and API
     * logins end; the session they did it in ({@code currentSessionId}) stays.
     */
    @Transactional
    public void changeOwnPassword(UserId id, String currentPassword, String newPassword, String confirmation,
                                  String currentSessionId) {
        User user = get(id);
        String hash = users.passwordHash(id).orElseThrow();
        if (currentPassword == null || !encoder.matches(currentPassword, hash)) {
            audit.record(AuditAction.PASSWORD_CHANGED, "user " + user.username(), AuditOutcome.FAILURE,
                    "current password wrong");
            throw ProblemException.invalid("currentPassword", "This is not your current password.");
        }
        PasswordPolicy.check("newPassword", newPassword, user.username());
        if (confirmation != null && !confirmation.equals(newPassword)) {
            throw ProblemException.invalid(Map.of("confirmPassword", "The two new passwords differ."));
        }
        if (encoder.matches(newPassword, hash)) {
            throw ProblemException.invalid("newPassword", "Choose a password different from the current one.");
        }
        users.updatePassword(id, encoder.encode(newPassword), clock.instant());
        audit.record(AuditAction.PASSWORD_CHANGED, "user " + user.username(), AuditOutcome.SUCCESS, null);
        events.publishEvent(new UserAccessRevoked(id, currentSessionId, "password changed"));
    }

    /** An admin sets a new password for someone else; all of that user's sign-ins end. */
    @Transactional
    public void resetPassword(UserId id, String newPassword, UserId actingUser) {
        User user = get(id);
        if (id.equals(actingUser)) {
            throw ProblemException.conflict("Change your own password on your account page, with your current one.");
        }
        PasswordPolicy.check("password", newPassword, user.username());
        users.updatePassword(id, encoder.encode(newPassword), clock.instant());
        audit.record(AuditAction.PASSWORD_RESET, "user " + user.username(), AuditOutcome.SUCCESS, null);
        events.publishEvent(new UserAccessRevoked(id, null, "password reset"));
    }

    public void recordLogin(UserId id) {
        users.recordLogin(id, clock.instant());
    }
}
