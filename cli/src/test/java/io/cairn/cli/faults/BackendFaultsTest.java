package io.cairn.cli.faults;

import static io.cairn.cli.faults.Fixtures.manifest;
import static io.cairn.cli.faults.Fixtures.restored;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.engine.archiver.Archiver;
import io.cairn.engine.archiver.BackupOptions;
import io.cairn.engine.archiver.BackupResult;
import io.cairn.engine.backend.FileType;
import io.cairn.engine.crypto.KdfParams;
import io.cairn.engine.progress.ProgressListener;
import io.cairn.engine.repository.Repository;
import io.cairn.engine.repository.RepositoryException;
import io.cairn.engine.restorer.RestoreOptions;
import io.cairn.engine.restorer.Restorer;
import io.cairn.engine.snapshot.SnapshotRef;
import io.cairn.testkit.FaultInjectingBackend;
import io.cairn.testkit.FaultInjectingBackend.Operation;
import io.cairn.testkit.InMemoryBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Storage faults a real backend produces rarely (a failed upload, a lost reply, a full bucket, a
 * read error), injected with {@link FaultInjectingBackend}: each fails the operation with a clear
 * error, leaves no snapshot that is not complete, keeps earlier snapshots restorable, and the next
 * backup works, also in the same process with the same open repository (as the server runs them).
 */
class BackendFaultsTest {

    @TempDir
    Path dir;

    private FaultInjectingBackend backend;
    private Repository repo;
    private Path source;
    private String firstSnapshot;
    private TreeMap<String, String> firstContent;

    @BeforeEach
    void setUp() throws IOException {
        System.setProperty("cairn.insecureTestKdf", "true");
        backend = new FaultInjectingBackend(new InMemoryBackend());
        repo = Repository.init(backend, Fixtures.PASSWORD.toCharArray(), Repository.InitOptions.defaults()
                .withKdf(new KdfParams(64, 1, 1)).withChunker(4 * 1024, 16 * 1024, 64 * 1024).withPackSize(64 * 1024),
                Clock.systemUTC());
        source = dir.resolve("source");
        Fixtures.writeRandomFiles(source, 1, 4, 100_000);
        firstSnapshot = backup().snapshotId();
        firstContent = manifest(source);
        // new data for the backups that meet faults: 40 packs or so
        Fixtures.writeRandomFiles(source.resolve("more"), 2, 10, 250_000);
    }

    private BackupResult backup() throws IOException {
        return new Archiver(repo, BackupOptions.defaults().withLockWait(Duration.ZERO), ProgressListener.NONE)
                .backup(List.of(source));
    }

    /** A freshly opened repository: sees only what is durable, like the next process would. */
    private Repository reopen() throws IOException {
        return Repository.open(backend, Fixtures.PASSWORD.toCharArray(), Clock.systemUTC());
    }

    private void assertRestores(Repository r, String snapshotId, TreeMap<String, String> content) throws IOException {
        Path target = Files.createTempDirectory(dir, "restore-");
        new Restorer(r, RestoreOptions.defaults(), ProgressListener.NONE).restore(r.loadSnapshot(snapshotId), target);
        assertThat(manifest(restored(target, source))).as("snapshot %s restored", snapshotId).isEqualTo(content);
    }

    /** After a failed backup: only the first snapshot, it restores, no lock is left, and the next backup works. */
    private void assertRecovered() throws IOException {
        backend.clearFaults();
        try (Repository fresh = reopen()) {
            assertThat(fresh.snapshots()).extracting(SnapshotRef::id).containsExactly(firstSnapshot);
            assertRestores(fresh, firstSnapshot, firstContent);
            assertThat(backend.wrapped().list(FileType.LOCK)).as("locks after the failed backup").isEmpty();
        }
        // the next backup in the same process, with the same open repository
        String next = backup().snapshotId();
        try (Repository fresh = reopen()) {
            assertRestores(fresh, next, manifest(source));
            CrashChecks.assertCheckFindsNoError(fresh, true);
        }
    }

