package io.cairn.engine.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.engine.backend.FileHandle;
import io.cairn.engine.backend.FileInfo;
import io.cairn.engine.backend.FileType;
import io.cairn.engine.backend.LocalBackend;
import io.cairn.engine.blob.BlobId;
import io.cairn.engine.blob.BlobType;
import io.cairn.engine.blob.Compression;
import io.cairn.engine.crypto.CorruptObjectException;
import io.cairn.engine.crypto.KdfParams;
import io.cairn.engine.crypto.MasterKey;
import io.cairn.engine.crypto.Seal;
import io.cairn.engine.index.Index;
import io.cairn.engine.index.IndexFile;
import io.cairn.engine.pack.PackEntry;
import io.cairn.engine.snapshot.Snapshot;
import io.cairn.engine.snapshot.SnapshotRef;
import io.cairn.engine.snapshot.SnapshotSummary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opening and creating repositories, keys and passwords, snapshots by reference, and how the index
 * is assembled from index files (repository-format.md §2, §5, §6, §8).
 */
class RepositoryTest {

    static final char[] PASSWORD = "correct horse".toCharArray();
    static final KdfParams TINY_KDF = new KdfParams(64, 1, 1);
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @BeforeAll
    static void allowTinyArgon2() {
        System.setProperty("cairn.insecureTestKdf", "true");
    }

    static Repository.InitOptions tinyOptions() {
        return Repository.InitOptions.defaults().withKdf(TINY_KDF).withChunker(1024, 4096, 16384).withPackSize(64 * 1024);
    }

    private Repository init() throws IOException {
        return Repository.init(new LocalBackend(dir), PASSWORD, tinyOptions(), CLOCK);
    }

    private Repository open(String password) throws IOException {
        return Repository.open(new LocalBackend(dir), password.toCharArray(), CLOCK);
    }

    @Test
    void initThenOpenGivesTheSameConfigAndMasterKey() throws IOException {
        Repository created = init();
        Repository opened = open("correct horse");

        assertThat(opened.config()).isEqualTo(created.config());
        assertThat(opened.masterKey().toBytes()).isEqualTo(created.masterKey().toBytes());
        assertThat(opened.keyId()).isEqualTo(created.keyId()).matches("[0-9a-f]{64}");
        RepositoryConfig config = opened.config();
        assertThat(config.version()).isEqualTo(1);
        assertThat(config.id()).matches("[0-9a-f]{64}");
        assertThat(List.of(config.chunkerMin(), config.chunkerAvg(), config.chunkerMax(), config.chunkerNormalization()))
                .containsExactly(1024, 4096, 16384, 2);
        assertThat(Base64.getDecoder().decode(config.chunkerSeed())).hasSize(32);
        assertThat(config.compression()).isEqualTo("default");
        assertThat(config.packSize()).isEqualTo(64 * 1024);
        assertThat(opened.chunkerParams().avgSize()).isEqualTo(4096);
        assertThat(opened.defaultCompression()).isEqualTo(Compression.DEFAULT);
    }

