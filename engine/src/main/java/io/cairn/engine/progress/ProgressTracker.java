package io.cairn.engine.progress;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts an operation's progress and emits {@link ProgressEvent.Status} to a listener every
 * {@code interval}, plus the start/end pair. Counters are updated lock-free from any thread.
 */
public final class ProgressTracker implements AutoCloseable {

    private final String operation;
    private final ProgressListener listener;
    private final Clock clock;
    private final Instant start;
    private final ScheduledExecutorService ticker;
    public final AtomicLong filesDone = new AtomicLong();
    public final AtomicLong filesTotal = new AtomicLong(-1);
    public final AtomicLong bytesDone = new AtomicLong();
    public final AtomicLong bytesTotal = new AtomicLong(-1);
    public final AtomicLong bytesAdded = new AtomicLong();
    private volatile String currentPath = "";
    private boolean ended;

    public ProgressTracker(String operation, String description, ProgressListener listener, Clock clock, Duration interval) {
        this.operation = operation;
        this.listener = listener;
        this.clock = clock;
        this.start = clock.instant();
        listener.onEvent(new ProgressEvent.OperationStarted(operation, description));
        if (listener != ProgressListener.NONE && !interval.isZero()) {
            ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "cairn-progress");
                t.setDaemon(true);
                return t;
            });
            ticker.scheduleAtFixedRate(() -> listener.onEvent(status()), interval.toMillis(), interval.toMillis(),
                    TimeUnit.MILLISECONDS);
        } else {
            ticker = null;
        }
    }

    public void currentPath(String path) {
        this.currentPath = path;
    }

    public void emit(ProgressEvent event) {
        listener.onEvent(event);
    }

    public Duration elapsed() {
        return Duration.between(start, clock.instant());
    }

    public ProgressEvent.Status status() {
        Duration elapsed = elapsed();
        long done = bytesDone.get();
        long total = bytesTotal.get();
        double seconds = Math.max(1e-3, elapsed.toNanos() / 1e9);
        double rate = done / seconds;
        Duration eta = null;
        if (total >= 0 && rate > 0) {
            eta = Duration.ofMillis((long) (Math.max(0, total - done) / rate * 1000));
        }
        return new ProgressEvent.Status(operation, filesDone.get(), filesTotal.get(), done, total, bytesAdded.get(), rate,
                eta, currentPath, elapsed);
    }

    /** Emits the {@link ProgressEvent.OperationEnded} of the pair (once). */
    public synchronized void end(Throwable error) {
        if (ended) {
            return;
        }
        ended = true;
        if (ticker != null) {
            ticker.shutdownNow();
            // a status being delivered right now must reach the listener before the end, not after it
            try {
                ticker.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        listener.onEvent(new ProgressEvent.OperationEnded(operation, error == null,
                error == null ? null : String.valueOf(error.getMessage()), status()));
    }

    @Override
    public void close() {
        end(null);
    }
}
