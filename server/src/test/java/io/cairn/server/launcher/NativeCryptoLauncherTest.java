package io.cairn.server.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built launcher runs the command line with native crypto (docs/adr/0016): the engine's jar carries the
 * provider's classes, the build unpacked its library where bin/cairn points the JVM, and a backup and a restore
 * made that way give back the same bytes; {@code CAIRN_CRYPTO=jdk} turns it off. (The command line is built before
 * this module, as for RecoveryKitTest.)
 */
class NativeCryptoLauncherTest {

    private static final Path LAUNCHER = Path.of("..", "bin", "cairn").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    @Test
    void theCommandLineRunsWithNativeCryptoFromTheBuild() throws Exception {
        assertThat(Path.of("..", "cli", "target", "native", "libamazonCorrettoCryptoProvider.so")).isRegularFile();
        String version = cairn(Map.of(), "--version");
        assertThat(version).contains("crypto: AWS-LC v").contains("Amazon Corretto Crypto Provider")
                .doesNotContain("warning");
    }

    @Test
    void cairnCryptoJdkKeepsTheJdkProviders() throws Exception {
        String version = cairn(Map.of("CAIRN_CRYPTO", "jdk"), "--version");
        assertThat(version).contains("crypto: JDK providers (native crypto turned off by CAIRN_CRYPTO=jdk)");
    }

    @Test
    void aRepositoryWrittenWithNativeCryptoReadsBackWithTheJdksAndTheOtherWayRound() throws Exception {
        Path source = Files.createDirectories(dir.resolve("source"));
        byte[] content = new byte[3_000_000];
        new java.util.Random(16).nextBytes(content);
        Files.write(source.resolve("random.bin"), content);
        Files.writeString(source.resolve("notes.txt"), "native and JDK crypto give the same bytes\n".repeat(1000));
        String repo = dir.resolve("repo").toString();
        Map<String, String> jdk = Map.of("CAIRN_CRYPTO", "jdk", "CAIRN_JAVA_OPTS", "-XX:+UseSerialGC -Xmx512m");

        cairn(Map.of(), "-r", repo, "init");
        cairn(Map.of(), "-r", repo, "backup", source.toString());
        cairn(jdk, "-r", repo, "restore", "latest", "--target", dir.resolve("by-jdk").toString());
        Files.writeString(source.resolve("later.txt"), "written by the JDK's crypto\n");
        cairn(jdk, "-r", repo, "backup", source.toString());
        cairn(Map.of(), "-r", repo, "restore", "latest", "--target", dir.resolve("by-native").toString());
        cairn(Map.of(), "-r", repo, "check", "--read-data");

        for (Path restored : List.of(dir.resolve("by-jdk"), dir.resolve("by-native"))) {
            Path root = find(restored, "random.bin").getParent();
            assertThat(Files.readAllBytes(root.resolve("random.bin"))).isEqualTo(content);
            assertThat(root.resolve("notes.txt")).hasSameTextualContentAs(source.resolve("notes.txt"));
        }
        assertThat(find(dir.resolve("by-native"), "later.txt")).hasContent("written by the JDK's crypto");
    }

    private static Path find(Path root, String name) throws IOException {
        try (var files = Files.walk(root)) {
            return files.filter(p -> p.getFileName().toString().equals(name)).findFirst()
                    .orElseThrow(() -> new AssertionError(name + " not restored under " + root));
        }
    }

    private static String cairn(Map<String, String> env, String... args) throws IOException, InterruptedException {
        assertThat(LAUNCHER).exists();
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("CAIRN_NO_BUILD", "1");
        pb.environment().put("CAIRN_PASSWORD", "native crypto test");
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("exit code of cairn " + String.join(" ", args) + ":\n" + out).isZero();
        return out;
    }
}