    @Test
    void writesTheDocumentedFiles() throws IOException {
        Repository repo = init();

        assertThat(Files.isRegularFile(dir.resolve("config"))).isTrue();
        try (var keys = Files.list(dir.resolve("keys"))) {
            assertThat(keys.map(p -> p.getFileName().toString()).toList()).containsExactly(repo.keyId());
        }
        // config: sealed JSON under aad cairn/v1/config/config with the documented fields
        byte[] configJson = repo.masterKey().open(Files.readAllBytes(dir.resolve("config")),
                "cairn/v1/config/config".getBytes(StandardCharsets.US_ASCII), "config");
        JsonNode config = JSON.readTree(configJson);
        assertThat(iterableFieldNames(config)).containsExactly("version", "id", "chunkerMin", "chunkerAvg", "chunkerMax",
                "chunkerNormalization", "chunkerSeed", "compression", "packSize", "streamChunkerMin", "streamChunkerAvg",
                "streamChunkerMax");

        // key file: plain JSON; Argon2id of the password unwraps the master key under aad cairn/v1/keys/<id>
        JsonNode key = JSON.readTree(dir.resolve("keys").resolve(repo.keyId()).toFile());
        assertThat(iterableFieldNames(key)).containsExactly("cairn", "kdf", "memoryKiB", "iterations", "parallelism",
                "salt", "created", "hostname", "username", "data");
        assertThat(key.get("cairn").asInt()).isEqualTo(1);
        assertThat(key.get("kdf").asText()).isEqualTo("argon2id");
        assertThat(key.get("created").asText()).isEqualTo("2026-03-01T12:00:00Z");
        KdfParams kdf = new KdfParams(key.get("memoryKiB").asInt(), key.get("iterations").asInt(),
                key.get("parallelism").asInt());
        assertThat(kdf).isEqualTo(TINY_KDF);
        byte[] wrapping = kdf.derive(PASSWORD, Base64.getDecoder().decode(key.get("salt").asText()));
        byte[] sealed = Base64.getDecoder().decode(key.get("data").asText());
        assertThat(sealed).hasSize(Seal.sealedLength(64));
        byte[] master = Seal.open(wrapping, sealed, ("cairn/v1/keys/" + repo.keyId()).getBytes(StandardCharsets.US_ASCII),
                "key");
        assertThat(master).isEqualTo(repo.masterKey().toBytes());
    }

    @Test
    void aWrongPasswordIsReportedAsSuch() throws IOException {
        init();
        assertThatThrownBy(() -> open("incorrect horse"))
                .isInstanceOf(RepositoryException.class)
                .hasMessageContaining("wrong password")
                .extracting(e -> ((RepositoryException) e).exitCode()).isEqualTo(RepositoryException.EXIT_WRONG_PASSWORD);
    }

    @Test
    void aLocationWithoutConfigIsNoRepository() throws IOException {
        for (Path location : List.of(dir, dir.resolve("does-not-exist"))) {
            assertThatThrownBy(() -> Repository.open(new LocalBackend(location), PASSWORD, CLOCK))
                    .isInstanceOf(RepositoryException.class)
                    .hasMessageContaining("no Cairn repository")
                    .extracting(e -> ((RepositoryException) e).exitCode())
                    .isEqualTo(RepositoryException.EXIT_NO_REPOSITORY);
        }
    }

    @Test
    void keysThatAreNotCairnKeysMeanAForeignRepository() throws IOException {
        Files.write(dir.resolve("config"), new byte[] {1, 2, 3});
        Files.createDirectories(dir.resolve("keys"));
        Files.writeString(dir.resolve("keys").resolve("ab".repeat(32)),
                "{\"created\":\"2020-01-01\",\"kdf\":\"scrypt\",\"N\":32768,\"r\":8,\"p\":1,\"salt\":\"AAAA\",\"data\":\"AAAA\"}");
        Files.writeString(dir.resolve("keys").resolve("cd".repeat(32)), "not json at all");

        assertThatThrownBy(() -> open("anything"))
                .isInstanceOf(RepositoryException.class)
                .hasMessageContaining("not a Cairn repository")
                .extracting(e -> ((RepositoryException) e).exitCode()).isEqualTo(RepositoryException.EXIT_NO_REPOSITORY);
    }

    @Test
    void initRefusesAnExistingRepositoryAndLeavesItIntact() throws IOException {
        Repository first = init();
        byte[] config = Files.readAllBytes(dir.resolve("config"));

        assertThatThrownBy(this::init)
                .isInstanceOf(RepositoryException.class)
                .hasMessageContaining("already exists")
                .extracting(e -> ((RepositoryException) e).exitCode()).isEqualTo(RepositoryException.EXIT_FAILURE);
        assertThat(Files.readAllBytes(dir.resolve("config"))).isEqualTo(config);
        assertThat(open("correct horse").config()).isEqualTo(first.config());
        assertThat(first.listKeys()).hasSize(1);
    }

