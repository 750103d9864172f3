package io.cairn.dumps.mongodb;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerError;
import io.cairn.dumps.CheckStatus;
import io.cairn.dumps.ConnectionSpec;
import io.cairn.dumps.DatabaseAdapter;
import io.cairn.dumps.DatabaseAdapterContract;
import io.cairn.dumps.DatabaseException;
import io.cairn.dumps.Dump;
import io.cairn.dumps.DumpOptions;
import io.cairn.dumps.RestoreOptions;
import io.cairn.dumps.RestoreResult;
import io.cairn.dumps.Secret;
import io.cairn.dumps.SourceKind;
import io.cairn.dumps.TlsMode;
import io.cairn.dumps.tool.Toolbox;
import io.netty.channel.Channel;
import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.bson.RawBsonDocument;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The contract against mongo-java-server, an in-process server speaking MongoDB's wire protocol (no
 * MongoDB server or tools can be installed here). It proves the adapter's protocol-level behaviour
 * and its archive format, not WiredTiger's. It does not implement authentication, so for the
 * wrong-password fault it answers {@code saslStart} the way mongod answers a wrong password
 * (code 18, AuthenticationFailed): the only injected fault in this suite.
 */
class MongoAdapterContractTest extends DatabaseAdapterContract {
    static final String SECRET = "pw-" + UUID.randomUUID() + ":with\\odd'chars\"";
    static final int PEOPLE = 250;

    /** A memory backend that rejects every login, as mongod does for a wrong password. */
    static final class RejectingLogins extends MemoryBackend {
        @Override
        public Document handleCommand(Channel channel, String database, String command, Document query) {
            if (command.equalsIgnoreCase("saslStart") || command.equalsIgnoreCase("authenticate")) {
                throw new MongoServerError(18, "AuthenticationFailed", "Authentication failed.");
            }
            return super.handleCommand(channel, database, command, query);
        }
    }

    static MongoServer server;
    static InetSocketAddress address;

    @BeforeAll
    static void startServer() {
        server = new MongoServer(new RejectingLogins());
        server.bind("127.0.0.1", 0);
        address = server.getLocalAddress();
    }

    @AfterAll
    static void stopServer() {
        server.shutdownNow();
    }

    @Override
    protected DatabaseAdapter adapter() {
        return new MongoAdapter(Duration.ofSeconds(3));
    }

    @Override
    protected DatabaseAdapter adapterWith(Toolbox toolbox) {
        return adapter(); // needs no tool
    }

    static ConnectionSpec spec(InetSocketAddress at, String db) {
        return ConnectionSpec.server(SourceKind.MONGODB, "127.0.0.1", at.getPort(), db, null, Secret.none(), TlsMode.DISABLE);
    }

