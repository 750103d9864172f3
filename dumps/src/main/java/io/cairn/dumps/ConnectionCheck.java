package io.cairn.dumps;

/**
 * The outcome of {@link DatabaseAdapter#test}: a status, a plain-words message that says what to do
 * ("wrong password for user app on db.example:5432: check the password saved with this source"), and
 * the server version when the server answered. Messages never contain the password.
 *
 * @param status        what happened
 * @param message       one or two sentences for a person: what failed, why, what to do next
 * @param serverVersion the server's version string when it was reachable, else null
 */
public record ConnectionCheck(CheckStatus status, String message, String serverVersion) {

    public ConnectionCheck {
        if (status == null || message == null) {
            throw new IllegalArgumentException("status and message are required");
        }
    }

    /** A successful check. */
    public static ConnectionCheck ok(String message, String serverVersion) {
        return new ConnectionCheck(CheckStatus.OK, message, serverVersion);
    }

    /** A failed check. */
    public static ConnectionCheck failed(CheckStatus status, String message, String serverVersion) {
        return new ConnectionCheck(status, message, serverVersion);
    }

    /** A failed check from an exception the adapter raised for an expected failure. */
    public static ConnectionCheck failed(DatabaseException e) {
        return new ConnectionCheck(e.status(), e.getMessage(), null);
    }

    /** Whether the check passed. */
    public boolean isOk() {
        return status == CheckStatus.OK;
    }
}
