package io.cairn.engine.prune;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.engine.archiver.Archiver;
import io.cairn.engine.archiver.BackupOptions;
import io.cairn.engine.backend.Backend;
import io.cairn.engine.backend.FileInfo;
import io.cairn.engine.backend.FileType;
import io.cairn.engine.backend.LocalBackend;
import io.cairn.engine.blob.BlobId;
import io.cairn.engine.crypto.KdfParams;
import io.cairn.engine.progress.ProgressListener;
import io.cairn.engine.repository.Repository;
import io.cairn.engine.restorer.RestoreOptions;
import io.cairn.engine.restorer.Restorer;
import io.cairn.engine.snapshot.SnapshotRef;
import io.cairn.engine.tree.Node;
import io.cairn.engine.tree.Tree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * A small real repository in a temporary directory (local backend, tiny Argon2 and chunker
 * parameters) with a source directory to back up, and a record of what every snapshot held, so a
 * test can prove that a snapshot still restores byte for byte.
 */
final class RepoFixture implements AutoCloseable {

    static final char[] PASSWORD = "prune-test-password".toCharArray();
    /** Target pack size: each backup below writes one data pack and one tree pack. */
    static final int PACK_SIZE = 256 * 1024;

    static {
        System.setProperty("cairn.insecureTestKdf", "true");
    }

    final Path dir;
    final Path repoDir;
    final Path source;
    final Clock clock;
    final Repository repo;
    private final Random random = new Random(20240501);
    private final Map<String, Map<String, byte[]>> expected = new HashMap<>();
    private int restores;

    /** A repository over a plain local backend with a test clock. */
    RepoFixture(Path dir) throws IOException {
        this(dir, new MutableClock(java.time.Instant.parse("2024-05-01T10:00:00Z")), UnaryOperator.identity());
    }

    /** A repository whose backend is {@code wrap} applied to the local backend. */
    RepoFixture(Path dir, Clock clock, UnaryOperator<Backend> wrap) throws IOException {
        this.dir = dir;
        this.repoDir = dir.resolve("repo");
        this.source = dir.resolve("src");
        this.clock = clock;
        Files.createDirectories(source);
        this.repo = Repository.init(wrap.apply(new LocalBackend(repoDir)), PASSWORD, Repository.InitOptions.defaults()
                .withKdf(new KdfParams(64, 1, 1)).withChunker(1024, 4096, 16384).withPackSize(PACK_SIZE), clock);
    }

    /** Opens the repository afresh over a plain local backend, as another process would. */
    Repository reopen() throws IOException {
        return Repository.open(new LocalBackend(repoDir), PASSWORD, clock);
    }

    /** Writes {@code size} random bytes to a file of the source directory. */
    void write(String name, int size) throws IOException {
        byte[] data = new byte[size];
        random.nextBytes(data);
        Path file = source.resolve(name);
        Files.createDirectories(file.getParent());
        Files.write(file, data);
    }

    /** Writes {@code data} to a file of the source directory. */
    void write(String name, byte[] data) throws IOException {
        Path file = source.resolve(name);
        Files.createDirectories(file.getParent());
        Files.write(file, data);
    }

    void delete(String name) throws IOException {
        Files.delete(source.resolve(name));
    }

    /** Backs up the source directory with {@code repo}; returns the snapshot id. */
    String backup() throws IOException {
        return backup(repo, "host-a", Duration.ofMinutes(1));
    }

    String backup(Repository r, String host, Duration lockWait) throws IOException {
        return backup(r, host, List.of(), lockWait);
    }

    /** Backs up the source directory as {@code host} with {@code tags}, reading every file. */
    String backup(Repository r, String host, List<String> tags, Duration lockWait) throws IOException {
        return backup(r, host, tags, lockWait, ProgressListener.NONE);
    }

    /** Backs up the source directory, reporting progress to {@code listener}. */
    String backup(Repository r, String host, List<String> tags, Duration lockWait, ProgressListener listener)
            throws IOException {
        BackupOptions options = new BackupOptions(null, true, null, List.of(), List.of(), tags, host, 1, lockWait,
                Duration.ZERO, null);
        Map<String, byte[]> content = read(source);
        String id = new Archiver(r, options, listener).backup(List.of(source)).snapshotId();
        synchronized (expected) {
            expected.put(id, content);
        }
        if (clock instanceof MutableClock mutable) {
            mutable.advance(Duration.ofHours(1));
        }
        return id;
    }

    /** Restores a snapshot with {@code r} into a new directory and compares it with what was backed up. */
    void assertRestores(Repository r, String snapshotId) throws IOException {
        Map<String, byte[]> want;
        synchronized (expected) {
            want = expected.get(snapshotId);
        }
        assertThat(want).as("content recorded for snapshot %s", snapshotId).isNotNull();
        Path target = dir.resolve("restore-" + (++restores));
        SnapshotRef snapshot = r.findSnapshot(snapshotId);
        new Restorer(r, RestoreOptions.defaults().withProgressInterval(Duration.ZERO), ProgressListener.NONE)
                .restore(snapshot, target);
        Map<String, byte[]> got = read(target.resolve(source.toString().substring(1)));
        assertThat(got.keySet()).as("files restored from %s", snapshotId).isEqualTo(want.keySet());
        for (Map.Entry<String, byte[]> file : want.entrySet()) {
            assertThat(got.get(file.getKey())).as("content of %s restored from %s", file.getKey(), snapshotId)
                    .isEqualTo(file.getValue());
        }
    }

    /** Restores every snapshot the repository still has. */
    void assertAllRestore(Repository r) throws IOException {
        for (SnapshotRef s : r.snapshots()) {
            assertRestores(r, s.id());
        }
    }

    private static Map<String, byte[]> read(Path root) throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                out.put(root.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        return out;
    }

    /** Names of the objects of a type, read from the directory. */
    Set<String> names(FileType type) throws IOException {
        Set<String> out = new TreeSet<>();
        for (FileInfo f : new LocalBackend(repoDir).list(type)) {
            out.add(f.handle().name());
        }
        return out;
    }

    /** Total bytes of all pack files. */
    long packBytes() throws IOException {
        long sum = 0;
        for (FileInfo f : new LocalBackend(repoDir).list(FileType.PACK)) {
            sum += f.size();
        }
        return sum;
    }

    /** The content blob ids of a file of a snapshot (path relative to the source directory). */
    List<BlobId> contentOf(Repository r, String snapshotId, String name) throws IOException {
        Tree tree = r.loadTree(r.findSnapshot(snapshotId).snapshot().tree());
        List<String> components = new ArrayList<>();
        for (Path c : source) {
            components.add(c.toString());
        }
        for (Path c : Path.of(name)) {
            components.add(c.toString());
        }
        Node node = null;
        for (int i = 0; i < components.size(); i++) {
            node = tree.find(components.get(i)).orElseThrow();
            if (i < components.size() - 1) {
                tree = r.loadTree(node.subtree());
            }
        }
        return node.content().stream().map(BlobId::parse).toList();
    }

    @Override
    public void close() throws IOException {
        repo.close();
    }
}