    private static String randomDb() {
        return "cairn_t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    @Override
    protected ConnectionSpec createScratch() {
        return spec(address, randomDb()); // MongoDB creates a database with its first collection
    }

    @Override
    protected ConnectionSpec newScratchName() {
        return spec(address, randomDb());
    }

    @Override
    protected void dropScratch(ConnectionSpec spec) {
        try (MongoClient c = new MongoAdapter().client(spec)) {
            c.getDatabase(spec.database()).drop();
        } catch (RuntimeException ignored) {
            // a server stopped by a test
        }
    }

    @Override
    protected void populate(ConnectionSpec spec) {
        try (MongoClient client = new MongoAdapter().client(spec)) {
            MongoDatabase db = client.getDatabase(spec.database());
            MongoCollection<org.bson.Document> people = db.getCollection("people");
            List<org.bson.Document> docs = new ArrayList<>();
            for (int i = 0; i < PEOPLE; i++) {
                byte[] photo = new byte[256 + i];
                for (int k = 0; k < photo.length; k++) {
                    photo[k] = (byte) (k * 31 + i);
                }
                org.bson.Document d = new org.bson.Document("_id", i)
                        .append("name", i % 3 == 0 ? "名前 " + i + " 🪨 שלום" : "person\t" + i + "\n'quoted' \\ back")
                        .append("nothing", null)
                        .append("score", new Decimal128(new java.math.BigDecimal(i + ".1234")))
                        .append("photo", i % 6 == 0 ? null : new org.bson.types.Binary(photo))
                        .append("uuid", new org.bson.types.Binary((byte) 4, new byte[16]))
                        .append("born", new Date(86_400_000L * i))
                        .append("oid", new ObjectId(new Date(1_700_000_000_000L), i))
                        .append("tags", List.of("a", "c d", "é"))
                        .append("nested", new org.bson.Document("x", i).append("y", List.of(1, 2.5, "three")));
                if (i % 4 != 0) {
                    d.append("nick", "nick" + i);
                }
                docs.add(d);
            }
            people.insertMany(docs);
            people.createIndex(Indexes.ascending("nick"), new IndexOptions().name("nick_unique").unique(true).sparse(true));
            MongoCollection<org.bson.Document> blobs = db.getCollection("blobs");
            blobs.insertOne(new org.bson.Document("_id", "large").append("text", "Lorem ipsum ñ 😀 ".repeat(60_000)));
            blobs.insertOne(new org.bson.Document("_id", "empty").append("text", ""));
            blobs.insertOne(new org.bson.Document("_id", new ObjectId()).append("$weird", "dollar field?")
                    .append("dotted", new org.bson.Document("a.b", 1)));
        }
    }

    @Override
    protected void addBulkData(ConnectionSpec spec) {
        Random random = new Random(7);
        try (MongoClient client = new MongoAdapter().client(spec)) {
            MongoCollection<org.bson.Document> bulk = client.getDatabase(spec.database()).getCollection("bulk");
            List<org.bson.Document> batch = new ArrayList<>();
            for (int i = 0; i < 1200; i++) {
                byte[] v = new byte[10_000];
                random.nextBytes(v);
                batch.add(new org.bson.Document("_id", i).append("payload", new org.bson.types.Binary(v)));
            }
            bulk.insertMany(batch);
        }
    }

    @Override
    protected Map<String, String> fingerprint(ConnectionSpec spec) throws Exception {
        Map<String, String> f = new TreeMap<>();
        try (MongoClient client = new MongoAdapter().client(spec)) {
            MongoDatabase db = client.getDatabase(spec.database());
            for (String name : db.listCollectionNames()) {
                MessageDigest md = MessageDigest.getInstance("SHA-256");
                long n = 0;
                for (RawBsonDocument d : db.getCollection(name, RawBsonDocument.class).find()
                        .sort(new BsonDocument("_id", new org.bson.BsonInt32(1)))) {
                    var buf = d.getByteBuffer().asNIO();
                    byte[] b = new byte[buf.remaining()];
                    buf.get(b);
                    md.update(b);
                    n++;
                }
                List<String> indexes = new ArrayList<>();
                for (org.bson.Document idx : db.getCollection(name).listIndexes()) {
                    indexes.add(idx.getString("name") + idx.get("key") + idx.get("unique"));
                }
                indexes.sort(null);
                f.put(name, n + " docs " + HexFormat.of().formatHex(md.digest()).substring(0, 24) + " indexes " + indexes);
            }
        }
        return f;
    }

    @Override
    protected Map<String, Long> expectedCounts() {
        return Map.of("people", (long) PEOPLE, "blobs", 3L);
    }

    @Override
    protected void verifyRestoredBehaviour(ConnectionSpec source, ConnectionSpec restored) {
        try (MongoClient client = new MongoAdapter().client(restored)) {
            MongoCollection<org.bson.Document> people = client.getDatabase(restored.database()).getCollection("people");
            assertThatThrownBy(() -> people.insertOne(new org.bson.Document("_id", 10_000).append("nick", "nick1")))
                    .as("the unique index came back").isInstanceOf(com.mongodb.MongoWriteException.class);
            org.bson.Document first = people.find(new org.bson.Document("_id", 1)).first();
            assertThat(first.get("score")).isEqualTo(new Decimal128(new java.math.BigDecimal("1.1234")));
            assertThat(first.get("uuid", org.bson.types.Binary.class).getType()).isEqualTo((byte) 4);
        }
    }

    @Override
    protected List<String> someTables() {
        return List.of("people");
    }

    @Override
    protected String objectNoun() {
        return "collection";
    }

    @Override
    protected String secret() {
        return SECRET;
    }

    @Override
    protected List<String> tools() {
        return List.of();
    }

    @Override
    protected Optional<ConnectionSpec> withWrongPassword(ConnectionSpec good) {
        return Optional.of(ConnectionSpec.server(SourceKind.MONGODB, good.host(), good.port(), good.database(), "app",
                Secret.of(SECRET), TlsMode.DISABLE));
    }

    @Override
    protected ConnectionSpec withMissingDatabase(ConnectionSpec good) {
        return good.withDatabase("cairn_missing_" + UUID.randomUUID().toString().substring(0, 8));
    }

    /** A dump whose server goes away after the header: the driver fails, the dump must too. */
    @Override
    protected Dump startFailingDump(ConnectionSpec source) throws Exception {
        MongoServer own = new MongoServer(new MemoryBackend());
        own.bind("127.0.0.1", 0);
        InetSocketAddress at = own.getLocalAddress();
        ConnectionSpec spec = spec(at, source.database());
        populate(spec);
        Dump dump = adapter().dump(spec, DumpOptions.defaults());
        own.shutdownNow();
        return dump;
    }

    @Test
    void theArchiveStartsWithItsMagicAndEndsWithAnEndRecord() throws Exception {
        ConnectionSpec source = scratch();
        populate(source);
        byte[] bytes = dumpFully(adapter(), source);
        assertThat(new String(bytes, 0, MongoArchive.MAGIC.length, java.nio.charset.StandardCharsets.US_ASCII))
                .isEqualTo("CAIRN-MONGODB-ARCHIVE 1\n");
        var in = new java.io.ByteArrayInputStream(bytes);
        MongoArchive.readMagic(in);
        MongoArchive.Record r;
        MongoArchive.Record last = null;
        int collections = 0;
        while ((r = MongoArchive.read(in)) != null) {
            last = r;
            if (r.tag() == MongoArchive.COLLECTION) {
                collections++;
            }
        }
        assertThat(last.tag()).isEqualTo(MongoArchive.END);
        assertThat(last.document().getInt64("documents").getValue()).isEqualTo(PEOPLE + 3);
        assertThat(collections).isEqualTo(2);
        byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length - 30);
        assertThatThrownBy(() -> adapter().restore(scratchName(), new java.io.ByteArrayInputStream(truncated),
                io.cairn.dumps.RestoreOptions.defaults().creatingDatabase()))
                .isInstanceOf(io.cairn.dumps.DatabaseException.class).hasMessageContaining("truncated");
    }