    @Test
    void emptyPasswordsAreRefused() throws IOException {
        assertThatThrownBy(() -> Repository.init(new LocalBackend(dir), new char[0], tinyOptions(), CLOCK))
                .isInstanceOf(RepositoryException.class).hasMessageContaining("empty password");
        assertThat(Files.exists(dir.resolve("config"))).isFalse();
        Repository repo = init();
        assertThatThrownBy(() -> repo.addKey(new char[0], TINY_KDF))
                .isInstanceOf(RepositoryException.class).hasMessageContaining("empty password");
    }

    @Test
    void argon2BelowTheOwaspMinimumNeedsTheTestProperty() throws IOException {
        String before = System.getProperty("cairn.insecureTestKdf");
        System.clearProperty("cairn.insecureTestKdf");
        try {
            // 20 MiB x 1 pass: more memory than the default, but none of OWASP's settings (1 pass needs 46 MiB)
            for (KdfParams weak : List.of(TINY_KDF, new KdfParams(20 * 1024, 1, 1))) {
                assertThatThrownBy(() -> Repository.init(new LocalBackend(dir), PASSWORD, tinyOptions().withKdf(weak), CLOCK))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("below OWASP's minimum (" + weak.memoryKiB() + " KiB x 1 passes")
                        .hasMessageContaining(KdfParams.OWASP_SETTINGS_TEXT);
                assertThat(Files.exists(dir.resolve("config"))).isFalse();
            }
        } finally {
            System.setProperty("cairn.insecureTestKdf", before == null ? "true" : before);
        }
    }

    @Test
    void anAddedKeyOpensTheRepositoryAndKeysAreListed() throws IOException {
        Repository repo = init();
        String second = repo.addKey("second password".toCharArray(), TINY_KDF);

        Repository viaSecond = open("second password");
        assertThat(viaSecond.keyId()).isEqualTo(second);
        assertThat(viaSecond.masterKey().toBytes()).isEqualTo(repo.masterKey().toBytes());
        assertThat(open("correct horse").keyId()).isEqualTo(repo.keyId());

        List<KeyInfo> keys = viaSecond.listKeys();
        assertThat(keys).extracting(KeyInfo::id).containsExactlyInAnyOrder(repo.keyId(), second);
        assertThat(keys).filteredOn(KeyInfo::current).extracting(KeyInfo::id).containsExactly(second);
        assertThat(keys).allSatisfy(k -> {
            assertThat(k.kdf()).isEqualTo("argon2id");
            assertThat(k.memoryKiB()).isEqualTo(64);
        });
    }

    @Test
    void removeKeyRefusesTheCurrentKeyAndTheLastKey() throws IOException {
        Repository viaFirst = init();
        String first = viaFirst.keyId();
        String second = viaFirst.addKey("second password".toCharArray(), TINY_KDF);

        assertThatThrownBy(() -> viaFirst.removeKey(first.substring(0, 10)))
                .isInstanceOf(RepositoryException.class).hasMessageContaining("the key you are using");

        Repository viaSecond = open("second password");
        viaSecond.removeKey(first.substring(0, 10));
        assertThat(viaSecond.listKeys()).extracting(KeyInfo::id).containsExactly(second);
        assertThatThrownBy(() -> open("correct horse"))
                .isInstanceOf(RepositoryException.class)
                .extracting(e -> ((RepositoryException) e).exitCode()).isEqualTo(RepositoryException.EXIT_WRONG_PASSWORD);

        // viaFirst's own key is gone; the one left is the last and must stay
        assertThatThrownBy(() -> viaFirst.removeKey(second))
                .isInstanceOf(RepositoryException.class).hasMessageContaining("last key");
        assertThat(open("second password").keyId()).isEqualTo(second);
        assertThatThrownBy(() -> viaSecond.removeKey("0".repeat(64)))
                .isInstanceOf(RepositoryException.class).hasMessageContaining("no key with id");
    }

