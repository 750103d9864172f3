package io.cairn.engine.chunker;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.junit.jupiter.api.Test;

/**
 * Prints the chunker's throughput on random data, for a quick look while changing the hot loop.
 * Asserts nothing about timing (machines differ); the benchmarks in {@code bench/} are the real
 * measurement. Thread CPU time is printed next to wall-clock time because it is steadier on a
 * shared machine. Output lands in {@code target/surefire-reports/*ChunkerThroughputTest-output.txt}.
 */
class ChunkerThroughputTest {

    private static final int MiB = 1024 * 1024;

    @Test
    void printThroughput() throws IOException {
        byte[] input = SplitMix64.bytes(10, 64 * MiB);
        for (ChunkerParams params : new ChunkerParams[] {ChunkerTest.DEFAULTS, ChunkerTest.SMALL}) {
            Chunker chunker = new Chunker(params);
            String label = "min " + params.minSize() + " avg " + params.avgSize() + " max " + params.maxSize();
            measure("cut()        " + label, input, () -> cutAll(chunker, input));
            measure("ChunkStream  " + label, input, () -> streamAll(chunker, input));
        }
    }

    private interface Pass {
        long run() throws IOException;
    }

    private static void measure(String label, byte[] input, Pass pass) throws IOException {
        long sink = 0;
        for (int i = 0; i < 3; i++) {
            sink += pass.run();
        }
        int rounds = 4;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long startCpu = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        for (int i = 0; i < rounds; i++) {
            sink += pass.run();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpuSeconds = (threads.getCurrentThreadCpuTime() - startCpu) / 1e9;
        double megabytes = (double) rounds * input.length / 1e6;
        System.out.printf("chunker throughput, %s: %.0f MB/s wall clock, %.0f MB/s of thread CPU time"
                + " (chunks per pass: %d)%n", label, megabytes / seconds, megabytes / cpuSeconds,
                sink / (3 + rounds));
    }

    private static long cutAll(Chunker chunker, byte[] input) {
        long chunks = 0;
        for (int off = 0; off < input.length; chunks++) {
            off += chunker.cut(input, off, input.length - off);
        }
        return chunks;
    }

    private static long streamAll(Chunker chunker, byte[] input) throws IOException {
        ChunkStream stream = chunker.open(new ByteArrayInputStream(input));
        long chunks = 0;
        while (stream.next() != null) {
            chunks++;
        }
        return chunks;
    }
}
