package io.cairn.engine.check;

import static io.cairn.engine.check.CheckFixture.damagedPaths;
import static io.cairn.engine.check.CheckFixture.file;
import static io.cairn.engine.check.CheckFixture.flipBit;
import static io.cairn.engine.check.CheckFixture.ids;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.engine.backend.FileHandle;
import io.cairn.engine.backend.FileType;
import io.cairn.engine.blob.BlobId;
import io.cairn.engine.blob.BlobType;
import io.cairn.engine.check.CheckProblem.Kind;
import io.cairn.engine.check.CheckProblem.ObjectType;
import io.cairn.engine.check.CheckProblem.Severity;
import io.cairn.engine.pack.PackBuilder;
import io.cairn.engine.pack.PackEntry;
import io.cairn.engine.pack.PackFormat;
import io.cairn.engine.progress.ProgressEvent;
import io.cairn.engine.repository.Repository;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckerTest {

    @TempDir
    static Path shared;
    static Path template;

    @TempDir
    Path work;
    Path repoDir;

    @BeforeAll
    static void buildTemplate() throws IOException {
        template = CheckFixture.buildTemplate(shared);
    }

    @BeforeEach
    void copyTemplate() throws IOException {
        repoDir = CheckFixture.copy(template, work.resolve("repo"));
    }

    private static CheckOptions structure() {
        return CheckOptions.defaults().withProgressInterval(Duration.ZERO).withLockWait(Duration.ofSeconds(5));
    }

    private static CheckOptions readData() {
        return structure().withReadData(true);
    }

    private static List<CheckProblem> ofKind(CheckReport report, Kind kind) {
        return report.problems().stream().filter(p -> p.kind() == kind).toList();
    }

    /** Pack id → header entries, for the packs holding blobs of {@code type}. */
    private static Map<String, List<PackEntry>> packs(Repository repo, BlobType type) throws IOException {
        Map<String, List<PackEntry>> out = new LinkedHashMap<>();
        for (String id : ids(repo, FileType.PACK)) {
            List<PackEntry> header = repo.loadPackHeader(id);
            if (header.get(0).type() == type) {
                out.put(id, header);
            }
        }
        return out;
    }

    private static Path packFile(Path repoDir, String packId) {
        return file(repoDir, FileHandle.of(FileType.PACK, packId));
    }

    @Test
    void cleanRepositoryHasNoProblemsWithOrWithoutReadingData() throws IOException {
        try (Repository repo = CheckFixture.open(repoDir)) {
            int packs = ids(repo, FileType.PACK).size();
            assertThat(packs).as("the fixture must spread data over many packs").isGreaterThanOrEqualTo(15);

            CheckReport structural = new Checker(repo).check(structure());
            assertThat(structural.problems()).isEmpty();
            assertThat(structural.hasErrors()).isFalse();
            assertThat(structural.affectedSnapshots()).isEmpty();
            assertThat(structural.nextSteps()).isEmpty();
            assertThat(structural.stats().packsRead()).isZero();
            assertThat(structural.stats().snapshots()).isEqualTo(3);
            assertThat(structural.stats().packs()).isEqualTo(packs);
            assertThat(structural.stats().treesChecked()).isGreaterThanOrEqualTo(4);
            assertThat(structural.stats().unusedBlobs()).isZero();

            CheckReport full = new Checker(repo).check(readData());
            assertThat(full.problems()).isEmpty();
            assertThat(full.readData()).isTrue();
            assertThat(full.stats().packsRead()).isEqualTo(packs);
            assertThat(full.stats().blobsVerified()).isEqualTo(full.stats().blobs());
            assertThat(full.stats().bytesRead()).isEqualTo(repo.backend().list(FileType.PACK).stream()
                    .mapToLong(f -> f.size()).sum());
            assertThat(repo.backend().list(FileType.LOCK)).as("the check's lock is released").isEmpty();
        }
    }

    @Test
    void progressComesAsAStartEndPairWithStatusInBetween() throws IOException {
        List<ProgressEvent> events = new CopyOnWriteArrayList<>();
        try (Repository repo = CheckFixture.open(repoDir)) {
            new Checker(repo).check(readData().withListener(events::add));
        }
        assertThat(events.get(0)).isInstanceOf(ProgressEvent.OperationStarted.class);
        assertThat(((ProgressEvent.OperationStarted) events.get(0)).operation()).isEqualTo("check");
        ProgressEvent last = events.get(events.size() - 1);
        assertThat(last).isInstanceOf(ProgressEvent.OperationEnded.class);
        assertThat(((ProgressEvent.OperationEnded) last).success()).isTrue();
        ProgressEvent.Status status = ((ProgressEvent.OperationEnded) last).finalStatus();
        assertThat(status.filesDone()).isEqualTo(status.filesTotal()).isPositive();
        assertThat(status.bytesDone()).isEqualTo(status.bytesTotal()).isPositive();
        assertThat(events).filteredOn(e -> e instanceof ProgressEvent.Status).hasSizeGreaterThanOrEqualTo(3);
        assertThat(events).filteredOn(e -> e instanceof ProgressEvent.OperationStarted).hasSize(1);
        assertThat(events).filteredOn(e -> e instanceof ProgressEvent.OperationEnded).hasSize(1);
    }

    /** One bit to invert; {@code blob} is the blob it damages, null for a header, trailer, index or snapshot. */
    private record Flip(Path file, long offset, int bit, String objectId, PackEntry blob) {
        void apply() {
            flipBit(file, offset, bit);
        }
    }

    /**
     * Bits to flip in a pack, by position: 0-3 inside blobs (the seal's version byte, its salt, the
     * middle of the ciphertext, the last tag byte), 4-8 in the header (version byte, middle, last tag
     * byte) and the trailer (its first byte, and the top bit of its last byte).
     */
    private static Flip packFlip(Path repoDir, String packId, List<PackEntry> entries, int position) throws IOException {
        Path pack = packFile(repoDir, packId);
        long size = Files.size(pack);
        PackEntry first = entries.get(0);
        PackEntry last = entries.get(entries.size() - 1);
        long headerStart = last.offset() + last.sealedLength();
        int bit = (position * 3 + packId.charAt(0)) % 8;
        return switch (position) {
            case 0 -> new Flip(pack, first.offset(), bit, packId, first);
            case 1 -> new Flip(pack, first.offset() + 5, bit, packId, first);
            case 2 -> new Flip(pack, first.offset() + first.sealedLength() / 2, bit, packId, first);
            case 3 -> new Flip(pack, last.offset() + last.sealedLength() - 1, bit, packId, last);
            case 4 -> new Flip(pack, headerStart, bit, packId, null);
            case 5 -> new Flip(pack, (headerStart + size - 4) / 2, bit, packId, null);
            case 6 -> new Flip(pack, size - 5, bit, packId, null);
            case 7 -> new Flip(pack, size - 4, bit, packId, null);
            case 8 -> new Flip(pack, size - 1, 7, packId, null);
            default -> throw new IllegalArgumentException("no flip position " + position);
        };
    }

    private static final int PACK_POSITIONS = 9;

    /** Damaged paths as the check must report them: nothing below a directory that is itself unreadable. */
    private static Set<String> outermost(Set<String> paths) {
        Set<String> out = new TreeSet<>();
        for (String p : paths) {
            String snapshot = p.substring(0, p.indexOf(':') + 1);
            String path = p.substring(snapshot.length());
            boolean below = paths.stream().anyMatch(q -> q.startsWith(snapshot) && !q.equals(p)
                    && isBelow(path, q.substring(snapshot.length())));
            if (!below) {
                out.add(p);
            }
        }
        return out;
    }

    private static boolean isBelow(String path, String dir) {
        return dir.equals("/") ? !path.equals("/") : path.startsWith(dir + "/");
    }

    /** Flips the bits, checks, undoes the flips, and asserts that each flip was found and named. */
    private void assertDetected(Checker checker, CheckFixture.Usage usage, List<Flip> flips, String what)
            throws IOException {
        flips.forEach(Flip::apply);
        CheckReport report;
        CheckReport structural;
        try {
            report = checker.check(readData());
            structural = checker.check(structure());
        } finally {
            flips.forEach(Flip::apply);
        }
        Set<String> errors = new TreeSet<>();
        for (CheckProblem p : report.errors()) {
            errors.add(p.kind() + " " + p.objectType() + " " + p.objectId() + " " + p.packId());
        }
        Set<String> expectedErrors = new TreeSet<>();
        Set<String> expectedPaths = new TreeSet<>();
        Set<String> damagedBlobs = new TreeSet<>();
        for (Flip f : flips) {
            if (f.blob() != null) {
                String blob = f.blob().id().hex();
                damagedBlobs.add(blob);
                expectedErrors.add(Kind.BLOB_DAMAGED + " " + (f.blob().type() == BlobType.TREE ? ObjectType.TREE_BLOB
                        : ObjectType.DATA_BLOB) + " " + blob + " " + f.objectId());
                assertThat(usage.users(blob)).as(what + ": the fixture uses every blob").isNotEmpty();
                expectedPaths.addAll(usage.users(blob));
            } else {
                expectedErrors.add(Kind.PACK_HEADER_DAMAGED + " " + ObjectType.PACK + " " + f.objectId() + " "
                        + f.objectId());
            }
        }
        assertThat(errors).as(what + ": every flip is found, and nothing else").isEqualTo(expectedErrors);
        assertThat(damagedPaths(report)).as(what + ": the files and directories it costs")
                .isEqualTo(outermost(expectedPaths));
        assertThat(report.affectedSnapshots()).flatMap(AffectedSnapshot::damagedPaths)
                .allSatisfy(p -> assertThat(damagedBlobs).containsAll(p.blobIds()));
        if (damagedBlobs.isEmpty()) {
            assertThat(report.stats().blobsVerified()).as(what + ": the blobs are intact")
                    .isEqualTo(report.stats().blobs());
            assertThat(structural.errors()).as(what + ": headers are checked without reading data")
                    .extracting(CheckProblem::objectId)
                    .containsExactlyInAnyOrderElementsOf(flips.stream().map(Flip::objectId).toList());
        } else {
            assertThat(report.nextSteps()).anySatisfy(s -> assertThat(s).contains("cairn forget"));
        }
    }

    @Test
    void everyFlippedBitIsDetectedAndTheDamagedObjectAndAffectedFilesAreNamed() throws IOException {
        try (Repository repo = CheckFixture.open(repoDir)) {
            CheckFixture.Usage usage = CheckFixture.Usage.of(repo);
            Checker checker = new Checker(repo);
            Map<String, List<PackEntry>> dataPacks = packs(repo, BlobType.DATA);
            Map<String, List<PackEntry>> treePacks = packs(repo, BlobType.TREE);
            Map<String, List<PackEntry>> allPacks = new LinkedHashMap<>(dataPacks);
            allPacks.putAll(treePacks);
            assertThat(treePacks).isNotEmpty();
            int flips = 0;

            // one flip at a time, every position, in a data pack and in a tree pack
            for (Map<String, List<PackEntry>> kind : List.of(dataPacks, treePacks)) {
                Map.Entry<String, List<PackEntry>> pack = kind.entrySet().iterator().next();
                for (int position = 0; position < PACK_POSITIONS; position++) {
                    Flip flip = packFlip(repoDir, pack.getKey(), pack.getValue(), position);
                    assertDetected(checker, usage, List.of(flip), "a flip at " + flip.offset() + " of pack "
                            + pack.getKey());
                    flips++;
                }
            }
            // one flip in every pack at once, for each position
            for (int position = 0; position < PACK_POSITIONS; position++) {
                List<Flip> round = new ArrayList<>();
                for (Map.Entry<String, List<PackEntry>> pack : allPacks.entrySet()) {
                    round.add(packFlip(repoDir, pack.getKey(), pack.getValue(), position));
                }
                assertDetected(checker, usage, round, "one flip at position " + position + " in each of "
                        + round.size() + " packs");
                flips += round.size();
            }

            // index and snapshot objects: one at a time for the first, then every object at once
            for (FileType type : List.of(FileType.INDEX, FileType.SNAPSHOT)) {
                Kind expected = type == FileType.INDEX ? Kind.INDEX_DAMAGED : Kind.SNAPSHOT_DAMAGED;
                List<String> objectIds = ids(repo, type);
                for (List<String> targets : List.of(objectIds.subList(0, 1), objectIds)) {
                    for (int position = 0; position < 4; position++) {
                        List<Flip> round = new ArrayList<>();
                        for (String id : targets) {
                            Path object = file(repoDir, FileHandle.of(type, id));
                            long size = Files.size(object);
                            long offset = new long[] {0, 7, size / 2, size - 1}[position];
                            round.add(new Flip(object, offset, (position + id.charAt(1)) % 8, id, null));
                        }
                        round.forEach(Flip::apply);
                        CheckReport report;
                        try {
                            report = checker.check(readData());
                        } finally {
                            round.forEach(Flip::apply);
                        }
                        flips += round.size();
                        String where = "flips at position " + position + " of " + targets.size() + " " + type;
                        assertThat(ofKind(report, expected)).as(where).extracting(CheckProblem::objectId)
                                .containsExactlyInAnyOrderElementsOf(targets);
                        if (type == FileType.SNAPSHOT) {
                            assertThat(report.errors()).as(where).hasSize(targets.size());
                            assertThat(report.affectedSnapshots()).as(where).extracting(AffectedSnapshot::snapshotId)
                                    .containsExactlyInAnyOrderElementsOf(targets);
                            assertThat(report.affectedSnapshots()).flatMap(AffectedSnapshot::damagedPaths)
                                    .allSatisfy(p -> assertThat(p.type()).isEqualTo(DamagedPath.Type.SNAPSHOT));
                        } else {
                            assertThat(report.affectedSnapshots()).as(where + ": the lost index entries cost data")
                                    .isNotEmpty();
                        }
                    }
                }
            }
            assertThat(flips).isGreaterThan(150);
            assertThat(checker.check(readData()).problems()).as("every flip was undone").isEmpty();
        }
    }

    @Test
    void aPackCutShortIsReportedWithTheFilesItsLostBlobsBelongTo() throws IOException {
        try (Repository repo = CheckFixture.open(repoDir)) {
            CheckFixture.Usage usage = CheckFixture.Usage.of(repo);
            Map.Entry<String, List<PackEntry>> victim = packs(repo, BlobType.DATA).entrySet().stream()
                    .filter(e -> e.getValue().size() >= 2).findFirst().orElseThrow();
            String packId = victim.getKey();
            List<PackEntry> entries = victim.getValue();
            PackEntry kept = entries.get(0);
            Set<String> lostBlobs = new TreeSet<>();
            Set<String> expectedPaths = new TreeSet<>();
            for (PackEntry e : entries.subList(1, entries.size())) {
                lostBlobs.add(e.id().hex());
                expectedPaths.addAll(usage.users(e.id().hex()));
            }
            try (RandomAccessFile raf = new RandomAccessFile(packFile(repoDir, packId).toFile(), "rw")) {
                raf.setLength(kept.offset() + kept.sealedLength() + 10);
            }
            for (CheckOptions options : List.of(structure(), readData())) {
                CheckReport report = new Checker(repo).check(options);
                assertThat(ofKind(report, Kind.PACK_TRUNCATED)).singleElement().satisfies(p -> {
                    assertThat(p.objectId()).isEqualTo(packId);
                    assertThat(new TreeSet<>(p.blobIds())).isEqualTo(lostBlobs);
                });
                assertThat(damagedPaths(report)).isEqualTo(outermost(expectedPaths));
                assertThat(report.damagedPackIds()).containsExactly(packId);
            }
        }
    }

    @Test
    void aPackMissingOnlyItsHeaderTailIsTruncatedButLosesNoFile() throws IOException {
        try (Repository repo = CheckFixture.open(repoDir)) {
            String packId = packs(repo, BlobType.DATA).keySet().iterator().next();
            Path pack = packFile(repoDir, packId);
            try (RandomAccessFile raf = new RandomAccessFile(pack.toFile(), "rw")) {
                raf.setLength(raf.length() - 20);
            }
            CheckReport report = new Checker(repo).check(readData());
            assertThat(ofKind(report, Kind.PACK_TRUNCATED)).singleElement().satisfies(p -> {
                assertThat(p.objectId()).isEqualTo(packId);
                assertThat(p.blobIds()).isEmpty();
                assertThat(p.message()).contains("every blob is still whole");
            });
            assertThat(ofKind(report, Kind.PACK_HEADER_DAMAGED)).singleElement()
                    .satisfies(p -> assertThat(p.objectId()).isEqualTo(packId));
            assertThat(report.affectedSnapshots()).isEmpty();
        }
    }

    @Test
    void extraBytesAfterAPackAreDetectedByTheHeaderCheck() throws IOException {
        try (Repository repo = CheckFixture.open(repoDir)) {
            String packId = packs(repo, BlobType.DATA).keySet().iterator().next();
            Path pack = packFile(repoDir, packId);
            byte[] bytes = Files.readAllBytes(pack);
            ByteBuffer garbage = ByteBuffer.allocate(bytes.length + 8).order(ByteOrder.LITTLE_ENDIAN);
            garbage.put(bytes).put(new byte[4]).put(bytes, bytes.length - 4, 4);
            Files.write(pack, garbage.array());
            for (CheckOptions options : List.of(structure(), readData())) {
                CheckReport report = new Checker(repo).check(options);
                assertThat(report.errors()).singleElement().satisfies(p -> {
                    assertThat(p.kind()).isEqualTo(Kind.PACK_HEADER_DAMAGED);
                    assertThat(p.objectId()).isEqualTo(packId);
                });
            }
        }
    }

    @Test
    void aMissingPackIsFoundByTheStructureCheckWithEveryFileAndDirectoryItCosts() throws IOException {
        try (Repository repo = CheckFixture.open(repoDir)) {
            CheckFixture.Usage usage = CheckFixture.Usage.of(repo);
            for (BlobType type : BlobType.values()) {
                Map.Entry<String, List<PackEntry>> victim = packs(repo, type).entrySet().iterator().next();
                Path pack = packFile(repoDir, victim.getKey());
                byte[] saved = Files.readAllBytes(pack);
                Files.delete(pack);
                Set<String> expectedPaths = new TreeSet<>();
                for (PackEntry e : victim.getValue()) {
                    expectedPaths.addAll(usage.users(e.id().hex()));
                }
                CheckReport report = new Checker(repo).check(structure());
                Files.write(pack, saved);

                assertThat(report.errors()).singleElement().satisfies(p -> {
                    assertThat(p.kind()).isEqualTo(Kind.PACK_MISSING);
                    assertThat(p.objectId()).isEqualTo(victim.getKey());
                    assertThat(p.blobIds()).containsExactlyInAnyOrderElementsOf(
                            victim.getValue().stream().map(e -> e.id().hex()).toList());
                });
                assertThat(expectedPaths).isNotEmpty();
                assertThat(damagedPaths(report)).as(type + " pack").isEqualTo(outermost(expectedPaths));
                assertThat(report.affectedSnapshots()).flatMap(AffectedSnapshot::damagedPaths)
                        .allSatisfy(p -> assertThat(p.reason()).contains(victim.getKey().substring(0, 8)));
            }
        }
    }

    @Test
    void aLostIndexShowsItsDataAsMissingAndItsPacksAsUnreferencedCopies() throws IOException {
        try (Repository repo = CheckFixture.open(repoDir)) {
            String indexId = ids(repo, FileType.INDEX).get(0);
            Files.delete(file(repoDir, FileHandle.of(FileType.INDEX, indexId)));
            CheckReport report = new Checker(repo).check(structure());
            assertThat(report.hasErrors()).isTrue();
            assertThat(report.errors()).allSatisfy(p -> {
                assertThat(p.kind()).isIn(Kind.DATA_BLOB_MISSING, Kind.TREE_MISSING);
                assertThat(p.packId()).as("the copy in an unreferenced pack is named").isNotNull();
                assertThat(p.message()).contains("unreferenced pack " + p.packId() + " holds a copy");
            });
            assertThat(ofKind(report, Kind.PACK_UNREFERENCED)).isNotEmpty()
                    .allSatisfy(p -> assertThat(p.severity()).isEqualTo(Severity.INFO));
            assertThat(report.affectedSnapshots()).isNotEmpty();
            assertThat(report.nextSteps()).anySatisfy(s -> assertThat(s).contains("cairn backup"));
        }
    }

    @Test
    void damagedKeyFilesAndADamagedConfigAreNamed() throws IOException {
        try (Repository repo = CheckFixture.open(repoDir)) {
            String spare = repo.addKey("a second password".toCharArray(), new io.cairn.engine.crypto.KdfParams(64, 1, 1));
            Path spareFile = file(repoDir, FileHandle.of(FileType.KEY, spare));
            Files.writeString(spareFile, Files.readString(spareFile).replace("\"salt\"", "\"sal\""));
            flipBit(file(repoDir, FileHandle.CONFIG), 40, 2);
            CheckReport report = new Checker(repo).check(structure());
            assertThat(report.errors()).extracting(CheckProblem::kind)
                    .containsExactlyInAnyOrder(Kind.CONFIG_DAMAGED, Kind.KEY_DAMAGED);
            assertThat(ofKind(report, Kind.KEY_DAMAGED)).singleElement().satisfies(p -> {
                assertThat(p.objectId()).isEqualTo(spare);
                assertThat(p.message()).contains("salt").contains("no longer opens the repository");
            });
            assertThat(report.nextSteps()).anySatisfy(s -> assertThat(s).contains("cairn key remove")
                    .contains(spare));
            assertThat(report.nextSteps()).anySatisfy(s -> assertThat(s).contains("'config'"));
            assertThat(report.affectedSnapshots()).isEmpty();
        }
    }

    @Test
    void unreferencedPacksAndUnusedBlobsAreInformationNotErrors() throws IOException {
        try (Repository repo = CheckFixture.open(repoDir)) {
            String oldest = repo.snapshots().get(0).id();
            repo.deleteSnapshot(oldest);
            String orphanId = repo.newId();
            byte[] data = "a blob no index lists".getBytes();
            BlobId blob = BlobId.wrap(repo.masterKey().blobId(data, 0, data.length));
            PackBuilder builder = new PackBuilder(orphanId, 1024);
            byte[] sealed = repo.masterKey().seal(io.cairn.engine.blob.BlobCodec.encode(data, 0, data.length,
                    repo.defaultCompression()), PackFormat.blobAad(BlobType.DATA, blob), repo.random());
            builder.add(BlobType.DATA, blob, sealed, data.length);
            repo.backend().save(FileHandle.of(FileType.PACK, orphanId), builder.finish(repo.masterKey(), repo.random()));

            CheckReport report = new Checker(repo).check(readData());
            assertThat(report.hasErrors()).isFalse();
            assertThat(report.nextSteps()).isEmpty();
            assertThat(ofKind(report, Kind.PACK_UNREFERENCED)).singleElement().satisfies(p -> {
                assertThat(p.objectId()).isEqualTo(orphanId);
                assertThat(p.message()).contains("cairn prune").contains("1 blob)");
            });
            assertThat(ofKind(report, Kind.UNUSED_BLOBS)).singleElement()
                    .satisfies(p -> assertThat(p.message()).contains("cairn prune"));
            assertThat(report.stats().unusedBlobs()).isPositive();
            assertThat(report.stats().unreferencedPacks()).isEqualTo(1);
            assertThat(report.stats().snapshots()).isEqualTo(2);
        }
    }

    @Test
    void slicesPartitionThePacksAndTogetherReadEveryPackOnce() throws IOException {
        Random random = new Random(7);
        List<String> manyIds = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            manyIds.add(String.format("%016x", random.nextLong()) + "0".repeat(48));
        }
        for (int t = 1; t <= 7; t++) {
            Set<String> union = new HashSet<>();
            int total = 0;
            for (int n = 1; n <= t; n++) {
                List<String> slice = DataSubset.slice(n, t).select(manyIds, new Random());
                total += slice.size();
                union.addAll(slice);
                if (t > 1) {
                    assertThat(slice.size()).as("slice %d/%d is about 1/t of the packs", n, t)
                            .isBetween(1000 / t / 2, 1000 / t * 2);
                }
            }
            assertThat(total).as("slices of %d are disjoint", t).isEqualTo(manyIds.size());
            assertThat(union).containsExactlyInAnyOrderElementsOf(manyIds);
        }

        try (Repository repo = CheckFixture.open(repoDir)) {
            List<String> packIds = ids(repo, FileType.PACK);
            String damagedPack = packs(repo, BlobType.DATA).keySet().iterator().next();
            PackEntry damaged = repo.loadPackHeader(damagedPack).get(0);
            flipBit(packFile(repoDir, damagedPack), damaged.offset() + damaged.sealedLength() / 2, 3);
            int read = 0;
            int found = 0;
            for (int n = 1; n <= 3; n++) {
                DataSubset subset = DataSubset.slice(n, 3);
                CheckReport report = new Checker(repo).check(structure().withReadDataSubset(subset));
                assertThat(report.readData()).isTrue();
                assertThat(report.readDataSubset()).isEqualTo(n + "/3");
                read += report.stats().packsRead();
                boolean shouldFind = subset.inSlice(damagedPack);
                assertThat(ofKind(report, Kind.BLOB_DAMAGED)).as("slice " + n + "/3").hasSize(shouldFind ? 1 : 0);
                found += shouldFind ? 1 : 0;
            }
            assertThat(read).isEqualTo(packIds.size());
            assertThat(found).isEqualTo(1);
        }
    }

    @Test
    void aPercentageDrawsThatShareOfPacksWithTheInjectedRandom() throws IOException {
        try (Repository repo = CheckFixture.open(repoDir)) {
            int packs = ids(repo, FileType.PACK).size();
            CheckReport half = new Checker(repo).check(structure().withReadDataSubset(DataSubset.parse("50%"))
                    .withRandom(new Random(1)));
            assertThat(half.stats().packsRead()).isEqualTo((packs + 1) / 2);
            assertThat(half.readDataSubset()).isEqualTo("50%");
            CheckReport all = new Checker(repo).check(structure().withReadDataSubset(DataSubset.percent(100)));
            assertThat(all.stats().packsRead()).isEqualTo(packs);
        }
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ids.add(String.format("%064x", i * 7919L));
        }
        DataSubset tenth = DataSubset.parse("10%");
        assertThat(tenth.select(ids, new Random(5))).hasSize(4).isEqualTo(tenth.select(ids, new Random(5)));
        assertThat(DataSubset.parse("2.5%").select(ids, new Random(5))).hasSize(1);
        Set<List<String>> draws = new HashSet<>();
        for (int seed = 0; seed < 10; seed++) {
            draws.add(tenth.select(ids, new Random(seed)));
        }
        assertThat(draws).as("different seeds draw different samples").hasSizeGreaterThan(1);
    }

    @Test
    void subsetsParseOnlyValidForms() {
        assertThat(DataSubset.parse("2/5")).isEqualTo(DataSubset.slice(2, 5));
        assertThat(DataSubset.parse(" 12.5% ").percent()).isEqualTo(12.5);
        assertThat(DataSubset.parse("12.5%").toString()).isEqualTo("12.5%");
        for (String bad : List.of("0/5", "6/5", "1/0", "0%", "101%", "abc", "", "5", "-1/2", "1/2/3")) {
            assertThatThrownBy(() -> DataSubset.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("subset");
        }
    }
}
