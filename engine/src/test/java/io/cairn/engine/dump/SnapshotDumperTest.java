package io.cairn.engine.dump;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.engine.browse.BrowseFixture;
import io.cairn.engine.browse.SnapshotBrowser;
import io.cairn.engine.browse.SnapshotEntry;
import io.cairn.engine.crypto.CorruptObjectException;
import io.cairn.engine.repository.RepositoryException;
import io.cairn.engine.snapshot.SnapshotRef;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.utils.SeekableInMemoryByteChannel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotDumperTest {

    @TempDir
    static Path temp;
    static BrowseFixture fx;
    static SnapshotRef snap;
    static SnapshotBrowser browser;
    static SnapshotDumper dumper;

    @BeforeAll
    static void setUp() throws IOException {
        fx = BrowseFixture.create(temp);
        snap = fx.backup();
        browser = new SnapshotBrowser(fx.repo, snap);
        dumper = new SnapshotDumper(browser);
    }

    @AfterAll
    static void tearDown() throws IOException {
        fx.close();
    }

    @Test
    void dumpsAFileByteForByte() throws IOException {
        for (String name : List.of("big.bin", "empty", "a.txt")) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            long n = dumper.writeFile(browser.resolve(fx.path(name)), out);
            byte[] original = Files.readAllBytes(fx.src.resolve(name));
            assertThat(out.toByteArray()).as(name).isEqualTo(original);
            assertThat(n).isEqualTo(original.length);
        }
    }

    @Test
    void refusesToDumpADirectoryAsFileContent() throws IOException {
        SnapshotEntry dir = browser.resolve(fx.path("sub"));
        assertThatThrownBy(() -> dumper.writeFile(dir, OutputStream.nullOutputStream()))
                .isInstanceOf(RepositoryException.class).hasMessageContaining("not a file");
    }

    @Test
    void tarHoldsExactlyTheTreeWithContentModesTimesAndLinks() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DumpResult result = dumper.writeArchive(browser.resolve(fx.path("")), ArchiveFormat.TAR, out);

        Map<String, TarArchiveEntry> entries = new HashMap<>();
        Map<String, byte[]> contents = new HashMap<>();
        List<String> order = new ArrayList<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new ByteArrayInputStream(out.toByteArray()),
                StandardCharsets.UTF_8.name())) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                entries.put(e.getName(), e);
                order.add(e.getName());
                contents.put(e.getName(), tar.readAllBytes());
            }
        }
        assertThat(order).doesNotHaveDuplicates();
        assertThat(entries.keySet()).containsExactlyInAnyOrderElementsOf(expectedNames(true));
        for (String rel : fx.diskPaths()) {
            Path p = fx.src.resolve(rel);
            int perms = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
            long mtime = Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).to(TimeUnit.SECONDS);
            if (Files.isSymbolicLink(p)) {
                TarArchiveEntry e = entries.get(rel);
                assertThat(e.isSymbolicLink()).as(rel).isTrue();
                assertThat(e.getLinkName()).isEqualTo(Files.readSymbolicLink(p).toString());
            } else if (Files.isDirectory(p)) {
                TarArchiveEntry e = entries.get(rel + "/");
                assertThat(e.isDirectory()).as(rel).isTrue();
                assertThat(e.getMode() & 07777).as(rel).isEqualTo(perms);
                assertThat(e.getLastModifiedTime().to(TimeUnit.SECONDS)).as(rel).isEqualTo(mtime);
            } else if (rel.equals("hard2")) {
                TarArchiveEntry e = entries.get(rel);
                assertThat(e.isLink()).isTrue();
                assertThat(e.getLinkName()).isEqualTo("hard1");
            } else {
                TarArchiveEntry e = entries.get(rel);
                assertThat(e.isFile()).as(rel).isTrue();
                assertThat(contents.get(rel)).as(rel).isEqualTo(Files.readAllBytes(p));
                assertThat(e.getMode() & 07777).as(rel).isEqualTo(perms);
                assertThat(e.getLastModifiedTime().to(TimeUnit.SECONDS)).as(rel).isEqualTo(mtime);
                assertThat(e.getLongUserId()).isEqualTo(((Integer) Files.getAttribute(p, "unix:uid")).longValue());
            }
        }
        assertThat(entries.get("sub/b.txt").getMode() & 0777).isEqualTo(0750);
        assertThat(order.indexOf("sub/")).isLessThan(order.indexOf("sub/nested/deep.txt"));
        assertThat(result.hardlinks()).isEqualTo(1);
        assertThat(result.symlinks()).isEqualTo(2);
        assertThat(result.bytes()).isEqualTo(totalBytesWithoutHard2());
    }

    @Test
    void gnuTarExtractsTheArchiveIntoTheOriginalTree() throws Exception {
        Path archive = temp.resolve("out.tar");
        try (OutputStream out = Files.newOutputStream(archive)) {
            dumper.writeArchive(browser.resolve(fx.path("")), ArchiveFormat.TAR, out);
        }
        Path target = Files.createDirectories(temp.resolve("untar"));
        run(target, "tar", "-xf", archive.toString());
        assertSameTree(fx.src, target, true);
        assertThat(Files.getAttribute(target.resolve("hard2"), "unix:ino"))
                .isEqualTo(Files.getAttribute(target.resolve("hard1"), "unix:ino"));
    }

    @Test
    void zipHoldsExactlyTheTreeWithInfoZipSymlinks() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DumpResult result = dumper.writeArchive(browser.resolve(fx.path("")), ArchiveFormat.ZIP, out);

        Map<String, ZipArchiveEntry> entries = new HashMap<>();
        Map<String, byte[]> contents = new HashMap<>();
        try (ZipFile zip = ZipFile.builder().setSeekableByteChannel(new SeekableInMemoryByteChannel(out.toByteArray()))
                .get()) {
            for (ZipArchiveEntry e : Collections.list(zip.getEntries())) {
                entries.put(e.getName(), e);
                contents.put(e.getName(), zip.getInputStream(e).readAllBytes());
            }
        }
        assertThat(entries.keySet()).containsExactlyInAnyOrderElementsOf(expectedNames(true));
        for (String rel : fx.diskPaths()) {
            Path p = fx.src.resolve(rel);
            int perms = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
            if (Files.isSymbolicLink(p)) {
                ZipArchiveEntry e = entries.get(rel);
                assertThat(e.isUnixSymlink()).as(rel).isTrue();
                assertThat(new String(contents.get(rel), StandardCharsets.UTF_8))
                        .isEqualTo(Files.readSymbolicLink(p).toString());
            } else if (Files.isDirectory(p)) {
                assertThat(entries.get(rel + "/").isDirectory()).as(rel).isTrue();
                assertThat(entries.get(rel + "/").getUnixMode() & 07777).as(rel).isEqualTo(perms);
            } else {
                ZipArchiveEntry e = entries.get(rel);
                assertThat(contents.get(rel)).as(rel).isEqualTo(Files.readAllBytes(p));
                assertThat(e.getUnixMode() & 07777).as(rel).isEqualTo(perms);
                assertThat(e.getLastModifiedTime().to(TimeUnit.SECONDS)).as(rel)
                        .isEqualTo(Files.getLastModifiedTime(p).to(TimeUnit.SECONDS));
            }
        }
        assertThat(result.hardlinks()).isZero();
        assertThat(result.bytes()).isEqualTo(totalBytesWithoutHard2() + Files.size(fx.src.resolve("hard2")));
    }

    @Test
    void javaUtilZipReadsTheArchiveToo() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        dumper.writeArchive(browser.resolve(fx.path("sub")), ArchiveFormat.ZIP, out);
        Map<String, byte[]> contents = new HashMap<>();
        try (java.util.zip.ZipInputStream zip = new java.util.zip.ZipInputStream(
                new ByteArrayInputStream(out.toByteArray()), StandardCharsets.UTF_8)) {
            java.util.zip.ZipEntry e;
            while ((e = zip.getNextEntry()) != null) {
                contents.put(e.getName(), zip.readAllBytes());
            }
        }
        assertThat(contents.keySet()).containsExactlyInAnyOrder("b.txt", "nested/", "nested/deep.txt",
                BrowseFixture.LONG_NAME);
        assertThat(contents.get("nested/deep.txt")).isEqualTo(Files.readAllBytes(fx.src.resolve("sub/nested/deep.txt")));
    }

    @Test
    void unzipRecreatesFilesAndSymlinks() throws Exception {
        Path archive = temp.resolve("out.zip");
        try (OutputStream out = Files.newOutputStream(archive)) {
            dumper.writeArchive(browser.resolve(fx.path("")), ArchiveFormat.ZIP, out);
        }
        Path target = Files.createDirectories(temp.resolve("unzip"));
        run(target, "unzip", "-q", archive.toString());
        assertSameTree(fx.src, target, false);
    }

    @Test
    void archivesOfASubdirectoryAreNamedRelativeToIt() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        dumper.writeArchive(browser.resolve(fx.path("sub")), ArchiveFormat.TAR, out);
        assertThat(tarNames(out.toByteArray())).containsExactlyInAnyOrder("b.txt", "nested/", "nested/deep.txt",
                BrowseFixture.LONG_NAME);
    }

    @Test
    void severalEntriesGoIntoOneArchiveEachUnderItsOwnName() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DumpResult r = dumper.writeArchive(List.of(browser.resolve(fx.path("a.txt")), browser.resolve(fx.path("sub/nested"))),
                ArchiveFormat.TAR, out);
        assertThat(tarNames(out.toByteArray())).containsExactlyInAnyOrder("a.txt", "nested/", "nested/deep.txt");
        assertThat(r.files()).isEqualTo(2);
        assertThat(r.dirs()).isEqualTo(1);
    }

    @Test
    void twoSelectedEntriesWithOneNameAreRefusedBeforeAnythingIsWritten() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThatThrownBy(() -> dumper.writeArchive(List.of(browser.resolve(fx.path("sub/nested")),
                browser.resolve(fx.path("sub/nested"))), ArchiveFormat.ZIP, out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("both named 'nested'");
        assertThat(out.size()).isZero();
    }

    @Test
    void anArchiveOfAFileHoldsThatFileUnderItsName() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DumpResult r = dumper.writeArchive(browser.resolve(fx.path("sub/nested/deep.txt")), ArchiveFormat.TAR, out);
        assertThat(tarNames(out.toByteArray())).containsExactly("deep.txt");
        assertThat(r.files()).isEqualTo(1);
    }

    @Test
    void anArchiveOfAnEmptyDirectoryIsAValidEmptyArchive() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        dumper.writeArchive(browser.resolve(fx.path("emptydir")), ArchiveFormat.TAR, out);
        assertThat(tarNames(out.toByteArray())).isEmpty();
        assertThat(out.size()).isGreaterThanOrEqualTo(1024);
    }

    @Test
    void leavesTheDestinationOpen() throws IOException {
        boolean[] closed = new boolean[1];
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        OutputStream out = new java.io.FilterOutputStream(buffer) {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        dumper.writeArchive(browser.resolve(fx.path("sub")), ArchiveFormat.ZIP, out);
        dumper.writeArchive(browser.resolve(fx.path("sub")), ArchiveFormat.TAR, out);
        assertThat(closed[0]).isFalse();
    }

    @Test
    void damagedContentFailsTheArchiveInsteadOfWritingWrongBytes() throws IOException {
        SnapshotEntry real = browser.resolve(fx.path("big.bin"));
        SnapshotEntry lying = new SnapshotEntry(real.path(), real.node().withContent(real.node().content(), 123));
        assertThatThrownBy(() -> dumper.writeArchive(lying, ArchiveFormat.TAR, new ByteArrayOutputStream()))
                .isInstanceOf(CorruptObjectException.class).hasMessageContaining("longer than the 123 bytes");
    }

    @Test
    void formatsParseFromTheirLabels() {
        assertThat(ArchiveFormat.parse("ZIP")).isEqualTo(ArchiveFormat.ZIP);
        assertThatThrownBy(() -> ArchiveFormat.parse("rar")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("use tar or zip");
    }

    private static List<String> expectedNames(boolean dirsWithSlash) throws IOException {
        List<String> names = new ArrayList<>();
        for (String rel : fx.diskPaths()) {
            names.add(BrowseFixture.isDir(fx.src.resolve(rel)) && dirsWithSlash ? rel + "/" : rel);
        }
        return names;
    }

    private static long totalBytesWithoutHard2() throws IOException {
        long sum = 0;
        try (Stream<Path> s = Files.walk(fx.src)) {
            for (Path p : s.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).toList()) {
                if (!p.getFileName().toString().equals("hard2")) {
                    sum += Files.size(p);
                }
            }
        }
        return sum;
    }

    private static List<String> tarNames(byte[] tar) throws IOException {
        List<String> names = new ArrayList<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            TarArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                names.add(e.getName());
            }
        }
        return names;
    }

    private static void run(Path dir, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(String.join(" ", command) + ": " + output).isZero();
    }

    /** Same paths, same file bytes, same symlink targets, same permission bits (and mtimes if asked). */
    private static void assertSameTree(Path expected, Path actual, boolean compareModes) throws IOException {
        List<String> want;
        List<String> got;
        try (Stream<Path> a = Files.walk(expected); Stream<Path> b = Files.walk(actual)) {
            want = a.map(p -> expected.relativize(p).toString()).sorted().toList();
            got = b.map(p -> actual.relativize(p).toString()).sorted().toList();
        }
        assertThat(got).isEqualTo(want);
        for (String rel : want) {
            Path e = expected.resolve(rel);
            Path g = actual.resolve(rel);
            if (Files.isSymbolicLink(e)) {
                assertThat(Files.isSymbolicLink(g)).as(rel).isTrue();
                assertThat(Files.readSymbolicLink(g)).as(rel).isEqualTo(Files.readSymbolicLink(e));
            } else if (Files.isRegularFile(e)) {
                assertThat(Files.readAllBytes(g)).as(rel).isEqualTo(Files.readAllBytes(e));
                if (compareModes) {
                    assertThat(Files.getPosixFilePermissions(g)).as(rel).isEqualTo(Files.getPosixFilePermissions(e));
                    assertThat(Files.getLastModifiedTime(g).to(TimeUnit.SECONDS)).as(rel)
                            .isEqualTo(Files.getLastModifiedTime(e).to(TimeUnit.SECONDS));
                }
            }
        }
    }
}
