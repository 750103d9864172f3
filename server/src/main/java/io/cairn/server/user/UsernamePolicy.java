package io.cairn.server.user;

import io.cairn.server.problem.ProblemException;
import java.util.regex.Pattern;

/** Usernames: 3 to 64 letters, digits, dots, dashes, underscores or @, starting with a letter or digit. */
public final class UsernamePolicy {

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{2,63}");

    private UsernamePolicy() {
    }

    public static void check(String field, String username) {
        if (username == null || username.isBlank()) {
            throw ProblemException.invalid(field, "Enter a username.");
        }
        if (!VALID.matcher(username.trim()).matches()) {
            throw ProblemException.invalid(field, "Use 3 to 64 letters, digits, '.', '-', '_' or '@', starting with a "
                    + "letter or digit.");
        }
    }
}
