package io.cairn.engine.repository;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.engine.archiver.BackupFixture;
import io.cairn.engine.backend.LocalBackend;
import io.cairn.engine.check.CheckOptions;
import io.cairn.engine.check.CheckReport;
import io.cairn.engine.check.Checker;
import io.cairn.engine.snapshot.SnapshotRef;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The frozen repository of {@code src/test/resources/golden/repository-v1/} (see its README): written
 * once by format version 1 and never regenerated. Every later Cairn must open it, list its two
 * snapshots, restore both exactly as {@code manifest.txt} describes, and check it without errors.
 */
class FrozenRepositoryTest {

    private static final char[] PASSWORD = "cairn-golden-v1".toCharArray();

    @TempDir
    static Path dir;
    static Path golden;
    static Path repoDir;

    @BeforeAll
    static void copyTheRepository() throws IOException, URISyntaxException {
        golden = Path.of(FrozenRepositoryTest.class.getResource("/golden/repository-v1/README.md").toURI()).getParent();
        repoDir = dir.resolve("repo");
        // files only, as a git checkout has them (no empty directories): the test works on a copy
        try (Stream<Path> files = Files.walk(golden.resolve("repo"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Path to = repoDir.resolve(golden.resolve("repo").relativize(f).toString());
                Files.createDirectories(to.getParent());
                Files.copy(f, to);
            }
        }
    }

    private static Repository open() throws IOException {
        return Repository.open(new LocalBackend(repoDir), PASSWORD, Clock.systemUTC());
    }

    @Test
    void itsFilesAreExactlyTheOnesWrittenOnce() throws IOException {
        Map<String, String> pinned = new TreeMap<>();
        for (String line : Files.readAllLines(golden.resolve("repository-files.sha256"), StandardCharsets.UTF_8)) {
            pinned.put(line.substring(66), line.substring(0, 64));
        }
        Map<String, String> actual = new TreeMap<>();
        try (Stream<Path> files = Files.walk(repoDir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                actual.put(repoDir.relativize(f).toString(), BackupFixture.sha256(f));
            }
        }
        assertThat(actual).as("repository-v1 must never be regenerated or changed").isEqualTo(pinned);
        assertThat(pinned).hasSize(11);
    }

    @Test
    void opensAndListsItsTwoSnapshots() throws IOException {
        Repository repo = open();
        RepositoryConfig config = repo.config();
        assertThat(config.version()).isEqualTo(1);
        assertThat(List.of(config.chunkerMin(), config.chunkerAvg(), config.chunkerMax())).containsExactly(1024, 4096, 16384);
        assertThat(config.packSize()).isEqualTo(64 * 1024);

        List<SnapshotRef> snapshots = repo.snapshots();
        assertThat(snapshots).hasSize(2);
        SnapshotRef first = snapshots.get(0);
        SnapshotRef second = snapshots.get(1);
        assertThat(first.snapshot().instant()).isEqualTo(Instant.parse("2025-01-01T00:00:00Z"));
        assertThat(second.snapshot().instant()).isEqualTo(Instant.parse("2025-01-02T00:00:00Z"));
        assertThat(first.snapshot().tags()).containsExactly("first");
        assertThat(second.snapshot().tags()).containsExactly("second");
        assertThat(second.snapshot().parent()).isEqualTo(first.id());
        for (SnapshotRef s : snapshots) {
            assertThat(s.snapshot().paths()).containsExactly("/golden");
            assertThat(s.snapshot().hostname()).isEqualTo("golden-host");
        }
        assertThat(repo.findSnapshot("latest").id()).isEqualTo(second.id());
        assertThat(repo.index().size()).isEqualTo(64);
    }

    @Test
    void bothSnapshotsRestoreAsTheManifestSays() throws IOException {
        Repository repo = open();
        List<SnapshotRef> snapshots = repo.snapshots();
        List<String[]> manifest = new ArrayList<>();
        for (String line : Files.readAllLines(golden.resolve("manifest.txt"), StandardCharsets.UTF_8)) {
            if (!line.isEmpty() && !line.startsWith("#")) {
                manifest.add(line.split("\t"));
            }
        }
        for (int n = 1; n <= 2; n++) {
            Path target = dir.resolve("restore-" + n);
            assertThat(BackupFixture.restore(repo, snapshots.get(n - 1).id(), target).warnings()).isEmpty();
            Set<String> expectedPaths = new HashSet<>();
            for (String[] f : manifest) {
                if (!f[0].equals(String.valueOf(n))) {
                    continue;
                }
                Path p = target.resolve(f[7]);
                String what = "snapshot " + n + ": " + f[7];
                switch (f[1]) {
                    case "dir" -> {
                        assertThat(Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).as(what).isTrue();
                        assertModeAndMtime(p, f, what);
                    }
                    case "file" -> {
                        assertThat(Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).as(what).isTrue();
                        assertThat(Files.size(p)).as(what).isEqualTo(Long.parseLong(f[4]));
                        assertThat(BackupFixture.sha256(p)).as(what).isEqualTo(f[5]);
                        assertModeAndMtime(p, f, what);
                    }
                    case "symlink" -> {
                        assertThat(Files.readSymbolicLink(p).toString()).as(what).isEqualTo(f[6]);
                        assertThat(Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).to(TimeUnit.NANOSECONDS))
                                .as(what).isEqualTo(Long.parseLong(f[3]));
                    }
                    case "hardlink" -> assertThat(Files.getAttribute(p, "unix:ino"))
                            .as(what).isEqualTo(Files.getAttribute(target.resolve(f[6]), "unix:ino"));
                    default -> throw new IllegalStateException("unknown manifest type " + f[1]);
                }
                expectedPaths.add(f[7]);
            }
            Set<String> restored = new HashSet<>();
            try (Stream<Path> walk = Files.walk(target)) {
                walk.filter(p -> !p.equals(target)).forEach(p -> restored.add(target.relativize(p).toString()));
            }
            assertThat(restored).as("entries restored from snapshot %d", n).isEqualTo(expectedPaths);
        }
    }

    @Test
    void aFullCheckReadingAllDataFindsNoErrors() throws IOException {
        CheckReport report = new Checker(open()).check(CheckOptions.defaults().withReadData(true)
                .withProgressInterval(Duration.ZERO).withLockWait(Duration.ZERO));
        assertThat(report.errors()).isEmpty();
        assertThat(report.stats().packsRead()).isEqualTo(5);
    }

    private static void assertModeAndMtime(Path p, String[] f, String what) throws IOException {
        int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        assertThat(String.format("%04o", mode & 07777)).as("mode of " + what).isEqualTo(f[2]);
        FileTime mtime = Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS);
        assertThat(mtime.to(TimeUnit.NANOSECONDS)).as("mtime of " + what).isEqualTo(Long.parseLong(f[3]));
    }
}
