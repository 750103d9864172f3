package io.cairn.engine.prune;

import java.time.Duration;
import java.time.ZoneId;

/**
 * How {@link Forgetter} runs.
 *
 * @param grouping which snapshot fields form the groups a policy is applied to
 * @param dryRun   decide and report, but delete nothing
 * @param force    carry out a policy even if it removes every snapshot of some group
 * @param zone     the time zone of the calendar buckets (days, weeks...) of the policy
 * @param lockWait how long to wait for running backups to finish
 */
public record ForgetOptions(SnapshotGrouping grouping, boolean dryRun, boolean force, ZoneId zone, Duration lockWait) {

    /** Fills in defaults for null values: host and paths, UTC, {@link PruneOptions#DEFAULT_LOCK_WAIT}. */
    public ForgetOptions {
        grouping = grouping == null ? SnapshotGrouping.DEFAULT : grouping;
        zone = zone == null ? ZoneId.of("UTC") : zone;
        lockWait = lockWait == null ? PruneOptions.DEFAULT_LOCK_WAIT : lockWait;
    }

    /** Group by host and paths, no dry run, no force, UTC, wait an hour for the lock. */
    public static ForgetOptions defaults() {
        return new ForgetOptions(null, false, false, null, null);
    }

    public ForgetOptions withGrouping(SnapshotGrouping g) {
        return new ForgetOptions(g, dryRun, force, zone, lockWait);
    }

    public ForgetOptions withDryRun(boolean d) {
        return new ForgetOptions(grouping, d, force, zone, lockWait);
    }

    public ForgetOptions withForce(boolean f) {
        return new ForgetOptions(grouping, dryRun, f, zone, lockWait);
    }

    public ForgetOptions withZone(ZoneId z) {
        return new ForgetOptions(grouping, dryRun, force, z, lockWait);
    }

    public ForgetOptions withLockWait(Duration d) {
        return new ForgetOptions(grouping, dryRun, force, zone, d);
    }
}