    @Test
    void whatAPasswordUnlockedOpensTheRepositoryAgainUntilItsKeyIsRemoved() throws IOException {
        Repository viaFirst = init();
        Repository.Unlocked unlocked = open("correct horse").unlocked();
        assertThat(unlocked.toString()).doesNotContain(java.util.HexFormat.of().formatHex(viaFirst.masterKey().toBytes()));

        Repository again = Repository.open(new LocalBackend(dir), unlocked, CLOCK);
        assertThat(again.keyId()).isEqualTo(viaFirst.keyId());
        assertThat(again.masterKey().toBytes()).isEqualTo(viaFirst.masterKey().toBytes());
        assertThat(again.config()).isEqualTo(viaFirst.config());

        // removing the key that was used locks out whoever kept what it unlocked
        viaFirst.addKey("second password".toCharArray(), TINY_KDF);
        open("second password").removeKey(viaFirst.keyId());
        assertThatThrownBy(() -> Repository.open(new LocalBackend(dir), unlocked, CLOCK))
                .isInstanceOf(RepositoryException.class)
                .extracting(e -> ((RepositoryException) e).exitCode()).isEqualTo(RepositoryException.EXIT_WRONG_PASSWORD);
    }

    @Test
    void whatOneRepositoryUnlockedDoesNotOpenAnother() throws IOException {
        Repository.Unlocked fromFirst = init().unlocked();
        Path other = dir.resolve("other");
        Repository second = Repository.init(new LocalBackend(other), PASSWORD, tinyOptions(), CLOCK);
        // even under the key file name of the other repository, the master key does not open its config
        java.nio.file.Files.copy(other.resolve("keys").resolve(second.keyId()),
                other.resolve("keys").resolve(fromFirst.keyId()));

        assertThatThrownBy(() -> Repository.open(new LocalBackend(other), fromFirst, CLOCK))
                .isInstanceOf(RepositoryException.class)
                .extracting(e -> ((RepositoryException) e).exitCode()).isEqualTo(RepositoryException.EXIT_WRONG_PASSWORD);
    }

    @Test
    void changePasswordReplacesTheKey() throws IOException {
        Repository repo = init();
        String oldKey = repo.keyId();

        String newKey = repo.changePassword("new password".toCharArray(), TINY_KDF);

        assertThat(newKey).isNotEqualTo(oldKey);
        assertThatThrownBy(() -> open("correct horse"))
                .isInstanceOf(RepositoryException.class)
                .extracting(e -> ((RepositoryException) e).exitCode()).isEqualTo(RepositoryException.EXIT_WRONG_PASSWORD);
        Repository reopened = open("new password");
        assertThat(reopened.keyId()).isEqualTo(newKey);
        assertThat(reopened.masterKey().toBytes()).isEqualTo(repo.masterKey().toBytes());
        assertThat(reopened.listKeys()).extracting(KeyInfo::id).containsExactly(newKey);
    }

    @Test
    void newRepositoriesCutStreamsIntoLargerChunksThanFiles() throws IOException {
        Repository repo = Repository.init(new LocalBackend(dir), PASSWORD,
                Repository.InitOptions.defaults().withKdf(TINY_KDF), CLOCK);
        repo.close();
        Repository reopened = open("correct horse");

        // files: 256 KiB / 512 KiB / 4 MiB (docs/adr/0017)
        assertThat(reopened.chunkerParams().minSize()).isEqualTo(256 << 10);
        assertThat(reopened.chunkerParams().avgSize()).isEqualTo(512 << 10);
        assertThat(reopened.chunkerParams().maxSize()).isEqualTo(4 << 20);
        assertThat(reopened.streamChunkerParams().minSize()).isEqualTo(2 << 20);
        assertThat(reopened.streamChunkerParams().avgSize()).isEqualTo(4 << 20);
        assertThat(reopened.streamChunkerParams().maxSize()).isEqualTo(8 << 20);
        assertThat(reopened.streamChunkerParams().gearSeed()).isEqualTo(reopened.chunkerParams().gearSeed());
    }

