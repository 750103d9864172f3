package io.cairn.engine.faults;

import static io.cairn.engine.faults.FaultFixtures.backup;
import static io.cairn.engine.faults.FaultFixtures.dirNode;
import static io.cairn.engine.faults.FaultFixtures.fileNode;
import static io.cairn.engine.faults.FaultFixtures.listing;
import static io.cairn.engine.faults.FaultFixtures.restore;
import static io.cairn.engine.faults.FaultFixtures.restored;
import static io.cairn.engine.faults.FaultFixtures.saveBlobs;
import static io.cairn.engine.faults.FaultFixtures.saveCraftedSnapshot;
import static io.cairn.engine.faults.FaultFixtures.symlinkNode;
import static io.cairn.engine.faults.FaultFixtures.treeJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.engine.blob.BlobId;
import io.cairn.engine.blob.BlobType;
import io.cairn.engine.crypto.CorruptObjectException;
import io.cairn.engine.repository.Repository;
import io.cairn.engine.repository.RepositoryException;
import io.cairn.engine.restorer.RestoreOptions;
import io.cairn.engine.restorer.Restorer;
import io.cairn.engine.progress.ProgressListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A restore never writes outside its target: not for entry names a crafted repository holds, not
 * through symlinks already in the target, not by following symlinks the snapshot contains.
 */
class RestoreSafetyTest {

    private static final byte[] EVIL = "written by a crafted snapshot\n".getBytes(StandardCharsets.UTF_8);
    private static final byte[] CANARY = "canary: must never change\n".getBytes(StandardCharsets.UTF_8);

    /** One repository for the whole class: each test adds its own snapshots to it. */
    @TempDir
    static Path shared;

    private static Repository repo;
    private static int testNumber;

    private Path tmp;
    /** Everything the test may touch lives below here; the repository and the target are excluded from checks. */
    private Path sandbox;
    private Path outside;
    private Path target;
    private Path canary;

    @BeforeAll
    static void createRepository() throws IOException {
        repo = FaultFixtures.initRepository(shared.resolve("repo"));
    }

    @AfterAll
    static void closeRepository() throws IOException {
        repo.close();
    }

    @BeforeEach
    void setUp() throws IOException {
        tmp = Files.createDirectory(shared.resolve("test-" + ++testNumber));
        sandbox = tmp.resolve("sandbox");
        outside = sandbox.resolve("outside");
        target = outside.resolve("target");
        Files.createDirectories(target);
        canary = outside.resolve("x");
        Files.write(canary, CANARY);
        Files.setPosixFilePermissions(canary, PosixFilePermissions.fromString("rw-------"));
        Files.setLastModifiedTime(canary, FileTime.from(Instant.parse("2001-02-03T04:05:06Z")));
        Files.setLastModifiedTime(outside, FileTime.from(Instant.parse("2001-02-03T04:05:06Z")));
    }

    /** Everything below the sandbox except the restore target itself. */
    private TreeMap<String, String> outsideTarget() throws IOException {
        TreeMap<String, String> all = listing(sandbox);
        all.keySet().removeIf(k -> k.equals("outside/target") || k.startsWith("outside/target/"));
        return all;
    }

    static Stream<String> unsafeNames() {
        return Stream.of("../x", "..", ".", "", "a/b", "../../x", "dir/../../x", "..\\x", "x\u0000y", "/x");
    }

    @ParameterizedTest(name = "entry named \"{0}\" at the root")
    @MethodSource("unsafeNames")
    void unsafeNameAtTheRootFailsAndWritesNothing(String name) throws IOException {
        BlobId data = saveBlobs(repo, BlobType.DATA, EVIL).get(0);
        String snapshot = saveCraftedSnapshot(repo, treeJson(fileNode(name, data, EVIL.length)));
        TreeMap<String, String> before = outsideTarget();

        assertThatThrownBy(() -> restore(repo, snapshot, target))
                .isInstanceOf(CorruptObjectException.class)
                .hasMessageContaining("unsafe entry name");

        assertThat(outsideTarget()).isEqualTo(before);
        assertThat(listing(target)).containsOnlyKeys("");
    }

