package io.cairn.cli.faults;

import static io.cairn.cli.faults.Fixtures.manifest;
import static io.cairn.cli.faults.Fixtures.restored;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.engine.repository.RepositoryException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opening the wrong thing: a wrong or missing password gives exit code 12, a missing, empty or
 * foreign repository (a real restic repository, a directory of random files) exit code 10, a
 * damaged config exit code 4. None of them writes anything, and the real repository's snapshot
 * stays restorable afterwards.
 */
class RepositoryAccessFaultsTest {

    @TempDir
    static Path dir;

    private static Path repo;
    private static Path source;
    private static Path goodPassword;
    private static Path wrongPassword;

    @BeforeAll
    static void createRepositoryWithOneSnapshot() throws IOException {
        repo = dir.resolve("repo");
        Fixtures.initRepository(repo, 256 * 1024);
        goodPassword = Fixtures.passwordFile(dir, "good-password", Fixtures.PASSWORD);
        wrongPassword = Fixtures.passwordFile(dir, "wrong-password", "Correct horse battery");
        source = dir.resolve("source");
        Fixtures.writeRandomFiles(source, 1, 3, 50_000);
        Cli.Result backup = Cli.run("backup", "--repo", repo.toString(), "--password-file", goodPassword.toString(),
                source.toString());
        assertThat(backup.exitCode()).as(backup.toString()).isZero();
    }

