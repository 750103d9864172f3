package io.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.engine.archiver.Archiver;
import io.cairn.engine.archiver.BackupOptions;
import io.cairn.engine.backend.LocalBackend;
import io.cairn.engine.crypto.KdfParams;
import io.cairn.engine.progress.ProgressListener;
import io.cairn.engine.repository.Repository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cairn restore --target} with {@code --overwrite}, run through {@link CairnCommand#run}. */
class RestoreCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final FileTime SNAPSHOT_TIME = FileTime.from(Instant.parse("2021-06-01T12:00:00Z"));

    @TempDir
    static Path temp;
    static Path repoDir;
    static Path passwordFile;
    static Path src;
    static String snapshot;

    @BeforeAll
    static void setUp() throws IOException {
        System.setProperty("cairn.insecureTestKdf", "true");
        repoDir = temp.resolve("repo");
        passwordFile = temp.resolve("password");
        Files.writeString(passwordFile, "secret\n");
        src = temp.resolve("src").toAbsolutePath().normalize();
        Files.createDirectories(src);
        for (String name : List.of("a.txt", "b.txt", "c.txt")) {
            Files.writeString(src.resolve(name), "snapshot " + name + "\n");
            Files.setLastModifiedTime(src.resolve(name), SNAPSHOT_TIME);
        }
        try (Repository r = Repository.init(new LocalBackend(repoDir), "secret".toCharArray(),
                Repository.InitOptions.defaults().withKdf(new KdfParams(64, 1, 1)), Clock.systemUTC())) {
            snapshot = new Archiver(r, BackupOptions.defaults().withProgressInterval(Duration.ZERO), ProgressListener.NONE)
                    .backup(List.of(src)).snapshotId();
        }
    }

    /**
     * A target holding a.txt changed after the snapshot (newer), b.txt from before it (older), and no
     * c.txt.
     */
    private static Path target(String name) throws IOException {
        Path target = temp.resolve(name);
        Path restored = restored(target);
        Files.createDirectories(restored);
        Files.writeString(restored.resolve("a.txt"), "edited a.txt\n");
        Files.setLastModifiedTime(restored.resolve("a.txt"), FileTime.from(Instant.parse("2024-01-01T00:00:00Z")));
        Files.writeString(restored.resolve("b.txt"), "old b.txt\n");
        Files.setLastModifiedTime(restored.resolve("b.txt"), FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));
        return target;
    }

    private static Path restored(Path target) {
        return target.resolve(src.toString().substring(1));
    }

    @Test
    void overwriteNeverKeepsExistingFilesAndTheJsonSummaryCountsThem() throws IOException {
        Path target = target("never");

        CliRun run = cairn("restore", snapshot, "--target", target.toString(), "--overwrite", "never", "--json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode summary = run.json().get(run.json().size() - 1);
        assertThat(summary.get("message_type").asText()).isEqualTo("summary");
        assertThat(summary.get("overwrite").asText()).isEqualTo("never");
        assertThat(summary.get("skipped").asLong()).isEqualTo(2);
        assertThat(summary.get("files").asLong()).isEqualTo(1);
        assertThat(Files.readString(restored(target).resolve("a.txt"))).isEqualTo("edited a.txt\n");
        assertThat(Files.readString(restored(target).resolve("b.txt"))).isEqualTo("old b.txt\n");
        assertThat(Files.readString(restored(target).resolve("c.txt"))).isEqualTo("snapshot c.txt\n");
    }

    @Test
    void overwriteIfNewerReplacesOnlyOlderFilesAndTheTextSummarySaysWhatWasSkipped() throws IOException {
        Path target = target("if-newer");

        CliRun run = cairn("restore", snapshot, "--target", target.toString(), "--overwrite", "if-newer");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains(": 2 files, ").endsWith(", 1 skipped (already there, --overwrite if-newer)\n");
        assertThat(Files.readString(restored(target).resolve("a.txt"))).isEqualTo("edited a.txt\n");
        assertThat(Files.readString(restored(target).resolve("b.txt"))).isEqualTo("snapshot b.txt\n");
    }

    @Test
    void theDefaultReplacesEverythingAsBefore() throws IOException {
        Path target = target("always");

        CliRun run = cairn("restore", snapshot, "--target", target.toString(), "--json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode summary = run.json().get(run.json().size() - 1);
        assertThat(summary.get("overwrite").asText()).isEqualTo("always");
        assertThat(summary.get("skipped").asLong()).isZero();
        assertThat(Files.readString(restored(target).resolve("a.txt"))).isEqualTo("snapshot a.txt\n");
    }

    @Test
    void anUnknownPolicyIsAUsageError() {
        CliRun run = cairn("restore", snapshot, "--target", temp.resolve("x").toString(), "--overwrite", "sometimes");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("error: unknown overwrite policy 'sometimes': use one of always, if-newer, never\n");
    }

    private static CliRun cairn(String... args) {
        return CliRun.of(repoDir, passwordFile, args);
    }
}
