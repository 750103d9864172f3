package io.cairn.engine.progress;

import java.time.Duration;

/**
 * Events an operation reports while it runs. They come in documented pairs: every
 * {@link OperationStarted} is followed by exactly one {@link OperationEnded} (also on failure), and
 * every {@link FileStarted} by one {@link FileEnded}; {@link Status} and {@link Warning} arrive
 * between them. Listeners are called from worker threads and must be quick and thread-safe.
 */
public sealed interface ProgressEvent {

    /** An operation ("backup", "restore", "check", "prune"...) began. */
    record OperationStarted(String operation, String description) implements ProgressEvent {
    }

    /** The operation ended; {@code error} is null on success. */
    record OperationEnded(String operation, boolean success, String error, Status finalStatus) implements ProgressEvent {
    }

    /** A file began to be processed. */
    record FileStarted(String path, long size) implements ProgressEvent {
    }

    /** The file is done; {@code bytesAdded} is what it added to the repository (plaintext). */
    record FileEnded(String path, long bytesAdded) implements ProgressEvent {
    }

    /**
     * A periodic summary. Totals are -1 while still unknown (the scanner has not finished).
     *
     * @param filesDone      files finished
     * @param filesTotal     files found by the scanner, -1 if unknown yet
     * @param bytesDone      bytes read (or restored)
     * @param bytesTotal     bytes found by the scanner, -1 if unknown
     * @param bytesAdded     new bytes stored in the repository (plaintext)
     * @param bytesPerSecond average rate since the start
     * @param eta            estimated time left, null if unknown
     * @param currentPath    a path being worked on
     * @param elapsed        time since the start
     */
    record Status(String operation, long filesDone, long filesTotal, long bytesDone, long bytesTotal, long bytesAdded,
                  double bytesPerSecond, Duration eta, String currentPath, Duration elapsed) implements ProgressEvent {

        /** Percent done (0..100) when the total is known, else -1. */
        public double percent() {
            return bytesTotal > 0 ? Math.min(100.0, 100.0 * bytesDone / bytesTotal) : -1;
        }
    }

    /** Something was skipped or went wrong without stopping the operation. */
    record Warning(String path, String message) implements ProgressEvent {
    }
}
