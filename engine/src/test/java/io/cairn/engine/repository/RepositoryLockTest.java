package io.cairn.engine.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.engine.backend.FileType;
import io.cairn.engine.backend.LocalBackend;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Shared and exclusive locks (repository-format.md §11) without waiting: conflicts, staleness, removal. */
class RepositoryLockTest {

    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

    @TempDir
    Path dir;

    @BeforeAll
    static void allowTinyArgon2() {
        System.setProperty("cairn.insecureTestKdf", "true");
    }

    private Repository repoAt(Instant now) throws IOException {
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        LocalBackend backend = new LocalBackend(dir);
        if (!backend.exists(io.cairn.engine.backend.FileHandle.CONFIG)) {
            return Repository.init(backend, RepositoryTest.PASSWORD, RepositoryTest.tinyOptions(), clock);
        }
        return Repository.open(backend, RepositoryTest.PASSWORD, clock);
    }

    @Test
    void sharedLocksCoexistAndExcludeAnExclusiveOne() throws IOException {
        Repository repo = repoAt(T0);
        try (RepositoryLock a = RepositoryLock.acquire(repo, false, "backup", Duration.ZERO);
             RepositoryLock b = RepositoryLock.acquire(repo, false, "check", Duration.ZERO)) {
            assertThat(RepositoryLock.list(repo)).hasSize(2);
            assertThatThrownBy(() -> RepositoryLock.acquire(repo, true, "prune", Duration.ZERO))
                    .isInstanceOf(RepositoryException.class)
                    .hasMessageContaining("locked")
                    .hasMessageContaining("pid " + ProcessHandle.current().pid())
                    .extracting(e -> ((RepositoryException) e).exitCode()).isEqualTo(RepositoryException.EXIT_LOCKED);
        }
        assertThat(repo.backend().list(FileType.LOCK)).as("locks removed on close").isEmpty();
        try (RepositoryLock exclusive = RepositoryLock.acquire(repo, true, "prune", Duration.ZERO)) {
            assertThatThrownBy(() -> RepositoryLock.acquire(repo, false, "backup", Duration.ZERO))
                    .isInstanceOf(RepositoryException.class)
                    .hasMessageContaining("exclusively by prune");
            assertThat(RepositoryLock.list(repo)).singleElement()
                    .satisfies(r -> assertThat(r.info().exclusive()).isTrue());
        }
    }

    @Test
    void aLockNotRefreshedForThirtyMinutesIsStaleAndRemoved() throws IOException {
        Repository early = repoAt(T0);
        RepositoryLock old = RepositoryLock.acquire(early, true, "prune", Duration.ZERO);
        Repository later = repoAt(T0.plus(Duration.ofMinutes(29)));
        assertThatThrownBy(() -> RepositoryLock.acquire(later, false, "backup", Duration.ZERO))
                .isInstanceOf(RepositoryException.class);

        Repository muchLater = repoAt(T0.plus(Duration.ofMinutes(31)));
        try (RepositoryLock fresh = RepositoryLock.acquire(muchLater, false, "backup", Duration.ZERO)) {
            assertThat(RepositoryLock.list(muchLater)).singleElement()
                    .satisfies(r -> assertThat(r.info().operation()).isEqualTo("backup"));
        }
        old.close();
    }

    @Test
    void aLockOfAProcessThatIsGoneOnThisHostIsStale() throws IOException {
        Repository repo = repoAt(T0);
        long deadPid = deadPid();
        repo.saveSealed(FileType.LOCK, Repository.toJson(new LockInfo(true, T0.toString(), Repository.hostname(), deadPid,
                "ann", "prune")));
        repo.saveSealed(FileType.LOCK, Repository.toJson(new LockInfo(false, T0.toString(), "another-host", deadPid,
                "ann", "backup")));

        assertThat(RepositoryLock.removeLocks(repo, false)).isOne();
        assertThat(RepositoryLock.list(repo)).singleElement()
                .satisfies(r -> assertThat(r.info().hostname()).isEqualTo("another-host"));
        assertThat(RepositoryLock.removeLocks(repo, true)).isOne();
        assertThat(RepositoryLock.list(repo)).isEmpty();
    }

    /**
     * A lock that does not open cannot come from a live holder (every writer seals with the master
     * key, and writes are atomic): it is listed as exclusive with an unknown holder, and since its
     * time is unknown it counts as stale, so the next acquire removes it instead of waiting forever.
     */
    @Test
    void anUnreadableLockIsListedAsExclusiveAndRemovedAsStale() throws IOException {
        Repository repo = repoAt(T0);
        repo.backend().save(io.cairn.engine.backend.FileHandle.of(FileType.LOCK, "ab".repeat(32)), new byte[] {1, 2, 3});

        assertThat(RepositoryLock.list(repo)).singleElement().satisfies(r -> {
            assertThat(r.info().exclusive()).isTrue();
            assertThat(r.info().operation()).isEqualTo("unreadable lock");
            assertThat(RepositoryLock.isStale(repo, r.info())).isTrue();
        });
        try (RepositoryLock lock = RepositoryLock.acquire(repo, true, "prune", Duration.ZERO)) {
            assertThat(RepositoryLock.list(repo)).singleElement()
                    .satisfies(r -> assertThat(r.info().operation()).isEqualTo("prune"));
        }
    }

    private static long deadPid() throws IOException {
        Process p = new ProcessBuilder("true").start();
        try {
            p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return p.pid();
    }
}
