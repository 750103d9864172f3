package io.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.engine.archiver.Archiver;
import io.cairn.engine.archiver.BackupOptions;
import io.cairn.engine.backend.LocalBackend;
import io.cairn.engine.crypto.KdfParams;
import io.cairn.engine.progress.ProgressListener;
import io.cairn.engine.repository.Repository;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code ls}, {@code dump}, {@code diff} and {@code stats} run through {@link CairnCommand#run}. */
class BrowseCommandsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path temp;
    static Path repoDir;
    static Path passwordFile;
    static Path src;
    static String first;
    static String second;

    @BeforeAll
    static void setUp() throws IOException {
        System.setProperty("cairn.insecureTestKdf", "true");
        repoDir = temp.resolve("repo");
        passwordFile = temp.resolve("password");
        Files.writeString(passwordFile, "secret\n");
        src = temp.resolve("src").toAbsolutePath().normalize();
        Files.createDirectories(src.resolve("docs/deep"));
        Files.writeString(src.resolve("a.txt"), "hello\n");
        Files.writeString(src.resolve("docs/readme.md"), "# readme\n");
        Files.writeString(src.resolve("docs/deep/notes.txt"), "notes\n");
        Files.write(src.resolve("empty"), new byte[0]);
        byte[] big = new byte[70_000];
        new Random(7).nextBytes(big);
        Files.write(src.resolve("big.bin"), big);
        Files.createSymbolicLink(src.resolve("link"), Path.of("docs/readme.md"));
        try (Repository r = Repository.init(new LocalBackend(repoDir), "secret".toCharArray(),
                Repository.InitOptions.defaults().withKdf(new KdfParams(64, 1, 1)).withChunker(512, 2048, 8192),
                Clock.systemUTC())) {
            first = backup(r);
            Files.writeString(src.resolve("added.txt"), "new file\n");
            Files.delete(src.resolve("a.txt"));
            Files.writeString(src.resolve("docs/readme.md"), "# readme, longer now\n");
            second = backup(r);
        }
    }

    private static String backup(Repository r) throws IOException {
        return new Archiver(r, BackupOptions.defaults().withProgressInterval(Duration.ZERO), ProgressListener.NONE)
                .backup(List.of(src)).snapshotId();
    }

    private static CliRun cairn(String... args) {
        return CliRun.of(repoDir, passwordFile, args);
    }

    private static String p(String relative) {
        return src + "/" + relative;
    }

    // ---------------------------------------------------------------- ls

    @Test
    void lsListsADirectorysEntriesAsFullPaths() {
        CliRun run = cairn("ls", first, src.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.lines()).containsExactly(p("a.txt"), p("big.bin"), p("docs"), p("empty"), p("link"));
    }

    @Test
    void lsRecursiveListsEverythingBelow() throws IOException {
        CliRun run = cairn("ls", first, p("docs"), "-R");
        assertThat(run.lines()).containsExactly(p("docs/deep"), p("docs/deep/notes.txt"), p("docs/readme.md"));
    }

    @Test
    void lsLongShowsModeOwnerSizeTimeAndLinkTargets() throws IOException {
        CliRun run = cairn("ls", "-l", first, src.toString());
        assertThat(run.exitCode()).isZero();
        String owner = Files.getOwner(src.resolve("big.bin")).getName();
        String big = run.lines().stream().filter(l -> l.endsWith(p("big.bin"))).findFirst().orElseThrow();
        assertThat(big).startsWith(permissions(src.resolve("big.bin")) + "  " + owner).contains(" 70000 ");
        assertThat(big).matches(".* \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d " + java.util.regex.Pattern.quote(p("big.bin")));
        assertThat(run.lines()).anyMatch(l -> l.startsWith("drwx") && l.endsWith(p("docs")));
        assertThat(run.lines()).anyMatch(l -> l.startsWith("lrwxrwxrwx") && l.endsWith(p("link") + " -> docs/readme.md"));
    }

    @Test
    void lsJsonPrintsOneObjectPerEntry() throws IOException {
        CliRun run = cairn("ls", "--json", "--recursive", first, src.toString());
        assertThat(run.exitCode()).isZero();
        Map<String, JsonNode> byPath = new HashMap<>();
        for (JsonNode n : run.json()) {
            byPath.put(n.get("path").asText(), n);
        }
        assertThat(byPath.keySet()).containsExactlyInAnyOrder(p("a.txt"), p("big.bin"), p("docs"), p("docs/deep"),
                p("docs/deep/notes.txt"), p("docs/readme.md"), p("empty"), p("link"));
        JsonNode a = byPath.get(p("big.bin"));
        assertThat(a.get("message_type").asText()).isEqualTo("entry");
        assertThat(a.get("name").asText()).isEqualTo("big.bin");
        assertThat(a.get("type").asText()).isEqualTo("file");
        assertThat(a.get("size").asLong()).isEqualTo(70_000);
        assertThat(a.get("mode").asInt()).isEqualTo(unixMode(src.resolve("big.bin")));
        assertThat(a.get("permissions").asText()).startsWith("-");
        assertThat(java.time.Instant.parse(a.get("mtime").asText())).isNotNull();
        assertThat(a.get("uid").asLong()).isEqualTo(((Integer) Files.getAttribute(src, "unix:uid")).longValue());
        assertThat(a.get("user").asText()).isNotEmpty();
        assertThat(byPath.get(p("link")).get("link_target").asText()).isEqualTo("docs/readme.md");
        assertThat(byPath.get(p("docs")).get("type").asText()).isEqualTo("dir");
    }

    @ParameterizedTest
    @ValueSource(strings = {"../etc/passwd", "/a/../../x", "/tmp/./x"})
    void lsAndDumpRejectPathsThatClimbOrDot(String path) {
        for (CliRun run : List.of(cairn("ls", first, path), cairn("dump", first, path))) {
            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.err()).contains("error: invalid path '" + path + "'").contains("is not allowed");
            assertThat(run.out()).isEmpty();
        }
    }

    @Test
    void lsOfAMissingPathFailsWithAHint() {
        CliRun run = cairn("ls", first, p("nope"));
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("no such file or directory").contains("has no entry 'nope'");
    }

    @Test
    void anUnknownSnapshotFails() {
        CliRun run = cairn("ls", "abcdef12", "/");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("no snapshot with id abcdef12");
    }

    // ---------------------------------------------------------------- dump

    @Test
    void dumpWritesAFilesBytesToOutput() throws IOException {
        Path out = temp.resolve("big.out");
        CliRun run = cairn("dump", first, p("big.bin"), "--output", out.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(Files.readAllBytes(out)).isEqualTo(Files.readAllBytes(src.resolve("big.bin")));
        assertThat(run.out()).contains("wrote " + p("big.bin"));
    }

    @Test
    void dumpWritesADirectoryAsZip() throws IOException {
        Path out = temp.resolve("docs.zip");
        CliRun run = cairn("dump", "--json", first, p("docs"), "--archive", "zip", "-o", out.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        Map<String, byte[]> entries = new HashMap<>();
        try (var zip = new java.util.zip.ZipFile(out.toFile())) {
            for (var e : java.util.Collections.list(zip.entries())) {
                entries.put(e.getName(), zip.getInputStream(e).readAllBytes());
            }
        }
        assertThat(entries.keySet()).containsExactlyInAnyOrder("deep/", "deep/notes.txt", "readme.md");
        assertThat(new String(entries.get("readme.md"), StandardCharsets.UTF_8)).isEqualTo("# readme\n");
        JsonNode summary = run.json().get(0);
        assertThat(summary.get("format").asText()).isEqualTo("zip");
        assertThat(summary.get("files").asLong()).isEqualTo(2);
        assertThat(summary.get("output_bytes").asLong()).isEqualTo(Files.size(out));
    }

    @Test
    void dumpOfASymlinkWithoutArchiveExplainsWhatToDo() {
        CliRun run = cairn("dump", first, p("link"), "-o", temp.resolve("link.out").toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("is a symlink to 'docs/readme.md'").contains("--archive tar");
        assertThat(temp.resolve("link.out")).doesNotExist();
    }

    @Test
    void dumpWithAnUnknownFormatIsAUsageError() {
        CliRun run = cairn("dump", first, p("docs"), "--archive", "rar", "-o", temp.resolve("x.rar").toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("unknown archive format 'rar'");
    }

    @Test
    void dumpStreamsATarToStandardOutputUnchanged() throws Exception {
        Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(javaBin.toString(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "dump", "--repo", repoDir.toString(),
                "--password-file", passwordFile.toString(), first, src.toString())
                .redirectError(ProcessBuilder.Redirect.PIPE).start();
        byte[] stdout = process.getInputStream().readAllBytes();
        String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(stderr).isZero();

        Map<String, byte[]> files = new HashMap<>();
        Map<String, String> links = new HashMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new ByteArrayInputStream(stdout))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                if (e.isSymbolicLink()) {
                    links.put(e.getName(), e.getLinkName());
                } else {
                    files.put(e.getName(), tar.readAllBytes());
                }
            }
        }
        assertThat(files.keySet()).containsExactlyInAnyOrder("a.txt", "big.bin", "docs/", "docs/deep/",
                "docs/deep/notes.txt", "docs/readme.md", "empty");
        assertThat(files.get("big.bin")).isEqualTo(Files.readAllBytes(src.resolve("big.bin")));
        assertThat(links).containsExactly(Map.entry("link", "docs/readme.md"));
    }

    // ---------------------------------------------------------------- diff

    @Test
    void diffPrintsOneLinePerChangeAndASummary() {
        CliRun run = cairn("diff", first, second);
        assertThat(run.exitCode()).as(run.err()).isZero();
        List<String> below = run.lines().stream().filter(l -> l.contains(src + "/")).toList();
        assertThat(below).containsExactlyInAnyOrder("+    " + p("added.txt"), "-    " + p("a.txt"),
                "M    " + p("docs/readme.md"), "U    " + src + "/");
        assertThat(run.out()).contains("Files:         1 new,      1 removed,      1 changed");
        assertThat(run.out()).contains("Bytes:    " + Output.bytes(9 + 21) + " added, " + Output.bytes(6 + 9) + " removed");
    }

    @Test
    void diffJsonPrintsChangesThenStatistics() throws IOException {
        CliRun run = cairn("diff", "--json", first, second);
        List<JsonNode> nodes = run.json();
        JsonNode last = nodes.get(nodes.size() - 1);
        assertThat(last.get("message_type").asText()).isEqualTo("statistics");
        assertThat(last.get("files_added").asLong()).isEqualTo(1);
        assertThat(last.get("files_removed").asLong()).isEqualTo(1);
        assertThat(last.get("files_changed").asLong()).isEqualTo(1);
        JsonNode readme = nodes.stream().filter(n -> n.path("path").asText().equals(p("docs/readme.md"))).findFirst()
                .orElseThrow();
        assertThat(readme.get("modifier").asText()).isEqualTo("M");
        assertThat(readme.get("status").asText()).isEqualTo("changed");
        assertThat(readme.get("changes").toString()).contains("content");
        assertThat(readme.get("size_before").asLong()).isEqualTo(9);
        assertThat(readme.get("size_after").asLong()).isEqualTo(21);
    }

    // ---------------------------------------------------------------- stats

    @Test
    void statsRestoreSizeOfOneSnapshotIsTheSumOfItsFiles() throws IOException {
        CliRun run = cairn("stats", "--json", second);
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode s = run.json().get(0);
        long files = 0;
        long bytes = 0;
        try (Stream<Path> walk = Files.walk(src)) {
            for (Path f : walk.filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)).toList()) {
                files++;
                bytes += Files.size(f);
            }
        }
        assertThat(s.get("mode").asText()).isEqualTo("restore-size");
        assertThat(s.get("snapshots").asLong()).isEqualTo(1);
        assertThat(s.get("total_file_count").asLong()).isEqualTo(files);
        assertThat(s.get("total_size").asLong()).isEqualTo(bytes);
    }

    @Test
    void statsDefaultsToEverySnapshot() {
        CliRun run = cairn("stats");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("Stats in restore-size mode:").contains("Snapshots processed:     2");
    }

    @Test
    void statsRawDataReportsBlobsAndPacks() throws IOException {
        CliRun run = cairn("stats", "--mode", "raw-data", "--json");
        JsonNode s = run.json().get(0);
        long packBytes;
        try (Stream<Path> walk = Files.walk(repoDir.resolve("data"))) {
            packBytes = walk.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
        assertThat(s.get("pack_bytes").asLong()).isEqualTo(packBytes);
        assertThat(s.get("total_blob_count").asLong())
                .isEqualTo(s.get("data_blob_count").asLong() + s.get("tree_blob_count").asLong());
        assertThat(s.get("missing_blob_count").asLong()).isZero();
        assertThat(s.get("total_stored_size").asLong()).isPositive().isLessThanOrEqualTo(packBytes);
        assertThat(s.get("compression_ratio").asDouble()).isPositive();
    }

    @Test
    void statsWithAnUnknownModeIsAUsageError() {
        CliRun run = cairn("stats", "--mode", "everything");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("unknown stats mode 'everything'");
    }

    private static String permissions(Path p) throws IOException {
        return "-" + java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    private static int unixMode(Path p) throws IOException {
        return (Integer) Files.getAttribute(p, "unix:mode") & 07777;
    }
}
