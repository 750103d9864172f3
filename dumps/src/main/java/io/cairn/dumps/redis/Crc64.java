package io.cairn.dumps.redis;

/** Redis's CRC-64 (Jones polynomial, reflected, initial value 0): RDB files and DUMP payloads end with it. */
final class Crc64 {
    private static final long[] TABLE = new long[256];

    static {
        long poly = 0x95ac9329ac4bc9b5L; // 0xad93d23594c935a9 bit-reversed
        for (int i = 0; i < 256; i++) {
            long crc = i;
            for (int j = 0; j < 8; j++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ poly : crc >>> 1;
            }
            TABLE[i] = crc;
        }
    }

    private long crc;

    void update(byte[] b, int off, int len) {
        long c = crc;
        for (int i = off; i < off + len; i++) {
            c = TABLE[(int) ((c ^ b[i]) & 0xff)] ^ (c >>> 8);
        }
        crc = c;
    }

    void update(int b) {
        crc = TABLE[(int) ((crc ^ b) & 0xff)] ^ (crc >>> 8);
    }

    long value() {
        return crc;
    }

    static long of(byte[] b, int off, int len) {
        Crc64 c = new Crc64();
        c.update(b, off, len);
        return c.value();
    }
}
