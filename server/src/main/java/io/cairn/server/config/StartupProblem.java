package io.cairn.server.config;

/**
 * Something in the server's environment that keeps it from starting (data directory, key file,
 * repository location), with what to do about it. Shown without a stack trace by
 * {@link StartupProblemAnalyzer}.
 */
public class StartupProblem extends RuntimeException {

    private final String action;

    public StartupProblem(String message, String action, Throwable cause) {
        super(message, cause);
        this.action = action;
    }

    public String action() {
        return action;
    }
}
