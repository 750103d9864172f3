package io.cairn.dumps.tool;

import io.cairn.dumps.CheckStatus;
import io.cairn.dumps.DatabaseException;
import io.cairn.dumps.Dump;
import io.cairn.dumps.DumpFailedException;
import io.cairn.dumps.SecretMasker;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A {@link Dump} made by one or more tool runs whose stdout is concatenated (PostgreSQL's "all
 * databases" is {@code pg_dumpall --globals-only} then one {@code pg_dump} per database), with optional
 * bytes before each step and after the last. The caller's thread reads the tool's pipe directly: no
 * copying thread, no buffer beyond the pipe. A step runs only after the previous one exited 0; the
 * first step starts in the constructor, so a tool that cannot run fails {@code dump()} itself.
 */
public final class ProcessDump implements Dump {

    /** One tool run contributing bytes. */
    public interface Step {
        /** Bytes to emit before the tool's output (a part marker); may be empty. */
        byte[] preamble();

        /** The tool to run. */
        ToolCommand command() throws DatabaseException;

        /**
         * Called when the tool failed: return a warning to skip this step and go on, or null to fail
         * the dump. Default: fail.
         *
         * @param bytesProduced how many bytes the tool wrote before failing
         */
        default String skipOnFailure(DumpFailedException failure, long bytesProduced) {
            return null;
        }

        /**
         * Wraps the tool's stdout, e.g. to check the dump's structure while it streams. A wrapper that
         * ends early must drain the rest of {@code toolOutput} itself; an {@link IOException} it throws
         * fails the dump even when the tool exits 0. Default: the output as it is.
         */
        default InputStream transform(InputStream toolOutput) {
            return toolOutput;
        }
    }

    /** A step from a fixed preamble and command. */
    public static Step step(byte[] preamble, ToolCommand command) {
        return new Step() {
            @Override
            public byte[] preamble() {
                return preamble;
            }

            @Override
            public ToolCommand command() {
                return command;
            }
        };
    }

    private final String filename;
    private final Iterator<Step> steps;
    private final byte[] trailer;
    private final Toolbox toolbox;
    private final SecretMasker masker;
    private final ErrorClassifier classifier;
    private final Consumer<String> toolOutput;
    private final List<String> warnings = Collections.synchronizedList(new ArrayList<>());
    private final Stream stream = new Stream();

    private volatile ToolProcess current;
    private volatile boolean cancelled;
    private volatile boolean closed;
    private DumpFailedException failure;
    private boolean complete;
    private volatile long bytesRead;

    public ProcessDump(String filename, Iterator<Step> steps, byte[] trailer, Toolbox toolbox, SecretMasker masker,
                       ErrorClassifier classifier, Consumer<String> toolOutput) throws DatabaseException {
        this.filename = filename;
        this.steps = steps;
        this.trailer = trailer == null ? new byte[0] : trailer;
        this.toolbox = toolbox;
        this.masker = masker;
        this.classifier = classifier;
        this.toolOutput = toolOutput;
        if (!steps.hasNext()) {
            throw new IllegalArgumentException("a dump needs at least one step");
        }
        stream.startNext();
    }

    @Override
    public String filename() {
        return filename;
    }

    @Override
    public InputStream stream() {
        return stream;
    }

    @Override
    public synchronized void awaitSuccess() throws DumpFailedException {
        if (failure != null) {
            throw failure;
        }
        if (cancelled) {
            throw cancelledFailure();
        }
        if (!complete) {
            throw DumpFailedException.notReadToEnd(currentTool(), currentTool(), bytesRead + " bytes read");
        }
    }

    private DumpFailedException cancelledFailure() {
        return DumpFailedException.cancelled(currentTool(), currentTool(), bytesRead);
    }

    private String currentTool() {
        ToolProcess p = current;
        return p != null ? p.command().tool() : lastTool;
    }

    private volatile String lastTool = "dump";

    @Override
    public void cancel() {
        cancelled = true;
        ToolProcess p = current;
        if (p != null) {
            p.kill();
        }
    }

    @Override
    public Optional<ProcessHandle> process() {
        ToolProcess p = current;
        return p == null ? Optional.empty() : Optional.of(p.process().toHandle());
    }

    @Override
    public long bytesRead() {
        return bytesRead;
    }

    @Override
    public List<String> warnings() {
        synchronized (warnings) {
            return List.copyOf(warnings);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        synchronized (this) {
            if (!complete && failure == null) {
                cancelled = true;
            }
        }
        ToolProcess p = current;
        if (p != null) {
            p.kill();
            try {
                p.process().getInputStream().close();
                p.waitFor();
            } catch (IOException | InterruptedException ignored) {
                if (Thread.currentThread().isInterrupted()) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** Concatenates preambles, tool outputs and the trailer; ends at the first failure. */
    private final class Stream extends InputStream {
        private byte[] pending = new byte[0];
        private int pendingPos;
        private InputStream out;
        private Step step;
        private long stepBytes;
        private boolean trailerQueued;
        private boolean eof;

        void startNext() throws DatabaseException {
            step = steps.next();
            pending = step.preamble() == null ? new byte[0] : step.preamble();
            pendingPos = 0;
            stepBytes = 0;
            ToolCommand command = step.command();
            lastTool = command.tool();
            ToolProcess p = ToolProcess.start(command, toolbox, masker, toolOutput, false);
            current = p;
            out = step.transform(p.process().getInputStream());
            readError = null;
        }

        private IOException readError;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            while (true) {
                if (eof) {
                    return -1;
                }
                if (cancelled) {
                    return end(cancelledFailure());
                }
                if (pendingPos < pending.length) {
                    int n = Math.min(len, pending.length - pendingPos);
                    System.arraycopy(pending, pendingPos, b, off, n);
                    pendingPos += n;
                    bytesRead += n;
                    return n;
                }
                if (out != null) {
                    int n;
                    try {
                        n = out.read(b, off, len);
                    } catch (IOException e) {
                        readError = e; // a closed pipe (cancel, kill) or a damaged dump: the exit status decides first
                        n = -1;
                    }
                    if (n > 0) {
                        stepBytes += n;
                        bytesRead += n;
                        return n;
                    }
                    if (n == 0) {
                        continue;
                    }
                    ToolProcess p = current;
                    int code;
                    boolean damaged = false;
                    try {
                        if (readError != null && !p.process().waitFor(2, java.util.concurrent.TimeUnit.SECONDS)) {
                            // the output is damaged but the tool goes on writing: stop it, the damage is the reason
                            p.process().destroyForcibly();
                            damaged = true;
                        }
                        code = p.waitFor();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        p.kill();
                        throw new java.io.InterruptedIOException("interrupted while waiting for " + p.command().tool());
                    }
                    try {
                        out.close();
                    } catch (IOException ignored) {
                        // the process is gone
                    }
                    out = null;
                    if (cancelled || p.killedByUs()) {
                        return end(cancelledFailure());
                    }
                    if (readError != null && (damaged || code == 0)) {
                        return end(new DumpFailedException(CheckStatus.OTHER, p.command().tool(), code, masker.mask(
                                "the output of " + p.command().tool() + " is not a complete dump: " + readError.getMessage()
                                        + ". The dump is incomplete (" + bytesRead + " bytes) and must not be kept")));
                    }
                    if (code != 0) {
                        DumpFailedException f = p.failure(code, classifier,
                                "The dump is incomplete (" + bytesRead + " bytes) and must not be kept");
                        String skip = step.skipOnFailure(f, stepBytes);
                        if (skip == null) {
                            return end(f);
                        }
                        warnings.add(masker.mask(skip));
                    }
                    continue;
                }
                if (steps.hasNext()) {
                    try {
                        startNext();
                    } catch (DatabaseException e) {
                        return end(new DumpFailedException(e.status(), lastTool, -1, e.getMessage()));
                    }
                    continue;
                }
                if (!trailerQueued) {
                    trailerQueued = true;
                    pending = trailer;
                    pendingPos = 0;
                    continue;
                }
                synchronized (ProcessDump.this) {
                    complete = !cancelled;
                }
                eof = true;
                return -1;
            }
        }

        private int end(DumpFailedException f) {
            synchronized (ProcessDump.this) {
                if (failure == null) {
                    failure = f;
                }
            }
            eof = true;
            return -1;
        }

        @Override
        public void close() {
            // the Dump owns the process; closing the stream early leaves the verdict "not read to its end"
        }
    }
}
