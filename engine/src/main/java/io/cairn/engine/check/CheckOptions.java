package io.cairn.engine.check;

import io.cairn.engine.progress.ProgressListener;
import java.time.Duration;
import java.util.Objects;
import java.util.Random;

/**
 * How a check runs.
 *
 * @param readData         read every pack whole and verify every blob (or only {@code readDataSubset})
 * @param readDataSubset   read only these packs; null reads all (when {@code readData}); setting it
 *                         implies reading data
 * @param listener         receives the {@code check} start/end pair, status events and a warning per error
 * @param random           draws the packs of a percentage subset
 * @param progressInterval how often to emit status events (zero: only at phase changes)
 * @param lockWait         how long to wait for an exclusive lock (prune) to go away
 * @param threads          packs checked at once
 */
public record CheckOptions(boolean readData, DataSubset readDataSubset, ProgressListener listener, Random random,
                           Duration progressInterval, Duration lockWait, int threads) {

    public CheckOptions {
        readData = readData || readDataSubset != null;
        listener = listener == null ? ProgressListener.NONE : listener;
        random = random == null ? new Random() : random;
        progressInterval = progressInterval == null ? Duration.ofSeconds(1) : progressInterval;
        lockWait = lockWait == null ? Duration.ofHours(6) : lockWait;
        if (threads < 1) {
            throw new IllegalArgumentException("a check needs at least one thread, got " + threads);
        }
    }

    /** Structure only, no progress, 4 threads (or fewer on a smaller machine). */
    public static CheckOptions defaults() {
        return new CheckOptions(false, null, ProgressListener.NONE, new Random(), Duration.ofSeconds(1),
                Duration.ofHours(6), Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())));
    }

    public CheckOptions withReadData(boolean r) {
        return new CheckOptions(r, readDataSubset, listener, random, progressInterval, lockWait, threads);
    }

    public CheckOptions withReadDataSubset(DataSubset s) {
        return new CheckOptions(readData, s, listener, random, progressInterval, lockWait, threads);
    }

    public CheckOptions withListener(ProgressListener l) {
        return new CheckOptions(readData, readDataSubset, Objects.requireNonNull(l), random, progressInterval, lockWait,
                threads);
    }

    public CheckOptions withRandom(Random r) {
        return new CheckOptions(readData, readDataSubset, listener, Objects.requireNonNull(r), progressInterval, lockWait,
                threads);
    }

    public CheckOptions withProgressInterval(Duration d) {
        return new CheckOptions(readData, readDataSubset, listener, random, d, lockWait, threads);
    }

    public CheckOptions withLockWait(Duration d) {
        return new CheckOptions(readData, readDataSubset, listener, random, progressInterval, d, threads);
    }

    public CheckOptions withThreads(int n) {
        return new CheckOptions(readData, readDataSubset, listener, random, progressInterval, lockWait, n);
    }
}
