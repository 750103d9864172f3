package io.cairn.server.user;

import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

/** Re-checks a signed-in user's password before a sensitive action (showing a recovery kit again). */
@Component
public class PasswordCheck {

    private final Users users;
    private final PasswordEncoder encoder;

    public PasswordCheck(Users users, PasswordEncoder encoder) {
        this.users = users;
        this.encoder = encoder;
    }

    public boolean matches(UserId user, String password) {
        if (password == null || password.isEmpty() || password.length() > PasswordPolicy.MAX_LENGTH) {
            return false;
        }
        return users.passwordHash(user).map(hash -> encoder.matches(password, hash)).orElse(false);
    }
}
