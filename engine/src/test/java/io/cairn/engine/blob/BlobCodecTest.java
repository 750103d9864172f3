package io.cairn.engine.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.Zstd;
import io.cairn.engine.crypto.CorruptObjectException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Blob encoding (repository-format.md §7): one encoding byte, then the data as is or a zstd frame;
 * data that zstd does not shrink by 1/32 is stored as is; blobs over 128 KiB are judged by three
 * 16 KiB samples before anything is compressed whole.
 */
class BlobCodecTest {

    private static final int MIB = 1 << 20;

    @Test
    void compressibleDataIsStoredAsAZstdFrameAndDecodes() {
        byte[] text = text(20_000, 1);
        byte[] encoded = BlobCodec.encode(text, 0, text.length, Compression.DEFAULT);

        assertThat(encoded[0]).isEqualTo(BlobCodec.ZSTD);
        assertThat(encoded.length).isLessThan(text.length / 2);
        assertThat(Zstd.decompressedSize(encoded, 1, encoded.length - 1)).isEqualTo(text.length);
        assertThat(BlobCodec.decode(encoded, text.length, "blob")).isEqualTo(text);
    }

    @Test
    void randomDataIsStoredAsIs() {
        byte[] random = random(20_000, 2);
        byte[] encoded = BlobCodec.encode(random, 0, random.length, Compression.MAX);

        assertThat(encoded[0]).isEqualTo(BlobCodec.RAW);
        assertThat(Arrays.copyOfRange(encoded, 1, encoded.length)).isEqualTo(random);
        assertThat(BlobCodec.decode(encoded, random.length, "blob")).isEqualTo(random);
    }

    @Test
    void dataShrinkingByLessThanOneThirtySecondIsStoredAsIs() {
        // 100 KB (below the sampling threshold): zeros at the start are all zstd can save
        byte[] barely = random(100_000, 3);
        Arrays.fill(barely, 0, 1_500, (byte) 0); // saves ~1.5% < 1/32
        byte[] enough = random(100_000, 3);
        Arrays.fill(enough, 0, 6_000, (byte) 0); // saves ~6% > 1/32

        assertThat(BlobCodec.encode(barely, 0, barely.length, Compression.DEFAULT)[0]).isEqualTo(BlobCodec.RAW);
        byte[] encoded = BlobCodec.encode(enough, 0, enough.length, Compression.DEFAULT);
        assertThat(encoded[0]).isEqualTo(BlobCodec.ZSTD);
        assertThat(encoded.length - 1).isLessThan(enough.length - enough.length / 32);
    }

    @Test
    void tinyBlobsAndCompressionOffAreStoredAsIs() {
        byte[] zeros63 = new byte[63];
        byte[] zeros64k = new byte[65536];

        assertThat(BlobCodec.encode(zeros63, 0, 63, Compression.DEFAULT)).hasSize(64).startsWith(BlobCodec.RAW);
        assertThat(BlobCodec.encode(zeros64k, 0, zeros64k.length, Compression.OFF)[0]).isEqualTo(BlobCodec.RAW);
        assertThat(BlobCodec.encode(zeros64k, 0, zeros64k.length, Compression.FAST)[0]).isEqualTo(BlobCodec.ZSTD);
        assertThat(BlobCodec.encode(new byte[0], 0, 0, Compression.DEFAULT)).containsExactly(BlobCodec.RAW);
        assertThat(BlobCodec.decode(new byte[] {BlobCodec.RAW}, 0, "empty blob")).isEmpty();
    }

    @Test
    void oneMebibyteOfRandomDataIsStoredAsIs() {
        byte[] random = random(MIB, 4);
        byte[] encoded = BlobCodec.encode(random, 0, random.length, Compression.DEFAULT);

        assertThat(encoded[0]).isEqualTo(BlobCodec.RAW);
        assertThat(BlobCodec.decode(encoded, MIB, "blob")).isEqualTo(random);
    }

