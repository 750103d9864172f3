package io.cairn.engine.restorer;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.engine.backend.DirectIo;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The zero blocks inside a chunk are left as holes; everything else is written where it belongs. */
class DataRunsTest {
    private static final int BLOCK = DirectIo.BLOCK;

    private record Run(int off, int len, long at) {}

    private static List<Run> runs(byte[] data, long filePosition) throws IOException {
        List<Run> runs = new ArrayList<>();
        Restorer.forEachDataRun(data, 0, data.length, filePosition, (b, off, len, at) -> runs.add(new Run(off, len, at)));
        return runs;
    }

    @Test
    void zeroBlocksBetweenDataAreSkipped() throws IOException {
        byte[] data = new byte[8 * BLOCK];
        data[10] = 1;
        data[5 * BLOCK + 7] = 2;
        data[5 * BLOCK + BLOCK + 1] = 3;

        assertThat(runs(data, 0)).containsExactly(new Run(0, BLOCK, 0), new Run(5 * BLOCK, 2 * BLOCK, 5 * BLOCK));
    }

    @Test
    void blocksAreAlignedInTheFileNotInTheChunk() throws IOException {
        byte[] data = new byte[3 * BLOCK];
        data[100] = 1; // inside the file block that ends at chunk offset BLOCK - 100
        data[3 * BLOCK - 1] = 2;

        assertThat(runs(data, 100)).containsExactly(new Run(0, BLOCK - 100, 100), new Run(3 * BLOCK - 100, 100, 3 * BLOCK));
    }

    @Test
    void dataWithoutZeroBlocksIsOneRunAndZerosAreNone() throws IOException {
        byte[] data = new byte[3 * BLOCK + 5];
        Arrays.fill(data, (byte) 7);
        assertThat(runs(data, 12)).containsExactly(new Run(0, data.length, 12));
        assertThat(runs(new byte[3 * BLOCK + 5], 12)).isEmpty();
    }

    @Test
    void runsCoverEveryNonZeroByteExactlyOnce() throws IOException {
        java.util.Random random = new java.util.Random(42);
        byte[] data = new byte[64 * BLOCK + 123];
        for (int i = 0; i < 40; i++) {
            data[random.nextInt(data.length)] = (byte) (1 + random.nextInt(255));
        }
        long filePosition = 777;
        byte[] rebuilt = new byte[data.length];
        for (Run run : runs(data, filePosition)) {
            assertThat(run.at()).isEqualTo(filePosition + run.off());
            System.arraycopy(data, run.off(), rebuilt, run.off(), run.len());
        }
        assertThat(rebuilt).isEqualTo(data);
    }
}
