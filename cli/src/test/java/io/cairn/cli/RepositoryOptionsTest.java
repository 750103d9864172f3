package io.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the repository and password come from: options on the subcommand, then before it, then
 * the environment. Runs the CLI in a child JVM, because the environment of this one cannot change.
 */
class RepositoryOptionsTest {

    @TempDir
    Path dir;

    private record Result(int exitCode, String output) {
    }

    private Result cairn(Path envRepository, String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.cairn.cli.Main"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().remove("CAIRN_PASSWORD_FILE");
        pb.environment().put("CAIRN_PASSWORD", "options test password");
        pb.environment().put("CAIRN_REPOSITORY", envRepository.toString());
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out);
    }

    @Test
    void repositoryGivenBeforeOrOnTheCommandWinsOverTheEnvironment() throws Exception {
        Path fromEnv = dir.resolve("env-repo");
        Path missing = dir.resolve("missing");
        assertThat(cairn(fromEnv, "init").exitCode()).isZero();
        assertThat(cairn(fromEnv, "snapshots").exitCode()).isZero();

        Result before = cairn(fromEnv, "-r", missing.toString(), "snapshots");
        assertThat(before.exitCode()).isEqualTo(10);
        assertThat(before.output()).contains(missing.toString());

        Result on = cairn(fromEnv, "snapshots", "--repo", missing.toString());
        assertThat(on.exitCode()).isEqualTo(10);
        assertThat(on.output()).contains(missing.toString());
        assertThat(Files.exists(missing)).isFalse();
    }
}
