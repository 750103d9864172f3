package io.cairn.engine.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.engine.archiver.Archiver;
import io.cairn.engine.archiver.BackupOptions;
import io.cairn.engine.archiver.BackupResult;
import io.cairn.engine.backend.FileType;
import io.cairn.engine.progress.ProgressListener;
import io.cairn.engine.repository.Repository;
import io.cairn.engine.repository.RepositoryException;
import io.cairn.engine.repository.RepositoryLock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backup of a command's output ({@code --stdin-from-command}) commits a snapshot only when the
 * command exits with status 0: a failing or killed command saves nothing (its output is incomplete),
 * the error names the exit status and the command's last words on stderr, and the next backup works.
 */
class CommandBackupFailureTest {

    @TempDir
    static Path dir;

    private static Repository repo;
    private final List<String> commandStderr = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void createRepository() throws IOException {
        repo = FaultFixtures.initRepository(dir.resolve("repo"));
    }

    @AfterAll
    static void closeRepository() throws IOException {
        repo.close();
    }

    @BeforeEach
    void noCommandOutputYet() {
        commandStderr.clear();
    }

    private BackupResult backupCommand(String... command) throws IOException {
        return new Archiver(repo, BackupOptions.defaults().withLockWait(Duration.ZERO), ProgressListener.NONE)
                .onCommandOutput(commandStderr::add)
                .backupCommand("dump.sql", List.of(command));
    }

    private int snapshotCount() throws IOException {
        return repo.backend().list(FileType.SNAPSHOT).size();
    }

    @Test
    void aCommandExitingWithStatus1SavesNoSnapshot() throws IOException {
        int before = snapshotCount();

        assertThatThrownBy(() -> backupCommand("sh", "-c", "echo partial; echo 'connection lost' >&2; exit 1"))
                .isInstanceOfSatisfying(RepositoryException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(RepositoryException.EXIT_FAILURE);
                    assertThat(e.getMessage()).contains("exit status 1", "connection lost", "no snapshot was saved");
                });

        assertThat(snapshotCount()).isEqualTo(before);
        assertThat(commandStderr).containsExactly("connection lost");
        assertNoLockLeft();
        assertNextBackupWorks();
    }

    @Test
    void aCommandKilledBySignal9SavesNoSnapshot() throws IOException {
        int before = snapshotCount();

        assertThatThrownBy(() -> backupCommand("sh", "-c", "echo partial; kill -9 $$"))
                .isInstanceOfSatisfying(RepositoryException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(RepositoryException.EXIT_FAILURE);
                    assertThat(e.getMessage()).contains("exit status 137", "killed by signal 9");
                });

        assertThat(snapshotCount()).isEqualTo(before);
        assertNoLockLeft();
        assertNextBackupWorks();
    }

    @Test
    void aCommandFailingAfterMegabytesOfOutputSavesNoSnapshot() throws IOException {
        // enough output to fill and write several packs before the failure is known
        int before = snapshotCount();
        int packsBefore = repo.backend().list(FileType.PACK).size();

        assertThatThrownBy(() -> backupCommand("sh", "-c", "head -c 3000000 /dev/urandom; exit 2"))
                .isInstanceOfSatisfying(RepositoryException.class,
                        e -> assertThat(e.getMessage()).contains("exit status 2"));

        assertThat(snapshotCount()).isEqualTo(before);
        assertThat(repo.backend().list(FileType.PACK).size()).as("packs written before the failure was known")
                .isGreaterThan(packsBefore);
        assertNoLockLeft();
        assertNextBackupWorks();
    }

    @Test
    void aCommandThatCannotBeStartedSavesNoSnapshot() throws IOException {
        int before = snapshotCount();

        assertThatThrownBy(() -> backupCommand("/nonexistent/pg_dump_cairn_test"))
                .isInstanceOfSatisfying(RepositoryException.class, e -> assertThat(e.getMessage())
                        .contains("cannot run '/nonexistent/pg_dump_cairn_test'"));

        assertThat(snapshotCount()).isEqualTo(before);
        assertNoLockLeft();
    }

    private void assertNoLockLeft() throws IOException {
        assertThat(RepositoryLock.list(repo)).as("locks after the failed backup").isEmpty();
    }

    private void assertNextBackupWorks() throws IOException {
        BackupResult ok = backupCommand("sh", "-c", "printf 'complete dump\\n'");
        Path target = dir.resolve("restore-" + ok.snapshotId());
        FaultFixtures.restore(repo, ok.snapshotId(), target);
        assertThat(Files.readString(target.resolve("dump.sql"))).isEqualTo("complete dump\n");
    }
}