    // ---------------------------------------------------------------- some collections

    private static RestoreResult restore(ConnectionSpec target, byte[] archive, RestoreOptions options) throws DatabaseException {
        return new MongoAdapter(Duration.ofSeconds(3)).restore(target, new ByteArrayInputStream(archive), options);
    }

    private static List<String> databaseNames(ConnectionSpec spec) {
        try (MongoClient c = new MongoAdapter().client(spec)) {
            return c.listDatabaseNames().into(new ArrayList<>());
        }
    }

    @Test
    void restoringSomeCollectionsOverExistingDataReplacesOnlyThoseWithTheirIndexes() throws Exception {
        ConnectionSpec source = scratch();
        populate(source);
        Map<String, String> backedUp = fingerprint(source);
        byte[] bytes = dumpFully(adapter(), source);
        try (MongoClient c = new MongoAdapter().client(source)) {
            MongoDatabase db = c.getDatabase(source.database());
            db.getCollection("people").deleteMany(new org.bson.Document("_id", new org.bson.Document("$gte", 10)));
            db.getCollection("people").dropIndex("nick_unique");
            db.getCollection("blobs").insertOne(new org.bson.Document("_id", "written after the backup"));
            db.getCollection("added").insertOne(new org.bson.Document("_id", 1).append("kept", true));
        }
        Map<String, String> changed = fingerprint(source);

        assertThatThrownBy(() -> restore(source, bytes, RestoreOptions.defaults().onlyTables(List.of("people"))))
                .isInstanceOfSatisfying(DatabaseException.class, e -> {
                    assertThat(e.status()).as(e.getMessage()).isEqualTo(CheckStatus.TARGET_NOT_EMPTY);
                    assertThat(e.getMessage()).contains("already holds collection people").contains("overwrite")
                            .doesNotContain("blobs");
                });
        assertThat(fingerprint(source)).as("a refused restore changes nothing").isEqualTo(changed);

        RestoreResult result = restore(source, bytes, RestoreOptions.defaults().overwriting().onlyTables(List.of("people")));
        Map<String, String> after = fingerprint(source);
        assertThat(after.get("people")).as("documents and indexes as backed up").isEqualTo(backedUp.get("people"));
        assertThat(after.get("blobs")).as("not chosen: left as it was").isEqualTo(changed.get("blobs"));
        assertThat(after.get("added")).as("not in the backup: left as it was").isEqualTo(changed.get("added"));
        assertThat(result.restored().databases().get(0).object("people").orElseThrow().count()).isEqualTo(PEOPLE);
        verifyRestoredBehaviour(source, source);
    }

