package io.cairn.dumps;

/**
 * A dump that did not complete: its tool exited non-zero or was killed, it was cancelled, or its stream
 * was not read to the end. The bytes already read are not a complete dump and must not be kept as one.
 * The message names the tool, its exit status or signal, and the last lines it wrote to stderr (masked).
 */
public class DumpFailedException extends DatabaseException {
    private static final long serialVersionUID = 1L;

    private final String tool;
    private final int exitStatus;

    public DumpFailedException(CheckStatus status, String tool, int exitStatus, String message) {
        super(status, message);
        this.tool = tool;
        this.exitStatus = exitStatus;
    }

    /** The program that failed ("pg_dump"), or the adapter's name when no program was involved. */
    public String tool() {
        return tool;
    }

    /** The tool's exit status (128 + n when killed by signal n), or -1 when there was none. */
    public int exitStatus() {
        return exitStatus;
    }
}
