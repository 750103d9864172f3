package io.cairn.engine.pack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.engine.blob.BlobCodec;
import io.cairn.engine.blob.BlobId;
import io.cairn.engine.blob.BlobType;
import io.cairn.engine.blob.Compression;
import io.cairn.engine.crypto.CorruptObjectException;
import io.cairn.engine.crypto.CounterRandom;
import io.cairn.engine.crypto.GoldenFormatFile;
import io.cairn.engine.crypto.MasterKey;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Packs (repository-format.md §7): blobs, then a sealed header listing them, then the header's
 * length. The header must account for every byte of the pack, and is bound to the pack's id.
 */
class PackFormatTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final MasterKey KEY = MasterKey.generate(RANDOM);
    private static final String PACK_ID = "ab".repeat(32);

    /** A pack built the way BlobWriter builds one, with the blobs it holds. */
    private record Built(byte[] bytes, List<PackEntry> entries, List<byte[]> plaintexts) {
    }

    private static Built build(MasterKey key, SecureRandom random, String packId, List<BlobType> types,
                               List<byte[]> plaintexts, Compression compression) {
        PackBuilder builder = new PackBuilder(packId, 1024);
        for (int i = 0; i < plaintexts.size(); i++) {
            byte[] data = plaintexts.get(i);
            BlobId id = BlobId.wrap(key.blobId(data, 0, data.length));
            byte[] encoded = BlobCodec.encode(data, 0, data.length, compression);
            byte[] sealed = key.seal(encoded, PackFormat.blobAad(types.get(i), id), random);
            builder.add(types.get(i), id, sealed, data.length);
        }
        List<PackEntry> entries = builder.entries();
        return new Built(builder.finish(key, random), entries, plaintexts);
    }

    private static Built sample() {
        Random r = new Random(1);
        byte[] a = new byte[5000];
        r.nextBytes(a);
        byte[] b = "x".repeat(40_000).getBytes(StandardCharsets.US_ASCII);
        byte[] c = "{\"nodes\":[]}".getBytes(StandardCharsets.US_ASCII);
        return build(KEY, RANDOM, PACK_ID, List.of(BlobType.DATA, BlobType.DATA, BlobType.TREE), List.of(a, b, c),
                Compression.DEFAULT);
    }

    @Test
    void headerRoundTripsAndLocatesEveryBlob() {
        Built pack = sample();
        byte[] bytes = pack.bytes();
        byte[] trailer = Arrays.copyOfRange(bytes, bytes.length - 4, bytes.length);
        int headerLength = PackFormat.headerLength(trailer, PACK_ID, bytes.length);
        byte[] header = Arrays.copyOfRange(bytes, bytes.length - 4 - headerLength, bytes.length - 4);

        List<PackEntry> entries = PackFormat.decodeHeader(KEY, PACK_ID, header, bytes.length);

        assertThat(entries).isEqualTo(pack.entries());
        assertThat(entries).extracting(PackEntry::offset).containsExactly(0, entries.get(0).sealedLength(),
                entries.get(0).sealedLength() + entries.get(1).sealedLength());
        assertThat(headerLength).isEqualTo(1 + 32 + 8 + 3 * PackFormat.ENTRY_LENGTH + 16);
        for (int i = 0; i < entries.size(); i++) {
            PackEntry e = entries.get(i);
            byte[] encoded = KEY.open(bytes, e.offset(), e.sealedLength(), PackFormat.blobAad(e.type(), e.id()), "blob");
            assertThat(BlobCodec.decode(encoded, e.plainLength(), "blob")).isEqualTo(pack.plaintexts().get(i));
            assertThat(e.plainLength()).isEqualTo(pack.plaintexts().get(i).length);
        }
        assertThat(entries.get(1).sealedLength()).as("compressible blob is stored compressed")
                .isLessThan(pack.plaintexts().get(1).length / 10);
    }

    @Test
    void aBlobOpensOnlyUnderItsOwnTypeAndId() {
        Built pack = sample();
        PackEntry data = pack.entries().get(0);
        PackEntry other = pack.entries().get(1);
        byte[] bytes = pack.bytes();

        assertThatThrownBy(() -> KEY.open(bytes, data.offset(), data.sealedLength(),
                PackFormat.blobAad(BlobType.TREE, data.id()), "blob")).isInstanceOf(CorruptObjectException.class);
        assertThatThrownBy(() -> KEY.open(bytes, data.offset(), data.sealedLength(),
                PackFormat.blobAad(BlobType.DATA, other.id()), "blob")).isInstanceOf(CorruptObjectException.class);
        assertThat(new String(PackFormat.blobAad(BlobType.TREE, data.id()), StandardCharsets.US_ASCII))
                .isEqualTo("cairn/v1/blob/tree/" + data.id().hex());
        assertThat(new String(PackFormat.headerAad(PACK_ID), StandardCharsets.US_ASCII))
                .isEqualTo("cairn/v1/pack/" + PACK_ID);
    }

    @Test
    void aHeaderOpensOnlyForItsOwnPack() {
        Built pack = sample();
        byte[] bytes = pack.bytes();
        int headerLength = PackFormat.headerLength(Arrays.copyOfRange(bytes, bytes.length - 4, bytes.length), PACK_ID,
                bytes.length);
        byte[] header = Arrays.copyOfRange(bytes, bytes.length - 4 - headerLength, bytes.length - 4);

        assertThatThrownBy(() -> PackFormat.decodeHeader(KEY, "cd".repeat(32), header, bytes.length))
                .isInstanceOf(CorruptObjectException.class)
                .hasMessageContaining("cd".repeat(32));
    }

    @Test
    void impossibleHeaderLengthsAreRejected() {
        long size = 10_000;
        for (int n : new int[] {0, -1, Integer.MIN_VALUE, 9_997, Integer.MAX_VALUE}) {
            byte[] trailer = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(n).array();
            assertThatThrownBy(() -> PackFormat.headerLength(trailer, PACK_ID, size))
                    .as("header length %d", n)
                    .isInstanceOf(CorruptObjectException.class)
                    .hasMessageContaining(PACK_ID)
                    .hasMessageContaining("header length");
        }
        byte[] largest = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(9_996).array();
        assertThat(PackFormat.headerLength(largest, PACK_ID, size)).isEqualTo(9_996);
    }

    @Test
    void aPackWhoseSizeTheHeaderDoesNotAccountForIsRejected() {
        Built pack = sample();
        byte[] bytes = pack.bytes();
        int headerLength = PackFormat.headerLength(Arrays.copyOfRange(bytes, bytes.length - 4, bytes.length), PACK_ID,
                bytes.length);
        byte[] header = Arrays.copyOfRange(bytes, bytes.length - 4 - headerLength, bytes.length - 4);

        for (long size : new long[] {bytes.length - 1L, bytes.length + 1L, bytes.length + 4096L}) {
            assertThatThrownBy(() -> PackFormat.decodeHeader(KEY, PACK_ID, header, size))
                    .isInstanceOf(CorruptObjectException.class)
                    .hasMessageContaining("accounts for " + bytes.length);
        }
    }

    @Test
    void malformedHeaderPlaintextsAreRejected() {
        byte[] entry = new byte[PackFormat.ENTRY_LENGTH];
        byte[] countTwoOneEntry = concat("CPK1".getBytes(StandardCharsets.US_ASCII), le(2), entry);
        byte[] wrongMagic = concat("CPK2".getBytes(StandardCharsets.US_ASCII), le(0));
        byte[] tooShort = "CPK".getBytes(StandardCharsets.US_ASCII);
        byte[] negativeCount = concat("CPK1".getBytes(StandardCharsets.US_ASCII), le(-1));
        byte[] unknownType = entry.clone();
        unknownType[0] = 7;
        byte[] badType = concat("CPK1".getBytes(StandardCharsets.US_ASCII), le(1), unknownType);

        assertHeaderRejected(countTwoOneEntry, "lists 2 blobs");
        assertHeaderRejected(wrongMagic, "unknown format");
        assertHeaderRejected(tooShort, "too short");
        assertHeaderRejected(negativeCount, "lists -1 blobs");
        assertHeaderRejected(badType, "type");
    }

    private static void assertHeaderRejected(byte[] plaintext, String message) {
        byte[] sealed = KEY.seal(plaintext, PackFormat.headerAad(PACK_ID), RANDOM);
        assertThatThrownBy(() -> PackFormat.decodeHeader(KEY, PACK_ID, sealed, sealed.length + 4L))
                .isInstanceOf(CorruptObjectException.class)
                .hasMessageContaining(PACK_ID)
                .hasMessageContaining(message);
    }

    @Test
    void anEmptyPackHeaderDescribesAnEmptyBody() {
        byte[] header = PackFormat.encodeHeader(KEY, PACK_ID, List.of(), RANDOM);
        int length = PackFormat.headerLength(Arrays.copyOfRange(header, header.length - 4, header.length), PACK_ID,
                header.length);
        assertThat(length).isEqualTo(header.length - 4);
        assertThat(PackFormat.decodeHeader(KEY, PACK_ID, Arrays.copyOf(header, length), header.length)).isEmpty();
    }

    @Test
    void builderCanSealInPlaceAndRecyclesItsBuffer() {
        PackBuilder builder = new PackBuilder(PACK_ID, 16);
        byte[] big = new byte[100_000];
        new Random(3).nextBytes(big);
        BlobId id = BlobId.wrap(KEY.blobId(big, 0, big.length));
        byte[] sealed = KEY.seal(BlobCodec.encode(big, 0, big.length, Compression.OFF), PackFormat.blobAad(BlobType.DATA,
                id), RANDOM);
        builder.add(BlobType.DATA, id, sealed, big.length);
        assertThat(builder.size()).isEqualTo(sealed.length);
        assertThat(builder.blobCount()).isOne();

        int length = builder.seal(KEY, RANDOM);
        byte[] pack = Arrays.copyOf(builder.buffer(), length);
        builder.release();

        assertThat(Arrays.copyOf(pack, sealed.length)).isEqualTo(sealed);
        int headerLength = PackFormat.headerLength(Arrays.copyOfRange(pack, length - 4, length), PACK_ID, length);
        assertThat(PackFormat.decodeHeader(KEY, PACK_ID, Arrays.copyOfRange(pack, length - 4 - headerLength, length - 4),
                length)).containsExactly(new PackEntry(BlobType.DATA, id, 0, sealed.length, big.length));
    }

    /** The golden pack of generate_vectors.py: three raw-encoded blobs and the header, salts from one counter. */
    @Test
    void writesTheGoldenPackBytes() {
        GoldenFormatFile golden = GoldenFormatFile.load("pack.txt");
        String packId = golden.value("pack-id");
        List<byte[]> plaintexts = new ArrayList<>();
        plaintexts.add("first data blob".getBytes(StandardCharsets.US_ASCII));
        plaintexts.add(GoldenFormatFile.describedBytes("pattern:20000:253"));
        plaintexts.add("{\"nodes\":[]}".getBytes(StandardCharsets.US_ASCII));
        CounterRandom.forgetLastGcmKey();

        Built pack = build(GoldenFormatFile.MASTER_KEY, new CounterRandom(golden.integer("random-start")), packId,
                List.of(BlobType.DATA, BlobType.DATA, BlobType.TREE), plaintexts, Compression.OFF);

        assertThat(pack.bytes()).hasSize(golden.integer("pack-length"));
        assertThat(HexFormat.of().formatHex(pack.bytes())).isEqualTo(golden.value("pack"));
        byte[] expected = golden.hex("pack");
        int headerLength = PackFormat.headerLength(Arrays.copyOfRange(expected, expected.length - 4, expected.length),
                packId, expected.length);
        byte[] header = Arrays.copyOfRange(expected, expected.length - 4 - headerLength, expected.length - 4);
        assertThat(GoldenFormatFile.MASTER_KEY.open(header, PackFormat.headerAad(packId), "header"))
                .isEqualTo(golden.hex("header-plaintext"));
        assertThat(PackFormat.decodeHeader(GoldenFormatFile.MASTER_KEY, packId, header, expected.length))
                .isEqualTo(pack.entries());
    }

    private static byte[] le(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        ByteBuffer out = ByteBuffer.allocate(n);
        for (byte[] p : parts) {
            out.put(p);
        }
        return out.array();
    }
}
