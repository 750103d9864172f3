package io.cairn.engine.restorer;

import static io.cairn.engine.archiver.BackupFixture.restoredPath;
import static io.cairn.engine.archiver.BackupFixture.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.engine.archiver.BackupFixture;
import io.cairn.engine.repository.Repository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A restore skips the chown and chmod of an entry it has just created when the entry already has
 * what the snapshot asks for (see {@link CreationDefaults}); these tests prove that whatever differs
 * from what a new entry gets is still applied: other owners, other modes, and the group a
 * set-group-id target directory would hand down. The tests run as root, as CI does (owners are only
 * restored by root).
 */
class RestoreOwnershipTest {

    private static final int OTHER_UID = 4321;
    private static final int OTHER_GID = 8765;
    private static final int TARGET_GID = 2468;
    private static final CreationDefaults DEFAULTS = CreationDefaults.ofThisProcess();

    @TempDir
    static Path dir;
    static Path src;
    static Repository repo;
    static String snapshotId;

    @BeforeAll
    static void backUp() throws IOException {
        assertThat(DEFAULTS).as("this process's owner and umask, from /proc/self/status").isNotEqualTo(CreationDefaults.UNKNOWN);
        assertThat(DEFAULTS.uid()).as("the tests run as root (CI does)").isZero();
        src = dir.resolve("src");
        write(src, "plain/own.txt", "the restoring user's file\n".getBytes());
        write(src, "plain/other.txt", "someone else's file\n".getBytes());
        write(src, "plain/private.txt", "mode 0600\n".getBytes());
        write(src, "others/inner.txt", "in someone else's directory\n".getBytes());
        Files.createSymbolicLink(src.resolve("plain/other-link"), Path.of("other.txt"));
        chown(src.resolve("plain/other.txt"), OTHER_UID, OTHER_GID);
        chown(src.resolve("plain/other-link"), OTHER_UID, OTHER_GID);
        chown(src.resolve("others"), OTHER_UID, OTHER_GID);
        Files.setAttribute(src.resolve("plain/private.txt"), "unix:mode", 0600);
        Files.setAttribute(src.resolve("others"), "unix:mode", 0750);
        repo = BackupFixture.newRepository(dir.resolve("repo"));
        snapshotId = BackupFixture.backup(repo, BackupFixture.options(), src).snapshotId();
    }

    @AfterAll
    static void close() throws IOException {
        repo.close();
    }

    private static void chown(Path p, int uid, int gid) throws IOException {
        Files.setAttribute(p, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(p, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
    }

    private static int attribute(Path p, String name) throws IOException {
        return (Integer) Files.getAttribute(p, "unix:" + name, LinkOption.NOFOLLOW_LINKS);
    }

    private static void assertSameOwnersAndModes(Path restored) throws IOException {
        for (String name : new String[] {"plain", "plain/own.txt", "plain/other.txt", "plain/private.txt",
            "plain/other-link", "others", "others/inner.txt"}) {
            Path from = src.resolve(name);
            Path to = restored.resolve(name);
            assertThat(attribute(to, "uid")).as("owner of %s", name).isEqualTo(attribute(from, "uid"));
            assertThat(attribute(to, "gid")).as("group of %s", name).isEqualTo(attribute(from, "gid"));
            if (!Files.isSymbolicLink(from)) {
                assertThat(attribute(to, "mode") & 07777).as("mode of %s", name).isEqualTo(attribute(from, "mode") & 07777);
                assertThat(Files.getLastModifiedTime(to, LinkOption.NOFOLLOW_LINKS)).as("mtime of %s", name)
                        .isEqualTo(Files.getLastModifiedTime(from, LinkOption.NOFOLLOW_LINKS));
            }
        }
    }

    @Test
    void ownersAndModesThatDifferFromANewEntrysAreApplied() throws IOException {
        Path target = dir.resolve("into-new");
        BackupFixture.restore(repo, snapshotId, target);
        Path restored = restoredPath(target, src);

        assertSameOwnersAndModes(restored);
        assertThat(attribute(restored.resolve("plain/other.txt"), "uid")).isEqualTo(OTHER_UID);
        assertThat(attribute(restored.resolve("plain/private.txt"), "mode") & 0777).isEqualTo(0600);
    }

    @Test
    void aSetGroupIdTargetDoesNotHandItsGroupDown() throws IOException {
        // what is created in a set-group-id directory takes that directory's group, not the process's:
        // the snapshot's group (root's) must still be set on everything restored below it
        Path target = Files.createDirectories(dir.resolve("setgid-target"));
        Files.setAttribute(target, "unix:gid", TARGET_GID);
        Files.setAttribute(target, "unix:mode", 02775);

        BackupFixture.restore(repo, snapshotId, target);
        Path restored = restoredPath(target, src);

        assertSameOwnersAndModes(restored);
        assertThat(attribute(restored.resolve("plain/own.txt"), "gid")).isZero();
        assertThat(attribute(target, "gid")).as("the target's own group is left alone").isEqualTo(TARGET_GID);
    }

    @Test
    void intoAnExistingTreeOwnersAndModesAreAppliedToo() throws IOException {
        Path target = dir.resolve("over-existing");
        BackupFixture.restore(repo, snapshotId, target);
        Path restored = restoredPath(target, src);
        // the directories are there now (not created by the second restore): their entries are replaced
        chown(restored.resolve("plain/other.txt"), 0, 0);
        Files.setAttribute(restored.resolve("plain/private.txt"), "unix:mode", 0644);
        Files.setAttribute(restored.resolve("plain"), "unix:gid", TARGET_GID);
        Files.setAttribute(restored.resolve("plain"), "unix:mode", 02755);

        BackupFixture.restore(repo, snapshotId, target);

        assertSameOwnersAndModes(restored);
    }

    @Test
    void creationDefaultsComeFromTheFileSystemIdsAndTheUmask() {
        String status = "Name:\tjava\nUmask:\t0027\nState:\tR (running)\nUid:\t1000\t1001\t1002\t1003\n"
                + "Gid:\t2000\t2001\t2002\t2003\nGroups:\t4 24\n";
        CreationDefaults d = CreationDefaults.parse(status);

        assertThat(d).isEqualTo(new CreationDefaults(1003, 2003, 0027));
        assertThat(d.hasOwner(1003, 2003)).isTrue();
        assertThat(d.hasOwner(1000, 2003)).as("the real uid is not the one new files get").isFalse();
        assertThat(d.fileHasMode(0640)).isTrue();
        assertThat(d.fileHasMode(0644)).isFalse();
        assertThat(d.fileHasMode(04640)).as("set-user-id is never a default").isFalse();
        assertThat(d.directoryHasMode(0750)).isTrue();
        assertThat(CreationDefaults.parse("Name:\tjava\nUid:\t0\t0\t0\t0\n")).as("no umask line (old kernels)")
                .isEqualTo(CreationDefaults.UNKNOWN);
        assertThat(CreationDefaults.UNKNOWN.hasOwner(-1, -1)).isFalse();
        assertThat(CreationDefaults.UNKNOWN.fileHasMode(0644)).isFalse();
    }
}
