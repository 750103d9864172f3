package io.cairn.cli.faults;

import io.cairn.engine.backend.LocalBackend;
import io.cairn.engine.crypto.KdfParams;
import io.cairn.engine.repository.Repository;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Set-up shared by the CLI fault tests: fast repositories, password files, data, manifests. */
final class Fixtures {

    static final String PASSWORD = "correct horse battery";

    private Fixtures() {
    }

    /**
     * Creates a repository with a test-only key derivation, 4–64 KiB chunks and packs of
     * {@code packSize} bytes.
     */
    static void initRepository(Path dir, int packSize) throws IOException {
        System.setProperty("cairn.insecureTestKdf", "true");
        Repository.init(new LocalBackend(dir), PASSWORD.toCharArray(), Repository.InitOptions.defaults()
                .withKdf(new KdfParams(64, 1, 1)).withChunker(4 * 1024, 16 * 1024, 64 * 1024).withPackSize(packSize),
                Clock.systemUTC()).close();
    }

    static Repository open(Path dir) throws IOException {
        return Repository.open(new LocalBackend(dir), PASSWORD.toCharArray(), Clock.systemUTC());
    }

    /** A file holding {@code password} on its first line. */
    static Path passwordFile(Path dir, String name, String password) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, password + "\n", StandardCharsets.UTF_8);
        return file;
    }

    static byte[] randomBytes(long seed, int length) {
        byte[] data = new byte[length];
        new SplittableRandom(seed).nextBytes(data);
        return data;
    }

    /** Writes {@code files} incompressible files of {@code size} bytes each, named by number, into {@code dir}. */
    static void writeRandomFiles(Path dir, long seed, int files, int size) throws IOException {
        Files.createDirectories(dir);
        for (int i = 0; i < files; i++) {
            Files.write(dir.resolve(String.format("file-%03d.bin", i)), randomBytes(seed * 1000 + i, size));
        }
    }

    /** Where a backed-up absolute path ends up below a restore target (snapshots keep full paths). */
    static Path restored(Path target, Path original) {
        Path abs = original.toAbsolutePath().normalize();
        return target.resolve(abs.getRoot().relativize(abs).toString());
    }

    /**
     * What a directory holds: relative path → "dir", "link → target", "file size sha256" or
     * "special" (never opened, so a FIFO cannot block). Equal
     * manifests mean equal trees of names, kinds and bytes.
     */
    static TreeMap<String, String> manifest(Path root) throws IOException {
        TreeMap<String, String> out = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.toList()) {
                if (p.equals(root)) {
                    continue;
                }
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                String what;
                if (a.isSymbolicLink()) {
                    what = "link -> " + Files.readSymbolicLink(p);
                } else if (a.isDirectory()) {
                    what = "dir";
                } else if (a.isRegularFile()) {
                    what = "file " + a.size() + " " + sha256(p);
                } else {
                    what = "special"; // fifo, socket, device: never opened
                }
                out.put(root.relativize(p).toString(), what);
            }
        }
        return out;
    }

    static String sha256(Path file) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            try (var in = Files.newInputStream(file)) {
                byte[] buf = new byte[1 << 16];
                int n;
                while ((n = in.read(buf)) > 0) {
                    md.update(buf, 0, n);
                }
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An executable named {@code name} on the PATH. */
    static Optional<Path> onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String d : path.split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(d, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    static boolean runningAsRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Runs a program to completion and returns its combined output; fails if it exits non-zero. */
    static String exec(java.util.Map<String, String> env, String... command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            int code = p.waitFor();
            if (code != 0) {
                throw new IOException(String.join(" ", command) + " exited with " + code + ": " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        return output;
    }
}