    /** After every fault the real repository still opens with the right password and restores exactly. */
    @AfterEach
    void theRepositoryStillRestores() throws IOException {
        Path target = Files.createTempDirectory(dir, "restore-");
        Cli.Result r = Cli.run("restore", "latest", "--repo", repo.toString(), "--password-file", goodPassword.toString(),
                "--target", target.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(manifest(restored(target, source))).isEqualTo(manifest(source));
    }

    @Test
    void aWrongPasswordGivesExitCode12() {
        for (String command : new String[] {"snapshots", "backup", "restore"}) {
            Cli.Result r = switch (command) {
                case "backup" -> Cli.run("backup", "--repo", repo.toString(), "--password-file", wrongPassword.toString(),
                        source.toString());
                case "restore" -> Cli.run("restore", "latest", "--repo", repo.toString(), "--password-file",
                        wrongPassword.toString(), "--target", dir.resolve("never").toString());
                default -> Cli.run("snapshots", "--repo", repo.toString(), "--password-file", wrongPassword.toString());
            };
            assertThat(r.exitCode()).as(command + ": " + r).isEqualTo(RepositoryException.EXIT_WRONG_PASSWORD);
            assertThat(r.err()).contains("wrong password", repo.toString(), "--password-file");
        }
        assertThat(dir.resolve("never")).doesNotExist();
    }

    @Test
    void aWrongPasswordIsReportedAsJsonWithJson() {
        Cli.Result r = Cli.run("snapshots", "--json", "--repo", repo.toString(), "--password-file", wrongPassword.toString());

        assertThat(r.exitCode()).isEqualTo(RepositoryException.EXIT_WRONG_PASSWORD);
        assertThat(r.err().strip()).startsWith("{").contains("\"message_type\":\"error\"", "\"exit_code\":12",
                "wrong password");
    }

    @Test
    void noPasswordAtAllGivesExitCode12() {
        assertTrue(System.console() == null, "a terminal would be asked for the password");
        assertTrue(System.getenv("CAIRN_PASSWORD") == null && System.getenv("CAIRN_PASSWORD_FILE") == null,
                "CAIRN_PASSWORD or CAIRN_PASSWORD_FILE is set in this environment");

        Cli.Result r = Cli.run("snapshots", "--repo", repo.toString());

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(RepositoryException.EXIT_WRONG_PASSWORD);
        assertThat(r.err()).contains("no password", "CAIRN_PASSWORD", "--password-file");
    }

    @Test
    void aMissingRepositoryDirectoryGivesExitCode10AndIsNotCreated() {
        Path missing = dir.resolve("no-such-repo");
        for (String command : new String[] {"snapshots", "backup"}) {
            Cli.Result r = command.equals("backup")
                    ? Cli.run("backup", "--repo", missing.toString(), "--password-file", goodPassword.toString(),
                            source.toString())
                    : Cli.run("snapshots", "--repo", missing.toString(), "--password-file", goodPassword.toString());
            assertThat(r.exitCode()).as(command + ": " + r).isEqualTo(RepositoryException.EXIT_NO_REPOSITORY);
            assertThat(r.err()).contains("no Cairn repository at " + missing, "cairn init");
        }
        assertThat(missing).doesNotExist();
    }

    @Test
    void noRepositoryGivenGivesExitCode10() {
        assertTrue(System.getenv("CAIRN_REPOSITORY") == null, "CAIRN_REPOSITORY is set in this environment");

        Cli.Result r = Cli.run("snapshots", "--password-file", goodPassword.toString());

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(RepositoryException.EXIT_NO_REPOSITORY);
        assertThat(r.err()).contains("no repository given", "--repo", "CAIRN_REPOSITORY");
    }

    @Test
    void anEmptyDirectoryOrOneOfRandomFilesGivesExitCode10AndStaysUntouched() throws IOException {
        Path empty = Files.createDirectory(dir.resolve("empty"));
        Path random = dir.resolve("random");
        Fixtures.writeRandomFiles(random, 7, 4, 1000);
        Files.createDirectories(random.resolve("keys"));
        Files.write(random.resolve("keys/notes.txt"), Fixtures.randomBytes(8, 100));
        for (Path location : new Path[] {empty, random}) {
            TreeMap<String, String> before = manifest(location);

            Cli.Result r = Cli.run("backup", "--repo", location.toString(), "--password-file", goodPassword.toString(),
                    source.toString());

            assertThat(r.exitCode()).as(location + ": " + r).isEqualTo(RepositoryException.EXIT_NO_REPOSITORY);
            assertThat(r.err()).contains("no Cairn repository at " + location);
            assertThat(manifest(location)).isEqualTo(before);
        }
    }

    @Test
    void aDirectoryWithAForeignConfigAndKeysGivesExitCode10NotACairnRepository() throws IOException {
        Path foreign = dir.resolve("foreign");
        Files.createDirectories(foreign.resolve("keys"));
        Files.write(foreign.resolve("config"), Fixtures.randomBytes(9, 155));
        Files.writeString(foreign.resolve("keys").resolve("ab".repeat(32)),
                "{\"created\":\"2024-01-01T00:00:00Z\",\"kdf\":\"scrypt\",\"N\":32768,\"r\":8,\"p\":1,"
                        + "\"salt\":\"c2FsdA==\",\"data\":\"ZGF0YQ==\"}");
        TreeMap<String, String> before = manifest(foreign);

        Cli.Result r = Cli.run("snapshots", "--repo", foreign.toString(), "--password-file", goodPassword.toString());

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(RepositoryException.EXIT_NO_REPOSITORY);
        assertThat(r.err()).contains("is not a Cairn repository");
        assertThat(manifest(foreign)).isEqualTo(before);
    }

    @Test
    void aResticRepositoryGivesExitCode10AndIsLeftIntact() throws IOException {
        Path restic = Fixtures.onPath("restic").orElse(null);
        assertTrue(restic != null, "restic is not installed (apt-get install restic)");
        Path resticRepo = dir.resolve("restic-repo");
        Map<String, String> env = Map.of("RESTIC_PASSWORD", "restic password", "RESTIC_CACHE_DIR",
                dir.resolve("restic-cache").toString());
        Fixtures.exec(env, restic.toString(), "init", "--repo", resticRepo.toString());
        Fixtures.exec(env, restic.toString(), "backup", "--repo", resticRepo.toString(), source.toString());
        TreeMap<String, String> before = manifest(resticRepo);

        Cli.Result snapshots = Cli.run("snapshots", "--repo", resticRepo.toString(), "--password-file",
                goodPassword.toString());
        Cli.Result backup = Cli.run("backup", "--repo", resticRepo.toString(), "--password-file",
                goodPassword.toString(), source.toString());
        Cli.Result init = Cli.run("init", "--repo", resticRepo.toString(), "--password-file", goodPassword.toString());

        assertThat(snapshots.exitCode()).as(snapshots.toString()).isEqualTo(RepositoryException.EXIT_NO_REPOSITORY);
        assertThat(snapshots.err()).contains(resticRepo + " is not a Cairn repository", "another tool");
        assertThat(backup.exitCode()).as(backup.toString()).isEqualTo(RepositoryException.EXIT_NO_REPOSITORY);
        assertThat(init.exitCode()).as(init.toString()).isEqualTo(RepositoryException.EXIT_FAILURE);
        assertThat(init.err()).contains("already exists");
        assertThat(manifest(resticRepo)).as("the restic repository after cairn touched it").isEqualTo(before);
        assertThat(Fixtures.exec(env, restic.toString(), "snapshots", "--repo", resticRepo.toString()))
                .contains("1 snapshots");
    }

    @Test
    void aRepositoryPathThatIsAFileGivesExitCode10() throws IOException {
        Path file = dir.resolve("a-file");
        Files.write(file, Fixtures.randomBytes(3, 100));

        Cli.Result r = Cli.run("snapshots", "--repo", file.toString(), "--password-file", goodPassword.toString());

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(RepositoryException.EXIT_NO_REPOSITORY);
        assertThat(r.err()).contains(file.toString());
    }

    @Test
    void aDamagedConfigGivesExitCode4() throws IOException {
        Path copy = dir.resolve("damaged-config-repo");
        Fixtures.initRepository(copy, 256 * 1024);
        try (RandomAccessFile f = new RandomAccessFile(copy.resolve("config").toFile(), "rw")) {
            f.seek(40);
            int b = f.read();
            f.seek(40);
            f.write(b ^ 0x10);
        }

        Cli.Result r = Cli.run("snapshots", "--repo", copy.toString(), "--password-file", goodPassword.toString());

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(RepositoryException.EXIT_DAMAGED);
        assertThat(r.err()).contains("config", "damaged");
    }
}