    @Test
    void oneMebibyteOfTextIsCompressed() {
        byte[] text = text(MIB, 5);
        byte[] encoded = BlobCodec.encode(text, 0, text.length, Compression.DEFAULT);

        assertThat(encoded[0]).isEqualTo(BlobCodec.ZSTD);
        assertThat(encoded.length).isLessThan(MIB / 2);
        assertThat(BlobCodec.decode(encoded, MIB, "blob")).isEqualTo(text);
    }

    @Test
    void largeBlobsAreJudgedByTheirSamplesOnly() {
        // incompressible samples (start, middle, end), zeros everywhere else: the blob as a whole
        // would compress to almost nothing, yet it is stored as is because no sample shrinks
        byte[] samplesRandom = new byte[MIB];
        Random r = new Random(6);
        int sample = 16 << 10;
        for (int start : new int[] {0, MIB / 2 - sample / 2, MIB - sample}) {
            byte[] noise = new byte[sample];
            r.nextBytes(noise);
            System.arraycopy(noise, 0, samplesRandom, start, sample);
        }
        assertThat(BlobCodec.encode(samplesRandom, 0, MIB, Compression.DEFAULT)[0]).isEqualTo(BlobCodec.RAW);

        // the opposite: one compressible sample makes the codec compress the whole blob
        byte[] firstSampleZero = random(MIB, 7);
        Arrays.fill(firstSampleZero, 0, 64 << 10, (byte) 0);
        byte[] encoded = BlobCodec.encode(firstSampleZero, 0, MIB, Compression.DEFAULT);
        assertThat(encoded[0]).isEqualTo(BlobCodec.ZSTD);
        assertThat(BlobCodec.decode(encoded, MIB, "blob")).isEqualTo(firstSampleZero);
    }

