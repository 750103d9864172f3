package io.cairn.engine.chunker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ChunkerParamsTest {

    private static final byte[] SEED = ChunkerTest.seed(0);

    @Test
    void defaultsAre512KiB1MiB8MiBNormalization2() {
        ChunkerParams p = ChunkerParams.defaults(SEED);
        assertThat(p.minSize()).isEqualTo(512 * 1024);
        assertThat(p.avgSize()).isEqualTo(1024 * 1024);
        assertThat(p.maxSize()).isEqualTo(8 * 1024 * 1024);
        assertThat(p.normalization()).isEqualTo(2);
        assertThat(p.avgBits()).isEqualTo(20);
        assertThat(p.gearSeed()).isEqualTo(SEED);
    }

    @Test
    void rejectsSizesOutOfOrder() {
        assertThatThrownBy(() -> new ChunkerParams(0, 8192, 65536, 2, SEED))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("minSize must be positive, was 0");
        assertThatThrownBy(() -> new ChunkerParams(8192, 8192, 65536, 2, SEED))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("minSize (8192) must be less than avgSize (8192)");
        assertThatThrownBy(() -> new ChunkerParams(2048, 8192, 8192, 2, SEED))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("avgSize (8192) must be less than maxSize (8192)");
        assertThatThrownBy(() -> new ChunkerParams(2048, 8192, 512 * 1024 * 1024, 2, SEED))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxSize must be at most");
    }

    @Test
    void rejectsAverageThatIsNotAPowerOfTwo() {
        assertThatThrownBy(() -> new ChunkerParams(2048, 10000, 65536, 2, SEED))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("avgSize must be a power of two, was 10000");
        assertThatThrownBy(() -> new ChunkerParams(2048, -8192, 65536, 2, SEED))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("power of two");
    }

    @Test
    void rejectsNormalizationOutOfRange() {
        assertThatThrownBy(() -> new ChunkerParams(2048, 8192, 65536, -1, SEED))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("normalization must not be negative, was -1");
        assertThatThrownBy(() -> new ChunkerParams(1, 2, 4, 1, SEED))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("normalization 1 is too large for avgSize 2");
        assertThat(new ChunkerParams(2048, 8192, 65536, 0, SEED).normalization()).isZero();
    }

    @Test
    void rejectsSeedOfWrongLength() {
        assertThatThrownBy(() -> ChunkerParams.defaults(new byte[31]))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("gearSeed must be 32 bytes, was 31 bytes");
        assertThatThrownBy(() -> ChunkerParams.defaults(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("gearSeed must be 32 bytes, was null");
    }

    @Test
    void seedIsCopiedComparedByContentAndNotPrinted() {
        byte[] seed = ChunkerTest.seed(0);
        ChunkerParams p = ChunkerParams.defaults(seed);
        seed[0] = 99;
        p.gearSeed()[1] = 99;
        assertThat(p.gearSeed()).isEqualTo(ChunkerTest.seed(0));
        assertThat(p).isEqualTo(ChunkerParams.defaults(ChunkerTest.seed(0)))
                .hasSameHashCodeAs(ChunkerParams.defaults(ChunkerTest.seed(0)));
        assertThat(p).isNotEqualTo(ChunkerParams.defaults(ChunkerTest.seed(1)));
        assertThat(p.toString()).contains("minSize=524288").doesNotContain("[0, 1, 2");
    }
}