    @Test
    void aRepositoryWithoutStreamChunkSizesCutsStreamsLikeFiles() throws IOException {
        // repositories made before streams had sizes of their own: their dumps must keep deduplicating
        Repository repo = init();
        RepositoryConfig c = repo.config();
        RepositoryConfig older = new RepositoryConfig(c.version(), c.id(), c.chunkerMin(), c.chunkerAvg(), c.chunkerMax(),
                c.chunkerNormalization(), c.chunkerSeed(), c.compression(), c.packSize(), null, null, null);
        byte[] json = JSON.writeValueAsBytes(older);
        assertThat(new String(json, StandardCharsets.UTF_8)).doesNotContain("stream");
        repo.backend().delete(FileHandle.CONFIG);
        repo.backend().save(FileHandle.CONFIG, repo.masterKey().seal(json,
                "cairn/v1/config/config".getBytes(StandardCharsets.US_ASCII), repo.random()));

        Repository reopened = open("correct horse");
        assertThat(reopened.config().hasStreamChunker()).isFalse();
        assertThat(reopened.streamChunkerParams()).isEqualTo(reopened.chunkerParams());
    }

    @Test
    void aConfigOfAnotherFormatVersionIsRefused() throws IOException {
        Repository repo = init();
        RepositoryConfig c = repo.config();
        RepositoryConfig future = new RepositoryConfig(2, c.id(), c.chunkerMin(), c.chunkerAvg(), c.chunkerMax(),
                c.chunkerNormalization(), c.chunkerSeed(), c.compression(), c.packSize(), c.streamChunkerMin(),
                c.streamChunkerAvg(), c.streamChunkerMax());
        repo.backend().delete(FileHandle.CONFIG);
        repo.backend().save(FileHandle.CONFIG, repo.masterKey().seal(JSON.writeValueAsBytes(future),
                "cairn/v1/config/config".getBytes(StandardCharsets.US_ASCII), repo.random()));

        assertThatThrownBy(() -> open("correct horse"))
                .isInstanceOf(RepositoryException.class)
                .hasMessageContaining("version 2").hasMessageContaining("upgrade Cairn")
                .extracting(e -> ((RepositoryException) e).exitCode()).isEqualTo(RepositoryException.EXIT_NO_REPOSITORY);
    }

    @Test
    void aSealedFileOpensOnlyUnderItsOwnName() throws IOException {
        Repository repo = init();
        String id = repo.saveSnapshot(snapshot("2026-01-01T00:00:00Z"));
        String otherId = "0".repeat(64);
        repo.backend().save(FileHandle.of(FileType.SNAPSHOT, otherId),
                repo.backend().load(FileHandle.of(FileType.SNAPSHOT, id)));

        assertThat(repo.loadSnapshot(id).snapshot()).isEqualTo(snapshot("2026-01-01T00:00:00Z"));
        assertThatThrownBy(() -> repo.loadSnapshot(otherId))
                .isInstanceOf(CorruptObjectException.class)
                .hasMessageContaining("failed authentication");
        assertThatThrownBy(() -> repo.loadSealed(FileHandle.of(FileType.INDEX, id)))
                .isInstanceOf(IOException.class);
    }