    @Test
    void encodesASliceOfALargerArray() {
        byte[] text = text(50_000, 8);
        byte[] framed = new byte[text.length + 300];
        new Random(9).nextBytes(framed);
        System.arraycopy(text, 0, framed, 100, text.length);

        byte[] encoded = BlobCodec.encode(framed, 100, text.length, Compression.DEFAULT);
        assertThat(BlobCodec.decode(encoded, text.length, "blob")).isEqualTo(text);
        byte[] raw = BlobCodec.encode(framed, 7, 40, Compression.DEFAULT);
        assertThat(BlobCodec.decode(raw, 40, "blob")).isEqualTo(Arrays.copyOfRange(framed, 7, 47));
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void encodeIntoProducesTheSameBytesAsEncode(Compression compression) {
        byte[][] inputs = {new byte[0], new byte[10], text(3_000, 10), random(3_000, 11), text(300_000, 12),
            random(300_000, 13), new byte[200_000]};
        for (byte[] input : inputs) {
            byte[] out = new byte[input.length + 1 + 77];
            int length = BlobCodec.encodeInto(input, 0, input.length, compression, out);
            assertThat(Arrays.copyOf(out, length)).as("%d bytes with %s", input.length, compression)
                    .isEqualTo(BlobCodec.encode(input, 0, input.length, compression));
        }
    }

    @Test
    void encodeIntoStoresAsIsWhatCompressesBarely() {
        // compressible only a little (less than 1/32): stored as is, although zstd could shrink it
        byte[] input = random(400_000, 21);
        for (int i = 0; i < input.length; i += 40) {
            input[i] = 0;
        }
        byte[] out = new byte[input.length + 1];
        int length = BlobCodec.encodeInto(input, 0, input.length, Compression.DEFAULT, out);
        assertThat(out[0]).isEqualTo(BlobCodec.RAW);
        assertThat(length).isEqualTo(input.length + 1);
        assertThat(Arrays.copyOf(out, length)).isEqualTo(BlobCodec.encode(input, 0, input.length, Compression.DEFAULT));
    }

    @Test
    void decodeRejectsAWrongLengthForEitherEncoding() {
        byte[] raw = BlobCodec.encode(random(500, 14), 0, 500, Compression.DEFAULT);
        byte[] zstd = BlobCodec.encode(text(5_000, 15), 0, 5_000, Compression.DEFAULT);
        assertThat(zstd[0]).isEqualTo(BlobCodec.ZSTD);

        assertThatThrownBy(() -> BlobCodec.decode(raw, 499, "data blob 1234"))
                .isInstanceOf(CorruptObjectException.class)
                .hasMessageContaining("data blob 1234").hasMessageContaining("500").hasMessageContaining("499");
        assertThatThrownBy(() -> BlobCodec.decode(raw, 501, "blob")).isInstanceOf(CorruptObjectException.class);
        assertThatThrownBy(() -> BlobCodec.decode(zstd, 4_999, "blob")).isInstanceOf(CorruptObjectException.class);
        assertThatThrownBy(() -> BlobCodec.decode(zstd, 5_001, "tree blob 99"))
                .isInstanceOf(CorruptObjectException.class)
                .hasMessageContaining("tree blob 99").hasMessageContaining("5001");
    }

    @Test
    void decodeRejectsUnknownEncodingsEmptyInputAndDamagedFrames() {
        byte[] zstd = BlobCodec.encode(text(5_000, 16), 0, 5_000, Compression.DEFAULT);
        byte[] unknown = zstd.clone();
        unknown[0] = 2;
        byte[] truncated = Arrays.copyOf(zstd, zstd.length - 5);

        assertThatThrownBy(() -> BlobCodec.decode(unknown, 5_000, "blob"))
                .isInstanceOf(CorruptObjectException.class).hasMessageContaining("unknown encoding 2");
        assertThatThrownBy(() -> BlobCodec.decode(new byte[0], 0, "blob"))
                .isInstanceOf(CorruptObjectException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> BlobCodec.decode(truncated, 5_000, "blob")).isInstanceOf(CorruptObjectException.class);
    }

    @Test
    void defaultCompressesLargeBlobsWithASixByteMinimumMatchAndSmallOnesAtPlainLevelThree() {
        // rows like a pgbench dump's: numbers and padding, where 5-byte matches cost more than they save
        byte[] rows = tableRows(4 * MIB);
        byte[] small = text(40_000, 7);

        byte[] largeEncoded = BlobCodec.encode(rows, 0, rows.length, Compression.DEFAULT);
        byte[] smallAfterLarge = BlobCodec.encode(small, 0, small.length, Compression.DEFAULT); // a pooled context

        assertThat(largeEncoded[0]).isEqualTo(BlobCodec.ZSTD);
        assertThat(largeEncoded.length - 1).isLessThan(Zstd.compress(rows, 3).length);
        assertThat(Arrays.copyOfRange(smallAfterLarge, 1, smallAfterLarge.length)).isEqualTo(Zstd.compress(small, 3));
        assertThat(BlobCodec.decode(largeEncoded, rows.length, "blob")).isEqualTo(rows);
        assertThat(Compression.DEFAULT.minMatchFor(Compression.LARGE_BLOB + 1)).isEqualTo(6);
        assertThat(Compression.DEFAULT.minMatchFor(Compression.LARGE_BLOB)).isZero();
        assertThat(Compression.MAX.minMatchFor(8 * MIB)).isZero();
    }

    static byte[] tableRows(int length) {
        Random r = new Random(11);
        StringBuilder sb = new StringBuilder(length + 200);
        for (int id = 1; sb.length() < length; id++) {
            sb.append(id).append('\t').append(id / 100_000 + 1).append('\t').append(r.nextInt(10) < 9 ? 0 : r.nextInt(10_000) - 5_000)
                    .append('\t').append(" ".repeat(84)).append('\n');
        }
        return Arrays.copyOf(sb.toString().getBytes(StandardCharsets.US_ASCII), length);
    }

    static byte[] text(int length, long seed) {
        String[] words = {"backup", "restore", "snapshot", "chunk", "pack", "index", "tree", "blob", "the", "of", "and",
            "repository", "cairn", "data", "file", "directory", "\n"};
        Random r = new Random(seed);
        StringBuilder sb = new StringBuilder(length + 16);
        while (sb.length() < length) {
            sb.append(words[r.nextInt(words.length)]).append(' ');
        }
        return Arrays.copyOf(sb.toString().getBytes(StandardCharsets.US_ASCII), length);
    }

    static byte[] random(int length, long seed) {
        byte[] out = new byte[length];
        new Random(seed).nextBytes(out);
        return out;
    }
}
