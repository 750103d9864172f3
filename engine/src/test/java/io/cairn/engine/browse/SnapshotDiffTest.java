package io.cairn.engine.browse;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.engine.browse.DiffEntry.Change;
import io.cairn.engine.browse.DiffEntry.Status;
import io.cairn.engine.repository.Repository;
import io.cairn.engine.snapshot.SnapshotRef;
import io.cairn.engine.tree.NodeType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotDiffTest {

    @TempDir
    Path temp;
    BrowseFixture fx;

    @BeforeEach
    void setUp() throws IOException {
        fx = BrowseFixture.create(temp);
    }

    @AfterEach
    void tearDown() throws IOException {
        fx.close();
    }

    @Test
    void reportsExactlyTheAddedRemovedAndChangedPaths() throws IOException {
        SnapshotRef before = fx.backup();
        long bigSize = Files.size(fx.src.resolve("big.bin"));
        long aSize = Files.size(fx.src.resolve("a.txt"));
        long deepSize = Files.size(fx.src.resolve("sub/nested/deep.txt"));

        BrowseFixture.write(fx.src.resolve("added.txt"), "0123456789");
        Files.createDirectories(fx.src.resolve("newdir"));
        BrowseFixture.write(fx.src.resolve("newdir/x.txt"), "xx");
        Files.delete(fx.src.resolve("a.txt"));
        deleteTree(fx.src.resolve("sub/nested"));
        byte[] big = Files.readAllBytes(fx.src.resolve("big.bin"));
        big[50_000] ^= 1;
        Files.write(fx.src.resolve("big.bin"), big);
        Files.setPosixFilePermissions(fx.src.resolve("dup1"), PosixFilePermissions.fromString("rw-------"));
        Files.delete(fx.src.resolve("empty"));
        Files.createDirectory(fx.src.resolve("empty"));
        Files.delete(fx.src.resolve("link"));
        Files.createSymbolicLink(fx.src.resolve("link"), Path.of("text.txt"));
        SnapshotRef after = fx.backup();

        DiffSummary[] summary = new DiffSummary[1];
        List<DiffEntry> all = new java.util.ArrayList<>();
        summary[0] = new SnapshotDiff(fx.repo).compare(before, after, all::add);
        // directories above src are outside the test's control (their mtimes may change): look below src
        Map<String, DiffEntry> below = all.stream().filter(e -> e.path().startsWith(fx.path("") + "/"))
                .collect(Collectors.toMap(e -> e.path().substring(fx.path("").length() + 1), e -> e));

        assertThat(below.keySet()).containsExactlyInAnyOrder("added.txt", "newdir", "newdir/x.txt", "a.txt",
                "sub/nested", "sub/nested/deep.txt", "sub", "big.bin", "dup1", "empty", "link");
        assertThat(symbols(below)).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                Map.entry("added.txt", '+'), Map.entry("newdir", '+'), Map.entry("newdir/x.txt", '+'),
                Map.entry("a.txt", '-'), Map.entry("sub/nested", '-'), Map.entry("sub/nested/deep.txt", '-'),
                Map.entry("sub", 'U'), Map.entry("big.bin", 'M'), Map.entry("dup1", 'U'), Map.entry("empty", 'T'),
                Map.entry("link", 'M')));
        assertThat(below.get("dup1").changes()).contains(Change.MODE).doesNotContain(Change.CONTENT);
        assertThat(below.get("sub").changes()).containsExactly(Change.MTIME);
        assertThat(below.get("big.bin").changes()).contains(Change.CONTENT);
        assertThat(below.get("big.bin").sizeBefore()).isEqualTo(bigSize);
        assertThat(below.get("big.bin").sizeAfter()).isEqualTo(bigSize);
        assertThat(below.get("empty").before().type()).isEqualTo(NodeType.FILE);
        assertThat(below.get("empty").after().type()).isEqualTo(NodeType.DIR);
        assertThat(below.get("a.txt").status()).isEqualTo(Status.REMOVED);
        assertThat(below.get("a.txt").sizeBefore()).isEqualTo(aSize);
        // the source directory itself changed its mtime (entries were added and removed)
        assertThat(all).anySatisfy(e -> {
            assertThat(e.path()).isEqualTo(fx.path(""));
            assertThat(e.symbol()).isEqualTo('U');
        });

        DiffSummary s = summary[0];
        assertThat(s.filesAdded()).isEqualTo(2);
        assertThat(s.filesRemoved()).isEqualTo(2);
        assertThat(s.filesChanged()).isEqualTo(1);
        assertThat(s.dirsAdded()).isEqualTo(1);
        assertThat(s.dirsRemoved()).isEqualTo(1);
        assertThat(s.symlinksChanged()).isEqualTo(1);
        assertThat(s.typeChanged()).isEqualTo(1);
        assertThat(s.bytesAdded()).isEqualTo(10 + 2 + bigSize);
        assertThat(s.bytesRemoved()).isEqualTo(aSize + deepSize + bigSize);
        assertThat(s.metadataChanged()).isEqualTo(all.stream().filter(DiffEntry::metadataOnly).count());
    }

    @Test
    void reportsParentsBeforeChildrenAndAddsASwappedDirectorysContents() throws IOException {
        SnapshotRef before = fx.backup();
        Files.delete(fx.src.resolve("a.txt"));
        Files.createDirectories(fx.src.resolve("a.txt/inner"));
        BrowseFixture.write(fx.src.resolve("a.txt/inner/f"), "f");
        SnapshotRef after = fx.backup();

        List<DiffEntry> entries = new SnapshotDiff(fx.repo).compare(before, after).stream()
                .filter(e -> e.path().startsWith(fx.path("a.txt"))).toList();
        assertThat(entries).extracting(DiffEntry::path, DiffEntry::symbol).containsExactly(
                org.assertj.core.groups.Tuple.tuple(fx.path("a.txt"), 'T'),
                org.assertj.core.groups.Tuple.tuple(fx.path("a.txt/inner"), '+'),
                org.assertj.core.groups.Tuple.tuple(fx.path("a.txt/inner/f"), '+'));
    }

    @Test
    void aSnapshotComparedWithItselfHasNoDifferencesAndReadsNothing() throws IOException {
        SnapshotRef snap = fx.backup();
        CountingBackend counting = new CountingBackend(fx.repoDir);
        try (Repository r = fx.reopen(counting)) {
            r.index();
            List<DiffEntry> entries = new SnapshotDiff(r).compare(snap, snap);
            assertThat(entries).isEmpty();
            assertThat(counting.blobReads.get()).isZero();
        }
    }

    @Test
    void skipsSubtreesWhoseIdIsEqualInBoth() throws IOException {
        SnapshotRef before = fx.backup();
        BrowseFixture.write(fx.src.resolve("a.txt"), "changed and longer\n");
        SnapshotRef after = fx.backup();
        CountingBackend counting = new CountingBackend(fx.repoDir);
        try (Repository r = fx.reopen(counting)) {
            r.index();
            List<DiffEntry> entries = new SnapshotDiff(r).compare(before, after);
            assertThat(entries).filteredOn(e -> e.path().startsWith(fx.path("") + "/"))
                    .extracting(DiffEntry::path).containsExactly(fx.path("a.txt"));
            // only the trees on the way to src are loaded, in both snapshots: "/", every component of src;
            // src/sub and src/emptydir are equal and never read
            int treesOnThePath = fx.src.getNameCount() + 1;
            assertThat(counting.blobReads.get()).isEqualTo(2 * treesOnThePath);
        }
    }

    private static Map<String, Character> symbols(Map<String, DiffEntry> entries) {
        return entries.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().symbol()));
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