    @Test
    void snapshotsAreListedOldestFirstAndFoundByReference() throws IOException {
        Repository repo = init();
        assertThat(repo.snapshots()).isEmpty();
        assertThatThrownBy(() -> repo.findSnapshot("latest"))
                .isInstanceOf(RepositoryException.class).hasMessageContaining("no snapshots");

        String middle = repo.saveSnapshot(snapshot("2026-02-02T00:00:00Z"));
        String newest = repo.saveSnapshot(snapshot("2026-02-03T00:00:00.000000001Z"));
        String oldest = repo.saveSnapshot(snapshot("2026-02-01T00:00:00Z"));

        assertThat(repo.snapshots()).extracting(SnapshotRef::id).containsExactly(oldest, middle, newest);
        assertThat(repo.findSnapshot("latest").id()).isEqualTo(newest);
        assertThat(repo.findSnapshot(oldest).id()).isEqualTo(oldest);
        assertThat(repo.findSnapshot(middle).snapshot().time()).isEqualTo("2026-02-02T00:00:00Z");
        assertThat(repo.findSnapshot(newest).shortId()).isEqualTo(newest.substring(0, 8));
        assertThatThrownBy(() -> repo.findSnapshot("xyz"))
                .isInstanceOf(RepositoryException.class).hasMessageContaining("not a snapshot id");
        assertThatThrownBy(() -> repo.findSnapshot("LATEST"))
                .isInstanceOf(RepositoryException.class).hasMessageContaining("not a snapshot id");
    }

    @Test
    void aUniquePrefixFindsASnapshotAndAnAmbiguousOneIsAnError() throws IOException {
        Repository repo = init();
        Map<Character, List<String>> byFirstDigit = new HashMap<>();
        // 17 ids over 16 first digits: at least two share one
        for (int i = 0; i < 17; i++) {
            String id = repo.saveSnapshot(snapshot("2026-01-01T00:00:" + String.format("%02d", i) + "Z"));
            byFirstDigit.computeIfAbsent(id.charAt(0), k -> new ArrayList<>()).add(id);
        }
        List<String> shared = byFirstDigit.values().stream().filter(l -> l.size() > 1).findFirst().orElseThrow();
        String prefix = shared.get(0).substring(0, 1);

        assertThatThrownBy(() -> repo.findSnapshot(prefix))
                .isInstanceOf(RepositoryException.class)
                .hasMessageContaining("'" + prefix + "' matches " + shared.size() + " snapshots")
                .hasMessageContaining("give more digits");
        for (String id : shared) {
            assertThat(repo.findSnapshot(id.substring(0, 12)).id()).isEqualTo(id);
        }
        String absent = byFirstDigit.containsKey('f') ? null : "f";
        if (absent != null) {
            assertThatThrownBy(() -> repo.findSnapshot(absent))
                    .isInstanceOf(RepositoryException.class).hasMessageContaining("no snapshot with id f");
        }
        repo.deleteSnapshot(shared.get(0));
        assertThat(repo.snapshots()).hasSize(16);
    }

    @Test
    void loadIndexSkipsIndexFilesThatAnotherOneSupersedes() throws IOException {
        Repository repo = init();
        String old1 = repo.saveIndex(indexFile(List.of(), "a1", 1, 2));
        String old2 = repo.saveIndex(indexFile(List.of(), "a2", 3));
        String replacement = repo.saveIndex(indexFile(List.of(old1, old2), "b1", 1, 3));
        String independent = repo.saveIndex(indexFile(List.of(), "c1", 4));

        Index index = repo.loadIndex();

        assertThat(index.indexIds()).containsExactlyInAnyOrder(replacement, independent);
        assertThat(index.indexFilesSeen()).containsExactlyInAnyOrder(old1, old2, replacement, independent);
        assertThat(index.has(blob(1))).isTrue();
        assertThat(index.find(blob(1)).packId()).isEqualTo("b1".repeat(32));
        assertThat(index.has(blob(2))).as("only in a superseded index").isFalse();
        assertThat(index.find(blob(3)).packId()).isEqualTo("b1".repeat(32));
        assertThat(index.find(blob(4)).packId()).isEqualTo("c1".repeat(32));
        assertThat(repo.loadIndexFiles()).containsOnlyKeys(old1, old2, replacement, independent);
    }