    @Test
    void aChosenCollectionTheTargetLacksIsAddedWithoutOverwriteAndTheOthersStay() throws Exception {
        ConnectionSpec source = scratch();
        populate(source);
        Map<String, String> backedUp = fingerprint(source);
        byte[] bytes = dumpFully(adapter(), source);
        ConnectionSpec target = scratch();
        try (MongoClient c = new MongoAdapter().client(target)) {
            c.getDatabase(target.database()).getCollection("mine").insertOne(new org.bson.Document("_id", "x"));
        }
        Map<String, String> mine = fingerprint(target);

        restore(target, bytes, RestoreOptions.defaults().onlyTables(List.of("blobs")));
        Map<String, String> after = fingerprint(target);
        assertThat(after.keySet()).containsExactlyInAnyOrder("blobs", "mine");
        assertThat(after.get("blobs")).isEqualTo(backedUp.get("blobs"));
        assertThat(after.get("mine")).isEqualTo(mine.get("mine"));
    }

    @Test
    void aCollectionTheBackupLacksIsRefusedBeforeAnythingIsWritten() throws Exception {
        ConnectionSpec source = scratch();
        populate(source);
        byte[] bytes = dumpFully(adapter(), source);

        ConnectionSpec fresh = scratchName();
        assertThatThrownBy(() -> restore(fresh, bytes, RestoreOptions.defaults().creatingDatabase()
                .onlyTables(List.of("people", "nope", source.database() + ".blobs"))))
                .isInstanceOfSatisfying(DatabaseException.class, e -> assertThat(e.getMessage())
                        .contains("no collection nope, " + source.database() + ".blobs in database " + source.database())
                        .contains("it holds blobs, people").contains("Nothing was restored"));
        assertThat(databaseNames(fresh)).as("not even the database was created").doesNotContain(fresh.database());

        Map<String, String> before = fingerprint(source);
        assertThatThrownBy(() -> restore(source, bytes, RestoreOptions.defaults().overwriting()
                .onlyTables(List.of("people", "nope"))))
                .isInstanceOf(DatabaseException.class).hasMessageContaining("no collection nope");
        assertThat(fingerprint(source)).as("overwriting was allowed, yet nothing was written").isEqualTo(before);
    }

    /** A memory backend that keeps the create commands it receives (it keeps no collection options itself). */
    static final class RecordingCreates extends MemoryBackend {
        final List<Document> creates = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public Document handleCommand(Channel channel, String database, String command, Document query) {
            if (command.equalsIgnoreCase("create")) {
                creates.add(new Document("db", database).append("command", query));
            }
            return super.handleCommand(channel, database, command, query);
        }
    }

