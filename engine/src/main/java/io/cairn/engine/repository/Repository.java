package io.cairn.engine.repository;

import io.cairn.engine.concurrent.Await;
import io.cairn.engine.concurrent.BufferPool;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.engine.backend.Backend;
import io.cairn.engine.backend.BackendFullException;
import io.cairn.engine.backend.FileHandle;
import io.cairn.engine.backend.FileInfo;
import io.cairn.engine.backend.FileNotFoundInBackendException;
import io.cairn.engine.backend.FileType;
import io.cairn.engine.backend.RangeReader;
import io.cairn.engine.blob.BlobCodec;
import io.cairn.engine.blob.BlobId;
import io.cairn.engine.blob.BlobType;
import io.cairn.engine.blob.Compression;
import io.cairn.engine.chunker.ChunkerParams;
import io.cairn.engine.crypto.CorruptObjectException;
import io.cairn.engine.crypto.KdfParams;
import io.cairn.engine.crypto.MasterKey;
import io.cairn.engine.crypto.Seal;
import io.cairn.engine.index.BlobLocation;
import io.cairn.engine.index.Index;
import io.cairn.engine.index.IndexFile;
import io.cairn.engine.pack.PackEntry;
import io.cairn.engine.pack.PackFormat;
import io.cairn.engine.snapshot.Snapshot;
import io.cairn.engine.snapshot.SnapshotRef;
import io.cairn.engine.tree.Tree;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * An open repository: the backend, the master key, the config and (once loaded) the index.
 * All reads authenticate; all writes are sealed under fresh random ids. Thread-safe.
 *
 * <p>Write order, which makes every crash safe: packs, then the index objects that describe them,
 * then the snapshot. Nothing references an object before it is durable.
 */
