package io.cairn.cli.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A folder tree 1,500 levels deep (a path of ~3,000 bytes, within Linux's 4,096) backs up (twice: the
 * second compares with its parent), restores and checks in a real {@code cairn} process. On the JVM's
 * default 1 MiB stack the walk overflowed at ~1,200 levels and the command died with a
 * StackOverflowError's trace.
 */
class DeepTreeTest {

    private static final int LEVELS = 1500;

    @TempDir
    Path dir;

    @Test
    void aTreeDeeperThanTheDefaultStackBacksUpRestoresAndChecks() throws Exception {
        Path repo = dir.resolve("repo");
        Fixtures.initRepository(repo, 64 * 1024);
        Path password = Fixtures.passwordFile(dir, "password", Fixtures.PASSWORD);
        Path source = dir.resolve("s");
        Path bottom = source;
        for (int i = 0; i < LEVELS; i++) {
            bottom = bottom.resolve("d");
        }
        Files.createDirectories(bottom);
        Files.writeString(bottom.resolve("leaf.txt"), "at the bottom\n");
        String[] common = {"--repo", repo.toString(), "--password-file", password.toString()};

        CairnProcess backup = CairnProcess.start(dir.resolve("logs"), "backup", concat(new String[] {"backup",
                source.toString()}, common));
        assertThat(backup.await()).as(backup.log()).isZero();
        Files.writeString(bottom.resolve("leaf.txt"), "changed\n");
        CairnProcess second = CairnProcess.start(dir.resolve("logs"), "second", concat(new String[] {"backup",
                source.toString()}, common));
        assertThat(second.await()).as(second.log()).isZero();

        Path target = dir.resolve("t");
        CairnProcess restore = CairnProcess.start(dir.resolve("logs"), "restore", concat(new String[] {"restore",
                "latest", "--target", target.toString()}, common));
        assertThat(restore.await()).as(restore.log()).isZero();
        Path restored = target.resolve(source.toString().substring(1)).resolve(source.relativize(bottom));
        assertThat(Files.readString(restored.resolve("leaf.txt"))).isEqualTo("changed\n");

        CairnProcess check = CairnProcess.start(dir.resolve("logs"), "check", concat(new String[] {"check",
                "--read-data"}, common));
        assertThat(check.await()).as(check.log()).isZero();
        assertThat(check.log()).doesNotContain("StackOverflowError");
        deleteTree(source);
        deleteTree(target);
    }

    /** JUnit's own clean-up of a temporary folder takes about a minute for a tree this deep; this, under a second. */
    static void deleteTree(Path root) throws IOException {
        Files.walkFileTree(root, new java.nio.file.SimpleFileVisitor<>() {
            @Override
            public java.nio.file.FileVisitResult visitFile(Path file, java.nio.file.attribute.BasicFileAttributes a)
                    throws IOException {
                Files.delete(file);
                return java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                Files.delete(d);
                return java.nio.file.FileVisitResult.CONTINUE;
            }
        });
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
