package io.cairn.engine.browse;

import io.cairn.engine.archiver.Archiver;
import io.cairn.engine.archiver.BackupOptions;
import io.cairn.engine.archiver.BackupResult;
import io.cairn.engine.backend.Backend;
import io.cairn.engine.backend.LocalBackend;
import io.cairn.engine.crypto.KdfParams;
import io.cairn.engine.progress.ProgressListener;
import io.cairn.engine.repository.Repository;
import io.cairn.engine.snapshot.SnapshotRef;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Random;

/**
 * A small repository and a generated source tree for browse and dump tests: nested directories, an empty
 * directory, symlinks (one dangling, pointing outside), empty and multi-chunk files, a hard link, two
 * files with equal content, a compressible file, a long and a non-ASCII name.
 */
public final class BrowseFixture implements AutoCloseable {

    public static final char[] PASSWORD = "correct horse".toCharArray();
    public static final String LONG_NAME = "n".repeat(150) + ".txt";
    public static final String UNICODE_NAME = "ünïcödé nämé.txt";

    public final Path src;
    public final Path repoDir;
    public final Repository repo;

    private BrowseFixture(Path src, Path repoDir, Repository repo) {
        this.src = src;
        this.repoDir = repoDir;
        this.repo = repo;
    }

    /** Creates a repository under {@code temp}/repo and a populated source tree under {@code temp}/src. */
    public static BrowseFixture create(Path temp) throws IOException {
        System.setProperty("cairn.insecureTestKdf", "true");
        Path repoDir = temp.resolve("repo");
        Repository repo = Repository.init(new LocalBackend(repoDir), PASSWORD, Repository.InitOptions.defaults()
                .withKdf(new KdfParams(64, 1, 1)).withChunker(512, 2048, 8192).withPackSize(64 * 1024),
                Clock.systemUTC());
        Path src = temp.resolve("src").toAbsolutePath().normalize();
        populate(src);
        return new BrowseFixture(src, repoDir, repo);
    }

    /** Writes the standard tree into {@code src}. */
    public static void populate(Path src) throws IOException {
        Files.createDirectories(src.resolve("sub/nested"));
        Files.createDirectories(src.resolve("emptydir"));
        write(src.resolve("a.txt"), "hello, world\n");
        Files.write(src.resolve("empty"), new byte[0]);
        Files.write(src.resolve("big.bin"), randomBytes(100_000, 42));
        write(src.resolve("text.txt"), "the quick brown fox jumps over the lazy dog\n".repeat(4000));
        write(src.resolve("sub/b.txt"), "bee\n");
        write(src.resolve("sub/nested/deep.txt"), "deep down\n");
        write(src.resolve("sub/" + LONG_NAME), "long\n");
        write(src.resolve(UNICODE_NAME), "unicode\n");
        write(src.resolve("dup1"), "same bytes\n");
        write(src.resolve("dup2"), "same bytes\n");
        write(src.resolve("hard1"), "hard-linked content\n");
        Files.createLink(src.resolve("hard2"), src.resolve("hard1"));
        Files.createSymbolicLink(src.resolve("link"), Path.of("a.txt"));
        Files.createSymbolicLink(src.resolve("dangling"), Path.of("../outside/nowhere"));
        Files.setPosixFilePermissions(src.resolve("sub/b.txt"), PosixFilePermissions.fromString("rwxr-x---"));
    }

    public static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    public static void write(Path p, String text) throws IOException {
        Files.writeString(p, text, StandardCharsets.UTF_8);
    }

    /** Backs up {@link #src} and returns the new snapshot. */
    public SnapshotRef backup() throws IOException {
        BackupResult r = new Archiver(repo, BackupOptions.defaults().withProgressInterval(Duration.ZERO),
                ProgressListener.NONE).backup(List.of(src));
        return repo.loadSnapshot(r.snapshotId());
    }

    /** The snapshot path of {@code relative} below {@link #src} ("" for src itself). */
    public String path(String relative) {
        return relative.isEmpty() ? src.toString() : src + "/" + relative;
    }

    /** Opens the repository again through another backend (to count or fault its calls). */
    public Repository reopen(Backend backend) throws IOException {
        return Repository.open(backend, PASSWORD, Clock.systemUTC());
    }

    /** Every path below {@link #src}, relative, '/'-separated, symlinks not followed. */
    public List<String> diskPaths() throws IOException {
        try (var stream = Files.walk(src)) {
            return stream.filter(p -> !p.equals(src)).map(p -> src.relativize(p).toString()).sorted().toList();
        }
    }

    public static boolean isDir(Path p) {
        return Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
    }

    @Override
    public void close() throws IOException {
        repo.close();
    }
}
