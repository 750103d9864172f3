package io.cairn.dumps.mongodb;

import com.mongodb.MongoClientSettings;
import com.mongodb.MongoCredential;
import com.mongodb.ServerAddress;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import com.mongodb.connection.ClusterConnectionMode;
import io.cairn.dumps.CheckStatus;
import io.cairn.dumps.ConnectionCheck;
import io.cairn.dumps.ConnectionSpec;
import io.cairn.dumps.DatabaseAdapter;
import io.cairn.dumps.DatabaseDescription;
import io.cairn.dumps.DatabaseException;
import io.cairn.dumps.DatabaseInfo;
import io.cairn.dumps.Dump;
import io.cairn.dumps.DumpOptions;
import io.cairn.dumps.ObjectInfo;
import io.cairn.dumps.RestoreOptions;
import io.cairn.dumps.RestoreResult;
import io.cairn.dumps.SourceKind;
import io.cairn.dumps.TlsMode;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.Document;
import org.bson.RawBsonDocument;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * MongoDB through the official Java driver; no {@code mongodump} is needed or used.
 *
 * <p>Why not {@code mongodump}: the database tools cannot be installed on the machines Cairn is
 * built and tested on, so a {@code mongodump} path could never be tested here; and one archive format
 * that every Cairn can read beats a format that depends on which tools the backing-up host had. The
 * format is {@link MongoArchive} ({@code NAME.mongo-archive}): raw BSON documents per collection
 * with collection options, views and index specifications, and an end record that makes truncation
 * detectable.
 *
 * <p>Consistency, honestly: collections are read one after another with ordinary queries, so the dump
 * is consistent per collection (each cursor sees a snapshot of its collection under WiredTiger) but
 * not across collections, as {@code mongodump} without {@code --oplog} is not either. Users and roles
 * ({@code admin.system.*}) and the {@code local} and {@code config} databases are not dumped.
 *
 * <p>Tested against {@code mongo-java-server} (an in-process server speaking the wire protocol), not
 * a real {@code mongod}: that proves the protocol-level behaviour, not WiredTiger's.
 */
public final class MongoAdapter implements DatabaseAdapter {
    private static final int BATCH_DOCUMENTS = 1000;
    private static final int BATCH_BYTES = 8 << 20;
    private static final long EXACT_COUNT_LIMIT = 1_000_000;

    private final Duration serverSelectionTimeout;

    public MongoAdapter() {
        this(Duration.ofSeconds(10));
    }

    /** An adapter that gives up on an unreachable server after {@code serverSelectionTimeout}. */
    public MongoAdapter(Duration serverSelectionTimeout) {
        this.serverSelectionTimeout = serverSelectionTimeout;
    }

    @Override
    public SourceKind kind() {
        return SourceKind.MONGODB;
    }

    private static void requireKind(ConnectionSpec spec) {
        if (spec.kind() != SourceKind.MONGODB) {
            throw new IllegalArgumentException("not a MongoDB spec: " + spec.kind());
        }
    }

    MongoClient client(ConnectionSpec spec) {
        MongoClientSettings.Builder b = MongoClientSettings.builder()
                .applicationName("cairn")
                .applyToClusterSettings(c -> c.hosts(List.of(new ServerAddress(spec.host(), spec.port())))
                        .mode(ClusterConnectionMode.SINGLE)
                        .serverSelectionTimeout(serverSelectionTimeout.toMillis(), TimeUnit.MILLISECONDS))
                .applyToSocketSettings(s -> s.connectTimeout(10, TimeUnit.SECONDS));
        if (spec.tls() == TlsMode.REQUIRE || spec.tls() == TlsMode.VERIFY_FULL) {
            b.applyToSslSettings(s -> {
                s.enabled(true);
                if (spec.tls() == TlsMode.REQUIRE) {
                    s.invalidHostNameAllowed(true).context(trustAll());
                }
            });
        }
        if (spec.username() != null) {
            b.credential(MongoCredential.createCredential(spec.username(), "admin",
                    spec.password().reveal().toCharArray()));
        }
        return MongoClients.create(b.build());
    }

