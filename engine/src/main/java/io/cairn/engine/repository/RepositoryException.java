package io.cairn.engine.repository;

/**
 * A failure the user can act on, with the process exit code the CLI reports for it.
 * Messages say what failed, why, and what to do next.
 */
public class RepositoryException extends RuntimeException {

    /** Exit codes, documented in docs/cli.md. */
    public static final int EXIT_FAILURE = 1;
    public static final int EXIT_DAMAGED = 4;
    public static final int EXIT_NO_REPOSITORY = 10;
    public static final int EXIT_LOCKED = 11;
    public static final int EXIT_WRONG_PASSWORD = 12;
    public static final int EXIT_DISK_FULL = 13;

    private final int exitCode;

    public RepositoryException(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    public RepositoryException(String message, int exitCode, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }

    public static RepositoryException notFound(String location) {
        return new RepositoryException("no Cairn repository at " + location
                + ": create one with 'cairn init', or check --repo / CAIRN_REPOSITORY", EXIT_NO_REPOSITORY);
    }

    public static RepositoryException foreign(String location) {
        return new RepositoryException(location + " is not a Cairn repository (it has a config but no Cairn key files; "
                + "is it another tool's repository?)", EXIT_NO_REPOSITORY);
    }

    public static RepositoryException wrongPassword(String location) {
        return new RepositoryException("wrong password: no key of the repository at " + location
                + " opens with it. Check CAIRN_PASSWORD / --password-file", EXIT_WRONG_PASSWORD);
    }
}
