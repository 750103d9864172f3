package io.cairn.engine.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Blob ids, blob types and compression names: the small value types the format is built from. */
class BlobIdTest {

    @Test
    void parsesAndPrintsLowerCaseHex() {
        byte[] bytes = new byte[32];
        for (int i = 0; i < 32; i++) {
            bytes[i] = (byte) (0xf0 + i);
        }
        BlobId id = BlobId.of(bytes);

        assertThat(id.hex()).hasSize(64).startsWith("f0f1f2").isLowerCase();
        assertThat(id.shortHex()).isEqualTo("f0f1f2f3");
        assertThat(BlobId.parse(id.hex())).isEqualTo(id).hasSameHashCodeAs(id);
        assertThat(BlobId.parse(id.hex().toUpperCase())).isEqualTo(id);
        assertThat(id.toString()).isEqualTo(id.hex());
    }

    @Test
    void ofCopiesAndBytesReturnsACopy() {
        byte[] bytes = new byte[32];
        BlobId id = BlobId.of(bytes);
        bytes[0] = 1;
        assertThat(id.bytes()[0]).isZero();
        id.bytes()[1] = 1;
        assertThat(id.bytes()[1]).isZero();
    }

    @Test
    void rejectsWrongLengthsAndNonHex() {
        assertThatThrownBy(() -> BlobId.of(new byte[31])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("31");
        assertThatThrownBy(() -> BlobId.wrap(new byte[33])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BlobId.parse("ab")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BlobId.parse(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BlobId.parse("zz".repeat(32))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ordersAsUnsignedBytes() {
        byte[] low = new byte[32];
        byte[] high = new byte[32];
        high[0] = (byte) 0x80;
        byte[] mid = new byte[32];
        mid[0] = 0x7f;
        BlobId[] ids = {BlobId.of(high), BlobId.of(low), BlobId.of(mid)};
        Arrays.sort(ids);
        assertThat(ids).containsExactly(BlobId.of(low), BlobId.of(mid), BlobId.of(high));
    }

    @Test
    void blobTypesHaveTheirFormatCodesAndLabels() {
        assertThat(BlobType.DATA.code()).isZero();
        assertThat(BlobType.TREE.code()).isOne();
        assertThat(BlobType.fromCode(0)).isEqualTo(BlobType.DATA);
        assertThat(BlobType.fromCode(1)).isEqualTo(BlobType.TREE);
        assertThat(BlobType.DATA.label()).isEqualTo("data");
        assertThat(BlobType.TREE.label()).isEqualTo("tree");
        assertThatThrownBy(() -> BlobType.fromCode(2)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void compressionNamesMapToZstdLevels() {
        assertThat(Compression.parse("off").zstdLevel()).isZero();
        assertThat(Compression.parse("FAST").zstdLevel()).isEqualTo(1);
        assertThat(Compression.parse(" default ").zstdLevel()).isEqualTo(3);
        assertThat(Compression.parse("max").zstdLevel()).isEqualTo(19);
        assertThat(Compression.MAX.label()).isEqualTo("max");
        assertThatThrownBy(() -> Compression.parse("gzip")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("gzip").hasMessageContaining("off, fast, default or max");
    }
}
