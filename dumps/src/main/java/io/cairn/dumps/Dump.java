package io.cairn.dumps;

import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * A running dump: its bytes as a stream, and a verdict on whether those bytes are a complete dump.
 *
 * <h2>Contract</h2>
 * <ol>
 *   <li>Read {@link #stream()} to its end (EOF). The stream ends when the tool's output ends, whether
 *       the tool finished, failed or was killed: EOF alone says nothing about success.</li>
 *   <li>Then call {@link #awaitSuccess()}. It returns only if every tool exited with status 0, nothing
 *       was cancelled, and the stream was read to its end; otherwise it throws a
 *       {@link DumpFailedException} naming the tool, its exit status or signal and the last lines of
 *       its stderr (masked). A truncated dump never looks successful.</li>
 *   <li>{@link #close()} always (try-with-resources): it kills a tool that is still running and
 *       deletes temporary files (password files, SQLite backup copies).</li>
 * </ol>
 * {@link #cancel()} may be called from any thread at any time; the stream then ends early and
 * {@link #awaitSuccess()} fails with "cancelled". The other methods are for the one reading thread.
 *
 * <p>For Cairn's archiver this is {@code backupStream(dump.filename(), dump.stream(), dump::awaitSuccess)}.
 */
public interface Dump extends AutoCloseable {

    /** A file name for the dump in a snapshot: {@code mydb.pgdump}, {@code all-databases.sql}, {@code dump.rdb}. */
    String filename();

    /** The dump's bytes. The same stream on every call; not buffered beyond what the tool writes. */
    InputStream stream();

    /**
     * Waits for the tool(s) to exit and fails unless the dump is complete; call it after reading the
     * stream to EOF. Idempotent: later calls give the same verdict.
     *
     * @throws DumpFailedException when the dump is incomplete, with a message for a person
     */
    void awaitSuccess() throws DumpFailedException;

    /** Stops the dump: kills its tool (SIGKILL) or stops its driver; the verdict becomes "cancelled". */
    void cancel();

    /** The tool process currently producing bytes, while there is one (for monitoring and tests). */
    Optional<ProcessHandle> process();

    /** Dump bytes delivered through {@link #stream()} so far. */
    long bytesRead();

    /** Non-fatal notes collected so far, masked (e.g. a database dropped while all databases were dumped). */
    List<String> warnings();

    /** Cancels the dump if it has not finished and releases everything it holds. Never throws. */
    @Override
    void close();
}
