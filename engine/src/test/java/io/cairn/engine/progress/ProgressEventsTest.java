package io.cairn.engine.progress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.engine.archiver.Archiver;
import io.cairn.engine.archiver.BackupFixture;
import io.cairn.engine.archiver.BackupResult;
import io.cairn.engine.repository.Repository;
import io.cairn.engine.restorer.RestoreOptions;
import io.cairn.engine.restorer.Restorer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The event contract of {@link ProgressEvent} for real backups and restores: one start and one end
 * per operation (end last, also on failure), a {@code FileEnded} for every {@code FileStarted}, and
 * status counters that never go backwards.
 */
class ProgressEventsTest {

    @TempDir
    static Path dir;
    static Path src;
    static Repository repo;

    /** Collects events in arrival order; thread-safe like every listener must be. */
    static final class Recorder implements ProgressListener {
        final List<ProgressEvent> events = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void onEvent(ProgressEvent event) {
            events.add(event);
        }

        List<ProgressEvent> snapshot() {
            synchronized (events) {
                return new ArrayList<>(events);
            }
        }
    }

    @BeforeAll
    static void createTree() throws IOException {
        src = dir.resolve("src");
        for (int i = 0; i < 12; i++) {
            BackupFixture.write(src, "d" + (i % 3) + "/f" + i, BackupFixture.randomBytes(i == 0 ? 0 : 40_000 * i, i));
        }
        BackupFixture.run("mkfifo", src.resolve("d0/pipe").toString());
        repo = BackupFixture.newRepository(dir.resolve("repo"));
    }

    private static BackupResult backup(Recorder recorder, boolean force) throws IOException {
        return new Archiver(repo, BackupFixture.options().withForce(force).withProgressInterval(Duration.ofMillis(1)),
                recorder).backup(List.of(src));
    }

    @Test
    void aBackupReportsOneStartOneEndAndPairedFiles() throws IOException {
        Recorder recorder = new Recorder();
        BackupResult result = backup(recorder, true);
        List<ProgressEvent> events = recorder.snapshot();

        assertPairedOperation(events, "backup", true);
        assertPairedFiles(events);
        assertThat(events).filteredOn(ProgressEvent.FileStarted.class::isInstance).hasSize(12);
        assertThat(events).filteredOn(ProgressEvent.Warning.class::isInstance).singleElement()
                .satisfies(w -> assertThat(((ProgressEvent.Warning) w).path()).endsWith("pipe"));
        ProgressEvent.Status last = ((ProgressEvent.OperationEnded) events.get(events.size() - 1)).finalStatus();
        assertThat(last.bytesDone()).isEqualTo(result.snapshot().summary().totalBytes());
        assertThat(last.filesDone()).isEqualTo(12);
        assertThat(last.filesTotal()).isEqualTo(12);
        assertThat(last.bytesTotal()).isEqualTo(result.snapshot().summary().totalBytes());
        assertMonotonicStatus(events);
    }

    @Test
    void anIncrementalBackupReportsOnlyTheFilesItReads() throws IOException {
        backup(new Recorder(), false);
        Recorder recorder = new Recorder();
        BackupResult again = backup(recorder, false);
        List<ProgressEvent> events = recorder.snapshot();

        assertPairedOperation(events, "backup", true);
        assertThat(events).noneMatch(ProgressEvent.FileStarted.class::isInstance);
        ProgressEvent.Status last = ((ProgressEvent.OperationEnded) events.get(events.size() - 1)).finalStatus();
        assertThat(last.filesDone()).isEqualTo(12);
        assertThat(last.bytesDone()).as("progress counts skipped files as done").isEqualTo(again.snapshot().summary()
                .totalBytes());
        assertThat(last.bytesAdded()).isZero();
    }

    @Test
    void aFailedBackupStillEndsItsOperation() {
        Recorder recorder = new Recorder();
        Archiver archiver = new Archiver(repo, BackupFixture.options().withProgressInterval(Duration.ofMillis(1)), recorder)
                .onCommandOutput(line -> { });
        assertThatThrownBy(() -> archiver.backupCommand("x", List.of("sh", "-c", "head -c 300000 /dev/zero; exit 3")))
                .hasMessageContaining("exit status 3");
        List<ProgressEvent> events = recorder.snapshot();

        assertPairedOperation(events, "backup", false);
        assertThat(((ProgressEvent.OperationEnded) events.get(events.size() - 1)).error()).contains("exit status 3");
        assertPairedFiles(events);
    }

    @Test
    void aRestoreReportsOneStartOneEndAndPairedFiles() throws IOException {
        BackupResult result = backup(new Recorder(), true);
        List<ProgressEvent> events = restoreRecording(result, "restore");

        assertPairedOperation(events, "restore", true);
        assertPairedFiles(events);
        assertThat(events).filteredOn(ProgressEvent.FileStarted.class::isInstance).hasSize(12);
        ProgressEvent.Status last = ((ProgressEvent.OperationEnded) events.get(events.size() - 1)).finalStatus();
        assertThat(last.bytesDone()).isEqualTo(result.snapshot().summary().totalBytes());
        assertThat(last.filesDone()).isEqualTo(12);
        assertMonotonicStatus(events);
    }

