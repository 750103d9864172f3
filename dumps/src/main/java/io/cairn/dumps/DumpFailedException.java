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

    /**
     * A dump cancelled after {@code bytesRead} bytes. {@code tool} is the program or the adapter that made it,
     * {@code dump} how the message names the dump ("pg_dump", "MongoDB").
     */
    public static DumpFailedException cancelled(String tool, String dump, long bytesRead) {
        return new DumpFailedException(CheckStatus.OTHER, tool, -1, "the " + dump + " dump was cancelled after "
                + bytesRead + " bytes; what was read is incomplete");
    }

    /** A dump whose stream was left before its end; {@code howMuch} says what was read ("12 bytes read"). */
    public static DumpFailedException notReadToEnd(String tool, String dump, String howMuch) {
        return new DumpFailedException(CheckStatus.OTHER, tool, -1, "the " + dump + " dump stream was not read"
                + " to its end (" + howMuch + "), so it is incomplete");
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
