package io.cairn.engine.chunker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ChunkerTest {

    static final byte[] SEED = seed(0);
    static final ChunkerParams DEFAULTS = ChunkerParams.defaults(SEED);
    static final ChunkerParams SMALL = new ChunkerParams(2 * 1024, 8 * 1024, 64 * 1024, 2, SEED);
    private static final int MiB = 1024 * 1024;

    /** The 32 bytes {@code first, first+1, ..}: seed(0) is the golden-vector seed 0x00..0x1f. */
    static byte[] seed(int first) {
        byte[] seed = new byte[32];
        for (int i = 0; i < seed.length; i++) {
            seed[i] = (byte) (first + i);
        }
        return seed;
    }

    static List<Chunk> chunkAll(Chunker chunker, InputStream in) throws IOException {
        List<Chunk> chunks = new ArrayList<>();
        ChunkStream stream = chunker.open(in);
        for (Chunk chunk = stream.next(); chunk != null; chunk = stream.next()) {
            chunks.add(chunk);
        }
        return chunks;
    }

    static List<Chunk> chunkAll(Chunker chunker, byte[] input) throws IOException {
        return chunkAll(chunker, new ByteArrayInputStream(input));
    }

    private static List<Integer> lengths(List<Chunk> chunks) {
        return chunks.stream().map(Chunk::length).toList();
    }

    @Test
    void chunksReproduceInputWithinSizeBoundsAndNearAverage() throws IOException {
        byte[] input = SplitMix64.bytes(1, 64 * MiB);
        List<Chunk> chunks = chunkAll(new Chunker(DEFAULTS), input);

        long offset = 0;
        for (int i = 0; i < chunks.size(); i++) {
            Chunk chunk = chunks.get(i);
            assertThat(chunk.offset()).as("offset of chunk %d", i).isEqualTo(offset);
            assertThat(java.util.Arrays.equals(chunk.data(), 0, chunk.length(),
                    input, (int) offset, (int) offset + chunk.length()))
                    .as("content of chunk %d equals the input at its offset", i).isTrue();
            if (i < chunks.size() - 1) {
                assertThat(chunk.length()).as("length of chunk %d", i)
                        .isBetween(DEFAULTS.minSize() + 1, DEFAULTS.maxSize());
            }
            offset += chunk.length();
        }
        assertThat(offset).isEqualTo(input.length);

        double mean = (double) input.length / chunks.size();
        assertThat(mean).isBetween(0.75 * DEFAULTS.avgSize(), 1.5 * DEFAULTS.avgSize());
    }

    @Test
    void smallParamsAlsoStayWithinBoundsAndNearAverage() throws IOException {
        byte[] input = SplitMix64.bytes(2, 8 * MiB);
        List<Chunk> chunks = chunkAll(new Chunker(SMALL), input);

        assertThat(chunks.subList(0, chunks.size() - 1))
                .allSatisfy(c -> assertThat(c.length()).isBetween(SMALL.minSize() + 1, SMALL.maxSize()));
        assertThat(chunks.stream().mapToLong(Chunk::length).sum()).isEqualTo(input.length);
        double mean = (double) input.length / chunks.size();
        assertThat(mean).isBetween(0.75 * SMALL.avgSize(), 1.5 * SMALL.avgSize());
    }

    @Test
    void insertingOneByteChangesAtMostThreeChunks() throws IOException {
        byte[] original = SplitMix64.bytes(3, 32 * MiB);
        byte[] edited = new byte[original.length + 1];
        int middle = original.length / 2;
        System.arraycopy(original, 0, edited, 0, middle);
        edited[middle] = 0x5a;
        System.arraycopy(original, middle, edited, middle + 1, original.length - middle);

        for (ChunkerParams params : List.of(DEFAULTS, SMALL)) {
            Chunker chunker = new Chunker(params);
            Set<ByteBuffer> known = new HashSet<>();
            chunkAll(chunker, original).forEach(c -> known.add(ByteBuffer.wrap(c.data())));

            long changed = chunkAll(chunker, edited).stream()
                    .filter(c -> !known.contains(ByteBuffer.wrap(c.data())))
                    .count();
            assertThat(changed).as("new chunks after a one-byte insertion with %s", params).isBetween(1L, 3L);
        }
    }

    @Test
    void boundariesAreDeterministicForASeedAndDifferForAnother() throws IOException {
        byte[] input = SplitMix64.bytes(4, 4 * MiB);
        List<Integer> first = lengths(chunkAll(new Chunker(SMALL), input));
        List<Integer> again = lengths(chunkAll(new Chunker(SMALL), input));
        ChunkerParams otherSeed = new ChunkerParams(SMALL.minSize(), SMALL.avgSize(), SMALL.maxSize(),
                SMALL.normalization(), seed(100));
        List<Integer> other = lengths(chunkAll(new Chunker(otherSeed), input));

        assertThat(again).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
        assertThat(other.get(0)).as("even the first boundary moves").isNotEqualTo(first.get(0));
    }

    @Test
    void shortReadsYieldTheSameChunksAsFullReads() throws IOException {
        byte[] small = SplitMix64.bytes(5, 2 * MiB);
        Chunker smallChunker = new Chunker(SMALL);
        assertThat(chunkAll(smallChunker, new ShortReadInputStream(small, 7, 11)))
                .isEqualTo(chunkAll(smallChunker, small));

        byte[] large = SplitMix64.bytes(6, 20 * MiB);
        Chunker defaultChunker = new Chunker(DEFAULTS);
        assertThat(chunkAll(defaultChunker, new ShortReadInputStream(large, 100_000, 12)))
                .isEqualTo(chunkAll(defaultChunker, large));
    }

    @Test
    void streamAgreesWithCuttingTheWholeArray() throws IOException {
        byte[] input = SplitMix64.bytes(7, 3 * MiB + 12345);
        Chunker chunker = new Chunker(SMALL);
        List<Integer> byCut = new ArrayList<>();
        for (int off = 0; off < input.length; ) {
            int n = chunker.cut(input, off, input.length - off);
            byCut.add(n);
            off += n;
        }
        assertThat(lengths(chunkAll(chunker, input))).isEqualTo(byCut);
    }

    @Test
    void cutMatchesAPlainTranscriptionOfTheCutRule() {
        SplittableRandom random = new SplittableRandom(13);
        List<ChunkerParams> paramsList = List.of(SMALL,
                new ChunkerParams(48, 64, 256, 1, SEED),
                new ChunkerParams(100, 128, 1000, 0, seed(7)),
                new ChunkerParams(1000, 1024, 1 << 16, 3, seed(9)));
        byte[] randomBytes = SplitMix64.bytes(11, 1 << 18);
        byte[] sparse = new byte[1 << 18];
        for (int i = 0; i < sparse.length; i += 1 + random.nextInt(300)) {
            sparse[i] = (byte) random.nextInt(256);
        }
        for (ChunkerParams params : paramsList) {
            Chunker chunker = new Chunker(params);
            long[] gear = GearTable.derive(params.gearSeed());
            for (byte[] input : List.of(randomBytes, sparse)) {
                for (int trial = 0; trial < 300; trial++) {
                    int off = random.nextInt(1000);
                    int len = 1 + random.nextInt(Math.min(input.length - off, 2 * params.maxSize()));
                    assertThat(chunker.cut(input, off, len))
                            .as("cut(off %d, len %d) with %s", off, len, params)
                            .isEqualTo(referenceCut(gear, params, input, off, len));
                }
            }
        }
    }

    /** The cut rule exactly as documented on {@link Chunker}, one byte at a time, no tricks. */
    private static int referenceCut(long[] gear, ChunkerParams p, byte[] d, int off, int len) {
        if (len <= p.minSize()) {
            return len;
        }
        int end = Math.min(len, p.maxSize());
        int normal = Math.min(end, p.avgSize());
        long maskS = Chunker.mask(p.avgBits() + p.normalization());
        long maskL = Chunker.mask(p.avgBits() - p.normalization());
        long h = 0;
        for (int i = p.minSize(); i < end; i++) {
            h = (h << 1) + gear[d[off + i] & 0xff];
            if ((h & (i < normal ? maskS : maskL)) == 0) {
                return i + 1;
            }
        }
        return end;
    }

    @Test
    void emptyStreamYieldsNoChunks() throws IOException {
        ChunkStream stream = new Chunker(SMALL).open(InputStream.nullInputStream());
        assertThat(stream.next()).isNull();
        assertThat(stream.next()).as("still null after the end").isNull();
        assertThat(stream.position()).isZero();
    }

    @Test
    void inputUpToMinSizeIsOneChunk() throws IOException {
        Chunker chunker = new Chunker(SMALL);
        assertThat(lengths(chunkAll(chunker, new byte[] {42}))).containsExactly(1);
        byte[] exactlyMin = SplitMix64.bytes(8, SMALL.minSize());
        List<Chunk> chunks = chunkAll(chunker, exactlyMin);
        assertThat(chunks).containsExactly(new Chunk(0, exactlyMin));
    }

    @Test
    void noBoundaryMeansCutAtMaxSize() throws IOException {
        // A constant run hashes to a constant after 64 bytes; this one matches neither mask.
        Chunker chunker = new Chunker(SMALL);
        byte[] zeros = new byte[3 * SMALL.maxSize() + 5];
        assertThat(lengths(chunkAll(chunker, zeros)))
                .containsExactly(SMALL.maxSize(), SMALL.maxSize(), SMALL.maxSize(), 5);
    }

    @Test
    void cutNeverLooksPastMaxSize() {
        Chunker chunker = new Chunker(SMALL);
        byte[] input = SplitMix64.bytes(9, 4 * SMALL.maxSize());
        int expected = chunker.cut(input, 0, SMALL.maxSize());
        assertThat(chunker.cut(input, 0, input.length)).isEqualTo(expected);
        assertThat(chunker.cut(input, 100, input.length - 100))
                .isEqualTo(chunker.cut(java.util.Arrays.copyOfRange(input, 100, input.length), 0,
                        input.length - 100));
    }

    @Test
    void cutRejectsBadRanges() {
        Chunker chunker = new Chunker(SMALL);
        byte[] buf = new byte[10];
        assertThatThrownBy(() -> chunker.cut(buf, 5, 6)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> chunker.cut(buf, -1, 2)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> chunker.cut(buf, 3, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("len must be positive");
    }

    @Test
    void masksAreSpreadOverTheUpper48Bits() {
        Chunker chunker = new Chunker(DEFAULTS);
        assertThat(chunker.strictMask()).isEqualTo(0xaaa5_54aa_a554_0000L).isEqualTo(Chunker.mask(22));
        assertThat(chunker.looseMask()).isEqualTo(0xa4a4_a4a4_a4a4_0000L).isEqualTo(Chunker.mask(18));
        assertThat(Chunker.mask(15)).isEqualTo(0x9248_9248_9248_0000L);
        assertThat(Chunker.mask(1)).isEqualTo(0x8000_0000_0000_0000L);
        assertThat(Chunker.mask(48)).isEqualTo(0xffff_ffff_ffff_0000L);
        for (int bits = 1; bits <= 48; bits++) {
            assertThat(Long.bitCount(Chunker.mask(bits))).isEqualTo(bits);
            assertThat(Chunker.mask(bits) & 0xffffL).isZero();
        }
        assertThatThrownBy(() -> Chunker.mask(49)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void gearTableDependsOnEveryPartOfTheSeed() {
        long[] base = GearTable.derive(seed(0));
        byte[] tweaked = seed(0);
        tweaked[31] ^= 1;
        assertThat(GearTable.derive(tweaked)).isNotEqualTo(base);
        assertThat(GearTable.derive(seed(0))).isEqualTo(base);
        assertThat(java.util.Arrays.stream(base).distinct().count()).isEqualTo(256);
    }

    @Test
    void chunkEqualityIsByContentAndToStringHidesData() {
        Chunk a = new Chunk(3, new byte[] {1, 2});
        assertThat(a).isEqualTo(new Chunk(3, new byte[] {1, 2})).hasSameHashCodeAs(new Chunk(3, new byte[] {1, 2}));
        assertThat(a).isNotEqualTo(new Chunk(4, new byte[] {1, 2}));
        assertThat(a.toString()).isEqualTo("Chunk[offset=3, length=2]");
    }

    /** Returns a pseudo-random 1..maxRead bytes per read call, as pipes and sockets may. */
    static final class ShortReadInputStream extends InputStream {
        private final byte[] data;
        private final int maxRead;
        private final SplittableRandom random;
        private int pos;

        ShortReadInputStream(byte[] data, int maxRead, long randomSeed) {
            this.data = data;
            this.maxRead = maxRead;
            this.random = new SplittableRandom(randomSeed);
        }

        @Override
        public int read() {
            return pos < data.length ? data[pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            if (pos >= data.length) {
                return -1;
            }
            int n = Math.min(Math.min(len, 1 + random.nextInt(maxRead)), data.length - pos);
            System.arraycopy(data, pos, b, off, n);
            pos += n;
            return n;
        }
    }
}
