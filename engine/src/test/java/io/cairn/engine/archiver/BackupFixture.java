package io.cairn.engine.archiver;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.engine.backend.LocalBackend;
import io.cairn.engine.crypto.KdfParams;
import io.cairn.engine.progress.ProgressListener;
import io.cairn.engine.repository.Repository;
import io.cairn.engine.restorer.RestoreOptions;
import io.cairn.engine.restorer.RestoreResult;
import io.cairn.engine.restorer.Restorer;
import io.cairn.engine.snapshot.SnapshotRef;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Shared by the backup and restore tests: a small real repository on a local backend (tiny Argon2,
 * 1/4/16 KiB chunks, 128 KiB packs), file helpers, and a description of a directory tree (type,
 * mode, size, SHA-256, link target, mtime) for comparing what was backed up with what came back.
 */
public final class BackupFixture {

    public static final char[] PASSWORD = "fixture password".toCharArray();
    public static final int CHUNK_MIN = 1024;
    public static final int CHUNK_AVG = 4096;
    public static final int CHUNK_MAX = 16384;

    private BackupFixture() {
    }

    /** A new repository in {@code dir} with small parameters. */
    public static Repository newRepository(Path dir) throws IOException {
        return newRepository(new LocalBackend(dir));
    }

    /** A new repository in {@code backend} (not yet created) with small parameters. */
    public static Repository newRepository(io.cairn.engine.backend.Backend backend) throws IOException {
        System.setProperty("cairn.insecureTestKdf", "true");
        return Repository.init(backend, PASSWORD, Repository.InitOptions.defaults()
                .withKdf(new KdfParams(64, 1, 1)).withChunker(CHUNK_MIN, CHUNK_AVG, CHUNK_MAX).withPackSize(128 * 1024),
                Clock.systemUTC());
    }

    /**
     * Backup options for tests: two workers, no lock wait, no status ticks, and a directory cache (shared by the
     * tests of this JVM: each repository has its own id, so their caches never meet), so that every incremental
     * test also proves the cache right.
     */
    public static BackupOptions options() {
        return new BackupOptions(null, false, null, List.of(), List.of(), List.of(), null, 2, Duration.ZERO,
                Duration.ZERO, CACHE);
    }

    private static final Path CACHE = newCacheDirectory();

    private static Path newCacheDirectory() {
        try {
            Path dir = Files.createTempDirectory("cairn-test-cache");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public static BackupResult backup(Repository repo, BackupOptions options, Path... paths) throws IOException {
        return new Archiver(repo, options, ProgressListener.NONE).backup(List.of(paths));
    }

    /** Restores a whole snapshot into {@code target}. */
    public static RestoreResult restore(Repository repo, String snapshotId, Path target) throws IOException {
        SnapshotRef snapshot = repo.findSnapshot(snapshotId);
        return new Restorer(repo, RestoreOptions.defaults().withProgressInterval(Duration.ZERO), ProgressListener.NONE)
                .restore(snapshot, target);
    }

    /** Where a backed-up absolute path ends up below a restore target. */
    public static Path restoredPath(Path target, Path source) {
        return target.resolve(source.toAbsolutePath().toString().substring(1));
    }

    public static byte[] randomBytes(int length, long seed) {
        byte[] out = new byte[length];
        new Random(seed).nextBytes(out);
        return out;
    }

    public static byte[] text(int length, long seed) {
        String[] words = {"alpha", "beta", "gamma", "delta", "backup", "restore", "\n", "the", "of"};
        Random r = new Random(seed);
        StringBuilder sb = new StringBuilder(length + 16);
        while (sb.length() < length) {
            sb.append(words[r.nextInt(words.length)]).append(' ');
        }
        return sb.substring(0, length).getBytes(StandardCharsets.US_ASCII);
    }

    public static Path write(Path root, String relative, byte[] content) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.write(file, content);
        return file;
    }

    public static void setMtime(Path path, long epochNanos) throws IOException {
        Files.getFileAttributeView(path, java.nio.file.attribute.BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                .setTimes(FileTime.from(epochNanos, TimeUnit.NANOSECONDS), null, null);
    }

    /** What a test compares of one entry of a tree. */
    public record Entry(String type, int mode, long size, String sha256, String linkTarget, long mtimeNs) {
    }

    /**
     * Every entry below {@code root} (not {@code root} itself), keyed by relative path. Symlinks are
     * not followed. Special files are skipped. With {@code withMtimes} false, mtimes are left 0.
     */
    public static Map<String, Entry> describe(Path root, boolean withMtimes) throws IOException {
        Map<String, Entry> out = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(p -> !p.equals(root)).toList()) {
                Map<String, Object> a = Files.readAttributes(p, "unix:mode,size,lastModifiedTime,isRegularFile,"
                        + "isDirectory,isSymbolicLink", LinkOption.NOFOLLOW_LINKS);
                String type;
                String sha = null;
                String target = null;
                long size = 0;
                if (Boolean.TRUE.equals(a.get("isRegularFile"))) {
                    type = "file";
                    size = (Long) a.get("size");
                    sha = sha256(p);
                } else if (Boolean.TRUE.equals(a.get("isDirectory"))) {
                    type = "dir";
                } else if (Boolean.TRUE.equals(a.get("isSymbolicLink"))) {
                    type = "symlink";
                    target = Files.readSymbolicLink(p).toString();
                } else {
                    continue;
                }
                int mode = type.equals("symlink") ? 0 : ((Integer) a.get("mode")) & 07777;
                long mtime = withMtimes && !type.equals("symlink")
                        ? ((FileTime) a.get("lastModifiedTime")).to(TimeUnit.NANOSECONDS) : 0;
                out.put(root.relativize(p).toString(), new Entry(type, mode, size, sha, target, mtime));
            }
        }
        return out;
    }

    /** Asserts that {@code restored} holds exactly what {@code source} holds (types, modes, contents, targets). */
    public static void assertSameTree(Path source, Path restored, boolean withMtimes) throws IOException {
        Map<String, Entry> want = describe(source, withMtimes);
        Map<String, Entry> got = describe(restored, withMtimes);
        assertThat(got.keySet()).as("paths restored").containsExactlyElementsOf(want.keySet());
        for (Map.Entry<String, Entry> e : want.entrySet()) {
            assertThat(got.get(e.getKey())).as("restored %s", e.getKey()).isEqualTo(e.getValue());
        }
    }

    public static String sha256(Path file) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            try (var in = Files.newInputStream(file)) {
                byte[] buf = new byte[65536];
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

    /** Runs a command and fails the test if it does not exit with 0; returns its standard output. */
    public static String run(String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int code = p.waitFor();
            assertThat(code).as("exit status of %s: %s", String.join(" ", command), out).isZero();
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** Allocated 512-byte blocks of a file ({@code stat -c %b}). */
    public static long allocatedBlocks(Path file) throws IOException {
        return Long.parseLong(run("stat", "-c", "%b", file.toString()).trim());
    }
}
