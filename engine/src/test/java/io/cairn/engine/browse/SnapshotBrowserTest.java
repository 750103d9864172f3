package io.cairn.engine.browse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.engine.crypto.CorruptObjectException;
import io.cairn.engine.repository.RepositoryException;
import io.cairn.engine.snapshot.SnapshotRef;
import io.cairn.engine.tree.Node;
import io.cairn.engine.tree.NodeType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SnapshotBrowserTest {

    @TempDir
    static Path temp;
    static BrowseFixture fx;
    static SnapshotRef snap;
    static SnapshotBrowser browser;

    @BeforeAll
    static void setUp() throws IOException {
        fx = BrowseFixture.create(temp);
        snap = fx.backup();
        browser = new SnapshotBrowser(fx.repo, snap);
    }

    @AfterAll
    static void tearDown() throws IOException {
        fx.close();
    }

    @Test
    void resolvesNestedFileWithItsMetadata() throws IOException {
        SnapshotEntry e = browser.resolve(fx.path("sub/nested/deep.txt"));
        assertThat(e.path()).isEqualTo(fx.path("sub/nested/deep.txt"));
        assertThat(e.name()).isEqualTo("deep.txt");
        assertThat(e.isFile()).isTrue();
        assertThat(e.node().size()).isEqualTo(Files.size(fx.src.resolve("sub/nested/deep.txt")));
    }

    @Test
    void ignoresRedundantSlashesAndResolvesTheRoot() throws IOException {
        assertThat(browser.resolve("//" + fx.path("sub") + "//b.txt/").path()).isEqualTo(fx.path("sub/b.txt"));
        SnapshotEntry root = browser.resolve("/");
        assertThat(root.isRoot()).isTrue();
        assertThat(root.isDir()).isTrue();
        assertThat(root.node().subtree()).isEqualTo(snap.snapshot().tree());
        assertThat(browser.resolve("").path()).isEqualTo("/");
    }

    @Test
    void listsADirectoryInTreeOrder() throws IOException {
        List<String> names = browser.list(fx.path(""), false).stream().map(SnapshotEntry::name).toList();
        List<String> expected;
        try (var s = Files.list(fx.src)) {
            expected = s.map(p -> p.getFileName().toString()).toList();
        }
        assertThat(names).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(names).isSortedAccordingTo((a, b) -> Arrays.compareUnsigned(a.getBytes(
                java.nio.charset.StandardCharsets.UTF_8), b.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    @Test
    void listsRecursivelyEveryPathParentsFirst() throws IOException {
        List<SnapshotEntry> all = browser.list(fx.path(""), true);
        List<String> relative = all.stream().map(e -> e.path().substring(fx.src.toString().length() + 1)).toList();
        assertThat(relative).containsExactlyInAnyOrderElementsOf(fx.diskPaths());
        assertThat(relative.indexOf("sub")).isLessThan(relative.indexOf("sub/nested"));
        assertThat(relative.indexOf("sub/nested")).isLessThan(relative.indexOf("sub/nested/deep.txt"));
    }

    @Test
    void listingAFileShowsJustThatFile() throws IOException {
        assertThat(browser.list(fx.path("a.txt"), true)).extracting(SnapshotEntry::path)
                .containsExactly(fx.path("a.txt"));
    }

    @Test
    void keepsSymlinksVerbatimAndDoesNotFollowThem() throws IOException {
        SnapshotEntry dangling = browser.resolve(fx.path("dangling"));
        assertThat(dangling.type()).isEqualTo(NodeType.SYMLINK);
        assertThat(dangling.node().linkTarget()).isEqualTo("../outside/nowhere");
        assertThatThrownBy(() -> browser.resolve(fx.path("link/x")))
                .isInstanceOf(RepositoryException.class)
                .hasMessageContaining("is a symlink (to 'a.txt')")
                .hasMessageContaining("not followed");
    }

    @Test
    void walkSkipsDirectoriesTheVisitorDeclines() throws IOException {
        List<String> seen = new ArrayList<>();
        browser.walk(browser.resolve(fx.path("")), e -> {
            seen.add(e.path());
            return !e.name().equals("sub");
        });
        assertThat(seen).contains(fx.path("sub"), fx.path("a.txt"));
        assertThat(seen).noneMatch(p -> p.startsWith(fx.path("sub/")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"../etc/passwd", "/a/../../x", "/tmp/./x", "..", "a\\b"})
    void rejectsPathsWithDotComponentsOrBackslashes(String path) {
        assertThatThrownBy(() -> browser.resolve(path))
                .isInstanceOfSatisfying(RepositoryException.class, e -> assertThat(e.exitCode()).isEqualTo(1))
                .hasMessageContaining("invalid path")
                .hasMessageContaining("is not allowed in a snapshot path");
    }

    @Test
    void rejectsPathsWithNul() {
        assertThatThrownBy(() -> browser.resolve(fx.path("a.txt") + "\0.png"))
                .isInstanceOfSatisfying(RepositoryException.class, e -> assertThat(e.exitCode()).isEqualTo(1))
                .hasMessageContaining("NUL character")
                .hasMessageNotContaining("\0");
    }

    @Test
    void aMissingPathNamesTheDirectoryThatLacksIt() {
        assertThatThrownBy(() -> browser.resolve(fx.path("sub/missing/x")))
                .isInstanceOfSatisfying(RepositoryException.class, e -> assertThat(e.exitCode()).isEqualTo(1))
                .hasMessageContaining("no such file or directory")
                .hasMessageContaining(fx.path("sub") + " has no entry 'missing'");
    }

    @Test
    void aPathThroughAFileIsRefused() {
        assertThatThrownBy(() -> browser.resolve(fx.path("a.txt/x")))
                .isInstanceOf(RepositoryException.class)
                .hasMessageContaining(fx.path("a.txt") + " is a file, not a directory");
    }

    @Test
    void streamsFileContentEqualToTheOriginal() throws IOException {
        for (String name : List.of("a.txt", "empty", "big.bin", "text.txt", "hard2", BrowseFixture.UNICODE_NAME)) {
            SnapshotEntry e = browser.resolve(fx.path(name));
            try (InputStream in = browser.openContent(e)) {
                assertThat(in.readAllBytes()).as(name).isEqualTo(Files.readAllBytes(fx.src.resolve(name)));
            }
        }
        assertThat(browser.resolve(fx.path("big.bin")).node().content()).hasSizeGreaterThan(5);
    }

    @Test
    void loadsBlobsLazilyOneAtATime() throws IOException {
        CountingBackend counting = new CountingBackend(fx.repoDir);
        try (var r = fx.reopen(counting)) {
            r.index();
            SnapshotBrowser b = new SnapshotBrowser(r, snap);
            SnapshotEntry big = b.resolve(fx.path("big.bin"));
            int before = counting.blobReads.get();
            try (InputStream in = b.openContent(big)) {
                assertThat(counting.blobReads.get() - before).isZero();
                in.read();
                assertThat(counting.blobReads.get() - before).isEqualTo(1);
                in.readAllBytes();
                assertThat(counting.blobReads.get() - before).isEqualTo(big.node().content().size());
            }
        }
    }

    @Test
    void skipPassesOverWholeBlobsAndKeepsPositionExact() throws IOException {
        byte[] original = Files.readAllBytes(fx.src.resolve("big.bin"));
        try (InputStream in = browser.openContent(browser.resolve(fx.path("big.bin")))) {
            assertThat(in.read()).isEqualTo(original[0] & 0xff);
            assertThat(in.skip(60_000)).isEqualTo(60_000);
            byte[] rest = in.readAllBytes();
            assertThat(rest).isEqualTo(Arrays.copyOfRange(original, 60_001, original.length));
            assertThat(in.skip(10)).isZero();
        }
    }

    @Test
    void refusesToReadADirectoryOrSymlinkAsAFile() throws IOException {
        SnapshotEntry dir = browser.resolve(fx.path("sub"));
        assertThatThrownBy(() -> browser.openContent(dir)).isInstanceOf(RepositoryException.class)
                .hasMessageContaining("it is a dir, not a file");
        SnapshotEntry link = browser.resolve(fx.path("link"));
        assertThatThrownBy(() -> browser.openContent(link)).isInstanceOf(RepositoryException.class)
                .hasMessageContaining("it is a symlink, not a file");
    }

    @Test
    void contentShorterThanTheRecordedSizeFailsAtTheEnd() throws IOException {
        SnapshotEntry real = browser.resolve(fx.path("big.bin"));
        SnapshotEntry lying = new SnapshotEntry(real.path(), resized(real.node(), real.node().size() + 1));
        try (InputStream in = browser.openContent(lying)) {
            assertThatThrownBy(() -> in.transferTo(new ByteArrayOutputStream()))
                    .isInstanceOf(CorruptObjectException.class)
                    .hasMessageContaining("adds up to 100000 bytes but the snapshot records 100001 bytes");
        }
    }

    @Test
    void contentLongerThanTheRecordedSizeIsNeverDelivered() throws IOException {
        SnapshotEntry real = browser.resolve(fx.path("big.bin"));
        SnapshotEntry lying = new SnapshotEntry(real.path(), resized(real.node(), 10));
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (InputStream in = browser.openContent(lying)) {
            assertThatThrownBy(() -> in.transferTo(sink))
                    .isInstanceOf(CorruptObjectException.class)
                    .hasMessageContaining("longer than the 10 bytes the snapshot records");
        }
        assertThat(sink.size()).isZero();
    }

    @Test
    void aClosedStreamRefusesReads() throws IOException {
        InputStream in = browser.openContent(browser.resolve(fx.path("a.txt")));
        in.close();
        assertThatThrownBy(in::read).isInstanceOf(IOException.class).hasMessageContaining("closed");
    }

    private static Node resized(Node n, long size) {
        return n.withContent(n.content(), size);
    }
}
