package io.cairn.cli;

import io.cairn.engine.progress.ProgressEvent;
import io.cairn.engine.progress.ProgressListener;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Shows progress: a redrawn one-line bar on a terminal, JSON lines with {@code --json}, and a plain
 * status line every few seconds otherwise (logs, CI). Warnings always reach stderr (or JSON).
 */
final class ProgressPrinter implements ProgressListener {

    private final Output output;
    private final PrintStream err = System.err;
    private final boolean terminal;
    private long lastPlain;

    ProgressPrinter(Output output) {
        this.output = output;
        this.terminal = System.console() != null && !output.json();
    }

    @Override
    public void onEvent(ProgressEvent event) {
        if (output.json()) {
            if (event instanceof ProgressEvent.Status s) {
                output.json(statusJson(s));
            } else if (event instanceof ProgressEvent.Warning w) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("message_type", "warning");
                m.put("path", w.path());
                m.put("message", w.message());
                output.json(m);
            }
            return;
        }
        if (event instanceof ProgressEvent.Warning w) {
            clearLine();
            err.println("warning: " + w.path() + ": " + w.message());
        } else if (event instanceof ProgressEvent.Status s) {
            if (terminal) {
                err.print("\r" + line(s) + "\033[K");
                err.flush();
            } else if (System.currentTimeMillis() - lastPlain >= 5000) {
                lastPlain = System.currentTimeMillis();
                err.println(line(s));
            }
        } else if (event instanceof ProgressEvent.OperationEnded) {
            clearLine();
        }
    }

    private void clearLine() {
        if (terminal) {
            err.print("\r\033[K");
            err.flush();
        }
    }

    static Map<String, Object> statusJson(ProgressEvent.Status s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("message_type", "status");
        m.put("operation", s.operation());
        m.put("percent_done", s.percent() < 0 ? null : Math.round(s.percent() * 10) / 1000.0);
        m.put("files_done", s.filesDone());
        m.put("total_files", s.filesTotal() < 0 ? null : s.filesTotal());
        m.put("bytes_done", s.bytesDone());
        m.put("total_bytes", s.bytesTotal() < 0 ? null : s.bytesTotal());
        m.put("bytes_added", s.bytesAdded());
        m.put("bytes_per_second", Math.round(s.bytesPerSecond()));
        m.put("seconds_remaining", s.eta() == null ? null : s.eta().toSeconds());
        m.put("seconds_elapsed", s.elapsed().toSeconds());
        m.put("current_path", s.currentPath());
        return m;
    }

    private static String line(ProgressEvent.Status s) {
        StringBuilder b = new StringBuilder();
        double pct = s.percent();
        if (pct >= 0) {
            int width = 24;
            int filled = (int) Math.round(pct / 100 * width);
            b.append('[').append("#".repeat(filled)).append(" ".repeat(width - filled)).append("] ");
            b.append(String.format(Locale.ROOT, "%5.1f%% ", pct));
        }
        b.append(s.filesDone()).append(s.filesTotal() >= 0 ? "/" + s.filesTotal() : "").append(" files, ");
        b.append(Output.bytes(s.bytesDone())).append(s.bytesTotal() >= 0 ? "/" + Output.bytes(s.bytesTotal()) : "");
        b.append(", ").append(Output.bytes((long) s.bytesPerSecond())).append("/s");
        if (s.eta() != null) {
            b.append(", ETA ").append(Output.duration(s.eta().toMillis()));
        }
        return b.toString();
    }
}
