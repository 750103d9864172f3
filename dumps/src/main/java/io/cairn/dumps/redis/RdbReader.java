package io.cairn.dumps.redis;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads an RDB file (versions 1-11, Redis up to 7.2) entry by entry without holding it in memory:
 * each key comes with its database, type, raw value bytes (exactly as RDB and Redis's DUMP encode
 * them) and absolute expiry, so {@code RESTORE key ttl payload ABSTTL} can recreate it on a live server
 * with type, encoding and TTL intact. The trailing CRC-64 is verified: a truncated or damaged RDB
 * fails instead of restoring part of the data silently.
 */
final class RdbReader {

    /** One key. {@code expireAtMs} is -1 for a key without TTL. */
    record Entry(int db, byte[] key, int type, byte[] value, long expireAtMs) {
    }

    /** A Redis function library ({@code FUNCTION LOAD} source). */
    record Function(String code) {
    }

    private final InputStream in;
    private final Crc64 crc = new Crc64();
    private ByteArrayOutputStream recording;
    private long bytesRead;
    private int version;
    private int db;
    private boolean ended;

    private final boolean keepValues;

    RdbReader(InputStream in) {
        this(in, true);
    }

    /** A reader that only checks structure and checksum when {@code keepValues} is false (entries have empty values). */
    RdbReader(InputStream in, boolean keepValues) {
        this.in = in;
        this.keepValues = keepValues;
    }

    /** The RDB format version from the header (10 for Redis 7.0). */
    int version() {
        return version;
    }

    long bytesRead() {
        return bytesRead;
    }

    /** Reads and checks the {@code REDIS0010} header. */
    void readHeader() throws IOException {
        byte[] magic = readN(9);
        String s = new String(magic, StandardCharsets.US_ASCII);
        if (!s.startsWith("REDIS") || !s.substring(5).chars().allMatch(Character::isDigit)) {
            throw new IOException("not an RDB file (it does not start with REDIS and a version)");
        }
        version = Integer.parseInt(s.substring(5));
        if (version < 1 || version > 11) {
            throw new IOException("RDB version " + version + " is not supported (1-11, Redis up to 7.2)");
        }
    }

    /** The next key or function, or null after the end of file marker (checksum verified). */
    Object next() throws IOException {
        long expire = -1;
        while (true) {
            if (ended) {
                return null;
            }
            int op = readByte();
            switch (op) {
                case 0xFA -> { readString(); readString(); } // AUX field
                case 0xFB -> { readLength(); readLength(); } // RESIZEDB
                case 0xFC -> expire = readLongLE();          // EXPIRETIME_MS
                case 0xFD -> expire = (readIntLE() & 0xffffffffL) * 1000L; // EXPIRETIME (seconds)
                case 0xFE -> db = (int) readLength();        // SELECTDB
                case 0xF8 -> readLength();                   // IDLE (LRU)
                case 0xF7 -> readByte();                     // FREQ (LFU)
                case 0xF4 -> { readLength(); readLength(); readLength(); } // SLOT_INFO
                case 0xF9 -> skipModuleAux();
                case 0xF5 -> {
                    return new Function(new String(readString(), StandardCharsets.UTF_8));
                }
                case 0xF6 -> throw new IOException("this RDB holds functions in the pre-release 7.0 format; not supported");
                case 0xFF -> {
                    finish();
                    return null;
                }
                default -> {
                    byte[] key = readString();
                    recording = keepValues ? new ByteArrayOutputStream() : null;
                    skipValue(op);
                    byte[] value = keepValues ? recording.toByteArray() : new byte[0];
                    recording = null;
                    return new Entry(db, key, op, value, expire);
                }
            }
        }
    }

    private void finish() throws IOException {
        long expected = crc.value();
        if (version >= 5) {
            byte[] sum = new byte[8];
            int n = in.readNBytes(sum, 0, 8);
            if (n < 8) {
                throw new EOFException("the RDB ends inside its checksum: it is truncated");
            }
            bytesRead += 8;
            long stored = 0;
            for (int i = 7; i >= 0; i--) {
                stored = (stored << 8) | (sum[i] & 0xff);
            }
            if (stored != 0 && stored != expected) {
                throw new IOException("the RDB checksum does not match: the dump is damaged");
            }
        }
        ended = true;
    }