    @ParameterizedTest(name = "entry named \"{0}\" below a directory")
    @MethodSource("unsafeNames")
    void unsafeNameBelowADirectoryFailsAndWritesNothingOutside(String name) throws IOException {
        BlobId data = saveBlobs(repo, BlobType.DATA, EVIL).get(0);
        BlobId inner = saveBlobs(repo, BlobType.TREE, treeJson(fileNode("a-safe-file", data, EVIL.length),
                fileNode(name, data, EVIL.length)).getBytes(StandardCharsets.UTF_8)).get(0);
        String snapshot = saveCraftedSnapshot(repo, treeJson(dirNode("dir", inner)));
        TreeMap<String, String> before = outsideTarget();

        assertThatThrownBy(() -> restore(repo, snapshot, target))
                .isInstanceOf(CorruptObjectException.class)
                .hasMessageContaining("unsafe entry name")
                .hasMessageContaining(inner.shortHex());

        assertThat(outsideTarget()).isEqualTo(before);
    }

    @Test
    void anAbsoluteNamePointingAtTheCanaryIsRejected() throws IOException {
        BlobId data = saveBlobs(repo, BlobType.DATA, EVIL).get(0);
        String snapshot = saveCraftedSnapshot(repo, treeJson(fileNode(canary.toString(), data, EVIL.length)));
        TreeMap<String, String> before = outsideTarget();

        assertThatThrownBy(() -> restore(repo, snapshot, target)).isInstanceOf(CorruptObjectException.class);

        assertThat(outsideTarget()).isEqualTo(before);
        assertThat(Files.readAllBytes(canary)).isEqualTo(CANARY);
    }

    @Test
    void aNameListedTwiceIsRejected() throws IOException {
        // If both entries were used, the symlink would be created first and the directory's
        // content then written through it into "outside".
        BlobId data = saveBlobs(repo, BlobType.DATA, EVIL).get(0);
        BlobId inner = saveBlobs(repo, BlobType.TREE,
                treeJson(fileNode("planted", data, EVIL.length)).getBytes(StandardCharsets.UTF_8)).get(0);
        String snapshot = saveCraftedSnapshot(repo, treeJson(symlinkNode("d", outside.toString()), dirNode("d", inner)));
        TreeMap<String, String> before = outsideTarget();

        assertThatThrownBy(() -> restore(repo, snapshot, target))
                .isInstanceOf(CorruptObjectException.class)
                .hasMessageContaining("twice");

        assertThat(outsideTarget()).isEqualTo(before);
    }

    @ParameterizedTest(name = "include \"{0}\"")
    @ValueSource(strings = {"/../x", "/a/../../x", "/tmp/./x"})
    void anIncludePathWithDotsIsRefused(String include) throws IOException {
        BlobId data = saveBlobs(repo, BlobType.DATA, EVIL).get(0);
        String snapshot = saveCraftedSnapshot(repo, treeJson(fileNode("x", data, EVIL.length)));
        Restorer restorer = new Restorer(repo, RestoreOptions.defaults().withIncludes(List.of(include)),
                ProgressListener.NONE);

        assertThatThrownBy(() -> restorer.restore(repo.loadSnapshot(snapshot), target))
                .isInstanceOf(RepositoryException.class)
                .hasMessageContaining("is not allowed in a snapshot path");
        assertThat(listing(target)).containsOnlyKeys("");
    }

    @Test
    void aSymlinkInTheTargetIsReplacedNeverWrittenThrough() throws IOException {
        Path source = tmp.resolve("src");
        Path notes = source.resolve("home/ann/notes.txt");
        Files.createDirectories(notes.getParent());
        Files.write(notes, "ann's notes\n".getBytes(StandardCharsets.UTF_8));
        String snapshot = backup(repo, source).snapshotId();
        Path restoredNotes = restored(target, notes);
        Path relative = target.relativize(restoredNotes);

        // plant a symlink at each component of the restored path in turn: a directory's place
        // points at the directory outside, the file's place at the canary file
        for (int component = 0; component < relative.getNameCount(); component++) {
            deleteBelow(target);
            Path planted = target.resolve(relative.subpath(0, component + 1));
            Files.createDirectories(planted.getParent());
            Files.createSymbolicLink(planted, planted.equals(restoredNotes) ? canary : outside);
            TreeMap<String, String> before = outsideTarget();

            restore(repo, snapshot, target);

            assertThat(outsideTarget()).as("outside after planting at %s", planted).isEqualTo(before);
            assertThat(Files.readAllBytes(canary)).isEqualTo(CANARY);
            assertThat(Files.isSymbolicLink(planted)).as("%s was replaced", planted).isFalse();
            assertThat(Files.isRegularFile(restoredNotes, LinkOption.NOFOLLOW_LINKS)).isTrue();
            assertThat(Files.readString(restoredNotes)).isEqualTo("ann's notes\n");
        }
    }

