package io.cairn.engine.prune;

import java.time.Duration;

/**
 * How {@link Pruner} runs.
 *
 * @param dryRun           decide and report, but write and delete nothing (the lock aside)
 * @param maxUnusedPercent a pack that still holds used blobs is repacked when more than this share
 *                         (0..100) of its blob bytes is unused; 30 means "repack packs less than 70%
 *                         used", 100 never repacks for unused space, 0 repacks every pack with any
 *                         unused blob
 * @param smallPackLimit   when at least this many kept packs are small (under a quarter of the
 *                         repository's target pack size), they are all repacked together into full
 *                         packs; 0 never repacks small packs
 * @param lockWait         how long to wait for running backups (their shared locks) to finish
 * @param progressInterval how often to emit status events (zero: never)
 */
public record PruneOptions(boolean dryRun, int maxUnusedPercent, int smallPackLimit, Duration lockWait,
                           Duration progressInterval) {

    /** Default {@link #maxUnusedPercent}: repack packs that are less than 70% used. */
    public static final int DEFAULT_MAX_UNUSED_PERCENT = 30;
    /** Default {@link #smallPackLimit}. */
    public static final int DEFAULT_SMALL_PACK_LIMIT = 16;
    /** Default {@link #lockWait}. */
    public static final Duration DEFAULT_LOCK_WAIT = Duration.ofHours(1);

    /** Validates the percent and the limit; null durations take their defaults. */
    public PruneOptions {
        if (maxUnusedPercent < 0 || maxUnusedPercent > 100) {
            throw new IllegalArgumentException("maximum unused percent must be between 0 and 100, was " + maxUnusedPercent);
        }
        if (smallPackLimit < 0) {
            throw new IllegalArgumentException("small pack limit must be 0 (off) or positive, was " + smallPackLimit);
        }
        lockWait = lockWait == null ? DEFAULT_LOCK_WAIT : lockWait;
        progressInterval = progressInterval == null ? Duration.ofSeconds(1) : progressInterval;
    }

    /** Not a dry run, repack below 70% use, repack 16 or more small packs, wait an hour for backups. */
    public static PruneOptions defaults() {
        return new PruneOptions(false, DEFAULT_MAX_UNUSED_PERCENT, DEFAULT_SMALL_PACK_LIMIT, null, null);
    }

    public PruneOptions withDryRun(boolean d) {
        return new PruneOptions(d, maxUnusedPercent, smallPackLimit, lockWait, progressInterval);
    }

    public PruneOptions withMaxUnusedPercent(int percent) {
        return new PruneOptions(dryRun, percent, smallPackLimit, lockWait, progressInterval);
    }

    public PruneOptions withSmallPackLimit(int limit) {
        return new PruneOptions(dryRun, maxUnusedPercent, limit, lockWait, progressInterval);
    }

    public PruneOptions withLockWait(Duration d) {
        return new PruneOptions(dryRun, maxUnusedPercent, smallPackLimit, d, progressInterval);
    }

    public PruneOptions withProgressInterval(Duration d) {
        return new PruneOptions(dryRun, maxUnusedPercent, smallPackLimit, lockWait, d);
    }
}
