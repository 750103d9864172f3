package io.cairn.dumps.mongodb;

import org.bson.BsonDocument;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Cairn's MongoDB archive format, version 1 (file {@code NAME.mongo-archive}).
 *
 * <pre>
 * archive  = magic record*
 * magic    = "CAIRN-MONGODB-ARCHIVE 1\n"          (24 ASCII bytes)
 * record   = tag document                          (tag: one ASCII byte; document: one BSON document,
 *                                                   which starts with its own int32 little-endian length)
 * tag 'H'  header:      {format: 1, server: "7.0.5", databases: [names],           exactly once, first
 *                        collections: [{db, name, type}]}
 * tag 'C'  collection:  {db, name, type: "collection"|"view", options: {...},
 *                        indexes: [index specs as listIndexes returns them]}
 * tag 'D'  document:    one document of the last 'C' collection, byte for byte as the server sent it
 * tag 'E'  end:         {collections: n, documents: n}                              exactly once, last
 * </pre>
 * Documents are never re-encoded, so types (Decimal128, binary subtypes, dates, ObjectIds) survive
 * exactly, and unchanged documents give unchanged bytes for deduplication. A reader that meets the
 * end of the stream before the 'E' record, or counts that differ from it, has a truncated archive.
 *
 * <p>The header's {@code collections} lists every 'C' record to come, in order, so a restore of some
 * collections can check the names it was given before writing anything. Archives written before it was
 * added (December 2026) lack it; readers treat its absence as "not known up front". It is an added
 * field, not a new version: readers ignore fields they do not know, so older Cairn reads these archives.
 */
final class MongoArchive {
    static final byte[] MAGIC = "CAIRN-MONGODB-ARCHIVE 1\n".getBytes(StandardCharsets.US_ASCII);
    static final byte HEADER = 'H';
    static final byte COLLECTION = 'C';
    static final byte DOCUMENT = 'D';
    static final byte END = 'E';
    private static final int MAX_DOCUMENT = 48 << 20;

    private MongoArchive() {
    }

    /** A record: the tag then the document's bytes. */
    static byte[] record(byte tag, BsonDocument doc) {
        RawBsonDocument raw = doc instanceof RawBsonDocument r ? r : new RawBsonDocument(doc, new BsonDocumentCodec());
        return record(tag, raw);
    }

    static byte[] record(byte tag, RawBsonDocument raw) {
        ByteBuffer buf = raw.getByteBuffer().asNIO();
        byte[] out = new byte[1 + buf.remaining()];
        out[0] = tag;
        buf.get(out, 1, buf.remaining());
        return out;
    }

    /** Reads and checks the magic. */
    static void readMagic(InputStream in) throws IOException {
        byte[] m = in.readNBytes(MAGIC.length);
        if (!java.util.Arrays.equals(m, MAGIC)) {
            throw new IOException("not a Cairn MongoDB archive (its first line is not CAIRN-MONGODB-ARCHIVE 1)");
        }
    }

    /** One record read back. */
    record Record(byte tag, RawBsonDocument document) {
    }

    /** The next record, or null at the end of the stream (a truncated archive is the caller's to detect). */
    static Record read(InputStream in) throws IOException {
        int tag = in.read();
        if (tag < 0) {
            return null;
        }
        byte[] len = in.readNBytes(4);
        if (len.length < 4) {
            throw new EOFException("the archive ends inside a record: it is truncated");
        }
        int n = (len[0] & 0xff) | (len[1] & 0xff) << 8 | (len[2] & 0xff) << 16 | (len[3] & 0xff) << 24;
        if (n < 5 || n > MAX_DOCUMENT) {
            throw new IOException("damaged archive: a document of " + n + " bytes");
        }
        byte[] doc = new byte[n];
        System.arraycopy(len, 0, doc, 0, 4);
        int got = in.readNBytes(doc, 4, n - 4);
        if (got < n - 4) {
            throw new EOFException("the archive ends inside a document: it is truncated");
        }
        if (tag != HEADER && tag != COLLECTION && tag != DOCUMENT && tag != END) {
            throw new IOException("damaged archive: unknown record tag " + tag);
        }
        return new Record((byte) tag, new RawBsonDocument(doc));
    }
}