    /** Removes everything below {@code dir} without following symlinks. */
    private static void deleteBelow(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                if (!p.equals(dir)) {
                    Files.delete(p);
                }
            }
        }
    }

    @Test
    void aSnapshotSymlinkToEtcPasswdIsRestoredAsASymlinkAndNotFollowed() throws IOException {
        Path passwd = Path.of("/etc/passwd");
        org.junit.jupiter.api.Assertions.assertTrue(Files.isRegularFile(passwd), "needs /etc/passwd");
        Path source = tmp.resolve("src");
        Files.createDirectories(source);
        Path link = source.resolve("passwd-link");
        Files.createSymbolicLink(link, passwd);
        String snapshot = backup(repo, source).snapshotId();
        byte[] passwdBytes = Files.readAllBytes(passwd);
        FileTime passwdMtime = Files.getLastModifiedTime(passwd);
        Object passwdPerms = Files.getPosixFilePermissions(passwd);

        restore(repo, snapshot, target);

        Path restoredLink = restored(target, link);
        assertThat(Files.isSymbolicLink(restoredLink)).isTrue();
        assertThat(Files.readSymbolicLink(restoredLink)).isEqualTo(passwd);
        assertThat(Files.readAllBytes(passwd)).isEqualTo(passwdBytes);
        assertThat(Files.getLastModifiedTime(passwd)).isEqualTo(passwdMtime);
        assertThat(Files.getPosixFilePermissions(passwd)).isEqualTo(passwdPerms);
    }

    @Test
    void aCraftedSymlinkToAFileOutsideGetsItsMetadataNotTheFileItPointsTo() throws IOException {
        // The node says mode 0777 and mtime 1970-01-01T00:00:01Z: applied through the link, the
        // canary would become world-writable and lose its 2001 mtime.
        String snapshot = saveCraftedSnapshot(repo, treeJson(symlinkNode("link", canary.toString())));
        TreeMap<String, String> before = outsideTarget();

        restore(repo, snapshot, target);

        Path link = target.resolve("link");
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(Files.readSymbolicLink(link)).isEqualTo(canary);
        assertThat(outsideTarget()).isEqualTo(before);
        assertThat(Files.getLastModifiedTime(link, LinkOption.NOFOLLOW_LINKS).toInstant())
                .isEqualTo(Instant.ofEpochSecond(1));
    }

    @Test
    void aCraftedSymlinkFollowedByAFileOfTheSameDirectoryNeverLeaks() throws IOException {
        // "d" is a symlink to outside in one snapshot and a directory with a file in the next; restoring
        // both into one target must replace the link, not write the file through it.
        BlobId data = saveBlobs(repo, BlobType.DATA, EVIL).get(0);
        String first = saveCraftedSnapshot(repo, treeJson(symlinkNode("d", outside.toString())));
        BlobId inner = saveBlobs(repo, BlobType.TREE,
                treeJson(fileNode("planted", data, EVIL.length)).getBytes(StandardCharsets.UTF_8)).get(0);
        String second = saveCraftedSnapshot(repo, treeJson(dirNode("d", inner)));
        TreeMap<String, String> before = outsideTarget();

        restore(repo, first, target);
        assertThat(Files.isSymbolicLink(target.resolve("d"))).isTrue();
        restore(repo, second, target);

        assertThat(outsideTarget()).isEqualTo(before);
        assertThat(Files.isDirectory(target.resolve("d"), LinkOption.NOFOLLOW_LINKS)).isTrue();
        assertThat(Files.readAllBytes(target.resolve("d/planted"))).isEqualTo(EVIL);
    }
}
