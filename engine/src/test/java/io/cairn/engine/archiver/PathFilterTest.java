package io.cairn.engine.archiver;

import static io.cairn.engine.archiver.BackupFixture.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.engine.repository.Repository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Include and exclude globs: by name anywhere, by absolute path, by path suffix; and in a real backup. */
class PathFilterTest {

    @TempDir
    Path dir;

    @Test
    void aPatternWithoutSlashMatchesTheNameAnywhere() {
        PathFilter f = new PathFilter(List.of("*.log", "node_modules"), List.of());
        assertThat(f.excluded(Path.of("/srv/app/x.log"))).isTrue();
        assertThat(f.excluded(Path.of("/x.log"))).isTrue();
        assertThat(f.excluded(Path.of("/srv/a/node_modules"))).isTrue();
        assertThat(f.excluded(Path.of("/srv/a/node_modules/lib.js"))).as("only the directory itself matches").isFalse();
        assertThat(f.excluded(Path.of("/srv/app/x.log.gz"))).isFalse();
        assertThat(f.excluded(Path.of("/"))).isFalse();
    }

    @Test
    void aPatternStartingWithSlashMatchesTheAbsolutePath() {
        PathFilter f = new PathFilter(List.of("/home/*/.cache"), List.of());
        assertThat(f.excluded(Path.of("/home/ann/.cache"))).isTrue();
        assertThat(f.excluded(Path.of("/srv/home/ann/.cache"))).isFalse();
        assertThat(f.excluded(Path.of("/home/ann/x/.cache"))).isFalse();
    }

    @Test
    void aRelativePatternWithSlashMatchesTheEndOfThePath() {
        PathFilter f = new PathFilter(List.of("build/tmp"), List.of());
        assertThat(f.excluded(Path.of("/srv/app/build/tmp"))).isTrue();
        assertThat(f.excluded(Path.of("/srv/app/sub/build/tmp"))).isTrue();
        assertThat(f.excluded(Path.of("/srv/app/build/tmp2"))).isFalse();
        assertThat(f.excluded(Path.of("/srv/app/build"))).isFalse();
    }

    @Test
    void includesRestrictFilesAndNoIncludesIncludeAll() {
        assertThat(PathFilter.none().included(Path.of("/any"))).isTrue();
        PathFilter f = new PathFilter(List.of(), List.of("*.txt", "/etc/**"));
        assertThat(f.included(Path.of("/srv/a.txt"))).isTrue();
        assertThat(f.included(Path.of("/etc/ssh/sshd_config"))).isTrue();
        assertThat(f.included(Path.of("/srv/a.bin"))).isFalse();
    }

    @Test
    void emptyAndMalformedPatternsAreRejected() {
        assertThatThrownBy(() -> new PathFilter(List.of(" "), List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> new PathFilter(List.of("/a/[b"), List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("/a/[b");
    }

    @Test
    void aBackupLeavesOutExcludedEntriesAndKeepsOnlyIncludedFiles() throws IOException {
        Path src = dir.resolve("src");
        for (String f : List.of("keep.txt", "app.log", "sub/deeper.log", "sub/keep.bin", "cache/big.bin", "sub/cache/kept.bin",
                "build/tmp/x.o", "sub/build/tmp/y.o", "build/out/z.txt")) {
            write(src, f, f.getBytes());
        }
        Repository repo = BackupFixture.newRepository(dir.resolve("repo"));

        BackupResult excluded = BackupFixture.backup(repo, BackupFixture.options()
                .withExcludes(List.of("*.log", src + "/cache", "build/tmp")), src);
        Path t1 = dir.resolve("r1");
        BackupFixture.restore(repo, excluded.snapshotId(), t1);
        assertThat(BackupFixture.describe(BackupFixture.restoredPath(t1, src), false).keySet()).containsExactly(
                "build", "build/out", "build/out/z.txt", "keep.txt", "sub", "sub/build", "sub/cache", "sub/cache/kept.bin",
                "sub/keep.bin");
        assertThat(excluded.snapshot().summary().totalFiles()).isEqualTo(4);

        BackupResult included = BackupFixture.backup(repo, BackupFixture.options().withIncludes(List.of("*.txt")), src);
        Path t2 = dir.resolve("r2");
        BackupFixture.restore(repo, included.snapshotId(), t2);
        List<String> files = BackupFixture.describe(BackupFixture.restoredPath(t2, src), false).entrySet().stream()
                .filter(e -> e.getValue().type().equals("file")).map(java.util.Map.Entry::getKey).toList();
        assertThat(files).containsExactly("build/out/z.txt", "keep.txt");
        assertThat(Files.isDirectory(BackupFixture.restoredPath(t2, src).resolve("sub/build/tmp"))).isTrue();
    }
}
