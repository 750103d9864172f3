package io.cairn.server.user;

import io.cairn.server.problem.ProblemException;
import java.util.Locale;
import java.util.Set;

/**
 * What a password must be: 12 to 128 characters (length beats composition rules; the upper bound
 * keeps hashing cheap for the server), not the username, not one of the passwords every attacker
 * tries first.
 */
public final class PasswordPolicy {

    public static final int MIN_LENGTH = 12;
    public static final int MAX_LENGTH = 128;

    private static final Set<String> COMMON = Set.of("password1234", "123456789012", "qwertyuiopas",
            "administrator", "letmein12345", "changeme1234", "password12345", "adminadmin12", "welcome12345",
            "passwordpassword", "iloveyou1234", "qwerty123456", "1234567890ab", "backupbackup", "cairncairn12");

    private PasswordPolicy() {
    }

    /** Throws a field error on {@code field} if the password is not acceptable. */
    public static void check(String field, String password, String username) {
        if (password == null || password.isEmpty()) {
            throw ProblemException.invalid(field, "Enter a password.");
        }
        if (password.length() < MIN_LENGTH) {
            throw ProblemException.invalid(field, "Use at least " + MIN_LENGTH + " characters (a few words work well).");
        }
        if (password.length() > MAX_LENGTH) {
            throw ProblemException.invalid(field, "Use at most " + MAX_LENGTH + " characters.");
        }
        String lower = password.toLowerCase(Locale.ROOT);
        if (username != null && lower.contains(username.trim().toLowerCase(Locale.ROOT)) && username.trim().length() >= 4) {
            throw ProblemException.invalid(field, "The password must not contain the username.");
        }
        if (COMMON.contains(lower) || lower.chars().distinct().count() < 4) {
            throw ProblemException.invalid(field, "This password is too easy to guess; choose another.");
        }
    }
}