    private void skipModuleAux() throws IOException {
        readLength(); // module id
        readLength(); // when opcode
        readLength(); // when
        skipModuleOpcodes();
    }

    private void skipModuleOpcodes() throws IOException {
        while (true) {
            long opcode = readLength();
            switch ((int) opcode) {
                case 0 -> { return; }
                case 1, 2 -> readLength();
                case 3 -> readN(4);
                case 4 -> readN(8);
                case 5 -> readString();
                default -> throw new IOException("damaged module data in the RDB (opcode " + opcode + ")");
            }
        }
    }

    private void skipValue(int type) throws IOException {
        switch (type) {
            case 0, 9, 10, 11, 12, 13, 16, 17, 20 -> readString();
            case 1, 2 -> skipStrings(readLength());
            case 3 -> {
                long n = readLength();
                for (long i = 0; i < n; i++) {
                    readString();
                    int len = readByte();
                    if (len < 253) {
                        readN(len);
                    }
                }
            }
            case 4 -> skipStrings(readLength() * 2);
            case 5 -> {
                long n = readLength();
                for (long i = 0; i < n; i++) {
                    readString();
                    readN(8);
                }
            }
            case 7 -> {
                readLength(); // module id
                skipModuleOpcodes();
            }
            case 14 -> skipStrings(readLength());
            case 18 -> {
                long n = readLength();
                for (long i = 0; i < n; i++) {
                    readLength(); // container
                    readString();
                }
            }
            case 15, 19, 21 -> skipStream(type);
            case 6 -> throw new IOException("this RDB holds a key of a pre-release module type; it cannot be restored");
            default -> throw new IOException("this RDB holds a value of type " + type
                    + ", which needs a newer Cairn (RDB from a newer Redis)");
        }
    }

    private void skipStream(int type) throws IOException {
        long listpacks = readLength();
        for (long i = 0; i < listpacks; i++) {
            readString();
            readString();
        }
        readLength(); // length
        readLength(); // last id ms
        readLength(); // last id seq
        if (type >= 19) {
            readLength();
            readLength(); // first id
            readLength();
            readLength(); // max deleted id
            readLength(); // entries added
        }
        long groups = readLength();
        for (long g = 0; g < groups; g++) {
            readString();
            readLength();
            readLength();
            if (type >= 19) {
                readLength(); // entries read
            }
            long pel = readLength();
            for (long p = 0; p < pel; p++) {
                readN(16);
                readN(8);
                readLength();
            }
            long consumers = readLength();
            for (long c = 0; c < consumers; c++) {
                readString();
                readN(8);
                if (type >= 21) {
                    readN(8);
                }
                long cpel = readLength();
                for (long p = 0; p < cpel; p++) {
                    readN(16);
                }
            }
        }
    }

    private void skipStrings(long n) throws IOException {
        for (long i = 0; i < n; i++) {
            readString();
        }
    }

    /** A length, or for special encodings (11xxxxxx) -(1 + encoding). */
    private long readLengthOrEncoding() throws IOException {
        int b = readByte();
        int kind = (b & 0xC0) >> 6;
        return switch (kind) {
            case 0 -> b & 0x3F;
            case 1 -> ((b & 0x3F) << 8) | readByte();
            case 2 -> {
                if (b == 0x80) {
                    yield readIntBE() & 0xffffffffL;
                } else if (b == 0x81) {
                    yield readLongBE();
                }
                throw new IOException("damaged length in the RDB");
            }
            default -> -1 - (b & 0x3F);
        };
    }

    private long readLength() throws IOException {
        long n = readLengthOrEncoding();
        if (n < 0) {
            throw new IOException("damaged RDB: an encoded value where a length belongs");
        }
        return n;
    }

