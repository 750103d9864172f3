package io.cairn.engine.archiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.engine.progress.ProgressListener;
import io.cairn.engine.repository.Repository;
import io.cairn.engine.repository.RepositoryException;
import io.cairn.engine.snapshot.SnapshotRef;
import io.cairn.engine.tree.Node;
import io.cairn.engine.tree.NodeType;
import io.cairn.engine.tree.Tree;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Backing up a stream and a command's output ({@code --stdin}, {@code --stdin-from-command}). */
class StreamBackupTest {

    @TempDir
    Path dir;
    Repository repo;

    @BeforeEach
    void createRepository() throws IOException {
        repo = BackupFixture.newRepository(dir.resolve("repo"));
    }

    private Archiver archiver() {
        return new Archiver(repo, BackupFixture.options(), ProgressListener.NONE);
    }

    @Test
    void aStreamIsStoredAsOneFileAndRestoresExactly() throws IOException {
        byte[] content = BackupFixture.randomBytes(150_001, 7);
        BackupResult result = archiver().backupStream("dump.sql", new ByteArrayInputStream(content));

        assertThat(result.snapshot().paths()).containsExactly("dump.sql");
        assertThat(result.snapshot().summary().bytesRead()).isEqualTo(content.length);
        assertThat(result.snapshot().summary().totalBytes()).as("the stream's size").isEqualTo(content.length);
        assertThat(result.snapshot().summary().filesNew()).isOne();
        Tree root = repo.loadTree(result.snapshot().tree());
        assertThat(root.nodes()).singleElement().satisfies(n -> {
            assertThat(n.name()).isEqualTo("dump.sql");
            assertThat(n.type()).isEqualTo(NodeType.FILE);
            assertThat(n.size()).isEqualTo(content.length);
            assertThat(n.mode()).isEqualTo(0600);
        });
        Path target = dir.resolve("restore");
        BackupFixture.restore(repo, result.snapshotId(), target);
        assertThat(Files.readAllBytes(target.resolve("dump.sql"))).isEqualTo(content);
    }

    @Test
    void aStreamIsCutWithTheStreamChunkSizesAndAFileWithTheFileSizes() throws IOException {
        Repository r = Repository.init(new io.cairn.engine.backend.LocalBackend(dir.resolve("sized")), BackupFixture.PASSWORD,
                Repository.InitOptions.defaults().withKdf(new io.cairn.engine.crypto.KdfParams(64, 1, 1))
                        .withChunker(1024, 4096, 16384).withStreamChunker(32 * 1024, 64 * 1024, 128 * 1024)
                        .withPackSize(512 * 1024), java.time.Clock.systemUTC());
        // text-like and compressible, as a dump is: lines of words drawn at random
        java.util.Random random = new java.util.Random(11);
        String[] words = {"insert", "into", "accounts", "values", "null", "0", "17", "copy", "filler", "abc"};
        StringBuilder sb = new StringBuilder();
        while (sb.length() < 2_000_000) {
            sb.append(words[random.nextInt(words.length)]).append(random.nextInt(1000)).append(random.nextBoolean() ? '\t' : '\n');
        }
        byte[] content = sb.toString().getBytes(StandardCharsets.US_ASCII);
        Path file = dir.resolve("files/dump.sql");
        Files.createDirectories(file.getParent());
        Files.write(file, content);

        BackupResult asStream = new Archiver(r, BackupFixture.options(), ProgressListener.NONE)
                .backupStream("dump.sql", new ByteArrayInputStream(content));
        BackupResult asFile = new Archiver(r, BackupFixture.options(), ProgressListener.NONE).backup(List.of(file));

        List<Integer> streamChunks = chunkLengths(r, r.loadTree(asStream.snapshot().tree()).nodes().get(0));
        Node fileNode = null;
        Tree tree = r.loadTree(asFile.snapshot().tree());
        for (Path component : file) {
            fileNode = tree.find(component.toString()).orElseThrow();
            tree = fileNode.isDir() ? r.loadTree(fileNode.subtree()) : null;
        }
        List<Integer> fileChunks = chunkLengths(r, fileNode);
        assertThat(streamChunks.stream().mapToInt(Integer::intValue).sum()).isEqualTo(content.length);
        assertThat(streamChunks.subList(0, streamChunks.size() - 1)).allSatisfy(n -> assertThat(n).isBetween(32 * 1024 + 1, 128 * 1024));
        assertThat(fileChunks.subList(0, fileChunks.size() - 1)).allSatisfy(n -> assertThat(n).isBetween(1024 + 1, 16384));
        assertThat(streamChunks.size()).isLessThan(fileChunks.size() / 8);
        Path target = dir.resolve("restore-sized");
        BackupFixture.restore(r, asStream.snapshotId(), target);
        assertThat(Files.readAllBytes(target.resolve("dump.sql"))).isEqualTo(content);
    }

    private static List<Integer> chunkLengths(Repository r, Node node) throws IOException {
        List<Integer> lengths = new ArrayList<>();
        for (String id : node.content()) {
            lengths.add(r.index().find(io.cairn.engine.blob.BlobId.parse(id)).plainLength());
        }
        return lengths;
    }