public final class Repository implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final HexFormat HEX = HexFormat.of();
    private static final Base64.Encoder B64 = Base64.getEncoder();
    private static final Base64.Decoder B64D = Base64.getDecoder();

    private final Backend backend;
    /** Reads through the backend keeping nothing open: for reads outside an operation's {@link #packReader()}. */
    private final RangeReader direct;
    private final MasterKey key;
    private final RepositoryConfig config;
    private final String keyId;
    private final SecureRandom random;
    private final Clock clock;
    private volatile Index index;

    private Repository(Backend backend, MasterKey key, RepositoryConfig config, String keyId, SecureRandom random,
                       Clock clock) {
        this.backend = backend;
        this.direct = RangeReader.direct(backend);
        this.key = key;
        this.config = config;
        this.keyId = keyId;
        this.random = random;
        this.clock = clock;
    }

    /**
     * Minimum and average chunk sizes of files in new repositories: 256 KiB and 512 KiB rather than the chunker's
     * generic 512 KiB and 1 MiB (docs/adr/0017). An edit inside a large file (a disk image, a database file) changes
     * the chunks around it, so smaller chunks store less of what did not change: on the benchmark's 1 GiB disk image,
     * after ~5% of it was overwritten in scattered regions, the next backup had 294-316 MiB of new chunks instead of
     * 409-439 MiB, and copies of earlier extents inside the image deduplicated better (2-4% fewer unique bytes in a first backup,
     * 1.5-2% less stored).
     * The cost is twice the index entries for large files; small files are one chunk either way.
     */
    public static final int DEFAULT_CHUNK_MIN = 256 << 10;
    public static final int DEFAULT_CHUNK_AVG = 512 << 10;

    /**
     * Maximum chunk size of new repositories: 4 MiB rather than the chunker's generic 8 MiB. With
     * normalized chunking a chunk of random data passes 4 MiB with probability about e^-12, so only
     * runs of zeros or other low-entropy data are cut there, where a smaller maximum costs nothing;
     * it halves the reader's buffer and the largest blob in memory.
     */
    public static final int DEFAULT_MAX_CHUNK_SIZE = 4 << 20;

    /** Target pack size: big enough to keep file counts and fsyncs low, small enough for memory. */
    public static final int DEFAULT_PACK_SIZE = 8 << 20;

    /**
     * Chunk sizes of streams (database dumps, {@code --stdin}) in new repositories: 2 MiB minimum,
     * 4 MiB average, 8 MiB maximum. Each chunk is compressed on its own, and a dump whose rows change
     * a little everywhere (1% of a table's rows updated) changes every chunk, so what such a backup
     * stores is the dump compressed chunk by chunk. On a pgbench dump (513 MB) that was 1.10x the size
     * of one zstd-3 stream over the whole dump with the files' 1 MiB average, and 1.01x with 4 MiB
     * (docs/benchmarks.md, "Backup jobs"); a dump also needs a quarter of the index entries. Files keep
     * 1 MiB: their edits are local, and smaller chunks deduplicate them better.
     */
    public static final int DEFAULT_STREAM_CHUNK_MIN = 2 << 20;
    public static final int DEFAULT_STREAM_CHUNK_AVG = 4 << 20;
    public static final int DEFAULT_STREAM_CHUNK_MAX = 8 << 20;

    /**
     * Options for {@link #init}. {@link #withChunker} sets the chunk sizes of files and of streams
     * alike; {@link #withStreamChunker} then gives streams their own.
     */
    public record InitOptions(KdfParams kdf, Compression compression, int chunkerMin, int chunkerAvg, int chunkerMax,
                              int packSize, int streamChunkerMin, int streamChunkerAvg, int streamChunkerMax) {
        public static InitOptions defaults() {
            return new InitOptions(KdfParams.DEFAULT, Compression.DEFAULT, DEFAULT_CHUNK_MIN, DEFAULT_CHUNK_AVG,
                    DEFAULT_MAX_CHUNK_SIZE, DEFAULT_PACK_SIZE,
                    DEFAULT_STREAM_CHUNK_MIN, DEFAULT_STREAM_CHUNK_AVG, DEFAULT_STREAM_CHUNK_MAX);
        }

        public InitOptions withKdf(KdfParams k) {
            return new InitOptions(k, compression, chunkerMin, chunkerAvg, chunkerMax, packSize,
                    streamChunkerMin, streamChunkerAvg, streamChunkerMax);
        }

        public InitOptions withCompression(Compression c) {
            return new InitOptions(kdf, c, chunkerMin, chunkerAvg, chunkerMax, packSize,
                    streamChunkerMin, streamChunkerAvg, streamChunkerMax);
        }

        /** Chunk sizes of files and of streams. */
        public InitOptions withChunker(int min, int avg, int max) {
            return new InitOptions(kdf, compression, min, avg, max, packSize, min, avg, max);
        }

        /** Chunk sizes of streams only. */
        public InitOptions withStreamChunker(int min, int avg, int max) {
            return new InitOptions(kdf, compression, chunkerMin, chunkerAvg, chunkerMax, packSize, min, avg, max);
        }

        public InitOptions withPackSize(int size) {
            return new InitOptions(kdf, compression, chunkerMin, chunkerAvg, chunkerMax, size,
                    streamChunkerMin, streamChunkerAvg, streamChunkerMax);
        }
    }

    /** Creates a new repository in an empty backend location and opens it. */
    public static Repository init(Backend backend, char[] password, InitOptions options, Clock clock) throws IOException {
        if (backend.exists(FileHandle.CONFIG)) {
            throw new RepositoryException("a repository already exists at " + backend.location()
                    + "; refusing to overwrite it", RepositoryException.EXIT_FAILURE);
        }
        if (password.length == 0) {
            throw new RepositoryException("an empty password is not allowed", RepositoryException.EXIT_FAILURE);
        }
        SecureRandom random = new SecureRandom();
        backend.create();
        MasterKey key = MasterKey.generate(random);
        byte[] seed = new byte[32];
        random.nextBytes(seed);
        byte[] repoId = new byte[32];
        random.nextBytes(repoId);
        ChunkerParams params = new ChunkerParams(options.chunkerMin(), options.chunkerAvg(), options.chunkerMax(), 2, seed);
        ChunkerParams streamParams = new ChunkerParams(options.streamChunkerMin(), options.streamChunkerAvg(),
                options.streamChunkerMax(), 2, seed); // validates them
        RepositoryConfig config = new RepositoryConfig(RepositoryConfig.CURRENT_VERSION, HEX.formatHex(repoId),
                params.minSize(), params.avgSize(), params.maxSize(), params.normalization(), B64.encodeToString(seed),
                options.compression().label(), options.packSize(), streamParams.minSize(), streamParams.avgSize(),
                streamParams.maxSize());
        Repository repo = new Repository(backend, key, config, null, random, clock);
        String keyId = repo.writeKeyFile(password, options.kdf());
        // config last: its presence is what makes the location a repository.
        byte[] sealedConfig = key.seal(toJson(config), aad(FileHandle.CONFIG), random);
        saveTranslatingFull(backend, FileHandle.CONFIG, sealedConfig);
        return new Repository(backend, key, config, keyId, random, clock);
    }

    /** Opens an existing repository with a password. */
    public static Repository open(Backend backend, char[] password, Clock clock) throws IOException {
        byte[] sealedConfig = loadSealedConfig(backend);
        List<FileInfo> keys = backend.list(FileType.KEY);
        boolean anyCairnKey = false;
        for (FileInfo info : keys) {
            KeyFile kf;
            try {
                kf = JSON.readValue(backend.load(info.handle()), KeyFile.class);
            } catch (IOException e) {
                continue;
            }
            if (kf.cairn() != 1 || kf.data() == null || kf.salt() == null) {
                continue;
            }
            anyCairnKey = true;
            KdfParams kdf = new KdfParams(kf.memoryKiB(), kf.iterations(), kf.parallelism());
            byte[] wrapping = kdf.derive(password, B64D.decode(kf.salt()));
            byte[] masterBytes;
            try {
                masterBytes = Seal.open(wrapping, B64D.decode(kf.data()), aad(info.handle()), "key " + info.handle().name());
            } catch (CorruptObjectException wrongPassword) {
                continue;
            }
            MasterKey key = MasterKey.fromBytes(masterBytes);
            RepositoryConfig config = readConfig(key, sealedConfig);
            return new Repository(backend, key, config, info.handle().name(), new SecureRandom(), clock);
        }
        if (!anyCairnKey) {
            throw RepositoryException.foreign(backend.location());
        }
        throw RepositoryException.wrongPassword(backend.location());
    }

    /**
     * Opens a repository again with what an earlier {@link #open(Backend, char[], Clock)} unlocked,
     * without the key derivation. It fails as a wrong password when that key file has been removed
     * since (removing a password must lock out whoever used it) or when the key does not open this
     * repository's config.
     */
    public static Repository open(Backend backend, Unlocked unlocked, Clock clock) throws IOException {
        byte[] sealedConfig = loadSealedConfig(backend);
        if (!backend.exists(FileHandle.of(FileType.KEY, unlocked.keyId))) {
            throw RepositoryException.wrongPassword(backend.location());
        }
        MasterKey key = MasterKey.fromBytes(unlocked.masterKey.clone());
        RepositoryConfig config;
        try {
            config = readConfig(key, sealedConfig);
        } catch (CorruptObjectException notThisRepository) {
            throw RepositoryException.wrongPassword(backend.location());
        }
        return new Repository(backend, key, config, unlocked.keyId, new SecureRandom(), clock);
    }

    private static byte[] loadSealedConfig(Backend backend) throws IOException {
        try {
            return backend.load(FileHandle.CONFIG);
        } catch (FileNotFoundInBackendException e) {
            throw RepositoryException.notFound(backend.location());
        }
    }

    private static RepositoryConfig readConfig(MasterKey key, byte[] sealedConfig) throws IOException {
        byte[] configJson = key.open(sealedConfig, aad(FileHandle.CONFIG), "config");
        RepositoryConfig config = JSON.readValue(configJson, RepositoryConfig.class);
        if (config.version() != RepositoryConfig.CURRENT_VERSION) {
            throw new RepositoryException("repository format version " + config.version()
                    + " is not supported by this Cairn (supports " + RepositoryConfig.CURRENT_VERSION
                    + "); upgrade Cairn", RepositoryException.EXIT_NO_REPOSITORY);
        }
        return config;
    }

    /**
     * What a password unlocked: the key file it matched and the master key. A long-running process
     * keeps it to open the repository again without repeating the key derivation (0.2-0.3 s of CPU
     * and 19-46 MiB each time). It is as secret as the master key: it stays in memory, and its text
     * form shows only the key file's id.
     */
    public static final class Unlocked {
        private final String keyId;
        private final byte[] masterKey;

        private Unlocked(String keyId, byte[] masterKey) {
            this.keyId = keyId;
            this.masterKey = masterKey;
        }

        public String keyId() {
            return keyId;
        }

        @Override
        public String toString() {
            return "Unlocked[key " + keyId + "]";
        }
    }

    /** What opened this repository, to open it again with {@link #open(Backend, Unlocked, Clock)}. */
    public Unlocked unlocked() {
        return new Unlocked(keyId, key.toBytes());
    }

    public Backend backend() {
        return backend;
    }

    public RepositoryConfig config() {
        return config;
    }

    public Clock clock() {
        return clock;
    }

    public SecureRandom random() {
        return random;
    }

    /** The id of the key file that opened this repository. */
    public String keyId() {
        return keyId;
    }

    public MasterKey masterKey() {
        return key;
    }

    /** How files are cut into chunks. */
    public ChunkerParams chunkerParams() {
        return new ChunkerParams(config.chunkerMin(), config.chunkerAvg(), config.chunkerMax(),
                config.chunkerNormalization(), B64D.decode(config.chunkerSeed()));
    }

    /**
     * How streams (database dumps, {@code --stdin}) are cut into chunks: the config's stream sizes with
     * the files' normalization and seed, or the file parameters in a repository made before streams
     * had their own (so that its dumps keep deduplicating against the earlier ones).
     */
    public ChunkerParams streamChunkerParams() {
        if (!config.hasStreamChunker()) {
            return chunkerParams();
        }
        return new ChunkerParams(config.streamChunkerMin(), config.streamChunkerAvg(), config.streamChunkerMax(),
                config.chunkerNormalization(), B64D.decode(config.chunkerSeed()));
    }

    public Compression defaultCompression() {
        return Compression.parse(config.compression());
    }

    /** A fresh random object id (64 hex digits). */
    public String newId() {
        byte[] id = new byte[32];
        random.nextBytes(id);
        return HEX.formatHex(id);
    }

    static byte[] aad(FileHandle handle) {
        return ("cairn/v1/" + handle.type().prefix() + "/" + handle.name()).getBytes(StandardCharsets.US_ASCII);
    }

    // ---------------------------------------------------------------- sealed files

    /** Seals and saves {@code plaintext} as a new object of {@code type}; returns its id. */
    public String saveSealed(FileType type, byte[] plaintext) throws IOException {
        String id = newId();
        FileHandle handle = FileHandle.of(type, id);
        saveTranslatingFull(backend, handle, key.seal(plaintext, aad(handle), random));
        return id;
    }

    /** Loads and opens a sealed object; throws {@link CorruptObjectException} if it was altered. */
    public byte[] loadSealed(FileHandle handle) throws IOException {
        byte[] sealed = backend.load(handle);
        return key.open(sealed, aad(handle), handle.toString());
    }

    static void saveTranslatingFull(Backend backend, FileHandle handle, byte[] data) throws IOException {
        saveTranslatingFull(backend, handle, data, data.length);
    }

    static void saveTranslatingFull(Backend backend, FileHandle handle, byte[] data, int length) throws IOException {
        try {
            backend.save(handle, data, 0, length);
        } catch (BackendFullException e) {
            throw new RepositoryException("no space left at " + backend.location() + " while writing " + handle
                    + ". Nothing already committed was harmed; free some space and run the command again",
                    RepositoryException.EXIT_DISK_FULL, e);
        }
    }

    // ---------------------------------------------------------------- keys

    /**
     * System property that lets tests create keys with Argon2id parameters below OWASP's minimum, so
     * a test repository opens in milliseconds. Nothing in Cairn sets it; never set it in production.
     */
    public static final String INSECURE_TEST_KDF_PROPERTY = "cairn.insecureTestKdf";

    /**
     * Writes a key file for {@code password}. Refuses Argon2id settings that reach none of OWASP's equivalent
     * settings ({@link KdfParams#meetsOwaspMinimum()}), unless {@link #INSECURE_TEST_KDF_PROPERTY} is set.
     */
    private String writeKeyFile(char[] password, KdfParams kdf) throws IOException {
        if (!kdf.meetsOwaspMinimum() && !Boolean.getBoolean(INSECURE_TEST_KDF_PROPERTY)) {
            throw new IllegalArgumentException("Argon2id parameters below OWASP's minimum (" + kdf.memoryKiB()
                    + " KiB x " + kdf.iterations() + " passes; at least " + KdfParams.OWASP_SETTINGS_TEXT + ")");
        }
        byte[] salt = new byte[32];
        random.nextBytes(salt);
        String id = newId();
        FileHandle handle = FileHandle.of(FileType.KEY, id);
        byte[] wrapping = kdf.derive(password, salt);
        byte[] data = Seal.seal(wrapping, key.toBytes(), 0, 64, aad(handle), random);
        KeyFile kf = new KeyFile(1, "argon2id", kdf.memoryKiB(), kdf.iterations(), kdf.parallelism(),
                B64.encodeToString(salt), clock.instant().toString(), hostname(), username(), B64.encodeToString(data));
        saveTranslatingFull(backend, handle, toJson(kf));
        return id;
    }

    /** Adds a password; returns the new key's id. */
    public String addKey(char[] password, KdfParams kdf) throws IOException {
        if (password.length == 0) {
            throw new RepositoryException("an empty password is not allowed", RepositoryException.EXIT_FAILURE);
        }
        return writeKeyFile(password, kdf);
    }

    public List<KeyInfo> listKeys() throws IOException {
        List<KeyInfo> out = new ArrayList<>();
        for (FileInfo info : backend.list(FileType.KEY)) {
            try {
                KeyFile kf = JSON.readValue(backend.load(info.handle()), KeyFile.class);
                out.add(new KeyInfo(info.handle().name(), info.handle().name().equals(keyId), kf.created(), kf.hostname(),
                        kf.username(), kf.kdf(), kf.memoryKiB(), kf.iterations(), kf.parallelism()));
            } catch (JsonProcessingException e) {
                out.add(new KeyInfo(info.handle().name(), false, null, null, null, "unreadable", 0, 0, 0));
            }
        }
        out.sort(Comparator.comparing(k -> k.created() == null ? "" : k.created()));
        return out;
    }

    /** Removes a key by id or unique prefix. Refuses the key in use and the last key. */
    public void removeKey(String idOrPrefix) throws IOException {
        List<KeyInfo> keys = listKeys();
        KeyInfo match = uniquePrefix(keys.stream().map(KeyInfo::id).toList(), idOrPrefix, "key")
                .map(id -> keys.stream().filter(k -> k.id().equals(id)).findFirst().orElseThrow()).orElseThrow();
        if (match.id().equals(keyId)) {
            throw new RepositoryException("refusing to remove the key you are using (" + match.id().substring(0, 8)
                    + "); open the repository with another password to remove it", RepositoryException.EXIT_FAILURE);
        }
        if (keys.size() <= 1) {
            throw new RepositoryException("refusing to remove the last key", RepositoryException.EXIT_FAILURE);
        }
        backend.delete(FileHandle.of(FileType.KEY, match.id()));
    }

    /** Replaces the current key's password: adds a new key, then removes the current one. */
    public String changePassword(char[] newPassword, KdfParams kdf) throws IOException {
        String newKey = addKey(newPassword, kdf);
        backend.delete(FileHandle.of(FileType.KEY, keyId));
        return newKey;
    }

    static java.util.Optional<String> uniquePrefix(List<String> ids, String prefix, String what) {
        if (prefix == null || prefix.isEmpty()) {
            throw new RepositoryException("no " + what + " id given", RepositoryException.EXIT_FAILURE);
        }
        List<String> matches = ids.stream().filter(id -> id.startsWith(prefix)).toList();
        if (matches.isEmpty()) {
            throw new RepositoryException("no " + what + " with id " + prefix, RepositoryException.EXIT_FAILURE);
        }
        if (matches.size() > 1) {
            throw new RepositoryException("'" + prefix + "' matches " + matches.size() + " " + what
                    + "s; give more digits", RepositoryException.EXIT_FAILURE);
        }
        return java.util.Optional.of(matches.get(0));
    }

    // ---------------------------------------------------------------- index

    /** The index, loaded from every index object on first use. */
    public Index index() throws IOException {
        Index current = index;
        if (current == null) {
            synchronized (this) {
                if (index == null) {
                    index = loadIndex();
                }
                current = index;
            }
        }
        return current;
    }

    /**
     * Reads every index object afresh (in parallel). Index objects that another readable index
     * object lists in its {@code supersedes} (left behind when prune was interrupted) are skipped.
     */
    public Index loadIndex() throws IOException {
        Index fresh = new Index();
        Map<String, IndexFile> files = loadIndexFiles();
        fresh.indexFilesSeen(files.keySet());
        java.util.Set<String> superseded = new java.util.HashSet<>();
        for (IndexFile f : files.values()) {
            superseded.addAll(f.supersedes());
        }
        for (Map.Entry<String, IndexFile> e : files.entrySet()) {
            if (!superseded.contains(e.getKey())) {
                fresh.addIndexFile(e.getKey(), e.getValue());
            }
        }
        return fresh;
    }

    /** Every index object by id. */
    public Map<String, IndexFile> loadIndexFiles() throws IOException {
        List<FileInfo> files = backend.list(FileType.INDEX);
        Map<String, IndexFile> out = new java.util.concurrent.ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(4, files.size())));
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (FileInfo f : files) {
                futures.add(pool.submit(() -> {
                    out.put(f.handle().name(), IndexFile.decode(loadSealed(f.handle()), "index " + f.handle().name()));
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                getUnwrapped(f);
            }
        } finally {
            pool.shutdown();
        }
        return out;
    }

    /** Saves an index object; returns its id. */
    public String saveIndex(IndexFile file) throws IOException {
        return saveSealed(FileType.INDEX, file.encode());
    }

    /**
     * Makes sure the cached index reflects the index files now in the repository: reloads it when
     * files were added or removed since it was loaded (another process backed up or pruned). Call
     * after taking a lock, before deduplicating against the index.
     */
    public Index refreshIndex() throws IOException {
        synchronized (this) {
            if (index != null) {
                java.util.Set<String> now = new java.util.HashSet<>();
                for (FileInfo f : backend.list(FileType.INDEX)) {
                    now.add(f.handle().name());
                }
                if (now.equals(index.indexFilesSeen())) {
                    return index;
                }
            }
            index = loadIndex();
            return index;
        }
    }

    /** Replaces the cached index (after prune). */
    public void setIndex(Index newIndex) {
        this.index = newIndex;
    }

    // ---------------------------------------------------------------- blobs

    /**
     * A reader of pack ranges for one operation (see {@link RangeReader}): the blob and tree loads that
     * take it may keep pack files open until it is closed. Close it before the operation's lock.
     */
    public RangeReader packReader() {
        return backend.rangeReader();
    }

    /** Loads, authenticates and decodes one blob. */
    public byte[] loadBlob(BlobType type, BlobId id) throws IOException {
        return loadBlob(type, id, direct);
    }

    /** As {@link #loadBlob(BlobType, BlobId)}, reading through an operation's {@link #packReader()}. */
    public byte[] loadBlob(BlobType type, BlobId id, RangeReader packs) throws IOException {
        BlobLocation loc = index().find(id);
        if (loc == null) {
            throw new CorruptObjectException(type.label() + " blob " + id.shortHex() + " is missing from the index");
        }
        if (loc.type() != type) {
            throw new CorruptObjectException("blob " + id.shortHex() + " is a " + loc.type().label() + " blob, expected "
                    + type.label());
        }
        return loadBlob(loc, id, packs);
    }

    public byte[] loadBlob(BlobLocation loc, BlobId id) throws IOException {
        return loadBlob(loc, id, direct);
    }

    public byte[] loadBlob(BlobLocation loc, BlobId id, RangeReader packs) throws IOException {
        FileHandle pack = FileHandle.of(FileType.PACK, loc.packId());
        byte[] sealed;
        try {
            sealed = packs.load(pack, loc.offset(), loc.sealedLength());
        } catch (IOException e) {
            throw translateBlobReadFailure(loc, id, e);
        }
        String what = loc.type().label() + " blob " + id.shortHex() + " in pack " + loc.packId().substring(0, 8);
        byte[] encoded = key.open(sealed, 0, sealed.length, PackFormat.blobAad(loc.type(), id), what);
        return BlobCodec.decode(encoded, loc.plainLength(), what);
    }

    /** Throws a missing or truncated pack as damage ({@link CorruptObjectException}); returns other failures. */
    private static IOException translateBlobReadFailure(BlobLocation loc, BlobId id, IOException e) {
        if (e instanceof FileNotFoundInBackendException) {
            throw new CorruptObjectException("pack " + loc.packId() + " holding " + loc.type().label() + " blob "
                    + id.shortHex() + " is missing", e);
        }
        if (e.getMessage() != null && e.getMessage().contains("shorter")) {
            throw new CorruptObjectException("pack " + loc.packId() + " is truncated: " + e.getMessage(), e);
        }
        return e;
    }

    /**
     * A blob's plaintext in arrays borrowed from a {@link BufferPool}: {@code bytes()[offset(),
     * offset()+length())}. {@link #release} returns the arrays; the bytes are invalid afterwards.
     */
    public static final class PooledBlob {
        private final BufferPool pool;
        private final byte[] bytes;
        private final int offset;
        private final int length;
        private byte[] extra;

        private PooledBlob(BufferPool pool, byte[] bytes, int offset, int length, byte[] extra) {
            this.pool = pool;
            this.bytes = bytes;
            this.offset = offset;
            this.length = length;
            this.extra = extra;
        }

        public byte[] bytes() {
            return bytes;
        }

        public int offset() {
            return offset;
        }

        public int length() {
            return length;
        }

        /** Returns the arrays to the pool. */
        public void release() {
            pool.give(bytes);
            if (extra != null) {
                pool.give(extra);
                extra = null;
            }
        }
    }

    /**
     * Loads, authenticates and decodes one blob like {@link #loadBlob(BlobLocation, BlobId)}, but into
     * arrays from {@code pool}, so restoring gigabytes does not allocate gigabytes.
     */
    public PooledBlob loadBlob(BlobLocation loc, BlobId id, BufferPool pool) throws IOException {
        return loadBlob(loc, id, pool, direct);
    }

    /** As {@link #loadBlob(BlobLocation, BlobId, BufferPool)}, reading through an operation's {@link #packReader()}. */
    public PooledBlob loadBlob(BlobLocation loc, BlobId id, BufferPool pool, RangeReader packs) throws IOException {
        FileHandle pack = FileHandle.of(FileType.PACK, loc.packId());
        String what = loc.type().label() + " blob " + id.shortHex() + " in pack " + loc.packId().substring(0, 8);
        int encodedLength = Seal.plaintextLength(loc.sealedLength());
        if (encodedLength < 0) {
            throw new CorruptObjectException(what + " is damaged: the index gives it an impossible length "
                    + loc.sealedLength());
        }
        byte[] sealed = pool.take(loc.sealedLength());
        byte[] encoded;
        try {
            try {
                packs.loadInto(pack, loc.offset(), loc.sealedLength(), sealed);
            } catch (IOException e) {
                throw translateBlobReadFailure(loc, id, e);
            }
            encoded = pool.take(Math.max(1, encodedLength));
            try {
                key.openInto(sealed, 0, loc.sealedLength(), PackFormat.blobAad(loc.type(), id), what, encoded, 0);
            } catch (RuntimeException e) {
                pool.give(encoded);
                throw e;
            }
        } finally {
            pool.give(sealed);
        }
        try {
            if (encodedLength > 0 && encoded[0] == BlobCodec.ZSTD) {
                byte[] out = pool.take(Math.max(1, loc.plainLength()));
                try {
                    BlobCodec.decodeInPlaceOrInto(encoded, 0, encodedLength, loc.plainLength(), out, what);
                } catch (RuntimeException e) {
                    pool.give(out);
                    throw e;
                }
                pool.give(encoded);
                return new PooledBlob(pool, out, 0, loc.plainLength(), null);
            }
            int start = BlobCodec.decodeInPlaceOrInto(encoded, 0, encodedLength, loc.plainLength(), null, what);
            return new PooledBlob(pool, encoded, start, loc.plainLength(), null);
        } catch (RuntimeException e) {
            pool.give(encoded);
            throw e;
        }
    }

    /** Reads a pack's header: the authoritative list of its blobs. */
    public List<PackEntry> loadPackHeader(String packId) throws IOException {
        FileHandle handle = FileHandle.of(FileType.PACK, packId);
        long size = backend.size(handle);
        if (size < PackFormat.TRAILER_LENGTH + Seal.HEADER_LENGTH) {
            throw new CorruptObjectException("pack " + packId + " is only " + size + " bytes");
        }
        byte[] trailer = backend.load(handle, size - PackFormat.TRAILER_LENGTH, PackFormat.TRAILER_LENGTH);
        int headerLength = PackFormat.headerLength(trailer, packId, size);
        byte[] header = backend.load(handle, size - PackFormat.TRAILER_LENGTH - headerLength, headerLength);
        return PackFormat.decodeHeader(key, packId, header, size);
    }

    public Tree loadTree(BlobId id) throws IOException {
        return loadTree(id, direct);
    }

    /** As {@link #loadTree(BlobId)}, reading through an operation's {@link #packReader()}. */
    public Tree loadTree(BlobId id, RangeReader packs) throws IOException {
        return Tree.decode(loadBlob(BlobType.TREE, id, packs), "tree " + id.shortHex());
    }

    public Tree loadTree(String id) throws IOException {
        return loadTree(BlobId.parse(id));
    }

    public Tree loadTree(String id, RangeReader packs) throws IOException {
        return loadTree(BlobId.parse(id), packs);
    }

    // ---------------------------------------------------------------- snapshots

    /** Saves a snapshot (the commit of a backup); returns its id. */
    public String saveSnapshot(Snapshot snapshot) throws IOException {
        return saveSealed(FileType.SNAPSHOT, snapshot.encode());
    }

    public SnapshotRef loadSnapshot(String id) throws IOException {
        FileHandle handle = FileHandle.of(FileType.SNAPSHOT, id);
        return new SnapshotRef(id, Snapshot.decode(loadSealed(handle), "snapshot " + id.substring(0, 8)));
    }

    /** Every snapshot, oldest first. */
    public List<SnapshotRef> snapshots() throws IOException {
        List<SnapshotRef> out = new ArrayList<>();
        for (FileInfo f : backend.list(FileType.SNAPSHOT)) {
            out.add(loadSnapshot(f.handle().name()));
        }
        out.sort(Comparator.comparing((SnapshotRef s) -> s.snapshot().instant()).thenComparing(SnapshotRef::id));
        return out;
    }

    /** Finds a snapshot by full id, unique prefix, or "latest" (the newest). */
    public SnapshotRef findSnapshot(String ref) throws IOException {
        if ("latest".equals(ref)) {
            List<SnapshotRef> all = snapshots();
            if (all.isEmpty()) {
                throw new RepositoryException("the repository has no snapshots yet", RepositoryException.EXIT_FAILURE);
            }
            return all.get(all.size() - 1);
        }
        if (ref == null || !ref.matches("[0-9a-f]{1,64}")) {
            throw new RepositoryException("not a snapshot id: '" + ref + "' (use hex digits of an id, or 'latest')",
                    RepositoryException.EXIT_FAILURE);
        }
        List<String> ids = backend.list(FileType.SNAPSHOT).stream().map(f -> f.handle().name()).toList();
        String id = uniquePrefix(ids, ref, "snapshot").orElseThrow();
        return loadSnapshot(id);
    }

    public void deleteSnapshot(String id) throws IOException {
        backend.delete(FileHandle.of(FileType.SNAPSHOT, id));
    }

    // ---------------------------------------------------------------- helpers

    static byte[] toJson(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static <T> T getUnwrapped(Future<T> f) throws IOException {
        return Await.result(f, "repository operation");
    }

    public static String hostname() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    public static String username() {
        return System.getProperty("user.name", "unknown");
    }

    @Override
    public void close() throws IOException {
        backend.close();
    }
}