    /**
     * mongo-java-server keeps no collection options (it lists every collection with empty ones, and refuses capped
     * collections), so the options are given to a collection record of a real archive, as a mongod would have listed
     * them, and the test watches the create command the restore sends. Indexes are checked on the server.
     */
    @Test
    void theOptionsAndIndexesOfAChosenCollectionComeBack() throws Exception {
        RecordingCreates backend = new RecordingCreates();
        MongoServer own = new MongoServer(backend);
        own.bind("127.0.0.1", 0);
        try {
            InetSocketAddress at = own.getLocalAddress();
            populate(spec(at, "shop"));
            byte[] bytes = dumpFully(adapter(), spec(at, "shop"));
            BsonDocument validator = BsonDocument.parse("{\"name\": {\"$exists\": true}}");
            var in = new ByteArrayInputStream(bytes);
            var out = new java.io.ByteArrayOutputStream();
            MongoArchive.readMagic(in);
            out.write(MongoArchive.MAGIC);
            MongoArchive.Record r;
            while ((r = MongoArchive.read(in)) != null) {
                BsonDocument doc = r.document();
                if (r.tag() == MongoArchive.COLLECTION && doc.getString("name").getValue().equals("people")) {
                    doc = new BsonDocument();
                    doc.putAll(r.document());
                    doc.put("options", new BsonDocument("validator", validator)
                            .append("validationLevel", new org.bson.BsonString("moderate")));
                }
                out.write(MongoArchive.record(r.tag(), doc));
            }
            backend.creates.clear();

            restore(spec(at, "copy"), out.toByteArray(), RestoreOptions.defaults().creatingDatabase()
                    .onlyTables(List.of("people")));
            assertThat(backend.creates).hasSize(1);
            Document create = backend.creates.get(0);
            assertThat(create.get("db")).isEqualTo("copy");
            Document command = (Document) create.get("command");
            assertThat(command.get("create")).isEqualTo("people");
            assertThat(command.get("validationLevel")).isEqualTo("moderate");
            assertThat(command.get("validator").toString()).contains("name").contains("$exists");
            assertThat(fingerprint(spec(at, "copy"))).isEqualTo(Map.of("people", fingerprint(spec(at, "shop")).get("people")));
            verifyRestoredBehaviour(spec(at, "shop"), spec(at, "copy"));
        } finally {
            own.shutdownNow();
        }
    }

    @Test
    void someCollectionsOfAnArchiveOfAllDatabasesRestoreIntoTheNamedDatabase() throws Exception {
        MongoServer own = new MongoServer(new MemoryBackend());
        own.bind("127.0.0.1", 0);
        try {
            InetSocketAddress at = own.getLocalAddress();
            populate(spec(at, "shop"));
            populate(spec(at, "crm"));
            byte[] all = dumpFully(adapter(), spec(at, null));
            ConnectionSpec server = spec(at, null);
            assertThatThrownBy(() -> restore(server, all, RestoreOptions.defaults().onlyTables(List.of("people"))))
                    .isInstanceOf(DatabaseException.class).hasMessageContaining("name the database");

            try (MongoClient c = new MongoAdapter().client(spec(at, "crm"))) {
                c.getDatabase("crm").getCollection("people").drop();
            }
            restore(spec(at, "crm"), all, RestoreOptions.defaults().onlyTables(List.of("people")));
            assertThat(fingerprint(spec(at, "crm")).get("people")).isEqualTo(fingerprint(spec(at, "shop")).get("people"));
            assertThat(fingerprint(spec(at, "crm")).keySet()).containsExactlyInAnyOrder("people", "blobs");
        } finally {
            own.shutdownNow();
        }
    }

    @Test
    void anArchiveMadeBeforeHeadersListedCollectionsIsCheckedAsItIsRead() throws Exception {
        ConnectionSpec source = scratch();
        populate(source);
        byte[] bytes = dumpFully(adapter(), source);
        var in = new ByteArrayInputStream(bytes);
        MongoArchive.readMagic(in);
        BsonDocument header = new BsonDocument();
        header.putAll(MongoArchive.read(in).document());
        assertThat(header.getArray("collections")).hasSize(2);
        header.remove("collections");
        var old = new java.io.ByteArrayOutputStream();
        old.write(MongoArchive.MAGIC);
        old.write(MongoArchive.record(MongoArchive.HEADER, header));
        in.transferTo(old);
        byte[] oldBytes = old.toByteArray();

        ConnectionSpec target = scratchName();
        assertThatThrownBy(() -> restore(target, oldBytes, RestoreOptions.defaults().creatingDatabase()
                .onlyTables(List.of("people", "nope"))))
                .isInstanceOf(DatabaseException.class).hasMessageContaining("no collection nope")
                .hasMessageContaining("it holds blobs, people").hasMessageContaining("were restored");
        assertThat(fingerprint(target).keySet()).containsExactly("people");

        ConnectionSpec other = scratchName();
        restore(other, oldBytes, RestoreOptions.defaults().creatingDatabase().onlyTables(List.of("blobs")));
        assertThat(fingerprint(other)).isEqualTo(Map.of("blobs", fingerprint(source).get("blobs")));
    }
}