    @Test
    void emptyAndTinyStreamsRestoreExactly() throws IOException {
        for (byte[] content : List.of(new byte[0], new byte[] {42}, "x".repeat(1023).getBytes(StandardCharsets.US_ASCII))) {
            BackupResult result = archiver().backupStream("s.bin", new ByteArrayInputStream(content));
            Path target = dir.resolve("restore-" + content.length);
            BackupFixture.restore(repo, result.snapshotId(), target);
            assertThat(Files.readAllBytes(target.resolve("s.bin"))).isEqualTo(content);
        }
    }

    @Test
    void aStreamNameMustBeAPlainFileName() throws IOException {
        for (String bad : List.of("a/b", "..", "", "x\\y")) {
            assertThatThrownBy(() -> archiver().backupStream(bad, InputStream.nullInputStream()))
                    .isInstanceOf(RepositoryException.class)
                    .hasMessageContaining("invalid --stdin-filename");
        }
        assertThat(repo.snapshots()).isEmpty();
    }

    @Test
    void aCommandsOutputIsBackedUp() throws IOException {
        BackupResult result = archiver().backupCommand("numbers.txt", List.of("seq", "1", "30000"));

        String expected = IntStream.rangeClosed(1, 30000).mapToObj(Integer::toString)
                .collect(Collectors.joining("\n", "", "\n"));
        Path target = dir.resolve("restore");
        BackupFixture.restore(repo, result.snapshotId(), target);
        assertThat(Files.readString(target.resolve("numbers.txt"))).isEqualTo(expected);
        assertThat(result.snapshot().summary().bytesRead()).isEqualTo(expected.length());
    }

    @Test
    void aFailingCommandSavesNoSnapshot() throws IOException {
        BackupFixture.backup(repo, BackupFixture.options(), BackupFixture.write(dir, "src/f", new byte[10]).getParent());
        List<SnapshotRef> before = repo.snapshots();
        List<String> stderr = Collections.synchronizedList(new ArrayList<>());

        assertThatThrownBy(() -> archiver().onCommandOutput(stderr::add).backupCommand("db.sql",
                List.of("sh", "-c", "seq 1 5000; echo 'connection refused' >&2; exit 3")))
                .isInstanceOf(RepositoryException.class)
                .hasMessageContaining("exit status 3")
                .hasMessageContaining("connection refused")
                .hasMessageContaining("no snapshot was saved");

        assertThat(repo.snapshots()).isEqualTo(before);
        assertThat(stderr).containsExactly("connection refused");
    }

    @Test
    void aCommandKilledByASignalSavesNoSnapshot() throws IOException {
        assertThatThrownBy(() -> archiver().onCommandOutput(line -> { }).backupCommand("x",
                List.of("sh", "-c", "echo partial; kill -9 $$")))
                .isInstanceOf(RepositoryException.class)
                .hasMessageContaining("exit status 137")
                .hasMessageContaining("signal 9");
        assertThat(repo.snapshots()).isEmpty();
    }

    @Test
    void aCommandThatCannotStartIsReported() throws IOException {
        assertThatThrownBy(() -> archiver().backupCommand("x", List.of("/nonexistent/cairn-test-command")))
                .isInstanceOf(RepositoryException.class)
                .hasMessageContaining("cannot run '/nonexistent/cairn-test-command'");
        assertThatThrownBy(() -> archiver().backupCommand("x", List.of()))
                .isInstanceOf(RepositoryException.class).hasMessageContaining("no command");
        assertThat(repo.snapshots()).isEmpty();
    }

    @Test
    void nothingToBackUpAndMissingPathsAreErrors() throws IOException {
        assertThatThrownBy(() -> archiver().backup(List.of()))
                .isInstanceOf(RepositoryException.class).hasMessageContaining("nothing to back up");
        Path missing = dir.resolve("missing");
        assertThatThrownBy(() -> archiver().backup(List.of(missing)))
                .isInstanceOf(RepositoryException.class).hasMessageContaining(missing + ": no such file");
        assertThat(repo.snapshots()).isEmpty();
    }

    @Test
    void severalRootsShareTheirParentDirectories() throws IOException {
        Path a = BackupFixture.write(dir, "src/a/f1", "one".getBytes(StandardCharsets.US_ASCII)).getParent();
        Path b = BackupFixture.write(dir, "src/b/f2", "two".getBytes(StandardCharsets.US_ASCII)).getParent();
        BackupFixture.write(dir, "src/c/f3", "not backed up".getBytes(StandardCharsets.US_ASCII));

        BackupResult result = archiver().backup(List.of(b, a));

        assertThat(result.snapshot().paths()).containsExactly(a.toString(), b.toString());
        Path target = dir.resolve("restore");
        BackupFixture.restore(repo, result.snapshotId(), target);
        Path restoredSrc = BackupFixture.restoredPath(target, dir.resolve("src"));
        assertThat(BackupFixture.describe(restoredSrc, false).keySet()).containsExactly("a", "a/f1", "b", "b/f2");
        Node srcNode = findPath(repo.loadTree(result.snapshot().tree()), dir.resolve("src"));
        assertThat(srcNode.mode()).isEqualTo(((Integer) Files.getAttribute(dir.resolve("src"), "unix:mode")) & 07777);
    }

    private Node findPath(Tree root, Path path) throws IOException {
        Tree tree = root;
        Node node = null;
        for (Path component : path) {
            node = tree.find(component.toString()).orElseThrow();
            if (node.subtree() != null) {
                tree = repo.loadTree(node.subtree());
            }
        }
        return node;
    }
}