    @Test
    void refreshIndexReloadsOnlyWhenIndexFilesChanged() throws IOException {
        Repository repo = init();
        repo.saveIndex(indexFile(List.of(), "a1", 1));
        Index first = repo.index();
        assertThat(repo.index()).isSameAs(first);
        assertThat(repo.refreshIndex()).isSameAs(first);

        // another process writes an index file
        Repository other = open("correct horse");
        String added = other.saveIndex(indexFile(List.of(), "a2", 2));
        Index second = repo.refreshIndex();
        assertThat(second).isNotSameAs(first);
        assertThat(second.has(blob(2))).isTrue();
        assertThat(repo.index()).isSameAs(second);

        // ... and removes one (as prune does)
        other.backend().delete(FileHandle.of(FileType.INDEX, added));
        Index third = repo.refreshIndex();
        assertThat(third).isNotSameAs(second);
        assertThat(third.has(blob(2))).isFalse();
        assertThat(third.has(blob(1))).isTrue();
    }

    @Test
    void aDamagedIndexFileFailsLoudly() throws IOException {
        Repository repo = init();
        String id = repo.saveIndex(indexFile(List.of(), "a1", 1));
        Path file = dir.resolve("index").resolve(id);
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 1;
        Files.delete(file);
        Files.write(file, bytes);

        assertThatThrownBy(repo::loadIndex)
                .isInstanceOf(CorruptObjectException.class)
                .hasMessageContaining(id);
    }

    /** git and object-store syncs keep no empty directories; such a copy must stay fully usable. */
    @Test
    void aCopyWithoutItsEmptyDirectoriesIsStillWritable() throws IOException {
        init();
        try (var walk = Files.walk(dir)) {
            for (Path d : walk.sorted(java.util.Comparator.reverseOrder()).filter(Files::isDirectory).toList()) {
                try (var entries = Files.list(d)) {
                    if (entries.findAny().isEmpty()) {
                        Files.delete(d);
                    }
                }
            }
        }
        assertThat(Files.exists(dir.resolve("locks"))).isFalse();
        assertThat(Files.exists(dir.resolve("data"))).isFalse();

        Repository repo = open("correct horse");
        try (RepositoryLock lock = RepositoryLock.acquire(repo, false, "test", java.time.Duration.ZERO)) {
            String id = repo.saveSnapshot(snapshot("2026-01-01T00:00:00Z"));
            try (BlobWriter writer = new BlobWriter(repo, Compression.DEFAULT)) {
                BlobId blob = writer.saveAndId(BlobType.DATA, new byte[] {1, 2, 3});
                writer.flush();
                assertThat(open("correct horse").loadBlob(BlobType.DATA, blob)).containsExactly(1, 2, 3);
            }
            assertThat(open("correct horse").findSnapshot(id).id()).isEqualTo(id);
        }
    }

    @Test
    void newIdsAreRandom64DigitHex() throws IOException {
        Repository repo = init();
        String a = repo.newId();
        assertThat(a).matches("[0-9a-f]{64}");
        assertThat(repo.newId()).isNotEqualTo(a);
        List<FileInfo> keys = repo.backend().list(FileType.KEY);
        assertThat(keys).hasSize(1);
        MasterKey key = repo.masterKey();
        assertThat(key.toBytes()).hasSize(64);
    }

    static Snapshot snapshot(String time) {
        return new Snapshot(1, time, "ee".repeat(32), List.of("/srv/app"), "host-a", "ann", List.of("daily"), null,
                "cairn test", new SnapshotSummary(1, 0, 0, 1, 1, 10, 10, 1, 1, 10, 60, 5, 0));
    }

    static BlobId blob(int b) {
        return BlobId.parse(String.format("%02x", b).repeat(32));
    }

    private static IndexFile indexFile(List<String> supersedes, String packPrefix, int... blobs) {
        List<PackEntry> entries = new ArrayList<>();
        int offset = 0;
        for (int b : blobs) {
            entries.add(new PackEntry(BlobType.DATA, blob(b), offset, 100, 50));
            offset += 100;
        }
        Map<String, List<PackEntry>> packs = new LinkedHashMap<>();
        packs.put(packPrefix.repeat(32), entries);
        return new IndexFile(supersedes, packs);
    }

    private static List<String> iterableFieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