    private byte[] readString() throws IOException {
        long n = readLengthOrEncoding();
        if (n >= 0) {
            return readN(n);
        }
        int enc = (int) (-1 - n);
        return switch (enc) {
            case 0 -> Long.toString((byte) readByte()).getBytes(StandardCharsets.US_ASCII);
            case 1 -> Long.toString((short) (readByte() | (readByte() << 8))).getBytes(StandardCharsets.US_ASCII);
            case 2 -> Long.toString(readIntLE()).getBytes(StandardCharsets.US_ASCII);
            case 3 -> {
                long clen = readLength();
                long ulen = readLength();
                yield lzfDecompress(readN(clen), ulen);
            }
            default -> throw new IOException("damaged RDB: unknown string encoding " + enc);
        };
    }

    /** LZF decompression, as Redis compresses long strings in RDB files. */
    static byte[] lzfDecompress(byte[] in, long expectedLength) throws IOException {
        if (expectedLength > Integer.MAX_VALUE - 16) {
            throw new IOException("a compressed string in the RDB is too large");
        }
        byte[] out = new byte[(int) expectedLength];
        int i = 0;
        int o = 0;
        try {
            while (i < in.length) {
                int ctrl = in[i++] & 0xff;
                if (ctrl < 32) {
                    int n = ctrl + 1;
                    System.arraycopy(in, i, out, o, n);
                    i += n;
                    o += n;
                } else {
                    int len = ctrl >> 5;
                    int ref = o - ((ctrl & 0x1f) << 8) - 1;
                    if (len == 7) {
                        len += in[i++] & 0xff;
                    }
                    ref -= in[i++] & 0xff;
                    len += 2;
                    for (int k = 0; k < len; k++) {
                        out[o++] = out[ref++];
                    }
                }
            }
        } catch (IndexOutOfBoundsException e) {
            throw new IOException("damaged compressed string in the RDB", e);
        }
        if (o != out.length) {
            throw new IOException("damaged compressed string in the RDB (length " + o + ", expected " + out.length + ")");
        }
        return out;
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("the RDB ends early (after " + bytesRead + " bytes): it is truncated");
        }
        bytesRead++;
        crc.update(b);
        if (recording != null) {
            recording.write(b);
        }
        return b;
    }

    private byte[] readN(long n) throws IOException {
        if (n > Integer.MAX_VALUE - 16) {
            throw new IOException("a value in the RDB is too large to restore (" + n + " bytes)");
        }
        byte[] b = in.readNBytes((int) n);
        if (b.length < n) {
            throw new EOFException("the RDB ends early (after " + (bytesRead + b.length) + " bytes): it is truncated");
        }
        bytesRead += n;
        crc.update(b, 0, b.length);
        if (recording != null) {
            recording.write(b, 0, b.length);
        }
        return b;
    }

    private int readIntLE() throws IOException {
        byte[] b = readN(4);
        return (b[0] & 0xff) | (b[1] & 0xff) << 8 | (b[2] & 0xff) << 16 | (b[3] & 0xff) << 24;
    }

    private int readIntBE() throws IOException {
        byte[] b = readN(4);
        return (b[3] & 0xff) | (b[2] & 0xff) << 8 | (b[1] & 0xff) << 16 | (b[0] & 0xff) << 24;
    }

    private long readLongLE() throws IOException {
        byte[] b = readN(8);
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | (b[i] & 0xff);
        }
        return v;
    }

    private long readLongBE() throws IOException {
        byte[] b = readN(8);
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[i] & 0xff);
        }
        return v;
    }

    /** The DUMP payload for an entry: type, value, RDB version (2 bytes LE), CRC-64 (8 bytes LE). */
    static byte[] dumpPayload(Entry e, int rdbVersion) {
        byte[] p = new byte[1 + e.value().length + 10];
        p[0] = (byte) e.type();
        System.arraycopy(e.value(), 0, p, 1, e.value().length);
        int i = 1 + e.value().length;
        p[i] = (byte) (rdbVersion & 0xff);
        p[i + 1] = (byte) ((rdbVersion >> 8) & 0xff);
        long crc = Crc64.of(p, 0, i + 2);
        for (int k = 0; k < 8; k++) {
            p[i + 2 + k] = (byte) (crc >>> (8 * k));
        }
        return p;
    }
}
