package io.cairn.server.user;

import io.cairn.server.audit.AuditAction;
import io.cairn.server.audit.AuditLog;
import io.cairn.server.audit.AuditOutcome;
import io.cairn.server.problem.ProblemException;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.dao.DataAccessException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * First-run setup: until the first admin exists, only the setup page is reachable. Completing setup
 * inserts the admin and the single {@code setup} row in one transaction; when two requests race, the
 * database's primary key lets exactly one commit and the other gets "setup is already done".
 */
@Service
public class SetupService {

    private final Users users;
    private final PasswordEncoder encoder;
    private final AuditLog audit;
    private final Clock clock;
    private final TransactionTemplate tx;
    private final AtomicBoolean complete = new AtomicBoolean();

    public SetupService(Users users, PasswordEncoder encoder, AuditLog audit, Clock clock, TransactionTemplate tx) {
        this.users = users;
        this.encoder = encoder;
        this.audit = audit;
        this.clock = clock;
        this.tx = tx;
    }

    /** Whether the first admin exists. Once true, never asks the database again. */
    public boolean isComplete() {
        if (complete.get()) {
            return true;
        }
        boolean done = users.isSetupComplete();
        if (done) {
            complete.set(true);
        }
        return done;
    }

    /** Creates the first admin. Fails with 409 if setup is already done, whoever won the race. */
    public User createFirstAdmin(String username, String password, String confirmation) {
        if (isComplete()) {
            throw alreadyDone();
        }
        UsernamePolicy.check("username", username);
        PasswordPolicy.check("password", password, username);
        if (confirmation != null && !confirmation.equals(password)) {
            throw ProblemException.invalid("confirmPassword", "The two passwords differ.");
        }
        String hash = encoder.encode(password);
        User admin;
        try {
            admin = tx.execute(status -> {
                var now = clock.instant();
                UserId id = users.insert(username, hash, Role.ADMIN, now);
                users.markSetupComplete(id, now);
                return users.find(id).orElseThrow();
            });
        } catch (DataAccessException e) {
            // The loser of a race hits the setup row's primary key (or the username's unique key).
            if (users.isSetupComplete()) {
                complete.set(true);
                throw alreadyDone();
            }
            throw e;
        }
        complete.set(true);
        audit.recordAs(admin.username(), AuditAction.SETUP_COMPLETED, "user " + admin.username(), AuditOutcome.SUCCESS,
                "first admin created");
        return admin;
    }

    private static ProblemException alreadyDone() {
        return ProblemException.conflict("Setup is already done: an admin account exists. Sign in instead.");
    }
}
