package io.cairn.testkit;

import org.junit.jupiter.api.Assertions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A small tmpfs file system mounted for one test, so that "No space left on device" comes from the
 * real kernel instead of a mock. Mounting needs root on Linux; elsewhere the calling test is
 * failed with a message that says why (CI runs as root on Linux, so it must work there).
 */
final class TmpfsMount implements AutoCloseable {

    private final Path mountPoint;

    private TmpfsMount(Path mountPoint) {
        this.mountPoint = mountPoint;
    }

    /**
     * Mounts a tmpfs with {@code options} (for example {@code "size=1m"} or {@code "size=4m,nr_inodes=300"})
     * on the empty directory {@code mountPoint}, or fails the test, saying why, if that is not possible here.
     */
    static TmpfsMount mount(Path mountPoint, String options) throws IOException, InterruptedException {
        Assertions.assertTrue(isLinuxRoot(), "a real full file system needs root on Linux to mount a small tmpfs");
        Files.createDirectories(mountPoint);
        Result mount = run(List.of("mount", "-t", "tmpfs", "-o", options, "tmpfs", mountPoint.toString()));
        Assertions.assertTrue(mount.exitCode() == 0, () -> "cannot mount a tmpfs here: " + mount.output());
        return new TmpfsMount(mountPoint);
    }

    Path path() {
        return mountPoint;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        Result unmount = run(List.of("umount", mountPoint.toString()));
        if (unmount.exitCode() != 0) {
            Result lazy = run(List.of("umount", "-l", mountPoint.toString()));
            if (lazy.exitCode() != 0) {
                throw new IOException("cannot unmount the test tmpfs at " + mountPoint + ": " + unmount.output() + " / " + lazy.output());
            }
        }
    }

    private static boolean isLinuxRoot() {
        if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) {
            return false;
        }
        try {
            return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).intValue() == 0;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }

    private static Result run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return new Result(-1, String.join(" ", command) + " timed out");
        }
        return new Result(process.exitValue(), output);
    }

    private record Result(int exitCode, String output) {
    }
}
