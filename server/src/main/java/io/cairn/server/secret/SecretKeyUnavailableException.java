package io.cairn.server.secret;

import io.cairn.server.config.StartupProblem;

/** The secret key is missing, unreadable or not the one the metadata database was sealed with. */
public class SecretKeyUnavailableException extends StartupProblem {

    private static final String ACTION = "See docs/configuration.md, \"Secret key\": the key lives in "
            + "<data-dir>/secret.key (or cairn.secret-key-file, or CAIRN_SECRET_KEY).";

    public SecretKeyUnavailableException(String message) {
        super(message, ACTION, null);
    }

    public SecretKeyUnavailableException(String message, Throwable cause) {
        super(message, ACTION, cause);
    }
}
