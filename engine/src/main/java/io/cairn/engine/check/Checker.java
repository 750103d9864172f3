package io.cairn.engine.check;

import io.cairn.engine.concurrent.Await;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.engine.backend.FileHandle;
import io.cairn.engine.backend.FileInfo;
import io.cairn.engine.backend.FileNotFoundInBackendException;
import io.cairn.engine.backend.FileType;
import io.cairn.engine.blob.BlobCodec;
import io.cairn.engine.blob.BlobId;
import io.cairn.engine.blob.BlobType;
import io.cairn.engine.check.CheckProblem.Kind;
import io.cairn.engine.check.CheckProblem.ObjectType;
import io.cairn.engine.check.CheckProblem.Severity;
import io.cairn.engine.crypto.CorruptObjectException;
import io.cairn.engine.crypto.KdfParams;
import io.cairn.engine.crypto.Seal;
import io.cairn.engine.index.BlobLocation;
import io.cairn.engine.index.IndexFile;
import io.cairn.engine.pack.PackEntry;
import io.cairn.engine.pack.PackFormat;
import io.cairn.engine.progress.ProgressEvent;
import io.cairn.engine.progress.ProgressTracker;
import io.cairn.engine.repository.KeyFile;
import io.cairn.engine.repository.Repository;
import io.cairn.engine.repository.RepositoryConfig;
import io.cairn.engine.repository.RepositoryLock;
import io.cairn.engine.snapshot.SnapshotRef;
import io.cairn.engine.tree.Node;
import io.cairn.engine.tree.Tree;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Checks a repository and reports every damaged object together with the snapshots, files and
 * directories it makes unreadable. See the package documentation for what is checked.
 *
 * <pre>{@code
 * CheckReport report = new Checker(repo).check(CheckOptions.defaults().withReadData(true));
 * if (report.hasErrors()) { ... report.affectedSnapshots() ... }
 * }</pre>
 *
 * The check takes a shared lock for its duration (it runs beside backups, not beside prune). Each
 * {@link #check} call is independent; an instance may be reused, also from several threads.
 */
public final class Checker {

    static final String OPERATION = "check";

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final Repository repo;

    public Checker(Repository repo) {
        this.repo = repo;
    }

    /**
     * Runs a check.
     *
     * @return the findings; damage is reported here, never thrown
     * @throws IOException if the repository cannot be listed or locked, i.e. the check could not run
     */
    public CheckReport check(CheckOptions options) throws IOException {
        String description = options.readData()
                ? "check of " + repo.backend().location() + " reading "
                        + (options.readDataSubset() == null ? "all data" : "data subset " + options.readDataSubset())
                : "structure check of " + repo.backend().location();
        ProgressTracker tracker = new ProgressTracker(OPERATION, description, options.listener(), repo.clock(),
                options.progressInterval());
        try (RepositoryLock lock = RepositoryLock.acquire(repo, false, OPERATION, options.lockWait())) {
            CheckReport report = new Run(options, tracker).run();
            tracker.end(null);
            return report;
        } catch (IOException | RuntimeException | Error e) {
            tracker.end(e);
            throw e;
        }
    }

    /** A found problem with a file or directory, relative to the tree it was found in ("" = the tree itself). */
    private record Hit(String relativePath, DamagedPath.Type type, List<String> blobIds, String reason) {

        Hit under(String name) {
            return new Hit(relativePath.isEmpty() ? name : name + "/" + relativePath, type, blobIds, reason);
        }

        DamagedPath toDamagedPath() {
            return new DamagedPath("/" + relativePath, type, blobIds, reason);
        }
    }

    /** The state of one check run. */
    private final class Run {

        private final CheckOptions options;
        private final ProgressTracker tracker;
        private final List<CheckProblem> problems = Collections.synchronizedList(new ArrayList<>());

        /** Pack id → the distinct entries the (live) index lists for it. */
        private final Map<String, List<PackEntry>> indexedPacks = new TreeMap<>();
        /** Blob id → every place the index lists it. */
        private final Map<BlobId, List<BlobLocation>> locations = new HashMap<>();
        /** Blob id → packs whose copy of it is known to be unusable. */
        private final Map<BlobId, Set<String>> badCopies = new ConcurrentHashMap<>();
        /** Blob id → why its (first) copy is unusable, for people. */
        private final Map<BlobId, String> badReason = new ConcurrentHashMap<>();
        /** Blob id → an unreferenced pack whose header lists it. */
        private final Map<BlobId, String> orphanCopies = new ConcurrentHashMap<>();

        private final Map<BlobId, List<Hit>> treeHits = new HashMap<>();
        private final Map<BlobId, String> treeFailure = new HashMap<>();
        private final Set<BlobId> usedData = new HashSet<>();
        private final Set<BlobId> reportedMissing = new HashSet<>();
        private final AtomicLong blobsVerified = new AtomicLong();
        private final AtomicLong packsRead = new AtomicLong();
        private int snapshotsListed;
        private int indexesListed;
        private int packsListed;
        private int unreferencedPacks;
        private boolean snapshotsIncomplete;
        private long unusedCount;
        private long unusedPlainBytes;
        private int treesLoaded;

        Run(CheckOptions options, ProgressTracker tracker) {
            this.options = options;
            this.tracker = tracker;
        }

        CheckReport run() throws IOException {
            phase("config and keys");
            checkConfig();
            checkKeys();
            // Order matters beside a running backup: snapshots, then indexes, then packs.
            List<String> snapshotIds = repo.backend().list(FileType.SNAPSHOT).stream()
                    .map(f -> f.handle().name()).sorted().toList();
            snapshotsListed = snapshotIds.size();
            phase("indexes");
            loadIndexes();
            phase("packs");
            Map<String, Long> packSizes = new TreeMap<>();
            for (FileInfo f : repo.backend().list(FileType.PACK)) {
                packSizes.put(f.handle().name(), f.size());
            }
            packsListed = packSizes.size();
            checkPacks(packSizes);
            phase("snapshots and trees");
            List<AffectedSnapshot> affected = checkSnapshots(snapshotIds);
            reportUnusedBlobs();
            tracker.currentPath("");
            tracker.emit(tracker.status());

            List<CheckProblem> sorted = new ArrayList<>(problems);
            sorted.sort(Comparator.comparing(CheckProblem::severity).thenComparing(CheckProblem::kind)
                    .thenComparing(p -> p.objectId() == null ? "" : p.objectId())
                    .thenComparing(p -> p.packId() == null ? "" : p.packId()));
            CheckStats stats = new CheckStats(snapshotsListed, indexesListed, packsListed, (int) packsRead.get(),
                    tracker.bytesDone.get(), locations.size(), treesLoaded, blobsVerified.get(), unreferencedPacks,
                    unusedCount, unusedPlainBytes);
            return new CheckReport(options.readData(),
                    options.readDataSubset() == null ? null : options.readDataSubset().toString(), sorted, affected, stats,
                    NextSteps.advise(sorted, affected));
        }

        private void phase(String name) {
            tracker.currentPath(name);
            tracker.emit(tracker.status());
        }

        private void problem(Severity severity, Kind kind, ObjectType type, String objectId, String packId,
                             String message, List<String> blobIds) {
            problems.add(new CheckProblem(severity, kind, type, objectId, packId, message, blobIds));
            if (severity == Severity.ERROR) {
                tracker.emit(new ProgressEvent.Warning(objectLabel(type, objectId), message));
            }
        }

        private void error(Kind kind, ObjectType type, String objectId, String packId, String message,
                           List<String> blobIds) {
            problem(Severity.ERROR, kind, type, objectId, packId, message, blobIds);
        }

        private void info(Kind kind, ObjectType type, String objectId, String packId, String message) {
            problem(Severity.INFO, kind, type, objectId, packId, message, List.of());
        }

        // ------------------------------------------------------------ config and keys

        private void checkConfig() throws IOException {
            try {
                byte[] json = repo.loadSealed(FileHandle.CONFIG);
                RepositoryConfig config = JSON.readValue(json, RepositoryConfig.class);
                if (!config.equals(repo.config())) {
                    error(Kind.CONFIG_DAMAGED, ObjectType.CONFIG, null, null,
                            "the config object changed since the repository was opened", List.of());
                }
            } catch (CorruptObjectException | com.fasterxml.jackson.core.JacksonException e) {
                error(Kind.CONFIG_DAMAGED, ObjectType.CONFIG, null, null, "the config object is damaged: "
                        + e.getMessage(), List.of());
            } catch (FileNotFoundInBackendException e) {
                error(Kind.CONFIG_DAMAGED, ObjectType.CONFIG, null, null,
                        "the config object is missing (it was deleted after the repository was opened)", List.of());
            }
        }

        private void checkKeys() throws IOException {
            for (FileInfo f : repo.backend().list(FileType.KEY)) {
                String id = f.handle().name();
                String why;
                try {
                    why = keyDefect(JSON.readValue(repo.backend().load(f.handle()), KeyFile.class));
                } catch (FileNotFoundInBackendException gone) {
                    continue;
                } catch (com.fasterxml.jackson.core.JacksonException e) {
                    why = "it is not valid JSON (" + e.getOriginalMessage() + ")";
                }
                if (why != null) {
                    error(Kind.KEY_DAMAGED, ObjectType.KEY, id, null, "key file " + id + " is damaged: " + why
                            + (id.equals(repo.keyId()) ? "" : "; the password stored in it no longer opens the repository"),
                            List.of());
                }
            }
        }

        private static String keyDefect(KeyFile kf) {
            if (kf.cairn() != 1) {
                return "unknown key format " + kf.cairn();
            }
            if (!"argon2id".equals(kf.kdf())) {
                return "unknown key derivation '" + kf.kdf() + "'";
            }
            try {
                new KdfParams(kf.memoryKiB(), kf.iterations(), kf.parallelism());
            } catch (IllegalArgumentException e) {
                return e.getMessage();
            }
            byte[] salt;
            byte[] data;
            try {
                salt = kf.salt() == null ? null : Base64.getDecoder().decode(kf.salt());
                data = kf.data() == null ? null : Base64.getDecoder().decode(kf.data());
            } catch (IllegalArgumentException e) {
                return "salt or wrapped key is not valid base64";
            }
            if (salt == null || salt.length != Seal.SALT_LENGTH) {
                return "salt is missing or not " + Seal.SALT_LENGTH + " bytes";
            }
            if (data == null || data.length != Seal.sealedLength(64)) {
                return "wrapped key is missing or not " + Seal.sealedLength(64) + " bytes";
            }
            return null;
        }

        // ------------------------------------------------------------ indexes

        private void loadIndexes() throws IOException {
            List<FileInfo> files = repo.backend().list(FileType.INDEX);
            indexesListed = files.size();
            Map<String, IndexFile> readable = new TreeMap<>();
            for (FileInfo f : files) {
                String id = f.handle().name();
                try {
                    readable.put(id, IndexFile.decode(repo.loadSealed(f.handle()), "index " + id));
                } catch (FileNotFoundInBackendException gone) {
                    // removed since listing; a check under a shared lock only sees this from a manual deletion
                } catch (CorruptObjectException e) {
                    error(Kind.INDEX_DAMAGED, ObjectType.INDEX, id, null, "index " + id + " is damaged: " + e.getMessage(),
                            List.of());
                }
            }
            Map<String, String> supersededBy = new HashMap<>();
            for (Map.Entry<String, IndexFile> e : readable.entrySet()) {
                for (String old : e.getValue().supersedes()) {
                    supersededBy.putIfAbsent(old, e.getKey());
                }
            }
            Map<String, Set<PackEntry>> packs = new TreeMap<>();
            for (Map.Entry<String, IndexFile> e : readable.entrySet()) {
                String newer = supersededBy.get(e.getKey());
                if (newer != null) {
                    info(Kind.INDEX_SUPERSEDED, ObjectType.INDEX, e.getKey(), null, "index " + e.getKey()
                            + " is replaced by index " + newer + " and was not used; prune removes it");
                    continue;
                }
                for (Map.Entry<String, List<PackEntry>> pack : e.getValue().packs().entrySet()) {
                    packs.computeIfAbsent(pack.getKey(), k -> new LinkedHashSet<>()).addAll(pack.getValue());
                }
            }
            for (Map.Entry<String, Set<PackEntry>> pack : packs.entrySet()) {
                List<PackEntry> entries = new ArrayList<>(pack.getValue());
                entries.sort(Comparator.comparingInt(PackEntry::offset));
                indexedPacks.put(pack.getKey(), entries);
                for (PackEntry entry : entries) {
                    locations.computeIfAbsent(entry.id(), k -> new ArrayList<>(1)).add(new BlobLocation(pack.getKey(),
                            entry.type(), entry.offset(), entry.sealedLength(), entry.plainLength()));
                }
            }
        }

        // ------------------------------------------------------------ packs

        private void checkPacks(Map<String, Long> packSizes) throws IOException {
            List<String> present = new ArrayList<>();
            for (Map.Entry<String, List<PackEntry>> pack : indexedPacks.entrySet()) {
                String packId = pack.getKey();
                Long size = packSizes.get(packId);
                if (size == null) {
                    packMissing(packId);
                } else {
                    checkPackSize(packId, size, pack.getValue());
                    present.add(packId);
                }
            }
            Set<String> toRead = new HashSet<>();
            if (options.readData()) {
                toRead.addAll(options.readDataSubset() == null ? present
                        : options.readDataSubset().select(present, options.random()));
            }
            List<String> unreferenced = packSizes.keySet().stream().filter(id -> !indexedPacks.containsKey(id)).toList();
            unreferencedPacks = unreferenced.size();
            tracker.filesTotal.set(present.size() + unreferenced.size());
            tracker.bytesTotal.set(toRead.stream().mapToLong(packSizes::get).sum());

            ExecutorService pool = Executors.newFixedThreadPool(options.threads(), r -> {
                Thread t = new Thread(r, "cairn-check");
                t.setDaemon(true);
                return t;
            });
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (String packId : present) {
                    boolean read = toRead.contains(packId);
                    futures.add(pool.submit(() -> {
                        if (read) {
                            readPack(packId);
                        } else {
                            checkPackHeader(packId);
                        }
                        tracker.filesDone.incrementAndGet();
                        return null;
                    }));
                }
                for (String packId : unreferenced) {
                    long size = packSizes.get(packId);
                    futures.add(pool.submit(() -> {
                        checkUnreferencedPack(packId, size);
                        tracker.filesDone.incrementAndGet();
                        return null;
                    }));
                }
                for (Future<?> f : futures) {
                    await(f);
                }
            } finally {
                pool.shutdownNow();
            }
        }

        private void await(Future<?> f) throws IOException {
            Await.result(f, "check");
        }

        private void packMissing(String packId) {
            List<PackEntry> entries = indexedPacks.get(packId);
            String reason = "is in pack " + shortId(packId) + ", which is missing";
            for (PackEntry e : entries) {
                markBad(e.id(), packId, reason);
            }
            error(Kind.PACK_MISSING, ObjectType.PACK, packId, packId, "pack " + packId + " is listed in the index with "
                    + entries.size() + " blobs but does not exist", blobHexes(entries));
        }

        private void checkPackSize(String packId, long size, List<PackEntry> entries) {
            long end = 0;
            for (PackEntry e : entries) {
                end = Math.max(end, (long) e.offset() + e.sealedLength());
            }
            long minimum = end + Seal.sealedLength(8 + entries.size() * PackFormat.ENTRY_LENGTH) + PackFormat.TRAILER_LENGTH;
            if (size >= minimum) {
                return;
            }
            List<PackEntry> cut = new ArrayList<>();
            for (PackEntry e : entries) {
                if ((long) e.offset() + e.sealedLength() > size) {
                    cut.add(e);
                    markBad(e.id(), packId, "is cut off: pack " + shortId(packId) + " is truncated");
                }
            }
            error(Kind.PACK_TRUNCATED, ObjectType.PACK, packId, packId, "pack " + packId + " is truncated: it is " + size
                    + " bytes, but the blobs the index lists in it and its header need at least " + minimum
                    + (cut.isEmpty() ? " (every blob is still whole; the header is cut off)"
                            : "; " + cut.size() + " of its " + entries.size() + " blobs are cut off"),
                    blobHexes(cut));
        }

        private void checkPackHeader(String packId) {
            tracker.currentPath("pack " + packId.substring(0, 8));
            List<PackEntry> header;
            try {
                header = repo.loadPackHeader(packId);
            } catch (FileNotFoundInBackendException e) {
                packMissing(packId);
                return;
            } catch (CorruptObjectException e) {
                error(Kind.PACK_HEADER_DAMAGED, ObjectType.PACK, packId, packId, "header of pack " + packId
                        + " is damaged: " + e.getMessage() + ". Run 'cairn check --read-data' to see whether its blobs"
                        + " are intact", List.of());
                return;
            } catch (IOException e) {
                packUnreadable(packId, e);
                return;
            }
            compareHeader(packId, header, true);
        }

        private void packUnreadable(String packId, IOException e) {
            List<PackEntry> entries = indexedPacks.get(packId);
            for (PackEntry entry : entries) {
                markBad(entry.id(), packId, "is in pack " + shortId(packId) + ", which cannot be read");
            }
            error(Kind.PACK_UNREADABLE, ObjectType.PACK, packId, packId, "pack " + packId + " cannot be read: "
                    + e.getMessage(), blobHexes(entries));
        }

        /**
         * Compares a pack's header with the index's entries for it.
         *
         * @param markBad whether entries that disagree count as unusable (without read-data, nothing
         *                else can tell whether the index's place for them is right)
         */
        private void compareHeader(String packId, List<PackEntry> header, boolean markBad) {
            Map<BlobId, PackEntry> byId = new HashMap<>();
            for (PackEntry h : header) {
                byId.put(h.id(), h);
            }
            List<PackEntry> indexed = indexedPacks.get(packId);
            List<PackEntry> disagree = new ArrayList<>();
            Set<BlobId> indexedIds = new HashSet<>();
            for (PackEntry e : indexed) {
                indexedIds.add(e.id());
                if (!e.equals(byId.get(e.id()))) {
                    disagree.add(e);
                    if (markBad) {
                        markBad(e.id(), packId, "is listed differently by the index and the header of pack " + shortId(packId));
                    }
                }
            }
            if (!disagree.isEmpty()) {
                error(Kind.PACK_HEADER_MISMATCH, ObjectType.PACK, packId, packId, "the header of pack " + packId
                        + " disagrees with the index about " + disagree.size() + " of the " + indexed.size()
                        + " blobs the index lists in it (not in the header, or at another place, type or length)",
                        blobHexes(disagree));
            }
            long unindexed = header.stream().filter(h -> !indexedIds.contains(h.id())).count();
            if (unindexed > 0) {
                info(Kind.PACK_UNINDEXED_BLOBS, ObjectType.PACK, packId, packId, "pack " + packId + " holds " + unindexed
                        + " blobs that no index lists; they are unused");
            }
        }

        private void readPack(String packId) {
            tracker.currentPath("pack " + packId.substring(0, 8));
            FileHandle handle = FileHandle.of(FileType.PACK, packId);
            byte[] bytes;
            try {
                bytes = repo.backend().load(handle);
            } catch (FileNotFoundInBackendException e) {
                packMissing(packId);
                return;
            } catch (IOException e) {
                packUnreadable(packId, e);
                return;
            }
            packsRead.incrementAndGet();
            tracker.bytesDone.addAndGet(bytes.length);
            List<PackEntry> header = null;
            try {
                header = parseHeader(packId, bytes);
            } catch (CorruptObjectException e) {
                error(Kind.PACK_HEADER_DAMAGED, ObjectType.PACK, packId, packId, "header of pack " + packId
                        + " is damaged: " + e.getMessage(), List.of());
            }
            if (header != null) {
                compareHeader(packId, header, false);
            }
            Map<BlobId, PackEntry> toVerify = new LinkedHashMap<>();
            for (PackEntry e : indexedPacks.get(packId)) {
                toVerify.putIfAbsent(e.id(), e);
            }
            Set<BlobId> indexed = new HashSet<>(toVerify.keySet());
            if (header != null) {
                for (PackEntry h : header) {
                    toVerify.putIfAbsent(h.id(), h);
                }
            }
            for (PackEntry e : toVerify.values()) {
                verifyBlob(packId, bytes, e, indexed.contains(e.id()));
            }
        }

        private List<PackEntry> parseHeader(String packId, byte[] pack) {
            long size = pack.length;
            if (size < PackFormat.TRAILER_LENGTH + Seal.HEADER_LENGTH) {
                throw new CorruptObjectException("pack " + packId + " is only " + size + " bytes");
            }
            byte[] trailer = Arrays.copyOfRange(pack, pack.length - PackFormat.TRAILER_LENGTH, pack.length);
            int headerLength = PackFormat.headerLength(trailer, packId, size);
            int start = pack.length - PackFormat.TRAILER_LENGTH - headerLength;
            byte[] sealedHeader = Arrays.copyOfRange(pack, start, start + headerLength);
            return PackFormat.decodeHeader(repo.masterKey(), packId, sealedHeader, size);
        }

        private void verifyBlob(String packId, byte[] pack, PackEntry e, boolean indexed) {
            Set<String> bad = badCopies.get(e.id());
            if (bad != null && bad.contains(packId)) {
                return;
            }
            ObjectType type = blobObjectType(e.type());
            String what = e.type().label() + " blob " + e.id().hex() + " in pack " + packId;
            String failure = null;
            Kind kind = Kind.BLOB_DAMAGED;
            if (e.offset() < 0 || e.sealedLength() <= 0 || (long) e.offset() + e.sealedLength() > pack.length) {
                failure = what + " lies beyond the end of the pack (" + pack.length + " bytes): the pack is truncated";
            } else {
                try {
                    byte[] encoded = repo.masterKey().open(pack, e.offset(), e.sealedLength(),
                            PackFormat.blobAad(e.type(), e.id()), what);
                    byte[] plain = BlobCodec.decode(encoded, e.plainLength(), what);
                    blobsVerified.incrementAndGet();
                    if (!Arrays.equals(repo.masterKey().blobId(plain, 0, plain.length), e.id().bytes())) {
                        kind = Kind.BLOB_ID_MISMATCH;
                        failure = what + " opens, but its content does not hash to its id (it was stored wrongly)";
                    }
                } catch (CorruptObjectException ex) {
                    failure = ex.getMessage();
                }
            }
            if (failure == null) {
                return;
            }
            if (indexed) {
                markBad(e.id(), packId, (kind == Kind.BLOB_ID_MISMATCH ? "does not match its id in pack " + shortId(packId)
                        : "is damaged in pack " + shortId(packId)));
            }
            error(kind, type, e.id().hex(), packId, failure + (indexed ? "" : " (no index lists it)"),
                    List.of(e.id().hex()));
        }

        private void checkUnreferencedPack(String packId, long size) {
            String headerNote = "";
            try {
                List<PackEntry> header = repo.loadPackHeader(packId);
                for (PackEntry h : header) {
                    orphanCopies.putIfAbsent(h.id(), packId);
                }
                headerNote = ", " + header.size() + (header.size() == 1 ? " blob" : " blobs");
            } catch (FileNotFoundInBackendException gone) {
                return;
            } catch (CorruptObjectException | IOException e) {
                headerNote = ", its header is unreadable";
            }
            info(Kind.PACK_UNREFERENCED, ObjectType.PACK, packId, packId, "pack " + packId + " (" + size + " bytes"
                    + headerNote + ") is not referenced by any index: left by an interrupted backup, written by a backup "
                    + "still running, or described by a damaged index. 'cairn prune' removes unreferenced packs");
        }

        private void markBad(BlobId id, String packId, String reason) {
            badCopies.computeIfAbsent(id, k -> ConcurrentHashMap.newKeySet()).add(packId);
            badReason.putIfAbsent(id, reason);
        }

        /** Whether every copy the index lists of a blob is unusable. */
        private boolean lost(BlobId id, List<BlobLocation> locs) {
            Set<String> bad = badCopies.get(id);
            if (bad == null) {
                return false;
            }
            for (BlobLocation l : locs) {
                if (!bad.contains(l.packId())) {
                    return false;
                }
            }
            return true;
        }

        // ------------------------------------------------------------ snapshots and trees

        private List<AffectedSnapshot> checkSnapshots(List<String> snapshotIds) throws IOException {
            List<AffectedSnapshot> affected = new ArrayList<>();
            for (String id : snapshotIds) {
                tracker.currentPath("snapshot " + id.substring(0, 8));
                SnapshotRef ref;
                try {
                    ref = repo.loadSnapshot(id);
                } catch (FileNotFoundInBackendException gone) {
                    continue;
                } catch (CorruptObjectException e) {
                    snapshotsIncomplete = true;
                    error(Kind.SNAPSHOT_DAMAGED, ObjectType.SNAPSHOT, id, null, "snapshot " + id + " is damaged: "
                            + e.getMessage(), List.of());
                    affected.add(new AffectedSnapshot(id, null, null, List.of(), List.of(new DamagedPath("/",
                            DamagedPath.Type.SNAPSHOT, List.of(), "the snapshot object is damaged: nothing of it can be "
                            + "restored"))));
                    continue;
                }
                BlobId root;
                try {
                    root = BlobId.parse(ref.snapshot().tree());
                } catch (IllegalArgumentException e) {
                    snapshotsIncomplete = true;
                    error(Kind.SNAPSHOT_DAMAGED, ObjectType.SNAPSHOT, id, null, "snapshot " + id
                            + " names an invalid root tree id", List.of());
                    affected.add(affectedSnapshot(ref, List.of(new DamagedPath("/", DamagedPath.Type.SNAPSHOT, List.of(),
                            "the snapshot names an invalid root tree id"))));
                    continue;
                }
                List<Hit> hits = walkTree(root, "/");
                if (!hits.isEmpty()) {
                    List<DamagedPath> paths = new ArrayList<>();
                    for (Hit h : hits) {
                        paths.add(h.toDamagedPath());
                    }
                    paths.sort(Comparator.comparing(DamagedPath::path));
                    affected.add(affectedSnapshot(ref, paths));
                }
            }
            affected.sort(Comparator.comparing((AffectedSnapshot a) -> a.time() == null ? "" : a.time())
                    .thenComparing(AffectedSnapshot::snapshotId));
            return affected;
        }

        private AffectedSnapshot affectedSnapshot(SnapshotRef ref, List<DamagedPath> paths) {
            return new AffectedSnapshot(ref.id(), ref.snapshot().time(), ref.snapshot().hostname(),
                    ref.snapshot().paths(), paths);
        }

        /** Every damaged file and directory at or below a tree, relative to it; memoized per tree id. */
        private List<Hit> walkTree(BlobId treeId, String displayPath) {
            List<Hit> known = treeHits.get(treeId);
            if (known != null) {
                return known;
            }
            tracker.currentPath(displayPath);
            Tree tree = loadTree(treeId);
            List<Hit> hits;
            if (tree == null) {
                snapshotsIncomplete = true;
                hits = List.of(new Hit("", DamagedPath.Type.DIRECTORY, List.of(treeId.hex()), treeFailure.get(treeId)));
            } else {
                hits = new ArrayList<>();
                for (Node node : tree.nodes()) {
                    String childPath = displayPath.endsWith("/") ? displayPath + node.name() : displayPath + "/" + node.name();
                    if (node.isFile()) {
                        Hit h = checkFile(treeId, node);
                        if (h != null) {
                            hits.add(h);
                        }
                    } else if (node.isDir()) {
                        BlobId sub = parseOrNull(node.subtree());
                        if (sub == null) {
                            String why = "tree " + treeId.hex() + " lists directory '" + node.name()
                                    + "' without a valid subtree id";
                            error(Kind.TREE_DAMAGED, ObjectType.TREE_BLOB, treeId.hex(), null, why,
                                    List.of(treeId.hex()));
                            hits.add(new Hit(node.name(), DamagedPath.Type.DIRECTORY, List.of(), why));
                        } else {
                            for (Hit h : walkTree(sub, childPath)) {
                                hits.add(h.under(node.name()));
                            }
                        }
                    }
                }
                hits = hits.isEmpty() ? List.of() : List.copyOf(hits);
            }
            treeHits.put(treeId, hits);
            return hits;
        }

        private Hit checkFile(BlobId treeId, Node node) {
            List<String> content = node.content() == null ? List.of() : node.content();
            List<String> badIds = new ArrayList<>();
            String firstReason = null;
            for (String hex : content) {
                BlobId id = parseOrNull(hex);
                String reason;
                if (id == null) {
                    reason = "tree " + treeId.hex() + " lists an invalid content id for file '" + node.name() + "'";
                    error(Kind.TREE_DAMAGED, ObjectType.TREE_BLOB, treeId.hex(), null, reason, List.of(treeId.hex()));
                } else {
                    usedData.add(id);
                    reason = dataBlobProblem(id);
                }
                if (reason != null) {
                    badIds.add(hex);
                    if (firstReason == null) {
                        firstReason = reason;
                    }
                }
            }
            if (badIds.isEmpty()) {
                return null;
            }
            String reason = badIds.size() == 1 ? firstReason
                    : badIds.size() + " of its " + content.size() + " data blobs are unreadable; the first: " + firstReason;
            return new Hit(node.name(), DamagedPath.Type.FILE, badIds, reason);
        }

        /** Why a data blob cannot be read, or null if it can. */
        private String dataBlobProblem(BlobId id) {
            List<BlobLocation> locs = locations.get(id);
            if (locs == null) {
                String reason = "data blob " + id.shortHex() + " is in no index";
                if (reportedMissing.add(id)) {
                    String orphan = orphanCopies.get(id);
                    error(Kind.DATA_BLOB_MISSING, ObjectType.DATA_BLOB, id.hex(), orphan, "data blob " + id.hex()
                            + " is needed by a snapshot but is in no index"
                            + (orphan == null ? "" : " (unreferenced pack " + orphan + " holds a copy)"), List.of(id.hex()));
                }
                return reason;
            }
            if (locs.stream().noneMatch(l -> l.type() == BlobType.DATA)) {
                String reason = "blob " + id.shortHex() + " is indexed as a tree blob, but a file needs it as data";
                if (reportedMissing.add(id)) {
                    error(Kind.BLOB_TYPE_MISMATCH, ObjectType.DATA_BLOB, id.hex(), locs.get(0).packId(),
                            "blob " + id.hex() + " is indexed as a tree blob, but a file needs it as data",
                            List.of(id.hex()));
                }
                return reason;
            }
            if (lost(id, locs)) {
                return "data blob " + id.shortHex() + " " + badReason.get(id);
            }
            return null;
        }

        /** Loads a tree from any good copy; null (with the reason in {@link #treeFailure}) if none. */
        private Tree loadTree(BlobId id) {
            List<BlobLocation> locs = locations.get(id);
            if (locs == null) {
                String orphan = orphanCopies.get(id);
                error(Kind.TREE_MISSING, ObjectType.TREE_BLOB, id.hex(), orphan, "tree " + id.hex()
                        + " is needed by a snapshot but is in no index"
                        + (orphan == null ? "" : " (unreferenced pack " + orphan + " holds a copy)"), List.of(id.hex()));
                treeFailure.put(id, "directory listing (tree " + id.shortHex() + ") is in no index: nothing below it "
                        + "can be restored");
                return null;
            }
            String lastFailure = null;
            for (BlobLocation loc : locs) {
                Set<String> bad = badCopies.get(id);
                if (bad != null && bad.contains(loc.packId())) {
                    lastFailure = badReason.get(id);
                    continue;
                }
                if (loc.type() != BlobType.TREE) {
                    lastFailure = "is indexed as a data blob";
                    error(Kind.BLOB_TYPE_MISMATCH, ObjectType.TREE_BLOB, id.hex(), loc.packId(), "blob " + id.hex()
                            + " in pack " + loc.packId() + " is indexed as a data blob, but a directory needs it as a tree",
                            List.of(id.hex()));
                    continue;
                }
                String what = "tree " + id.hex() + " in pack " + loc.packId();
                try {
                    byte[] plain = repo.loadBlob(loc, id);
                    if (!Arrays.equals(repo.masterKey().blobId(plain, 0, plain.length), id.bytes())) {
                        error(Kind.BLOB_ID_MISMATCH, ObjectType.TREE_BLOB, id.hex(), loc.packId(), what
                                + " opens, but its content does not hash to its id (it was stored wrongly)",
                                List.of(id.hex()));
                    }
                    Tree tree = Tree.decode(plain, what);
                    treesLoaded++;
                    return tree;
                } catch (CorruptObjectException e) {
                    lastFailure = "is damaged in pack " + shortId(loc.packId());
                    markBad(id, loc.packId(), lastFailure);
                    error(Kind.TREE_DAMAGED, ObjectType.TREE_BLOB, id.hex(), loc.packId(), e.getMessage(),
                            List.of(id.hex()));
                } catch (IOException e) {
                    lastFailure = "is in pack " + shortId(loc.packId()) + ", which cannot be read";
                    markBad(id, loc.packId(), lastFailure);
                    error(Kind.TREE_DAMAGED, ObjectType.TREE_BLOB, id.hex(), loc.packId(), what + " cannot be read: "
                            + e.getMessage(), List.of(id.hex()));
                }
            }
            treeFailure.put(id, "directory listing (tree " + id.shortHex() + ") " + lastFailure
                    + ": nothing below it can be restored");
            return null;
        }

        // ------------------------------------------------------------ unused blobs

        private void reportUnusedBlobs() {
            if (snapshotsIncomplete) {
                // what an unreadable snapshot or tree uses is unknown: a count would mislead
                return;
            }
            for (Map.Entry<BlobId, List<BlobLocation>> e : locations.entrySet()) {
                if (!usedData.contains(e.getKey()) && !treeHits.containsKey(e.getKey())) {
                    unusedCount++;
                    unusedPlainBytes += e.getValue().get(0).plainLength();
                }
            }
            if (unusedCount > 0) {
                info(Kind.UNUSED_BLOBS, ObjectType.REPOSITORY, null, null, unusedCount + " blobs (" + unusedPlainBytes
                        + " bytes before compression) are in the index but no snapshot uses them; 'cairn prune' "
                        + "removes them");
            }
        }
    }

    private static BlobId parseOrNull(String hex) {
        if (hex == null) {
            return null;
        }
        try {
            return BlobId.parse(hex);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String shortId(String id) {
        return id.substring(0, 8);
    }

    private static ObjectType blobObjectType(BlobType type) {
        return type == BlobType.TREE ? ObjectType.TREE_BLOB : ObjectType.DATA_BLOB;
    }

    private static List<String> blobHexes(List<PackEntry> entries) {
        return entries.stream().map(e -> e.id().hex()).toList();
    }

    private static String objectLabel(ObjectType type, String id) {
        return switch (type) {
            case CONFIG -> "config";
            case REPOSITORY -> "repository";
            case KEY -> "keys/" + id;
            case INDEX -> "index/" + id;
            case PACK -> "data/" + id.substring(0, 2) + "/" + id;
            case SNAPSHOT -> "snapshots/" + id;
            case TREE_BLOB -> "tree " + id;
            case DATA_BLOB -> "data blob " + id;
        };
    }
}
