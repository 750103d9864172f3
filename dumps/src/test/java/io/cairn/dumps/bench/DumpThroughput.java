package io.cairn.dumps.bench;

import io.cairn.dumps.ConnectionSpec;
import io.cairn.dumps.DatabaseAdapters;
import io.cairn.dumps.Dump;
import io.cairn.dumps.DumpOptions;
import io.cairn.dumps.Secret;
import io.cairn.dumps.SourceKind;
import io.cairn.dumps.TlsMode;

import java.io.InputStream;

/**
 * Not a test: {@code java -cp ... io.cairn.dumps.bench.DumpThroughput KIND HOST PORT DB USER} reads one dump
 * through the adapter into nothing and prints seconds and bytes, to compare with the tool writing to
 * /dev/null directly.
 */
public final class DumpThroughput {
    private DumpThroughput() {
    }

    public static void main(String[] args) throws Exception {
        ConnectionSpec spec = ConnectionSpec.server(SourceKind.valueOf(args[0]), args[1], Integer.parseInt(args[2]),
                args[3], args[4], Secret.of(System.getenv("BENCH_PASSWORD")), TlsMode.DISABLE);
        int runs = Integer.parseInt(System.getenv().getOrDefault("BENCH_RUNS", "1"));
        for (int r = 0; r < runs; r++) {
            run(spec);
        }
    }

    private static void run(ConnectionSpec spec) throws Exception {
        long start = System.nanoTime();
        long bytes = 0;
        try (Dump dump = DatabaseAdapters.standard().forKind(spec.kind()).dump(spec, DumpOptions.defaults())) {
            InputStream in = dump.stream();
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) >= 0) {
                bytes += n;
            }
            dump.awaitSuccess();
        }
        System.out.printf("%s %.2f s %d bytes%n", spec.kind(), (System.nanoTime() - start) / 1e9, bytes);
    }
}
