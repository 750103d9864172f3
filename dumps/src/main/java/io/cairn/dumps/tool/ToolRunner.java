package io.cairn.dumps.tool;

import io.cairn.dumps.DatabaseException;
import io.cairn.dumps.SecretMasker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.function.Consumer;

/**
 * Runs a tool to completion, optionally feeding it a stream on stdin (restores), and fails with a
 * classified, masked {@link io.cairn.dumps.DumpFailedException} when it exits non-zero.
 */
public final class ToolRunner {
    private final Toolbox toolbox;
    private final SecretMasker masker;
    private final ErrorClassifier classifier;

    public ToolRunner(Toolbox toolbox, SecretMasker masker, ErrorClassifier classifier) {
        this.toolbox = toolbox;
        this.masker = masker;
        this.classifier = classifier;
    }

    /** What a finished tool produced. */
    public record Output(String stdout, long bytesFed, String stderrTail) {
    }

    /** Runs {@code command} without input and returns its stdout (bounded to 16 MiB). */
    public Output run(ToolCommand command, Consumer<String> stderrSink) throws DatabaseException {
        return run(command, null, stderrSink, true);
    }

    /**
     * Runs {@code command}, copying {@code input} to its stdin until EOF (or until the tool stops
     * reading), and fails unless it exits 0. Stdout lines go to {@code stderrSink} as well when
     * {@code captureStdout} is false.
     */
    public Output run(ToolCommand command, InputStream input, Consumer<String> stderrSink, boolean captureStdout)
            throws DatabaseException {
        ToolProcess tp = ToolProcess.start(command, toolbox, masker, stderrSink, input != null);
        Process p = tp.process();
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        Thread outReader = new Thread(() -> {
            try (InputStream in = p.getInputStream()) {
                byte[] buf = new byte[8192];
                int n;
                while ((n = in.read(buf)) >= 0) {
                    if (captureStdout && stdout.size() < (16 << 20)) {
                        stdout.write(buf, 0, n);
                    } else if (!captureStdout) {
                        for (String line : new String(buf, 0, n, java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
                            if (!line.isBlank()) {
                                stderrSink.accept(masker.mask(line));
                            }
                        }
                    }
                }
            } catch (IOException ignored) {
                // process gone
            }
        }, "cairn-" + command.tool() + "-stdout");
        outReader.setDaemon(true);
        outReader.start();
        long fed = 0;
        IOException inputFailure = null;
        if (input != null) {
            try (OutputStream stdin = p.getOutputStream()) {
                byte[] buf = new byte[1 << 16];
                int n;
                while (true) {
                    n = input.read(buf);
                    if (n < 0) {
                        break;
                    }
                    try {
                        stdin.write(buf, 0, n);
                    } catch (IOException brokenPipe) {
                        break; // the tool stopped reading: its exit status says why
                    }
                    fed += n;
                }
            } catch (IOException e) {
                inputFailure = e; // reading the dump failed
                tp.kill();
            }
        }
        int code;
        try {
            code = tp.waitFor();
            outReader.join(5000);
        } catch (InterruptedException e) {
            tp.kill();
            Thread.currentThread().interrupt();
            throw new DatabaseException(io.cairn.dumps.CheckStatus.OTHER, "interrupted while " + command.tool() + " ran");
        }
        if (inputFailure != null) {
            if (inputFailure instanceof InterruptedIOException) {
                Thread.currentThread().interrupt();
            }
            throw new DatabaseException(io.cairn.dumps.CheckStatus.OTHER, "reading the dump failed after " + fed
                    + " bytes: " + masker.mask(inputFailure.getMessage()) + "; " + command.tool() + " was stopped",
                    inputFailure);
        }
        if (code != 0) {
            throw tp.failure(code, classifier, "");
        }
        return new Output(stdout.toString(java.nio.charset.StandardCharsets.UTF_8), fed, tp.stderrTail());
    }
}
