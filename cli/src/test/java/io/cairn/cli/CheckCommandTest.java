package io.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.engine.archiver.Archiver;
import io.cairn.engine.archiver.BackupOptions;
import io.cairn.engine.backend.FileHandle;
import io.cairn.engine.backend.FileType;
import io.cairn.engine.backend.LocalBackend;
import io.cairn.engine.blob.BlobType;
import io.cairn.engine.crypto.KdfParams;
import io.cairn.engine.pack.PackEntry;
import io.cairn.engine.progress.ProgressListener;
import io.cairn.engine.repository.Repository;
import io.cairn.engine.repository.RepositoryException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckCommandTest {

    private static final String PASSWORD = "cli-check-password";

    @TempDir
    Path dir;
    Path repoDir;
    Path passwordFile;
    String stdout;
    String stderr;

    @BeforeEach
    void createRepository() throws IOException {
        System.setProperty("cairn.insecureTestKdf", "true");
        repoDir = dir.resolve("repo");
        Path src = dir.resolve("src");
        Files.createDirectories(src.resolve("photos"));
        Random random = new Random(3);
        byte[] photo = new byte[40_000];
        random.nextBytes(photo);
        Files.write(src.resolve("photos/summit.jpg"), photo);
        Files.writeString(src.resolve("notes.txt"), "cairns mark the trail\n".repeat(200));
        passwordFile = dir.resolve("password");
        Files.writeString(passwordFile, PASSWORD + "\n");
        Repository.InitOptions init = Repository.InitOptions.defaults().withKdf(new KdfParams(64, 1, 1))
                .withChunker(512, 2048, 8192).withPackSize(8 * 1024);
        try (Repository repo = Repository.init(new LocalBackend(repoDir), PASSWORD.toCharArray(), init,
                Clock.systemUTC())) {
            new Archiver(repo, BackupOptions.defaults().withProgressInterval(Duration.ZERO), ProgressListener.NONE)
                    .backup(List.of(src));
        }
    }

    private int cairn(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            return CairnCommand.run(args);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
            stdout = out.toString(StandardCharsets.UTF_8);
            stderr = err.toString(StandardCharsets.UTF_8);
        }
    }

    private int check(String... extra) {
        String[] args = new String[4 + extra.length];
        args[0] = "check";
        args[1] = "--repo=" + repoDir;
        args[2] = "--password-file=" + passwordFile;
        args[3] = "--lock-wait=PT5S";
        System.arraycopy(extra, 0, args, 4, extra.length);
        return cairn(args);
    }

    /** Damages the first blob of the pack holding the photo's first chunk; returns that pack's id. */
    private String damagePhotoPack() throws IOException {
        try (Repository repo = Repository.open(new LocalBackend(repoDir), PASSWORD.toCharArray(), Clock.systemUTC())) {
            for (var info : repo.backend().list(FileType.PACK)) {
                String packId = info.handle().name();
                List<PackEntry> header = repo.loadPackHeader(packId);
                PackEntry first = header.get(0);
                // the photo is random, so its blobs are stored uncompressed: plain length = chunk length
                if (first.type() == BlobType.DATA && first.plainLength() >= 512 && isPhotoBlob(repo, first)) {
                    Path file = repoDir.resolve(FileHandle.of(FileType.PACK, packId).relativePath());
                    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                        raf.seek(first.offset() + first.sealedLength() / 2);
                        int b = raf.read();
                        raf.seek(first.offset() + first.sealedLength() / 2);
                        raf.write(b ^ 0x10);
                    }
                    return packId;
                }
            }
        }
        throw new IllegalStateException("no pack holds the photo");
    }

    private static boolean isPhotoBlob(Repository repo, PackEntry entry) throws IOException {
        var snapshot = repo.snapshots().get(0);
        var tree = repo.loadTree(snapshot.snapshot().tree());
        for (String part : dirPath(snapshot.snapshot().paths().get(0))) {
            tree = repo.loadTree(tree.find(part).orElseThrow().subtree());
        }
        var photos = repo.loadTree(tree.find("photos").orElseThrow().subtree());
        return photos.find("summit.jpg").orElseThrow().content().contains(entry.id().hex());
    }

    private static List<String> dirPath(String absolute) {
        return List.of(absolute.substring(1).split("/"));
    }

    @Test
    void aHealthyRepositoryExitsZero() {
        assertThat(check()).as(stderr).isZero();
        assertThat(stdout).contains("checked 1 snapshot, 1 index, ").contains("structure only").contains("no errors were found");

        assertThat(check("--read-data")).as(stderr).isZero();
        assertThat(stdout).contains("blobs verified").contains("no errors were found");

        assertThat(check("--read-data-subset=1/1")).as(stderr).isZero();
        assertThat(stdout).contains("subset 1/1");
    }

    @Test
    void damagedDataExitsFourNamingThePackTheFileAndWhatToDo() throws IOException {
        String packId = damagePhotoPack();
        assertThat(check()).as("the structure check reads no blob data").isZero();

        assertThat(check("--read-data")).as(stdout + stderr).isEqualTo(RepositoryException.EXIT_DAMAGED);
        assertThat(stdout).contains("ERRORS (1):").contains("blob-damaged").contains(packId)
                .contains("AFFECTED SNAPSHOTS (1):").contains("/photos/summit.jpg")
                .contains("the repository is damaged: 1 error, 1 of 1 snapshot affected")
                .contains("WHAT TO DO NEXT:").contains("cairn restore SNAPSHOT --target DIR --include PATH")
                .contains("cairn forget").contains("cairn check --read-data");
        assertThat(stdout).doesNotContain("notes.txt");
    }

    @Test
    void jsonOutputCarriesTheWholeReport() throws IOException {
        String packId = damagePhotoPack();
        assertThat(check("--read-data", "--json")).isEqualTo(RepositoryException.EXIT_DAMAGED);
        String[] lines = stdout.strip().split("\n");
        ObjectMapper json = new ObjectMapper();
        for (String line : lines) {
            assertThat(json.readTree(line).isObject()).as(line).isTrue();
        }
        JsonNode summary = json.readTree(lines[lines.length - 1]);
        assertThat(summary.get("message_type").asText()).isEqualTo("summary");
        assertThat(summary.get("errors").asInt()).isEqualTo(1);
        assertThat(summary.get("exit_code").asInt()).isEqualTo(4);
        JsonNode problem = summary.get("problems").get(0);
        assertThat(problem.get("kind").asText()).isEqualTo("blob-damaged");
        assertThat(problem.get("severity").asText()).isEqualTo("error");
        assertThat(problem.get("pack_id").asText()).isEqualTo(packId);
        JsonNode damaged = summary.get("affected_snapshots").get(0).get("damaged_paths").get(0);
        assertThat(damaged.get("path").asText()).endsWith("/photos/summit.jpg");
        assertThat(damaged.get("type").asText()).isEqualTo("file");
        assertThat(damaged.get("blob_ids").get(0).asText()).isEqualTo(problem.get("object_id").asText());
        assertThat(summary.get("next_steps").size()).isGreaterThan(1);
        assertThat(summary.get("stats").get("packs_read").asInt()).isPositive();
    }

    @Test
    void aMissingPackIsFoundWithoutReadingData() throws IOException {
        String packId = damagePhotoPack();
        Files.delete(repoDir.resolve(FileHandle.of(FileType.PACK, packId).relativePath()));
        assertThat(check()).isEqualTo(RepositoryException.EXIT_DAMAGED);
        assertThat(stdout).contains("pack-missing").contains(packId).contains("/photos/summit.jpg");
    }

    @Test
    void anInvalidSubsetIsAUsageError() {
        assertThat(check("--read-data-subset=7/5")).isEqualTo(2);
        assertThat(stderr).contains("invalid read-data subset '7/5'").contains("1 <= n <= t");
    }

    @Test
    void aWrongPasswordIsReportedAsSuch() throws IOException {
        Files.writeString(passwordFile, "not the password\n");
        assertThat(check()).isEqualTo(RepositoryException.EXIT_WRONG_PASSWORD);
        assertThat(stderr).contains("wrong password");
    }
}
