package io.cairn.cli.faults;

import io.cairn.engine.backend.LocalBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real {@code cairn} process (a new JVM on this test's class path running {@code io.cairn.cli.Main})
 * that a test can SIGKILL at a chosen moment. Its output goes to log files next to the test data.
 */
final class CairnProcess {

    private final Process process;
    private final Path out;
    private final Path err;
    private final String name;

    private CairnProcess(Process process, Path out, Path err, String name) {
        this.process = process;
        this.out = out;
        this.err = err;
        this.name = name;
    }

    /** Starts {@code cairn args...}, logging to {@code logs/name.out} and {@code logs/name.err}. */
    static CairnProcess start(Path logs, String name, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                "io.cairn.cli.Main"));
        command.addAll(List.of(args));
        Files.createDirectories(logs);
        Path out = logs.resolve(name + ".out");
        Path err = logs.resolve(name + ".err");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        return new CairnProcess(p, out, err, name);
    }

    /**
     * Waits until the process has written a lock into {@code repo} (its operation has begun, past
     * JVM start and key derivation) or has exited. Returns that moment ({@link System#nanoTime}).
     */
    long awaitLockOrExit(Path repo) throws IOException, InterruptedException {
        Path locks = repo.resolve("locks");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try (Stream<Path> s = Files.list(locks)) {
                if (s.anyMatch(p -> !p.getFileName().toString().startsWith(LocalBackend.TEMP_FILE_PREFIX))) {
                    return System.nanoTime();
                }
            }
            if (!process.isAlive()) {
                return System.nanoTime();
            }
            Thread.sleep(2);
        }
        process.destroyForcibly();
        throw new AssertionError(name + " took no lock within 60 s; " + log());
    }

    /**
     * Sleeps until {@code killAt} (nanoTime) unless the process exits first, then sends SIGKILL and
     * reaps it. Returns the exit status if it had exited by itself, or -1 if it was killed.
     */
    int killAt(long killAt) throws InterruptedException {
        while (System.nanoTime() < killAt) {
            if (process.waitFor(Math.max(1, (killAt - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS)) {
                return process.exitValue();
            }
        }
        if (!process.isAlive()) {
            return process.exitValue();
        }
        process.destroyForcibly(); // SIGKILL on Unix
        if (!process.waitFor(1, TimeUnit.MINUTES)) {
            throw new AssertionError(name + " did not die from SIGKILL");
        }
        return -1;
    }

    /**
     * Polls {@code condition} until it holds (then sends SIGKILL at once and reaps the process) or
     * the process exits by itself. Returns the exit status if it exited, or -1 if it was killed.
     */
    int killWhen(java.util.concurrent.Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (System.nanoTime() < deadline) {
            if (condition.call()) {
                return killAt(0);
            }
            if (process.waitFor(1, TimeUnit.MILLISECONDS)) {
                return process.exitValue();
            }
        }
        process.destroyForcibly();
        throw new AssertionError(name + " neither met the kill condition nor exited within 2 minutes");
    }

    /** Waits for a normal end; returns the exit status. */
    int await() throws InterruptedException {
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError(name + " did not finish within 2 minutes");
        }
        return process.exitValue();
    }

    String log() {
        try {
            return name + " printed:\n" + Files.readString(out) + "\nand on stderr:\n" + Files.readString(err);
        } catch (IOException e) {
            return name + ": logs unreadable: " + e.getMessage();
        }
    }
}
