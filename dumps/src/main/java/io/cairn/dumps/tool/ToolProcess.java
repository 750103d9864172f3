package io.cairn.dumps.tool;

import io.cairn.dumps.CheckStatus;
import io.cairn.dumps.DatabaseException;
import io.cairn.dumps.DumpFailedException;
import io.cairn.dumps.SecretMasker;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;

/**
 * A started tool: its process, and a daemon thread that drains its stderr, masks each line, passes it
 * to a sink and keeps the last lines for a failure message.
 */
public final class ToolProcess {
    private static final int TAIL_LINES = 12;

    private final ToolCommand command;
    private final Process process;
    private final SecretMasker masker;
    private final Deque<String> tail = new ArrayDeque<>();
    private final Thread stderrDrainer;
    private volatile boolean killedByUs;

    private ToolProcess(ToolCommand command, Process process, SecretMasker masker, Consumer<String> sink) {
        this.command = command;
        this.process = process;
        this.masker = masker;
        this.stderrDrainer = new Thread(() -> drain(sink), "cairn-" + command.tool() + "-stderr");
        stderrDrainer.setDaemon(true);
        stderrDrainer.start();
    }

    /**
     * Starts {@code command}. Its stdin is closed at once unless {@code keepStdin}; stdout is left to
     * the caller.
     *
     * @throws DatabaseException {@link CheckStatus#TOOL_MISSING} when the program cannot be run
     */
    public static ToolProcess start(ToolCommand command, Toolbox toolbox, SecretMasker masker, Consumer<String> sink,
                                    boolean keepStdin) throws DatabaseException {
        Process p;
        try {
            ProcessBuilder pb = command.processBuilder(toolbox);
            if (!keepStdin) {
                pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            }
            p = pb.start();
        } catch (IOException e) {
            command.deleteTempFiles();
            throw new DatabaseException(CheckStatus.TOOL_MISSING, "cannot run " + command.tool() + " ("
                    + command.executable() + "): " + masker.mask(e.getMessage()) + ". Check that it is installed");
        }
        return new ToolProcess(command, p, masker, sink);
    }

    private void drain(Consumer<String> sink) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                String masked = masker.mask(line);
                synchronized (tail) {
                    tail.addLast(masked);
                    if (tail.size() > TAIL_LINES) {
                        tail.removeFirst();
                    }
                }
                try {
                    sink.accept(masked);
                } catch (RuntimeException ignored) {
                    // a broken log sink must not break the dump
                }
            }
        } catch (IOException ignored) {
            // the process is gone; its exit status tells what happened
        }
    }

    /** The command this process runs. */
    public ToolCommand command() {
        return command;
    }

    /** The process. */
    public Process process() {
        return process;
    }

    /** Waits for exit, lets stderr drain, deletes the temporary files; returns the exit status. */
    public int waitFor() throws InterruptedException {
        int code = process.waitFor();
        stderrDrainer.join(5000);
        command.deleteTempFiles();
        return code;
    }

    /** Kills the process (SIGKILL) and its children. */
    public void kill() {
        killedByUs = true;
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    /** Whether {@link #kill()} was called. */
    public boolean killedByUs() {
        return killedByUs;
    }

    /** The last stderr lines, masked, joined with newlines. */
    public String stderrTail() {
        synchronized (tail) {
            return String.join("\n", tail);
        }
    }

    /**
     * A failure for exit status {@code code}: names the tool, the status or signal, the last stderr
     * lines, and the classifier's status and hint.
     */
    public DumpFailedException failure(int code, ErrorClassifier classifier, String consequence) {
        String err = stderrTail().strip();
        ErrorClassifier.Classification c = classifier.classify(err);
        StringBuilder msg = new StringBuilder(command.tool());
        if (code > 128 && code < 160) {
            int signal = code - 128;
            msg.append(" was killed by signal ").append(signal).append(signalName(signal))
                    .append(" (exit status ").append(code).append(")");
        } else {
            msg.append(" failed with exit status ").append(code);
        }
        if (!err.isEmpty()) {
            msg.append(": ").append(String.join(" | ", err.lines().toList()));
        }
        if (!c.hint().isEmpty()) {
            msg.append(". ").append(c.hint());
        }
        if (consequence != null && !consequence.isEmpty()) {
            msg.append(". ").append(consequence);
        }
        return new DumpFailedException(c.status(), command.tool(), code, masker.mask(msg.toString()));
    }

    private static String signalName(int signal) {
        return switch (signal) {
            case 9 -> " (SIGKILL)";
            case 15 -> " (SIGTERM)";
            case 6 -> " (SIGABRT)";
            case 11 -> " (SIGSEGV)";
            case 2 -> " (SIGINT)";
            case 13 -> " (SIGPIPE)";
            default -> "";
        };
    }
}
