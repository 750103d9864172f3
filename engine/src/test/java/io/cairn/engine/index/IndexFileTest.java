package io.cairn.engine.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.engine.blob.BlobId;
import io.cairn.engine.blob.BlobType;
import io.cairn.engine.crypto.CorruptObjectException;
import io.cairn.engine.crypto.CounterRandom;
import io.cairn.engine.crypto.GoldenFormatFile;
import io.cairn.engine.pack.PackEntry;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Index files (repository-format.md §8) and the in-memory index built from them. */
class IndexFileTest {

    private static final HexFormat HEX = HexFormat.of();

    private static String id(int b) {
        return String.format("%02x", b).repeat(32);
    }

    private static BlobId blob(int b) {
        return BlobId.parse(id(b));
    }

    /** The index of golden/format/index-file.txt, built from its description. */
    static IndexFile goldenIndex() {
        Map<String, List<PackEntry>> packs = new LinkedHashMap<>();
        packs.put(id(0xa1), List.of(
                new PackEntry(BlobType.DATA, blob(0x01), 0, 1000, 980),
                new PackEntry(BlobType.DATA, blob(0x02), 1000, 65585, 65536),
                new PackEntry(BlobType.TREE, blob(0x03), 66585, 300, 1200)));
        byte[] counting = new byte[32];
        for (int i = 0; i < 32; i++) {
            counting[i] = (byte) i;
        }
        packs.put(id(0xb2), List.of(new PackEntry(BlobType.TREE, BlobId.of(counting), 0, 49, 0)));
        return new IndexFile(List.of(id(0x11), id(0x12)), packs);
    }

    @Test
    void encodesTheGoldenBytesAndDecodesThem() {
        GoldenFormatFile golden = GoldenFormatFile.load("index-file.txt");
        IndexFile index = goldenIndex();

        assertThat(HEX.formatHex(index.encode())).isEqualTo(golden.value("plaintext"));
        assertThat(IndexFile.decode(golden.hex("plaintext"), "index")).isEqualTo(index);
        assertThat(index.blobCount()).isEqualTo(4);

        byte[] aad = ("cairn/v1/index/" + golden.value("index-id")).getBytes(StandardCharsets.US_ASCII);
        CounterRandom.forgetLastGcmKey();
        byte[] sealed = GoldenFormatFile.MASTER_KEY.seal(index.encode(), aad, new CounterRandom(golden.integer("random-start")));
        assertThat(HEX.formatHex(sealed)).isEqualTo(golden.value("sealed"));
        assertThat(GoldenFormatFile.MASTER_KEY.open(golden.hex("sealed"), aad, "index")).isEqualTo(index.encode());
    }

    @Test
    void roundTripsEmptyAndLargeIndexesKeepingPackOrder() {
        IndexFile empty = new IndexFile(List.of(), Map.of());
        assertThat(empty.encode()).hasSize(12);
        assertThat(IndexFile.decode(empty.encode(), "index")).isEqualTo(empty);

        Map<String, List<PackEntry>> packs = new LinkedHashMap<>();
        for (int p = 255; p >= 200; p--) {
            PackEntry[] entries = new PackEntry[p - 199];
            for (int b = 0; b < entries.length; b++) {
                byte[] idBytes = new byte[32];
                idBytes[0] = (byte) p;
                idBytes[1] = (byte) b;
                entries[b] = new PackEntry(b % 2 == 0 ? BlobType.DATA : BlobType.TREE, BlobId.of(idBytes), b * 1000,
                        1000, Integer.MAX_VALUE - b);
            }
            packs.put(id(p), List.of(entries));
        }
        IndexFile big = new IndexFile(List.of(id(1)), packs);
        IndexFile decoded = IndexFile.decode(big.encode(), "index");

        assertThat(decoded).isEqualTo(big);
        assertThat(decoded.packs().keySet()).containsExactlyElementsOf(packs.keySet());
        assertThat(big.encode()).hasSize(4 + 4 + 32 + 4 + packs.size() * 36 + big.blobCount() * 45);
    }

