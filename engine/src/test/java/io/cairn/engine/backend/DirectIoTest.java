package io.cairn.engine.backend;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Direct I/O gives the same bytes as ordinary I/O at any offset and length, turns skipped zeros
 * into holes that read as zeros, and falls back to ordinary I/O where it cannot be used.
 */
class DirectIoTest {

    @TempDir
    Path dir;

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Reads a stream to its end in pieces of 1, 4, 13, 40, ... bytes (up to {@code expected + 10} bytes). */
    private static byte[] readInGrowingPieces(InputStream in, int expected) throws IOException {
        byte[] got = new byte[expected + 10];
        int n = 0;
        int step = 1;
        int r;
        while ((r = in.read(got, n, Math.min(step, got.length - n))) > 0) {
            n += r;
            step = step * 3 + 1;
        }
        return Arrays.copyOf(got, n);
    }

    @Test
    void readRangeReturnsExactlyTheRequestedBytes() throws IOException {
        Path file = dir.resolve("f");
        byte[] data = random(3 * 1024 * 1024 + 77, 1);
        Files.write(file, data);
        int[][] ranges = {{0, 1}, {1, 4095}, {4095, 2}, {4096, 4096}, {12345, 1 << 20}, {1 << 20, (1 << 20) + 1},
            {data.length - 5, 5}, {0, data.length}};
        for (int[] r : ranges) {
            byte[] got = DirectIo.readRange(file, r[0], r[1]);
            if (got == null) {
                continue; // no direct I/O on this file system: callers fall back
            }
            assertThat(got).as("%d at %d", r[1], r[0]).isEqualTo(Arrays.copyOfRange(data, r[0], r[0] + r[1]));
        }
        byte[] pastEnd = DirectIo.readRange(file, data.length - 10, 20);
        if (pastEnd != null) {
            assertThat(pastEnd).as("a range past the end is cut at the end").hasSize(10);
        }
    }

    @Test
    void inputStreamReadsTheWholeFileInAnyPieces() throws IOException {
        for (int size : new int[] {0, 1, 4096, 4097, (1 << 20) - 1, 1 << 20, 2 * (1 << 20) + 3}) {
            Path file = dir.resolve("s" + size);
            byte[] data = random(size, size);
            Files.write(file, data);
            try (InputStream in = DirectIo.newInputStream(file)) {
                assertThat(readInGrowingPieces(in, size)).as("%d bytes", size).isEqualTo(data);
                assertThat(in.read()).isEqualTo(-1);
            }
        }
    }

    @Test
    void readAheadStreamReadsTheWholeFileInAnyPiecesAtAnyDepth() throws IOException {
        int mib = DirectIo.BUFFER_SIZE;
        for (int size : new int[] {0, 1, 4096, 4097, mib - 1, mib, mib + 1, 3 * mib, 5 * mib + 3}) {
            Path file = dir.resolve("ra" + size);
            byte[] data = random(size, size + 7);
            Files.write(file, data);
            for (int depth : new int[] {1, 2, 4}) {
                try (InputStream in = DirectIo.newInputStream(file, depth)) {
                    assertThat(readInGrowingPieces(in, size)).as("%d bytes, %d requests ahead", size, depth)
                            .isEqualTo(data);
                    assertThat(in.read()).isEqualTo(-1);
                    assertThat(in.read(new byte[1], 0, 1)).as("still at the end").isEqualTo(-1);
                }
            }
        }
    }

