package io.cairn.dumps;

import java.io.IOException;

/**
 * An expected failure of an adapter operation, as a value a user can act on: a {@link CheckStatus}
 * saying what kind of failure it is and a message saying what failed, why and what to do next. The
 * message has passed through {@link SecretMasker}: it never contains a password.
 */
public class DatabaseException extends IOException {
    private static final long serialVersionUID = 1L;

    private final CheckStatus status;

    public DatabaseException(CheckStatus status, String message) {
        super(message);
        this.status = status;
    }

    public DatabaseException(CheckStatus status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** What kind of failure this is. */
    public CheckStatus status() {
        return status;
    }
}
