package io.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.engine.backend.LocalBackend;
import io.cairn.engine.crypto.KdfParams;
import io.cairn.engine.repository.Repository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cairn backup --cache-dir} and {@code --no-cache}: where the directory cache goes, and that it can be off. */
class BackupCacheOptionsTest {

    @TempDir
    Path temp;

    private Path repo;
    private Path password;
    private Path src;

    @BeforeEach
    void setUp() throws IOException {
        System.setProperty("cairn.insecureTestKdf", "true");
        repo = temp.resolve("repo");
        password = temp.resolve("password");
        Files.writeString(password, "secret\n");
        src = temp.resolve("src").toAbsolutePath();
        Files.createDirectories(src.resolve("a/b"));
        Files.writeString(src.resolve("a/b/notes.txt"), "notes\n");
        Repository.init(new LocalBackend(repo), "secret".toCharArray(),
                Repository.InitOptions.defaults().withKdf(new KdfParams(64, 1, 1)), Clock.systemUTC()).close();
    }

    @Test
    void aBackupKeepsItsDirectoryCacheWhereItIsToldAndNoneWithNoCache() throws IOException {
        Path cache = temp.resolve("cache");
        Path none = temp.resolve("none");

        CliRun first = CliRun.of(repo, password, "backup", "--cache-dir=" + cache, src.toString());
        CliRun second = CliRun.of(repo, password, "backup", "--cache-dir=" + cache, "--json", src.toString());
        CliRun off = CliRun.of(repo, password, "backup", "--cache-dir=" + none, "--no-cache", src.toString());

        assertThat(List.of(first.exitCode(), second.exitCode(), off.exitCode())).containsOnly(0);
        assertThat(files(cache)).hasSize(1);
        assertThat(second.json().get(second.json().size() - 1).get("files_unmodified").asInt()).isOne();
        assertThat(none).doesNotExist();
    }

    @Test
    void aCacheDirectoryThatCannotBeMadeLeavesABackupThatSucceeds() throws IOException {
        Path blocked = temp.resolve("blocked");
        Files.writeString(blocked, "a file, not a directory");

        CliRun run = CliRun.of(repo, password, "backup", "--cache-dir=" + blocked.resolve("cache"), src.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("saved");
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).toList();
        }
    }
}
