package io.cairn.engine.check;

import io.cairn.engine.archiver.Archiver;
import io.cairn.engine.archiver.BackupOptions;
import io.cairn.engine.backend.FileHandle;
import io.cairn.engine.backend.FileInfo;
import io.cairn.engine.backend.FileType;
import io.cairn.engine.backend.LocalBackend;
import io.cairn.engine.blob.BlobId;
import io.cairn.engine.crypto.KdfParams;
import io.cairn.engine.progress.ProgressListener;
import io.cairn.engine.repository.Repository;
import io.cairn.engine.snapshot.SnapshotRef;
import io.cairn.engine.tree.Node;
import io.cairn.engine.tree.Tree;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * A small repository for check tests: three snapshots of a generated tree (text and random files,
 * one duplicated file, nested directories), tiny chunks and tiny packs so there are many packs.
 * Built once into a template directory; each test works on its own copy.
 */
final class CheckFixture {

    static final char[] PASSWORD = "check-test-password".toCharArray();

    private CheckFixture() {
    }

    /** Builds the template repository under {@code dir} (repository in dir/repo, sources in dir/src). */
    static Path buildTemplate(Path dir) throws IOException {
        System.setProperty("cairn.insecureTestKdf", "true");
        Path repoDir = dir.resolve("repo");
        Path src = dir.resolve("src");
        Random random = new Random(42);
        Files.createDirectories(src.resolve("docs/deep"));
        Files.writeString(src.resolve("a.txt"), text(random, 3_000));
        byte[] b = bytes(random, 20_000);
        Files.write(src.resolve("b.bin"), b);
        Files.write(src.resolve("docs/b-copy.bin"), b);
        Files.writeString(src.resolve("docs/c.txt"), text(random, 12_000));
        Files.write(src.resolve("docs/d.bin"), bytes(random, 30_000));
        Files.write(src.resolve("docs/deep/e.bin"), bytes(random, 8_000));
        Files.write(src.resolve("f.bin"), bytes(random, 25_000));
        Files.createSymbolicLink(src.resolve("link"), Path.of("a.txt"));
        Repository.InitOptions init = Repository.InitOptions.defaults().withKdf(new KdfParams(64, 1, 1))
                .withChunker(512, 2048, 8192).withPackSize(8 * 1024);
        try (Repository repo = Repository.init(new LocalBackend(repoDir), PASSWORD, init, Clock.systemUTC())) {
            backup(repo, src);
            Files.writeString(src.resolve("a.txt"), text(random, 4_000));
            Files.write(src.resolve("docs/g.bin"), bytes(random, 15_000));
            backup(repo, src);
            byte[] d = Files.readAllBytes(src.resolve("docs/d.bin"));
            System.arraycopy(bytes(random, 3_000), 0, d, 10_000, 3_000);
            Files.write(src.resolve("docs/d.bin"), d);
            backup(repo, src);
        }
        return repoDir;
    }

    private static void backup(Repository repo, Path src) throws IOException {
        new Archiver(repo, BackupOptions.defaults().withForce(true).withProgressInterval(Duration.ZERO),
                ProgressListener.NONE).backup(List.of(src));
    }

    private static String text(Random random, int length) {
        String[] words = {"cairn", "stone", "trail", "summit", "backup", "pack", "blob", "index", "tree", "snapshot"};
        StringBuilder s = new StringBuilder();
        while (s.length() < length) {
            s.append(words[random.nextInt(words.length)]).append(random.nextInt(10) == 0 ? '\n' : ' ');
        }
        return s.substring(0, length);
    }

    private static byte[] bytes(Random random, int length) {
        byte[] out = new byte[length];
        random.nextBytes(out);
        return out;
    }

    /** Copies the template repository into {@code target}. */
    static Path copy(Path template, Path target) throws IOException {
        try (Stream<Path> walk = Files.walk(template)) {
            for (Path p : walk.toList()) {
                Path to = target.resolve(template.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return target;
    }

    static Repository open(Path repoDir) throws IOException {
        return Repository.open(new LocalBackend(repoDir), PASSWORD, Clock.systemUTC());
    }

    static Path file(Path repoDir, FileHandle handle) {
        return repoDir.resolve(handle.relativePath());
    }

    static List<String> ids(Repository repo, FileType type) throws IOException {
        return repo.backend().list(type).stream().map(FileInfo::handle).map(FileHandle::name).sorted().toList();
    }

    /** Inverts one bit of a file in place (call again to undo). */
    static void flipBit(Path file, long offset, int bit) {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(offset);
            int b = raf.read();
            raf.seek(offset);
            raf.write(b ^ (1 << bit));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Who uses which blob, found by walking every snapshot with the repository's own reader (before any damage). */
    static final class Usage {
        /** data blob hex → "snapshotId:/path" of every file using it. */
        final Map<String, Set<String>> dataUsers = new HashMap<>();
        /** tree blob hex → "snapshotId:/path" of every directory it lists. */
        final Map<String, Set<String>> treeUsers = new HashMap<>();

        static Usage of(Repository repo) throws IOException {
            Usage u = new Usage();
            for (SnapshotRef s : repo.snapshots()) {
                u.walk(repo, s.id(), s.snapshot().tree(), "/");
            }
            return u;
        }

        private void walk(Repository repo, String snapshotId, String treeId, String path) throws IOException {
            treeUsers.computeIfAbsent(treeId, k -> new TreeSet<>()).add(snapshotId + ":" + path);
            Tree tree = repo.loadTree(BlobId.parse(treeId));
            for (Node n : tree.nodes()) {
                String child = path.equals("/") ? "/" + n.name() : path + "/" + n.name();
                if (n.isDir()) {
                    walk(repo, snapshotId, n.subtree(), child);
                } else if (n.isFile()) {
                    for (String blob : n.content()) {
                        dataUsers.computeIfAbsent(blob, k -> new TreeSet<>()).add(snapshotId + ":" + child);
                    }
                }
            }
        }

        Set<String> users(String blobHex) {
            Set<String> out = new TreeSet<>();
            out.addAll(dataUsers.getOrDefault(blobHex, Set.of()));
            out.addAll(treeUsers.getOrDefault(blobHex, Set.of()));
            return out;
        }
    }

    /** Every damaged path of a report as "snapshotId:/path". */
    static Set<String> damagedPaths(CheckReport report) {
        Set<String> out = new TreeSet<>();
        for (AffectedSnapshot s : report.affectedSnapshots()) {
            for (DamagedPath p : s.damagedPaths()) {
                out.add(s.snapshotId() + ":" + p.path());
            }
        }
        return out;
    }
}
