package io.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --kdf-memory/--kdf-iterations} of {@code init} and {@code key add}: a stronger key derivation on request, nothing below the floor. */
class InitKdfOptionsTest {

    @TempDir
    Path temp;

    private Path password;

    @BeforeEach
    void setUp() throws IOException {
        System.clearProperty("cairn.insecureTestKdf"); // the floor is what these tests are about
        password = temp.resolve("password");
        Files.writeString(password, "secret\n");
    }

    @Test
    void initRecordsTheDefaultOrTheParametersAskedForAndTheRepositoryOpens() throws IOException {
        Path plain = temp.resolve("plain");
        Path strong = temp.resolve("strong");
        Path memoryOnly = temp.resolve("memory-only");
        Path lessMemory = temp.resolve("less-memory");

        CliRun byDefault = CliRun.of(plain, password, "init");
        CliRun stronger = CliRun.of(strong, password, "init", "--kdf-memory=64", "--kdf-iterations=3");
        CliRun onlyMemory = CliRun.of(memoryOnly, password, "init", "--kdf-memory=32");
        CliRun smaller = CliRun.of(lessMemory, password, "init", "--kdf-memory=12");

        for (CliRun run : List.of(byDefault, stronger, onlyMemory, smaller)) {
            assertThat(run.exitCode()).as(run.err()).isZero();
        }
        assertKdf(plain, 19, 2);
        assertKdf(strong, 64, 3);
        assertKdf(memoryOnly, 32, 2); // the fewest passes that reach OWASP's minimum at 32 MiB
        assertKdf(lessMemory, 12, 3); // OWASP's 12 MiB x 3
        CliRun snapshots = CliRun.of(strong, password, "snapshots");
        assertThat(snapshots.exitCode()).as(snapshots.err()).isZero();
    }

    @Test
    void parametersBelowOwaspsMinimumAreRefusedAndNoRepositoryIsMade() {
        for (String[] weak : new String[][]{{"--kdf-memory=6"}, {"--kdf-iterations=1"}, {"--kdf-memory=20", "--kdf-iterations=1"},
                {"--kdf-memory=12", "--kdf-iterations=2"}, {"--kdf-memory=4096"}, {"--kdf-iterations=11"}}) {
            Path repo = temp.resolve("weak-" + String.join("", weak).replaceAll("[^a-z0-9]", ""));
            String[] args = new String[weak.length + 1];
            args[0] = "init";
            System.arraycopy(weak, 0, args, 1, weak.length);

            CliRun run = CliRun.of(repo, password, args);

            assertThat(run.exitCode()).as(String.join(" ", weak)).isEqualTo(2);
            assertThat(run.err()).contains("must together reach one of OWASP's Argon2id settings: 46 MiB x 1, 19 MiB x 2");
            assertThat(repo.resolve("config")).doesNotExist();
        }
    }

    @Test
    void keyAddWritesAKeyWithTheParametersAskedForAndRefusesWeakOnes() throws IOException {
        Path repo = temp.resolve("repo");
        Path second = temp.resolve("second-password");
        Files.writeString(second, "another secret\n");
        assertThat(CliRun.of(repo, password, "init").exitCode()).isZero();

        String repoOption = "--repo=" + repo;
        String passwordOption = "--password-file=" + password;
        CliRun weak = CliRun.exactly("key", "add", repoOption, passwordOption, "--new-password-file=" + second,
                "--kdf-memory=12", "--kdf-iterations=2");
        CliRun added = CliRun.exactly("key", "add", repoOption, passwordOption, "--new-password-file=" + second,
                "--kdf-memory=32", "--kdf-iterations=2");

        assertThat(weak.exitCode()).isNotZero();
        assertThat(weak.err()).contains("OWASP");
        assertThat(added.exitCode()).as(added.err()).isZero();
        try (Stream<Path> keys = Files.list(repo.resolve("keys"))) {
            assertThat(keys.map(InitKdfOptionsTest::read).map(k -> k.get("memoryKiB").asInt()))
                    .containsExactlyInAnyOrder(19 * 1024, 32 * 1024);
        }
        CliRun withSecond = CliRun.of(repo, second, "snapshots");
        assertThat(withSecond.exitCode()).as(withSecond.err()).isZero();
    }

    private static JsonNode read(Path keyFile) {
        try {
            return new ObjectMapper().readTree(keyFile.toFile());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void assertKdf(Path repo, int memoryMiB, int passes) throws IOException {
        JsonNode key = keyFile(repo);
        assertThat(key.get("memoryKiB").asInt()).as("memory of %s", repo).isEqualTo(memoryMiB * 1024);
        assertThat(key.get("iterations").asInt()).as("passes of %s", repo).isEqualTo(passes);
    }

    private static JsonNode keyFile(Path repo) throws IOException {
        try (Stream<Path> keys = Files.list(repo.resolve("keys"))) {
            return read(keys.findFirst().orElseThrow());
        }
    }
}
