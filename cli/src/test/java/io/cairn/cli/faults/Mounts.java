package io.cairn.cli.faults;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;

/**
 * Real file-system conditions for fault tests: a small full-able tmpfs, and a file that cannot be
 * read. Each is undone by {@link #close}. Where a condition cannot be made here, the calling test is
 * failed with a message that says why (CI runs as root on Linux, so it must work there).
 */
final class Mounts implements AutoCloseable {

    private final Path mountPoint;
    private final Runnable undo;

    private Mounts(Path mountPoint, Runnable undo) {
        this.mountPoint = mountPoint;
        this.undo = undo;
    }

    Path path() {
        return mountPoint;
    }

    /** Mounts a tmpfs of {@code size} (e.g. "8m") on the empty directory {@code mountPoint}, or fails the test saying why. */
    static Mounts tmpfs(Path mountPoint, String size) throws IOException {
        Assertions.assertTrue(Fixtures.runningAsRoot(), "mounting a small tmpfs needs root");
        Files.createDirectories(mountPoint);
        Result mount = run("mount", "-t", "tmpfs", "-o", "size=" + size + ",mode=0755", "tmpfs", mountPoint.toString());
        Assertions.assertTrue(mount.exitCode() == 0, () -> "cannot mount a tmpfs here: " + mount.output());
        return new Mounts(mountPoint, () -> unmount(mountPoint));
    }

    /**
     * Makes the existing regular file {@code file} unreadable for this process while it still looks
     * like a regular file, or fails the test saying why.
     *
     * <p>As a normal user, mode 000 does it. Root reads any file whatever its mode, so as root a
     * write-only sysfs attribute (such as {@code /sys/bus/pci/uevent}, mode 0200, stat size 4096) is
     * bind-mounted over the file: the kernel refuses to open it for reading even for root
     * ({@code EACCES}), just as an unreadable file on an NFS share with root squashing would.
     */
    static Mounts unreadable(Path file) throws IOException {
        if (!Fixtures.runningAsRoot()) {
            Set<PosixFilePermission> before = Files.getPosixFilePermissions(file);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
            Assertions.assertFalse(Files.isReadable(file), "mode 000 does not make " + file + " unreadable here");
            return new Mounts(file, () -> {
                try {
                    Files.setPosixFilePermissions(file, before);
                } catch (IOException e) {
                    throw new IllegalStateException("cannot restore the permissions of " + file, e);
                }
            });
        }
        Optional<Path> attribute = writeOnlySysfsAttribute();
        Assertions.assertTrue(attribute.isPresent(), "no write-only sysfs attribute to make an unreadable file as root");
        Result mount = run("mount", "--bind", attribute.get().toString(), file.toString());
        Assertions.assertTrue(mount.exitCode() == 0, () -> "cannot bind-mount over " + file + ": " + mount.output());
        Mounts m = new Mounts(file, () -> unmount(file));
        try (var in = Files.newInputStream(file)) {
            m.close();
            Assertions.fail(file + " is still readable after bind-mounting " + attribute.get());
        } catch (IOException expected) {
            // unreadable, as wanted
        }
        return m;
    }

    /** A sysfs attribute nobody may read: {@code /sys/bus/<bus>/uevent} is write-only on every Linux. */
    private static Optional<Path> writeOnlySysfsAttribute() throws IOException {
        Path buses = Path.of("/sys/bus");
        if (!Files.isDirectory(buses)) {
            return Optional.empty();
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(buses)) {
            for (Path bus : ds) {
                Path uevent = bus.resolve("uevent");
                if (Files.isRegularFile(uevent, LinkOption.NOFOLLOW_LINKS)) {
                    Set<PosixFilePermission> p = Files.getPosixFilePermissions(uevent);
                    if (!p.contains(PosixFilePermission.OWNER_READ) && !p.contains(PosixFilePermission.GROUP_READ)
                            && !p.contains(PosixFilePermission.OTHERS_READ)) {
                        return Optional.of(uevent);
                    }
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public void close() {
        undo.run();
    }

    private static void unmount(Path path) {
        Result r = run("umount", path.toString());
        if (r.exitCode() != 0) {
            Result lazy = run("umount", "-l", path.toString());
            if (lazy.exitCode() != 0) {
                throw new IllegalStateException("cannot unmount " + path + ": " + r.output() + " / " + lazy.output());
            }
        }
    }

    private record Result(int exitCode, String output) {
    }

    private static Result run(String... command) {
        try {
            Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, String.join(" ", command) + " timed out");
            }
            return new Result(p.exitValue(), out);
        } catch (IOException e) {
            return new Result(-1, String.join(" ", command) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }
}
