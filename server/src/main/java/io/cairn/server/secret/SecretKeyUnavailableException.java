package io.cairn.server.secret;

/** The secret key is missing, unreadable or not the one the metadata database was sealed with. */
public class SecretKeyUnavailableException extends RuntimeException {
    public SecretKeyUnavailableException(String message) {
        super(message);
    }

    public SecretKeyUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
