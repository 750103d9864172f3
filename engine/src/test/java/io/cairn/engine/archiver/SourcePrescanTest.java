package io.cairn.engine.archiver;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.engine.progress.ProgressEvent;
import io.cairn.engine.repository.Repository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A scan of the sources started before the backup (while the repository opens) serves the backup's totals. */
class SourcePrescanTest {

    @TempDir
    Path dir;

    private Path sources() throws IOException {
        Path src = Files.createDirectories(dir.resolve("src/a/b"));
        for (int i = 0; i < 5; i++) {
            Files.write(src.resolve("f" + i + ".txt"), new byte[100 * (i + 1)]);
        }
        Files.write(dir.resolve("src/skip.log"), new byte[7]);
        return dir.resolve("src");
    }

    @Test
    void itCountsWhatTheBackupWillReadWithTheSamePatterns() throws Exception {
        Path src = sources();
        BackupOptions options = BackupFixture.options().withExcludes(List.of("*.log"));
        SourcePrescan prescan = SourcePrescan.start(List.of(dir.resolve("src/../src")), options);

        long[] totals = prescan.totalsFor(Archiver.roots(List.of(src)), options).get(30, TimeUnit.SECONDS);
        assertThat(totals).containsExactly(5, 100 + 200 + 300 + 400 + 500);
        assertThat(prescan.totalsFor(Archiver.roots(List.of(src.resolve("a"))), options)).as("other paths").isNull();
        assertThat(prescan.totalsFor(Archiver.roots(List.of(src)), BackupFixture.options())).as("other patterns").isNull();
    }

    @Test
    void aBackupGivenAPrescanReportsItsTotalsAndSavesWhatAPlainBackupSaves() throws Exception {
        Path src = sources();
        Repository repo = BackupFixture.newRepository(dir.resolve("repo"));
        BackupOptions options = BackupFixture.options().withProgressInterval(java.time.Duration.ofMillis(1));
        List<ProgressEvent.Status> statuses = new CopyOnWriteArrayList<>();
        SourcePrescan prescan = SourcePrescan.start(List.of(src), options);
        prescan.totalsFor(Archiver.roots(List.of(src)), options).get(30, TimeUnit.SECONDS);

        BackupResult withPrescan = new Archiver(repo, options, e -> {
            if (e instanceof ProgressEvent.Status s) {
                statuses.add(s);
            }
        }).backup(List.of(src), prescan);
        BackupResult plain = new Archiver(repo, options.withParent(""), e -> { }).backup(List.of(src));

        assertThat(withPrescan.snapshot().tree()).isEqualTo(plain.snapshot().tree());
        assertThat(withPrescan.snapshot().summary().totalFiles()).isEqualTo(6);
        assertThat(statuses).last().satisfies(s -> {
            assertThat(s.filesTotal()).isEqualTo(6);
            assertThat(s.bytesTotal()).isEqualTo(1507);
        });
    }
}