    @Test
    void everyTruncationIsDetected() {
        byte[] encoded = goldenIndex().encode();
        for (int length = 0; length < encoded.length; length++) {
            byte[] truncated = Arrays.copyOf(encoded, length);
            int n = length;
            assertThatThrownBy(() -> IndexFile.decode(truncated, "index 1234"))
                    .as("truncated to %d of %d bytes", n, encoded.length)
                    .isInstanceOf(CorruptObjectException.class)
                    .hasMessageContaining("index 1234");
        }
    }

    @Test
    void trailingBytesWrongMagicAndUnknownTypesAreRejected() {
        byte[] encoded = goldenIndex().encode();
        byte[] trailing = Arrays.copyOf(encoded, encoded.length + 1);
        byte[] magic = encoded.clone();
        magic[3] = '2';
        byte[] type = encoded.clone();
        int firstBlobType = 4 + 4 + 64 + 4 + 32 + 4;
        assertThat(type[firstBlobType]).isZero();
        type[firstBlobType] = 9;

        assertThatThrownBy(() -> IndexFile.decode(trailing, "index")).isInstanceOf(CorruptObjectException.class)
                .hasMessageContaining("1 trailing bytes");
        assertThatThrownBy(() -> IndexFile.decode(magic, "index")).isInstanceOf(CorruptObjectException.class)
                .hasMessageContaining("unknown format");
        assertThatThrownBy(() -> IndexFile.decode(type, "index")).isInstanceOf(CorruptObjectException.class);
    }

    @Test
    void negativeCountsAreRejected() {
        byte[] emptyIndex = new IndexFile(List.of(), Map.of()).encode();
        byte[] negativeSupersedes = emptyIndex.clone();
        ByteBuffer.wrap(negativeSupersedes).order(ByteOrder.LITTLE_ENDIAN).putInt(4, -1);
        byte[] negativePacks = emptyIndex.clone();
        ByteBuffer.wrap(negativePacks).order(ByteOrder.LITTLE_ENDIAN).putInt(8, -1);
        byte[] hugeSupersedes = emptyIndex.clone();
        ByteBuffer.wrap(hugeSupersedes).order(ByteOrder.LITTLE_ENDIAN).putInt(4, Integer.MAX_VALUE);

        for (byte[] bad : List.of(negativeSupersedes, negativePacks, hugeSupersedes)) {
            assertThatThrownBy(() -> IndexFile.decode(bad, "index")).isInstanceOf(CorruptObjectException.class);
        }
    }

    @Test
    void theIndexIsTheUnionAndKeepsTheFirstLocationOfADuplicate() {
        Index index = new Index();
        index.addIndexFile("f1", goldenIndex());
        Map<String, List<PackEntry>> other = new LinkedHashMap<>();
        other.put(id(0xc0), List.of(new PackEntry(BlobType.DATA, blob(0x01), 500, 1000, 980),
                new PackEntry(BlobType.DATA, blob(0x05), 1500, 77, 40)));
        index.addIndexFile("f2", new IndexFile(List.of(), other));

        assertThat(index.size()).isEqualTo(5);
        assertThat(index.indexIds()).containsExactlyInAnyOrder("f1", "f2");
        assertThat(index.find(blob(0x01))).isEqualTo(new BlobLocation(id(0xa1), BlobType.DATA, 0, 1000, 980));
        assertThat(index.find(blob(0x05))).isEqualTo(new BlobLocation(id(0xc0), BlobType.DATA, 1500, 77, 40));
        assertThat(index.has(blob(0x03))).isTrue();
        assertThat(index.has(blob(0x04))).isFalse();
        assertThat(index.find(blob(0x04))).isNull();
        assertThat(index.plainBytes(BlobType.DATA)).isEqualTo(980 + 65536 + 40);
        assertThat(index.plainBytes(BlobType.TREE)).isEqualTo(1200);
        assertThat(index.byPack().keySet()).containsExactlyInAnyOrder(id(0xa1), id(0xb2), id(0xc0));
        assertThat(index.byPack().get(id(0xc0))).containsExactly(new PackEntry(BlobType.DATA, blob(0x05), 1500, 77, 40));
    }
}
