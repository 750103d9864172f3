package io.cairn.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.Stream;

/**
 * The training run behind {@code bin/cairn}'s class-data archive (AppCDS): one JVM that runs the everyday
 * commands once on a scratch repository in a temporary folder, so that the classes they load can be
 * archived at its exit ({@code -XX:ArchiveClassesAtExit}) and mapped by later starts instead of being
 * parsed and verified again. Prints nothing; exits non-zero when a command failed (the launcher then
 * goes on without an archive).
 */
public final class ClassDataTraining {

    private ClassDataTraining() {
    }

    public static void main(String[] args) throws IOException {
        CairnCommand.installNativeCrypto(); // as a real start does, so that the provider's classes are archived too
        Path dir = Files.createTempDirectory("cairn-cli-training");
        PrintStream out = System.out;
        PrintStream err = System.err;
        int failures = 0;
        try {
            Path repo = dir.resolve("repo");
            Path source = dir.resolve("source");
            Path password = dir.resolve("password");
            Files.writeString(password, "training only\n", StandardCharsets.UTF_8);
            Files.createDirectories(source.resolve("sub"));
            for (int i = 0; i < 50; i++) {
                Files.writeString(source.resolve("sub").resolve("file-" + i + ".txt"), "line " + i + "\n".repeat(i));
            }
            byte[] random = new byte[3 << 20];
            new Random(1).nextBytes(random);
            Files.write(source.resolve("large.bin"), random);
            PrintStream silent = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
            System.setOut(silent);
            System.setErr(silent);
            String r = "--repo=" + repo;
            String p = "--password-file=" + password;
            String c = "--cache-dir=" + dir.resolve("cache"); // not the user's cache: this repository goes away
            String[][] commands = {
                    {"init", r, p},
                    {"backup", r, p, c, source.toString()},
                    {"backup", r, p, c, source.toString()},
                    {"backup", r, p, c, "--json", source.toString()},
                    {"snapshots", r, p},
                    {"snapshots", r, p, "--json"},
                    {"ls", r, p, "latest"},
                    {"stats", r, p},
                    {"restore", r, p, "latest", "--target", dir.resolve("restored").toString()},
                    {"check", r, p},
                    {"forget", r, p, "--keep-last", "1", "--prune"},
            };
            for (String[] command : commands) {
                if (CairnCommand.run(command) != 0) {
                    failures++;
                }
            }
        } finally {
            System.setOut(out);
            System.setErr(err);
            deleteTree(dir);
        }
        if (failures > 0) {
            System.err.println("class-data training: " + failures + " commands failed");
            System.exit(1);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(f -> {
                try {
                    Files.deleteIfExists(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