    @ParameterizedTest(name = "pack upload number {0} fails")
    @ValueSource(ints = {1, 2, 5, 20})
    void aFailedPackUploadFailsTheBackupWithoutASnapshot(int failingCall) throws IOException {
        backend.on(Operation.SAVE).forType(FileType.PACK).onCall(failingCall)
                .failWith(() -> new IOException("connection reset by peer (injected)"));

        assertThatThrownBy(this::backup).hasMessageContaining("connection reset by peer");

        assertRecovered();
    }

    @Test
    void aFailedIndexUploadFailsTheBackupWithoutASnapshot() throws IOException {
        backend.on(Operation.SAVE).forType(FileType.INDEX).onCall(1)
                .failWith(() -> new IOException("503 Slow Down (injected)"));

        assertThatThrownBy(this::backup).hasMessageContaining("503 Slow Down");

        assertRecovered();
    }

    @Test
    void aFailedSnapshotUploadSavesNoSnapshot() throws IOException {
        backend.on(Operation.SAVE).forType(FileType.SNAPSHOT).onCall(1)
                .failWith(() -> new IOException("timeout (injected)"));

        assertThatThrownBy(this::backup).hasMessageContaining("timeout");

        assertRecovered();
    }

    @Test
    void aSnapshotUploadWhoseReplyWasLostLeavesACompleteSnapshot() throws IOException {
        backend.on(Operation.SAVE).forType(FileType.SNAPSHOT).onCall(1).afterTakingEffect()
                .failWith(() -> new IOException("reply lost (injected)"));

        assertThatThrownBy(this::backup).hasMessageContaining("reply lost");

        backend.clearFaults();
        try (Repository fresh = reopen()) {
            List<SnapshotRef> snapshots = fresh.snapshots();
            assertThat(snapshots).hasSize(2);
            assertRestores(fresh, snapshots.get(1).id(), manifest(source));
            CrashChecks.assertCheckFindsNoError(fresh, false);
        }
    }

    @Test
    void aFullBucketFailsTheBackupWithExitCode13() throws IOException {
        backend.on(Operation.SAVE).forType(FileType.PACK).fromCall(3).failWithDiskFull();

        assertThatThrownBy(this::backup).isInstanceOfSatisfying(RepositoryException.class, e -> {
            assertThat(e.exitCode()).isEqualTo(RepositoryException.EXIT_DISK_FULL);
            assertThat(e.getMessage()).contains("no space left", "free some space");
        });

        assertRecovered();
    }

    @Test
    void aFailedLockUploadFailsTheBackupBeforeAnythingIsWritten() throws IOException {
        int packsBefore = backend.wrapped().list(FileType.PACK).size();
        backend.on(Operation.SAVE).forType(FileType.LOCK).failWith(() -> new IOException("permission denied (injected)"));

        assertThatThrownBy(this::backup).hasMessageContaining("permission denied");

        assertThat(backend.wrapped().list(FileType.PACK)).hasSize(packsBefore);
        assertRecovered();
    }

    @Test
    void aReadErrorDuringRestoreFailsItAndLeavesNoHalfWrittenFile() throws IOException {
        String second = backup().snapshotId();
        TreeMap<String, String> content = manifest(source);
        backend.on(Operation.LOAD_RANGE).forType(FileType.PACK).onCall(30)
                .failWith(() -> new IOException("EIO: input/output error (injected)"));
        Path target = dir.resolve("target");

        assertThatThrownBy(() -> new Restorer(repo, RestoreOptions.defaults(), ProgressListener.NONE)
                .restore(repo.loadSnapshot(second), target)).hasMessageContaining("input/output error");

        try (Stream<Path> files = Files.walk(target)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String key = restored(target, source).relativize(f).toString();
                assertThat(manifest(f.getParent()).get(f.getFileName().toString())).as("left behind: %s", key)
                        .isEqualTo(content.get(key));
            }
        }
        backend.clearFaults();
        assertRestores(repo, second, content);
    }
}