    private static SSLContext trustAll() {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[]{new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, null);
            return ctx;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean isSystemDatabase(String name) {
        return name.equals("local") || name.equals("config");
    }

    /** The databases a spec covers: the named one, or all but local and config. */
    static List<String> databases(MongoClient client, ConnectionSpec spec) {
        if (spec.database() != null) {
            return List.of(spec.database());
        }
        List<String> names = new ArrayList<>();
        for (String n : client.listDatabaseNames()) {
            if (!isSystemDatabase(n)) {
                names.add(n);
            }
        }
        names.sort(null);
        return names;
    }

    private static boolean exists(MongoClient client, String db) {
        for (String n : client.listDatabaseNames()) {
            if (n.equals(db)) {
                return true;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- test / describe

    @Override
    public ConnectionCheck test(ConnectionSpec spec) {
        requireKind(spec);
        String version = null;
        try (MongoClient client = client(spec)) {
            Document info = client.getDatabase("admin").runCommand(new Document("buildInfo", 1));
            version = info.getString("version");
            if (spec.database() != null && !exists(client, spec.database())) {
                return ConnectionCheck.failed(CheckStatus.DATABASE_MISSING, "database " + spec.database()
                        + " does not exist on " + spec.address() + " (MongoDB creates a database with its first"
                        + " collection): check the name", version);
            }
            return ConnectionCheck.ok("connected to MongoDB " + version + " at " + spec.target(), version);
        } catch (RuntimeException e) {
            DatabaseException d = MongoErrors.classify(e, spec, "connect");
            return ConnectionCheck.failed(d.status(), d.getMessage(), version);
        }
    }

    @Override
    public DatabaseDescription describe(ConnectionSpec spec) throws DatabaseException {
        requireKind(spec);
        try (MongoClient client = client(spec)) {
            String version = client.getDatabase("admin").runCommand(new Document("buildInfo", 1)).getString("version");
            if (spec.database() != null && !exists(client, spec.database())) {
                throw new DatabaseException(CheckStatus.DATABASE_MISSING, "database " + spec.database()
                        + " does not exist on " + spec.address());
            }
            List<DatabaseInfo> infos = new ArrayList<>();
            long total = 0;
            for (String name : databases(client, spec)) {
                MongoDatabase db = client.getDatabase(name);
                long size = -1;
                try {
                    Document stats = db.runCommand(new Document("dbStats", 1));
                    Object dataSize = stats.get("dataSize");
                    size = dataSize instanceof Number n ? n.longValue() : -1;
                } catch (RuntimeException ignored) {
                    // some servers (and users) cannot run dbStats; the size is then unknown
                }
                List<ObjectInfo> objects = new ArrayList<>();
                for (Document c : db.listCollections()) {
                    String cname = c.getString("name");
                    if (cname.startsWith("system.")) {
                        continue;
                    }
                    if ("view".equals(c.getString("type"))) {
                        objects.add(new ObjectInfo(cname, ObjectInfo.ObjectType.VIEW, -1));
                        continue;
                    }
                    var coll = db.getCollection(cname);
                    long count = coll.estimatedDocumentCount();
                    if (count < EXACT_COUNT_LIMIT) {
                        count = coll.countDocuments();
                    }
                    objects.add(new ObjectInfo(cname, ObjectInfo.ObjectType.COLLECTION, count));
                }
                objects.sort(java.util.Comparator.comparing(ObjectInfo::name));
                infos.add(new DatabaseInfo(name, size, objects));
                total += Math.max(0, size);
            }
            return new DatabaseDescription(SourceKind.MONGODB, version, total, infos);
        } catch (RuntimeException e) {
            throw MongoErrors.classify(e, spec, "describe");
        }
    }

    // ---------------------------------------------------------------- dump

    @Override
    public Dump dump(ConnectionSpec spec, DumpOptions options) throws DatabaseException {
        requireKind(spec);
        MongoClient client = client(spec);
        try {
            Document info = client.getDatabase("admin").runCommand(new Document("buildInfo", 1));
            if (spec.database() != null && !exists(client, spec.database())) {
                throw new DatabaseException(CheckStatus.DATABASE_MISSING, "database " + spec.database()
                        + " does not exist on " + spec.address() + ": check the name");
            }
            List<String> dbs = databases(client, spec);
            return new MongoDump(client, spec, info.getString("version"), dbs, options);
        } catch (RuntimeException e) {
            client.close();
            throw MongoErrors.classify(e, spec, "dump");
        } catch (DatabaseException e) {
            client.close();
            throw e;
        }
    }

    // ---------------------------------------------------------------- restore

    /**
     * {@inheritDoc}
     *
     * <p>With {@link RestoreOptions#tables()}, only those collections (or views) of one database are restored,
     * named as {@link #describe} lists them under their database ({@code orders}, not {@code shop.orders}; a
     * MongoDB collection name may itself contain dots). The target must name the database to restore into; an
     * archive of all databases gives the collections of the database of that name. A name the archive does not
     * hold is refused before anything is written (the archive's header lists its collections; an archive made
     * before it did is checked as it is read, and then the other collections are restored before the refusal).
     * Without overwrite, a chosen collection the target database already has is refused, while the target's other
     * collections do not matter; with it, only the chosen collections are dropped and restored, with their options
     * and indexes, and the others are left as they are.
     */
    @Override
    public RestoreResult restore(ConnectionSpec target, InputStream dump, RestoreOptions options) throws DatabaseException {
        requireKind(target);
        RestoreOptions.refuseRoles(options, "MongoDB");
        RestoreOptions.refuseFlushFirst(options, "MongoDB");
        Set<String> chosen = new LinkedHashSet<>(options.tables());
        if (!chosen.isEmpty() && target.database() == null) {
            throw new DatabaseException(CheckStatus.OTHER, "single collections restore into one database: name the"
                    + " database to restore them into");
        }
        InputStream in = new BufferedInputStream(dump, 1 << 16);
        CountingInput counting = new CountingInput(in);
        List<String> warnings = new ArrayList<>();
        try (MongoClient client = client(target)) {
            MongoArchive.readMagic(counting);
            MongoArchive.Record header = MongoArchive.read(counting);
            if (header == null || header.tag() != MongoArchive.HEADER) {
                throw new DatabaseException(CheckStatus.OTHER, "the archive has no header record: it is damaged");
            }
            List<String> dumped = new ArrayList<>();
            for (BsonValue v : header.document().getArray("databases")) {
                dumped.add(v.asString().getValue());
            }
            String rename = null;
            if (target.database() != null) {
                if (dumped.size() == 1) {
                    rename = target.database();
                } else if (!dumped.contains(target.database())) {
                    throw new DatabaseException(CheckStatus.DATABASE_MISSING, "the archive holds databases "
                            + dumped + ", not " + target.database() + ": name one of them, or none to restore all");
                }
            }
            Selection selection = null;
            if (!chosen.isEmpty()) {
                String from = rename != null ? dumped.get(0) : target.database();
                selection = new Selection(from, chosen, listed(header.document(), from));
                selection.refuseUnknown();
            }
            Set<String> targets = new HashSet<>();
            for (String d : dumped) {
                if (rename != null) {
                    targets.add(rename);
                } else if (target.database() == null || target.database().equals(d)) {
                    targets.add(d);
                }
            }
            for (String t : targets) {
                boolean exists = exists(client, t);
                if (!exists && target.database() != null && !options.createDatabase()) {
                    throw new DatabaseException(CheckStatus.DATABASE_MISSING, "database " + t + " does not exist on "
                            + target.address() + ": restore with the option to create it");
                }
                if (exists && !options.overwrite()) {
                    List<String> existing = new ArrayList<>();
                    for (String c : client.getDatabase(t).listCollectionNames()) {
                        if (!c.startsWith("system.") && (selection == null || selection.names().contains(c))) {
                            existing.add(c);
                        }
                    }
                    existing.sort(null);
                    if (!existing.isEmpty() && selection != null) {
                        throw new DatabaseException(CheckStatus.TARGET_NOT_EMPTY, "database " + t + " on "
                                + target.address() + " already holds " + (existing.size() == 1 ? "collection " : "collections ")
                                + String.join(", ", existing) + ": restore into a new database, or choose to overwrite"
                                + " (only the chosen collections are replaced; the others are left as they are)");
                    }
                    if (!existing.isEmpty()) {
                        throw new DatabaseException(CheckStatus.TARGET_NOT_EMPTY, "database " + t + " on "
                                + target.address() + " already holds " + existing.size() + " collections: restore into an"
                                + " empty or new database, or choose to overwrite (collections in the archive are replaced)");
                    }
                }
            }
            new ArchiveLoader(client, target, rename, selection, options, counting, warnings).load();
            if (selection != null) {
                selection.refuseMissing();
            }
        } catch (DatabaseException e) {
            throw e;
        } catch (IOException e) {
            throw new DatabaseException(CheckStatus.OTHER, "cannot restore into " + target.target() + ": "
                    + e.getMessage() + " (nothing after that point was restored)", e);
        } catch (RuntimeException e) {
            throw MongoErrors.classify(e, target, "restore");
        }
        return new RestoreResult(target.target(), counting.count, describe(target), warnings);
    }

    /**
     * The collections of database {@code db} the header lists, or null for an archive whose header lists none
     * (made before headers did).
     */
    private static List<String> listed(BsonDocument header, String db) {
        if (!header.containsKey("collections")) {
            return null;
        }
        List<String> names = new ArrayList<>();
        for (BsonValue v : header.getArray("collections")) {
            BsonDocument c = v.asDocument();
            if (c.getString("db").getValue().equals(db)) {
                names.add(c.getString("name").getValue());
            }
        }
        return names;
    }

    /** The collections a restore of some collections asked for, from database {@code db} of the archive. */
    private static final class Selection {
        private final String db;
        private final Set<String> names;
        private final List<String> listed;
        private final Set<String> found = new HashSet<>();
        private final Set<String> seen = new java.util.TreeSet<>();

        Selection(String db, Set<String> names, List<String> listed) {
            this.db = db;
            this.names = names;
            this.listed = listed;
        }

        Set<String> names() {
            return names;
        }

        /** Whether the loader restores this collection of the archive (and notes it as found). */
        boolean wants(String collectionDb, String name) {
            if (!collectionDb.equals(db)) {
                return false;
            }
            seen.add(name);
            if (names.contains(name)) {
                found.add(name);
                return true;
            }
            return false;
        }

        /** Refuses, before anything is written, names the header does not list. */
        void refuseUnknown() throws DatabaseException {
            if (listed == null) {
                return;
            }
            List<String> unknown = names.stream().filter(n -> !listed.contains(n)).toList();
            if (!unknown.isEmpty()) {
                throw new DatabaseException(CheckStatus.OTHER, noCollection(unknown, listed)
                        + ". Nothing was restored");
            }
        }

        /** After loading: refuses names the archive turned out not to hold. */
        void refuseMissing() throws DatabaseException {
            List<String> missing = names.stream().filter(n -> !found.contains(n)).toList();
            if (missing.isEmpty()) {
                return;
            }
            if (listed != null) {
                throw new DatabaseException(CheckStatus.OTHER, "the archive's header lists collections " + missing
                        + " of database " + db + " that it does not hold: it is damaged; the other collections were restored");
            }
            throw new DatabaseException(CheckStatus.OTHER, noCollection(missing, List.copyOf(seen))
                    + "; the other collections asked for were restored (this archive was made before archives listed"
                    + " their collections up front)");
        }

        private String noCollection(List<String> missing, List<String> holds) {
            List<String> sorted = holds.stream().sorted().toList();
            return "the backup has no collection " + String.join(", ", missing) + " in database " + db + ": it holds "
                    + (sorted.isEmpty() ? "none" : String.join(", ", sorted.subList(0, Math.min(20, sorted.size())))
                    + (sorted.size() > 20 ? ", …" : "")) + " (names as the backup lists them, without the database)";
        }
    }

    /** Loads records after the header: creates collections and views, inserts documents in batches, builds indexes. */
    private static final class ArchiveLoader {
        private final MongoClient client;
        private final ConnectionSpec target;
        private final String rename;
        private final Selection selection;
        private final RestoreOptions options;
        private final InputStream in;
        private final List<String> warnings;
        private final List<RawBsonDocument> batch = new ArrayList<>();
        private int batchBytes;
        private com.mongodb.client.MongoCollection<RawBsonDocument> current;
        private BsonDocument currentSpec;
        private boolean skipping;
        private long collections;
        private long documents;

        ArchiveLoader(MongoClient client, ConnectionSpec target, String rename, Selection selection, RestoreOptions options,
                      InputStream in, List<String> warnings) {
            this.client = client;
            this.target = target;
            this.rename = rename;
            this.selection = selection;
            this.options = options;
            this.in = in;
            this.warnings = warnings;
        }

        void load() throws IOException {
            MongoArchive.Record r;
            while ((r = MongoArchive.read(in)) != null) {
                switch (r.tag()) {
                    case MongoArchive.COLLECTION -> {
                        finishCollection();
                        startCollection(r.document());
                    }
                    case MongoArchive.DOCUMENT -> {
                        documents++;
                        if (!skipping) {
                            add(r.document());
                        }
                    }
                    case MongoArchive.END -> {
                        finishCollection();
                        long c = r.document().getNumber("collections").longValue();
                        long d = r.document().getNumber("documents").longValue();
                        if (c != collections || d != documents) {
                            throw new IOException("the archive's end record counts " + c + " collections and " + d
                                    + " documents, but it held " + collections + " and " + documents + ": it is damaged");
                        }
                        return;
                    }
                    default -> throw new IOException("damaged archive: a second header record");
                }
            }
            throw new IOException("the archive ends early (after " + collections + " collections and " + documents
                    + " documents, with no end record): it is truncated");
        }

        private void startCollection(BsonDocument spec) {
            collections++;
            String db = spec.getString("db").getValue();
            String name = spec.getString("name").getValue();
            skipping = selection != null ? !selection.wants(db, name)
                    : target.database() != null && rename == null && !target.database().equals(db);
            if (skipping) {
                current = null;
                return;
            }
            String targetDb = rename != null ? rename : db;
            MongoDatabase database = client.getDatabase(targetDb);
            if (options.overwrite()) {
                database.getCollection(name).drop();
            }
            BsonDocument opts = spec.getDocument("options", new BsonDocument());
            BsonDocument create = new BsonDocument("create", new BsonString(name));
            for (var e : opts.entrySet()) {
                create.put(e.getKey(), e.getValue());
            }
            database.runCommand(create);
            if ("view".equals(spec.getString("type", new BsonString("collection")).getValue())) {
                current = null;
                currentSpec = null;
                return;
            }
            current = database.getCollection(name, RawBsonDocument.class);
            currentSpec = spec;
        }

        private void add(RawBsonDocument doc) {
            batch.add(doc);
            batchBytes += doc.getByteBuffer().remaining();
            if (batch.size() >= BATCH_DOCUMENTS || batchBytes >= BATCH_BYTES) {
                flush();
            }
        }

        private void flush() {
            if (!batch.isEmpty() && current != null) {
                current.insertMany(new ArrayList<>(batch));
            }
            batch.clear();
            batchBytes = 0;
        }

        private void finishCollection() {
            flush();
            if (current != null && currentSpec != null) {
                BsonArray indexes = currentSpec.getArray("indexes", new BsonArray());
                BsonArray toCreate = new BsonArray();
                for (BsonValue v : indexes) {
                    BsonDocument idx = new BsonDocument();
                    idx.putAll(v.asDocument()); // a mutable copy: documents read from the archive are raw and immutable
                    if ("_id_".equals(idx.getString("name", new BsonString("")).getValue())) {
                        continue;
                    }
                    idx.remove("v");
                    idx.remove("ns");
                    toCreate.add(idx);
                }
                if (!toCreate.isEmpty()) {
                    String db = current.getNamespace().getDatabaseName();
                    client.getDatabase(db).runCommand(new BsonDocument("createIndexes",
                            new BsonString(current.getNamespace().getCollectionName())).append("indexes", toCreate));
                }
            }
            current = null;
            currentSpec = null;
        }
    }

    /** Counts bytes read. */
    private static final class CountingInput extends InputStream {
        private final InputStream in;
        long count;

        CountingInput(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }

    static BsonDocument endRecord(long collections, long documents) {
        return new BsonDocument("collections", new BsonInt64(collections)).append("documents", new BsonInt64(documents));
    }

    /** The header: format, server version, the databases dumped and their collections and views, in archive order. */
    static BsonDocument headerRecord(String version, List<String> dbs, List<BsonDocument> collectionSpecs) {
        BsonArray names = new BsonArray();
        dbs.forEach(d -> names.add(new BsonString(d)));
        BsonArray collections = new BsonArray();
        for (BsonDocument c : collectionSpecs) {
            collections.add(new BsonDocument("db", c.getString("db")).append("name", c.getString("name"))
                    .append("type", c.getString("type")));
        }
        return new BsonDocument("format", new BsonInt32(1)).append("server", new BsonString(version == null ? "" : version))
                .append("databases", names).append("collections", collections);
    }
}