    @Test
    void aWholeSnapshotsRestoreKnowsItsTotalsBeforeItsFirstFile() throws IOException {
        BackupResult result = backup(new Recorder(), true);
        List<ProgressEvent> events = restoreRecording(result, "restore");

        int firstFile = events.indexOf(events.stream().filter(ProgressEvent.FileStarted.class::isInstance).findFirst()
                .orElseThrow());
        List<ProgressEvent.Status> statuses = events.subList(firstFile, events.size()).stream()
                .map(e -> e instanceof ProgressEvent.OperationEnded end ? end.finalStatus() : e)
                .filter(ProgressEvent.Status.class::isInstance).map(ProgressEvent.Status.class::cast).toList();
        assertThat(statuses).as("status events once files are written, and the last").isNotEmpty().allSatisfy(s -> {
            assertThat(s.filesTotal()).isEqualTo(12);
            assertThat(s.bytesTotal()).isEqualTo(result.snapshot().summary().totalBytes());
        });
    }

    @Test
    void theStatusEventsKeepArrivingBetweenStartAndEndOverManyRuns() throws IOException {
        for (int i = 0; i < 15; i++) {
            Recorder recorder = new Recorder();
            new Archiver(repo, BackupFixture.options().withProgressInterval(Duration.ofMillis(1)), recorder)
                    .backupStream("s", new java.io.ByteArrayInputStream(BackupFixture.randomBytes(100_000, i)));
            assertPairedOperation(recorder.snapshot(), "backup", true);
        }
    }

    /** Restores a backup into {@code dir/target}, returning the events it sent (status every millisecond). */
    private List<ProgressEvent> restoreRecording(BackupResult result, String target) throws IOException {
        Recorder recorder = new Recorder();
        new Restorer(repo, RestoreOptions.defaults().withProgressInterval(Duration.ofMillis(1)), recorder)
                .restore(repo.findSnapshot(result.snapshotId()), dir.resolve(target));
        return recorder.snapshot();
    }

    private static void assertPairedOperation(List<ProgressEvent> events, String operation, boolean success) {
        assertThat(events).isNotEmpty();
        assertThat(events.get(0)).isInstanceOfSatisfying(ProgressEvent.OperationStarted.class,
                s -> assertThat(s.operation()).isEqualTo(operation));
        assertThat(events.get(events.size() - 1)).as("the last event").isInstanceOfSatisfying(
                ProgressEvent.OperationEnded.class, e -> {
                    assertThat(e.operation()).isEqualTo(operation);
                    assertThat(e.success()).isEqualTo(success);
                    assertThat(e.error() == null).isEqualTo(success);
                });
        assertThat(events).filteredOn(ProgressEvent.OperationStarted.class::isInstance).hasSize(1);
        assertThat(events).filteredOn(ProgressEvent.OperationEnded.class::isInstance).hasSize(1);
    }

    private static void assertPairedFiles(List<ProgressEvent> events) {
        Map<String, Long> started = events.stream().filter(ProgressEvent.FileStarted.class::isInstance)
                .map(e -> ((ProgressEvent.FileStarted) e).path())
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        Map<String, Long> ended = events.stream().filter(ProgressEvent.FileEnded.class::isInstance)
                .map(e -> ((ProgressEvent.FileEnded) e).path())
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        assertThat(ended).isEqualTo(started);
        List<String> open = new ArrayList<>();
        for (ProgressEvent e : events) {
            if (e instanceof ProgressEvent.FileStarted s) {
                open.add(s.path());
            } else if (e instanceof ProgressEvent.FileEnded f) {
                assertThat(open.remove(f.path())).as("FileEnded(%s) follows its FileStarted", f.path()).isTrue();
            }
        }
    }

    private static void assertMonotonicStatus(List<ProgressEvent> events) {
        List<ProgressEvent.Status> statuses = new ArrayList<>();
        for (ProgressEvent e : events) {
            if (e instanceof ProgressEvent.Status s) {
                statuses.add(s);
            } else if (e instanceof ProgressEvent.OperationEnded end) {
                statuses.add(end.finalStatus());
            }
        }
        for (int i = 1; i < statuses.size(); i++) {
            assertThat(statuses.get(i).bytesDone()).as("bytesDone of status %d", i)
                    .isGreaterThanOrEqualTo(statuses.get(i - 1).bytesDone());
            assertThat(statuses.get(i).filesDone()).isGreaterThanOrEqualTo(statuses.get(i - 1).filesDone());
            assertThat(statuses.get(i).elapsed()).isGreaterThanOrEqualTo(statuses.get(i - 1).elapsed());
        }
    }
}
