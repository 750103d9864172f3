package io.cairn.dumps.mongodb;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.MongoDatabase;
import io.cairn.dumps.ConnectionSpec;
import io.cairn.dumps.DatabaseException;
import io.cairn.dumps.Dump;
import io.cairn.dumps.DumpFailedException;
import io.cairn.dumps.DumpOptions;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.RawBsonDocument;

import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * A {@link MongoArchive} produced on demand in the reading thread: each read pulls the next document
 * from the current cursor; no thread, no buffering beyond one record.
 */
final class MongoDump implements Dump {
    private final MongoClient client;
    private final ConnectionSpec spec;
    private final String version;
    private final List<String> databases;
    private final DumpOptions options;
    private final Deque<BsonDocument> collections = new ArrayDeque<>();
    private final InputStream stream = new Stream();

    private MongoCursor<RawBsonDocument> cursor;
    private boolean magicDone;
    private boolean headerDone;
    private boolean endDone;
    private volatile boolean cancelled;
    private volatile boolean complete;
    private volatile DumpFailedException failure;
    private volatile long bytesRead;
    private long collectionCount;
    private long documentCount;

    MongoDump(MongoClient client, ConnectionSpec spec, String version, List<String> databases, DumpOptions options) {
        this.client = client;
        this.spec = spec;
        this.version = version;
        this.databases = List.copyOf(databases);
        this.options = options;
    }

    @Override
    public String filename() {
        return (spec.database() == null ? "all-databases" : spec.database()) + ".mongo-archive";
    }

    @Override
    public InputStream stream() {
        return stream;
    }

    @Override
    public void awaitSuccess() throws DumpFailedException {
        if (failure != null) {
            throw failure;
        }
        if (cancelled) {
            throw DumpFailedException.cancelled("MongoDB driver", "MongoDB", bytesRead);
        }
        if (!complete) {
            throw DumpFailedException.notReadToEnd("MongoDB driver", "MongoDB", bytesRead + " bytes read");
        }
    }

    @Override
    public void cancel() {
        cancelled = true;
    }

    @Override
    public Optional<ProcessHandle> process() {
        return Optional.empty();
    }

    @Override
    public long bytesRead() {
        return bytesRead;
    }

    @Override
    public List<String> warnings() {
        return List.of();
    }

    @Override
    public void close() {
        if (!complete) {
            cancelled = true;
        }
        try {
            if (cursor != null) {
                cursor.close();
            }
        } catch (RuntimeException ignored) {
            // closing the client below ends it anyway
        }
        client.close();
    }

    /** The next record, or null after the end record. */
    private byte[] nextRecord() {
        while (true) {
            if (!magicDone) {
                magicDone = true;
                return MongoArchive.MAGIC.clone();
            }
            if (!headerDone) {
                headerDone = true;
                listCollections();
                return MongoArchive.record(MongoArchive.HEADER,
                        MongoAdapter.headerRecord(version, databases, List.copyOf(collections)));
            }
            if (cursor != null) {
                if (cursor.hasNext()) {
                    documentCount++;
                    return MongoArchive.record(MongoArchive.DOCUMENT, cursor.next());
                }
                cursor.close();
                cursor = null;
            }
            if (!collections.isEmpty()) {
                BsonDocument c = collections.poll();
                collectionCount++;
                if ("collection".equals(c.getString("type").getValue())) {
                    cursor = client.getDatabase(c.getString("db").getValue())
                            .getCollection(c.getString("name").getValue(), RawBsonDocument.class)
                            .find().batchSize(1000).iterator();
                }
                return MongoArchive.record(MongoArchive.COLLECTION, c);
            }
            if (!endDone) {
                endDone = true;
                return MongoArchive.record(MongoArchive.END, MongoAdapter.endRecord(collectionCount, documentCount));
            }
            return null;
        }
    }

    /**
     * Lists every collection and view of the dumped databases, with options and indexes, before the header is
     * written: the header names them all, so a restore of some collections can refuse a name the archive lacks
     * before it writes anything.
     */
    private void listCollections() {
        for (String name : databases) {
            MongoDatabase db = client.getDatabase(name);
            List<BsonDocument> found = new java.util.ArrayList<>();
            for (BsonDocument c : db.listCollections(BsonDocument.class)) {
                String cname = c.getString("name").getValue();
                if (cname.startsWith("system.")) {
                    continue;
                }
                String type = c.getString("type", new BsonString("collection")).getValue();
                BsonDocument options = c.getDocument("options", new BsonDocument());
                BsonArray indexes = new BsonArray();
                if (type.equals("collection")) {
                    for (BsonDocument idx : db.getCollection(cname).listIndexes(BsonDocument.class)) {
                        indexes.add(idx);
                    }
                }
                found.add(new BsonDocument("db", new BsonString(name)).append("name", new BsonString(cname))
                        .append("type", new BsonString(type)).append("options", options).append("indexes", indexes));
            }
            // views after collections, so a view's source exists when it is created on restore
            found.sort(java.util.Comparator.comparing((BsonDocument d) -> d.getString("type").getValue().equals("view"))
                    .thenComparing(d -> d.getString("name").getValue()));
            collections.addAll(found);
            options.toolOutput().accept("dumping database " + name + ": " + found.size() + " collections and views");
        }
    }

    private final class Stream extends InputStream {
        private byte[] buf = new byte[0];
        private int pos;
        private boolean eof;

        @Override
        public int read() {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            while (true) {
                if (eof) {
                    return -1;
                }
                if (cancelled) {
                    eof = true;
                    return -1;
                }
                if (pos < buf.length) {
                    int n = Math.min(len, buf.length - pos);
                    System.arraycopy(buf, pos, b, off, n);
                    pos += n;
                    bytesRead += n;
                    return n;
                }
                byte[] next;
                try {
                    next = nextRecord();
                } catch (RuntimeException e) {
                    DatabaseException d = MongoErrors.classify(e, spec, "dump");
                    failure = new DumpFailedException(d.status(), "MongoDB driver", -1, "the MongoDB dump failed after "
                            + bytesRead + " bytes: " + d.getMessage() + ". The dump is incomplete and must not be kept");
                    eof = true;
                    return -1;
                }
                if (next == null) {
                    complete = !cancelled;
                    eof = true;
                    return -1;
                }
                buf = next;
                pos = 0;
            }
        }
    }
}
