package io.cairn.engine.archiver;

import static io.cairn.engine.archiver.BackupFixture.randomBytes;
import static io.cairn.engine.archiver.BackupFixture.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.engine.browse.SnapshotBrowser;
import io.cairn.engine.repository.Repository;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backup's warnings say which entries the snapshot lacks ({@code missing}: a special file, an unreadable
 * one) and which it holds with a caveat (a file that grew while it was read is saved as read).
 */
class BackupWarningsTest {

    @TempDir
    Path dir;

    @Test
    void aFileThatGrowsWhileReadIsSavedWithAWarningAndIsNotCountedAsMissing() throws Exception {
        Path src = dir.resolve("src");
        Path log = write(src, "app.log", randomBytes(32 << 20, 1));
        AtomicBoolean writing = new AtomicBoolean(true);
        Thread appender = new Thread(() -> {
            try (OutputStream out = Files.newOutputStream(log, StandardOpenOption.APPEND)) {
                byte[] line = "another line of the log that keeps growing\n".getBytes();
                while (writing.get()) {
                    out.write(line);
                    out.flush();
                    Thread.sleep(0, 200_000);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        appender.start();
        BackupResult result;
        try (Repository repo = BackupFixture.newRepository(dir.resolve("repo"))) {
            Thread.sleep(20); // growing before the walk looks at it, and all along
            result = BackupFixture.backup(repo, BackupFixture.options(), src);
            writing.set(false);
            appender.join();

            assertThat(result.warnings()).singleElement().asString().contains("app.log")
                    .contains("changed size while being read").contains("saved what was read");
            assertThat(result.missing()).isZero();
            assertThat(result.incomplete()).as("nothing is missing").isFalse();
            SnapshotBrowser browser = new SnapshotBrowser(repo, repo.findSnapshot(result.snapshotId()));
            assertThat(browser.resolve(log.toString()).node().size()).isGreaterThan(32 << 20);
        } finally {
            writing.set(false);
            appender.join();
        }
    }

    @Test
    void aSpecialFileIsMissingFromTheSnapshotAndCountedSo() throws Exception {
        Path src = dir.resolve("src");
        write(src, "keep.txt", randomBytes(1000, 2));
        Process mkfifo = new ProcessBuilder("mkfifo", src.resolve("pipe").toString()).inheritIO().start();
        assertThat(mkfifo.waitFor()).isZero();
        try (Repository repo = BackupFixture.newRepository(dir.resolve("repo"))) {
            BackupResult result = BackupFixture.backup(repo, BackupFixture.options(), src);

            assertThat(result.warnings()).singleElement().asString().contains("pipe").contains("skipped special file");
            assertThat(result.missing()).isEqualTo(1);
            assertThat(result.incomplete()).isTrue();
        }
    }
}
