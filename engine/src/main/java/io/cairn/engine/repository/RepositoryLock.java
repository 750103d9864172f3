package io.cairn.engine.repository;

import io.cairn.engine.backend.FileHandle;
import io.cairn.engine.backend.FileInfo;
import io.cairn.engine.backend.FileType;
import io.cairn.engine.crypto.CorruptObjectException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A lock held on a repository: shared (backups, restores, checks may run together) or exclusive
 * (prune, forget). A lock is a sealed object under {@code locks/}; the holder rewrites it every
 * {@link #REFRESH_INTERVAL} and a lock not refreshed for {@link #STALE_AFTER}, or whose process is
 * gone on this host, is stale and ignored (and removed).
 *
 * <p>Acquiring: list locks; if a conflicting fresh lock exists, wait (polling) up to the caller's
 * limit, then fail naming the holder. Otherwise write our lock, list again, and if a conflicting
 * lock appeared meanwhile, remove ours and retry after a random pause: of two racing writers at
 * least one backs off, so an exclusive lock never coexists with another lock.
 *
 * <p>This is how a backup started while prune runs still succeeds: it waits until prune releases
 * its exclusive lock (default wait: as long as prune may take), then proceeds against the pruned
 * index. Prune likewise waits for running backups to finish before it starts deleting.
 */
public final class RepositoryLock implements AutoCloseable {

    public static final Duration REFRESH_INTERVAL = Duration.ofMinutes(5);
    public static final Duration STALE_AFTER = Duration.ofMinutes(30);

    private final Repository repo;
    private final LockInfo info;
    private volatile String lockId;
    private final ScheduledExecutorService refresher;

    private RepositoryLock(Repository repo, LockInfo info, String lockId) {
        this.repo = repo;
        this.info = info;
        this.lockId = lockId;
        this.refresher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cairn-lock-refresh");
            t.setDaemon(true);
            return t;
        });
        long period = REFRESH_INTERVAL.toSeconds();
        refresher.scheduleAtFixedRate(this::refresh, period, period, TimeUnit.SECONDS);
    }

    /**
     * Acquires a lock, waiting up to {@code maxWait} for conflicting locks to go away.
     *
     * @param operation what the lock is for, shown to whoever finds it
     */
    public static RepositoryLock acquire(Repository repo, boolean exclusive, String operation, Duration maxWait)
            throws IOException {
        Instant deadline = repo.clock().instant().plus(maxWait);
        while (true) {
            LockInfo conflict = findConflict(repo, exclusive, null);
            if (conflict == null) {
                LockInfo mine = new LockInfo(exclusive, repo.clock().instant().toString(), Repository.hostname(),
                        ProcessHandle.current().pid(), Repository.username(), operation);
                String id = repo.saveSealed(FileType.LOCK, Repository.toJson(mine));
                LockInfo raced = findConflict(repo, exclusive, id);
                if (raced == null) {
                    return new RepositoryLock(repo, mine, id);
                }
                repo.backend().delete(FileHandle.of(FileType.LOCK, id));
                conflict = raced;
            }
            if (!repo.clock().instant().isBefore(deadline)) {
                throw new RepositoryException("the repository is locked" + (conflict.exclusive() ? " exclusively" : "")
                        + " by " + conflict.operation() + " (pid " + conflict.pid() + " on " + conflict.hostname() + ", since "
                        + conflict.time() + "). Wait for it to finish, raise --lock-wait, or if that process is gone run "
                        + "'cairn unlock'", RepositoryException.EXIT_LOCKED);
            }
            sleep(500 + ThreadLocalRandom.current().nextInt(1000));
        }
    }

    private static LockInfo findConflict(Repository repo, boolean exclusive, String ownId) throws IOException {
        for (LockRecord other : list(repo)) {
            if (other.id().equals(ownId)) {
                continue;
            }
            if (isStale(repo, other.info())) {
                repo.backend().delete(FileHandle.of(FileType.LOCK, other.id()));
                continue;
            }
            if (exclusive || other.info().exclusive()) {
                return other.info();
            }
        }
        return null;
    }

    /** A lock object and its id. */
    public record LockRecord(String id, LockInfo info) {
    }

    /** Every lock in the repository (unreadable ones shown as exclusive, unknown holder). */
    public static List<LockRecord> list(Repository repo) throws IOException {
        List<LockRecord> out = new ArrayList<>();
        for (FileInfo f : repo.backend().list(FileType.LOCK)) {
            try {
                byte[] json = repo.loadSealed(f.handle());
                out.add(new LockRecord(f.handle().name(), Repository.JSON.readValue(json, LockInfo.class)));
            } catch (io.cairn.engine.backend.FileNotFoundInBackendException gone) {
                // released while we listed
            } catch (CorruptObjectException | IOException e) {
                out.add(new LockRecord(f.handle().name(), new LockInfo(true, Instant.EPOCH.toString(), "unknown", -1,
                        "unknown", "unreadable lock")));
            }
        }
        return out;
    }

    /** Whether a lock is stale: not refreshed for {@link #STALE_AFTER}, or its process is gone on this host. */
    public static boolean isStale(Repository repo, LockInfo info) {
        Instant time;
        try {
            time = Instant.parse(info.time());
        } catch (RuntimeException e) {
            return true;
        }
        if (time.plus(STALE_AFTER).isBefore(repo.clock().instant())) {
            return true;
        }
        return Repository.hostname().equals(info.hostname()) && info.pid() > 0
                && ProcessHandle.of(info.pid()).map(p -> !p.isAlive()).orElse(true);
    }

    /** Removes stale locks (all locks with {@code all}); returns how many were removed. */
    public static int removeLocks(Repository repo, boolean all) throws IOException {
        int n = 0;
        for (LockRecord r : list(repo)) {
            if (all || isStale(repo, r.info())) {
                repo.backend().delete(FileHandle.of(FileType.LOCK, r.id()));
                n++;
            }
        }
        return n;
    }

    private synchronized void refresh() {
        if (lockId == null) {
            return;
        }
        try {
            LockInfo renewed = new LockInfo(info.exclusive(), repo.clock().instant().toString(), info.hostname(), info.pid(),
                    info.username(), info.operation());
            String newId = repo.saveSealed(FileType.LOCK, Repository.toJson(renewed));
            String old = lockId;
            lockId = newId;
            repo.backend().delete(FileHandle.of(FileType.LOCK, old));
        } catch (IOException | RuntimeException e) {
            // The next refresh retries; a lock older than STALE_AFTER is what others would ignore.
        }
    }

    private static void sleep(long ms) throws IOException {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for a lock", e);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        refresher.shutdownNow();
        if (lockId != null) {
            repo.backend().delete(FileHandle.of(FileType.LOCK, lockId));
            lockId = null;
        }
    }
}