    @Test
    void readAheadStreamClosedEarlyOrInterruptedLeavesNothingBehind() throws Exception {
        Path file = dir.resolve("ra-large");
        byte[] data = random(6 * DirectIo.BUFFER_SIZE, 11);
        Files.write(file, data);
        for (int i = 0; i < 20; i++) {
            // closed with requests on their way: close waits for them; the next stream gets clean buffers
            try (InputStream in = DirectIo.newInputStream(file, 4)) {
                byte[] head = new byte[100];
                assertThat(in.readNBytes(head, 0, head.length)).isEqualTo(100);
                assertThat(head).isEqualTo(Arrays.copyOf(data, 100));
            }
        }
        // an interrupted reader still gets every byte, and its interrupt stays set for its caller to see
        byte[][] got = new byte[1][];
        boolean[] stillInterrupted = new boolean[1];
        Thread t = new Thread(() -> {
            Thread.currentThread().interrupt();
            try (InputStream in = DirectIo.newInputStream(file, 4)) {
                got[0] = in.readAllBytes();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            stillInterrupted[0] = Thread.currentThread().isInterrupted();
        });
        t.start();
        t.join(30_000);
        assertThat(got[0]).isEqualTo(data);
        assertThat(stillInterrupted[0]).isTrue();
    }

    @Test
    void readAheadNeedsAtLeastOneRequest() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> DirectIo.newInputStream(dir.resolve("x"), 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sequentialWriterWritesAnySizesWithHolesForSkippedZeros() throws IOException {
        Path file = dir.resolve("w");
        byte[] expected = new byte[6 * 1024 * 1024 + 100];
        Random random = new Random(3);
        int pos = 0;
        try (DirectIo.SequentialWriter out = DirectIo.SequentialWriter.open(file, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE)) {
            int[] pieces = {1, 4095, 100_000, 1 << 20, 3, 2 * (1 << 20) + 5, 777};
            boolean zeros = false;
            for (int i = 0; pos < expected.length; i++) {
                int n = Math.min(pieces[i % pieces.length], expected.length - pos);
                if (zeros) {
                    out.skip(n);
                } else {
                    byte[] piece = new byte[n];
                    random.nextBytes(piece);
                    System.arraycopy(piece, 0, expected, pos, n);
                    out.write(piece, 0, n);
                }
                zeros = !zeros;
                pos += n;
                assertThat(out.size()).isEqualTo(pos);
            }
            out.finish();
        }
        assertThat(Files.readAllBytes(file)).isEqualTo(expected);
    }

    @Test
    void sequentialWriterEndingInAHoleHasTheFullSize() throws IOException {
        Path file = dir.resolve("h");
        byte[] head = random(5000, 4);
        try (DirectIo.SequentialWriter out = DirectIo.SequentialWriter.open(file, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE)) {
            out.write(head, 0, head.length);
            out.skip(3 * 1024 * 1024 + 1);
            out.finish();
        }
        byte[] expected = Arrays.copyOf(head, head.length + 3 * 1024 * 1024 + 1);
        assertThat(Files.readAllBytes(file)).isEqualTo(expected);
    }

    @Test
    void unalignedSkipsLeaveNoZeroBlocksAllocated() throws Exception {
        // zero chunks that start and end inside file blocks, as a chunker cuts them in a sparse file
        Path file = dir.resolve("unaligned-holes");
        byte[] head = random(5000, 6);
        try (DirectIo.SequentialWriter out = DirectIo.SequentialWriter.open(file, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE)) {
            out.write(head, 0, head.length);
            for (int i = 0; i < 64; i++) {
                out.skip(16_384 + 7);
            }
            out.finish();
        }
        byte[] expected = Arrays.copyOf(head, head.length + 64 * (16_384 + 7));
        assertThat(Files.readAllBytes(file)).isEqualTo(expected);
        Process stat = new ProcessBuilder("stat", "-c", "%b", file.toString()).start();
        long allocated = Long.parseLong(new String(stat.getInputStream().readAllBytes()).trim()) * 512;
        assertThat(stat.waitFor()).isZero();
        assertThat(allocated).as("bytes allocated for 5000 bytes of data in a 1 MiB file").isLessThanOrEqualTo(3 * 4096);
    }

    @Test
    void everythingWorksWithDirectIoUnavailable() throws IOException {
        // a channel opened without the direct flag stands for a file system that refuses it
        Path file = dir.resolve("plain");
        byte[] data = random(1 << 20, 5);
        try (DirectIo.SequentialWriter out = new DirectIo.SequentialWriter(file,
                java.nio.channels.FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), false)) {
            out.write(data, 0, 1000);
            out.skip(5000);
            out.write(data, 6000, data.length - 6000);
            out.finish();
        }
        byte[] expected = data.clone();
        Arrays.fill(expected, 1000, 6000, (byte) 0);
        assertThat(Files.readAllBytes(file)).isEqualTo(expected);
    }
}
