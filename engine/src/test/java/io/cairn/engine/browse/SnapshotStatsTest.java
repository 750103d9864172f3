package io.cairn.engine.browse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.engine.blob.BlobId;
import io.cairn.engine.index.BlobLocation;
import io.cairn.engine.snapshot.SnapshotRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotStatsTest {

    @TempDir
    static Path temp;
    static BrowseFixture fx;
    static SnapshotRef first;
    static SnapshotRef second;

    @BeforeAll
    static void setUp() throws IOException {
        fx = BrowseFixture.create(temp);
        first = fx.backup();
        BrowseFixture.write(fx.src.resolve("later.txt"), "added for the second snapshot\n");
        second = fx.backup();
    }

    @AfterAll
    static void tearDown() throws IOException {
        fx.close();
    }

    @Test
    void restoreSizeCountsWhatARestoreWrites() throws IOException {
        StatsReport r = new SnapshotStats(fx.repo).compute(List.of(second), StatsMode.RESTORE_SIZE);
        Disk disk = Disk.scan(fx.src);
        assertThat(r.snapshots()).isEqualTo(1);
        assertThat(r.files()).isEqualTo(disk.files);
        assertThat(r.symlinks()).isEqualTo(disk.symlinks);
        // the directories on the way to src ("tmp", ..., "src") are part of the snapshot too
        assertThat(r.dirs()).isEqualTo(disk.dirs + fx.src.getNameCount());
        assertThat(r.totalSize()).isEqualTo(disk.sizeWithHardLinksOnce);
        assertThat(disk.sizeWithHardLinksOnce).isLessThan(disk.sizeOfEveryPath);
    }

    @Test
    void restoreSizeSumsOverSnapshots() throws IOException {
        SnapshotStats stats = new SnapshotStats(fx.repo);
        StatsReport one = stats.compute(List.of(first), StatsMode.RESTORE_SIZE);
        StatsReport two = stats.compute(List.of(second), StatsMode.RESTORE_SIZE);
        StatsReport both = stats.compute(List.of(first, second), StatsMode.RESTORE_SIZE);
        assertThat(both.files()).isEqualTo(one.files() + two.files());
        assertThat(both.totalSize()).isEqualTo(one.totalSize() + two.totalSize());
        assertThat(two.files()).isEqualTo(one.files() + 1);
        assertThat(two.totalSize() - one.totalSize()).isEqualTo(Files.size(fx.src.resolve("later.txt")));
    }

    @Test
    void rawDataCountsUniqueBlobsAndTheirStoredSize() throws IOException {
        StatsReport r = new SnapshotStats(fx.repo).compute(List.of(first, second), StatsMode.RAW_DATA);
        Set<BlobId> data = new HashSet<>();
        Set<BlobId> trees = new HashSet<>();
        for (SnapshotRef s : List.of(first, second)) {
            SnapshotBrowser b = new SnapshotBrowser(fx.repo, s);
            trees.add(BlobId.parse(s.snapshot().tree()));
            b.walk(b.root(), e -> {
                if (e.isDir()) {
                    trees.add(BlobId.parse(e.node().subtree()));
                }
                if (e.isFile()) {
                    e.node().content().forEach(id -> data.add(BlobId.parse(id)));
                }
                return true;
            });
        }
        long plain = 0;
        long stored = 0;
        for (Set<BlobId> set : List.of(data, trees)) {
            for (BlobId id : set) {
                BlobLocation loc = fx.repo.index().find(id);
                plain += loc.plainLength();
                stored += loc.sealedLength();
            }
        }
        assertThat(r.dataBlobs()).isEqualTo(data.size());
        assertThat(r.treeBlobs()).isEqualTo(trees.size());
        assertThat(r.blobs()).isEqualTo(data.size() + trees.size());
        assertThat(r.missingBlobs()).isZero();
        assertThat(r.plainSize()).isEqualTo(plain).isEqualTo(r.totalSize());
        assertThat(r.storedSize()).isEqualTo(stored);
        // text.txt compresses well, so the referenced data takes less room than its plaintext
        assertThat(r.compressionRatio()).isGreaterThan(1.0);
        long packBytes;
        long packs;
        try (Stream<Path> s = Files.walk(fx.repoDir.resolve("data"))) {
            List<Path> files = s.filter(Files::isRegularFile).toList();
            packs = files.size();
            packBytes = 0;
            for (Path p : files) {
                packBytes += Files.size(p);
            }
        }
        assertThat(r.packs()).isEqualTo(packs);
        assertThat(r.packBytes()).isEqualTo(packBytes).isGreaterThan(r.storedSize());
    }

    @Test
    void filesByContentsCountsEachDistinctContentOnce() throws IOException {
        StatsReport r = new SnapshotStats(fx.repo).compute(List.of(first, second), StatsMode.FILES_BY_CONTENTS);
        Map<String, Long> distinct = new HashMap<>();
        try (Stream<Path> s = Files.walk(fx.src)) {
            for (Path p : s.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).toList()) {
                distinct.put(sha256(Files.readAllBytes(p)), Files.size(p));
            }
        }
        assertThat(r.files()).isEqualTo(distinct.size());
        assertThat(r.totalSize()).isEqualTo(distinct.values().stream().mapToLong(Long::longValue).sum());
        assertThat(r.files()).isLessThan(Disk.scan(fx.src).files);
    }

    @Test
    void modesParseFromTheirLabels() {
        assertThat(StatsMode.parse("raw-data")).isEqualTo(StatsMode.RAW_DATA);
        assertThat(StatsMode.parse("Files-By-Contents")).isEqualTo(StatsMode.FILES_BY_CONTENTS);
        assertThatThrownBy(() -> StatsMode.parse("blobs")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("restore-size, raw-data, files-by-contents");
    }

    /** What is on disk below a directory, counted independently of the engine. */
    record Disk(long files, long dirs, long symlinks, long sizeOfEveryPath, long sizeWithHardLinksOnce) {
        static Disk scan(Path root) throws IOException {
            long files = 0;
            long dirs = 0;
            long symlinks = 0;
            long every = 0;
            long once = 0;
            Set<Object> inodes = new HashSet<>();
            try (Stream<Path> s = Files.walk(root)) {
                for (Path p : s.filter(p -> !p.equals(root)).toList()) {
                    if (Files.isSymbolicLink(p)) {
                        symlinks++;
                    } else if (Files.isDirectory(p)) {
                        dirs++;
                    } else {
                        files++;
                        long size = Files.size(p);
                        every += size;
                        if (inodes.add(Files.getAttribute(p, "unix:ino"))) {
                            once += size;
                        }
                    }
                }
            }
            return new Disk(files, dirs, symlinks, every, once);
        }
    }

    private static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
