/*
 * "Bare loop" limit for the Cairn benchmark: how fast can plain Java on this machine do the work a
 * backup must do on a data set, with no repository, no packs, no index files, no tree building.
 *
 *   java -cp zstd-jni.jar bench/limit/Limit.java DIR [LEVEL=3] [THREADS=2] [--no-disk] [--no-mem] [--no-dedup]
 *
 * Pipeline: DIR is walked (sorted); files are read in blocks of <= 4 MiB by 2 I/O threads (-Dlimit.readers)
 * with up to 64 MiB read ahead, in file order; one chunker thread cuts the stream of each file into
 * content-defined chunks with a gear hash (min 512 KiB, ~1 MiB average, max 4 MiB); THREADS worker
 * threads take chunks from a bounded queue and do SHA-256 -> dedup (concurrent set of hashes; a known
 * chunk is not compressed again, as in a real backup) -> zstd at LEVEL (zstd-jni, one context per
 * thread; stored raw if it does not shrink) -> AES-256-GCM (JDK), in messages of at most 1 MiB.
 *
 * Phases: (1) JIT warm-up: ~300 MB sampled from DIR, processed twice in memory; (2) "mem": the data set
 * pre-read into the heap (needs ~2.2 GB heap for the 2 GB set) and processed 3 times (-Dlimit.memPasses);
 * the best pass ("mem") is the steady-state CPU-only figure; (3) "disk": with the JIT fully warm, the page
 * cache is dropped (if we may: root) and the data set is processed from disk. MB = 10^6 bytes of file content (logical size).
 * Besides wall-clock MB/s each line shows the process CPU time and "MB/s per N CPUs" = bytes / (CPU time / N):
 * what the loop would do with the machine to itself; compare the two to see interference from other load.
 * -Dlimit.keepCache=true skips dropping the page cache; -Dlimit.noWarmup=true skips the warm-up.
 * Each result is also printed as a machine-readable line: RESULT mode=.. level=.. threads=.. mbps=..
 */

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;

public class Limit {
    static final int MIN = 512 * 1024, MAX = 4 * 1024 * 1024, MSG = 1024 * 1024;
    static final long MASK = maskOfBits(19);   // expected chunk ~ MIN + 2^19 = 1 MiB
    static final long[] GEAR = new long[256];

    static {
        Random r = new Random(0x5eed);
        for (int i = 0; i < 256; i++) GEAR[i] = r.nextLong();
    }

    static long maskOfBits(int bits) {           // spread the mask bits over the high half
        long m = 0;
        Random r = new Random(42);
        while (Long.bitCount(m) < bits) m |= 1L << (32 + r.nextInt(32));
        return m;
    }

    static final byte[] POISON = new byte[0];

    /** Chunk sink shared by the reader and the workers. */
    static final class Run {
        final int level, threads;
        final boolean dedup;
        final BlockingQueue<byte[]> q;
        final Set<String> seen = ConcurrentHashMap.newKeySet();
        final AtomicLong chunks = new AtomicLong(), unique = new AtomicLong(),
                uniqueBytes = new AtomicLong(), stored = new AtomicLong();
        final byte[] key = new byte[32];
        final List<Thread> workers = new ArrayList<>();
        volatile Throwable failure;

        Run(int level, int threads, boolean dedup) {
            this.level = level;
            this.threads = threads;
            this.dedup = dedup;
            this.q = new ArrayBlockingQueue<>(threads * 4);
            new Random(7).nextBytes(key);
            for (int t = 0; t < threads; t++) {
                final int id = t;
                Thread th = new Thread(() -> work(id), "worker-" + t);
                workers.add(th);
                th.start();
            }
        }

        void put(byte[] chunk) {
            try {
                q.put(chunk);
            } catch (InterruptedException e) {
                throw new RuntimeException(e);
            }
        }

        void finish() throws Exception {
            for (int t = 0; t < threads; t++) put(POISON);
            for (Thread th : workers) th.join();
            if (failure != null) throw new RuntimeException(failure);
        }

        void work(int id) {
            try (ZstdCompressCtx zc = new ZstdCompressCtx()) {
                zc.setLevel(level);
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
                SecretKeySpec k = new SecretKeySpec(key, "AES");
                byte[] zbuf = new byte[(int) Zstd.compressBound(MAX)];
                byte[] ebuf = new byte[MSG + 16];
                byte[] nonce = new byte[12];
                long counter = 0;
                nonce[0] = (byte) id;
                while (true) {
                    byte[] c = q.take();
                    if (c == POISON) return;
                    chunks.incrementAndGet();
                    byte[] h = sha.digest(c);
                    if (dedup && !seen.add(hexOf(h))) continue;
                    unique.incrementAndGet();
                    uniqueBytes.addAndGet(c.length);
                    int zn = zc.compressByteArray(zbuf, 0, zbuf.length, c, 0, c.length);
                    byte[] src = zbuf;
                    int n = zn;
                    if (zn >= c.length) { src = c; n = c.length; }
                    for (int off = 0; off < n; off += MSG) {
                        int len = Math.min(MSG, n - off);
                        counter++;
                        for (int b = 0; b < 8; b++) nonce[4 + b] = (byte) (counter >>> (8 * b));
                        gcm.init(Cipher.ENCRYPT_MODE, k, new GCMParameterSpec(128, nonce));
                        stored.addAndGet(gcm.doFinal(src, off, len, ebuf, 0));
                    }
                }
            } catch (Throwable t) {
                failure = t;
                q.clear();
            }
        }
    }

    static String hexOf(byte[] h) {
        StringBuilder sb = new StringBuilder(64);
        for (byte b : h) sb.append(Character.forDigit((b >> 4) & 15, 16)).append(Character.forDigit(b & 15, 16));
        return sb.toString();
    }

    /** Content-defined chunker over a stream of buffers; carries the partial chunk across calls. */
    static final class Chunker {
        final Run run;
        final byte[] cur = new byte[MAX];
        int len;
        long h;

        Chunker(Run run) { this.run = run; }

        void feed(byte[] buf, int off, int n) {
            int end = off + n, i = off;
            while (i < end) {
                // skip the first MIN-64 bytes of a chunk without hashing (the gear hash only
                // depends on the last 64 bytes, so the cut points are the same)
                int skip = Math.min(end - i, Math.max(0, MIN - 64 - len));
                if (skip > 0) {
                    System.arraycopy(buf, i, cur, len, skip);
                    len += skip;
                    i += skip;
                    continue;
                }
                int start = i, limit = Math.min(end, i + (MAX - len));
                long hh = h;
                boolean cut = false;
                while (i < limit) {
                    hh = (hh << 1) + GEAR[buf[i++] & 0xff];
                    if ((hh & MASK) == 0 && len + (i - start) >= MIN) { cut = true; break; }
                }
                h = hh;
                System.arraycopy(buf, start, cur, len, i - start);
                len += i - start;
                if (cut || len == MAX) emit();
            }
        }

        void emit() {
            if (len == 0) return;
            byte[] c = new byte[len];
            System.arraycopy(cur, 0, c, 0, len);
            run.put(c);
            len = 0;
            h = 0;
        }
    }

    record Result(long bytes, double seconds, double cpuSeconds, Run run) {
        double mbps() { return bytes / 1e6 / seconds; }

        /** Throughput if this process had had all CPUs to itself: bytes / (CPU time / CPUs). */
        double cpuMbps() { return bytes / 1e6 / (cpuSeconds / CPUS); }
    }

    static final int CPUS = Runtime.getRuntime().availableProcessors();

    static double cpuNow() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
    }

    /** One read of at most BLOCK bytes of a file; last = the file's final block. */
    record Block(Path file, long offset, int length, boolean last) { }

    static final int BLOCK = 4 << 20, READ_AHEAD = 16;   // at most 16 blocks (64 MiB) in flight

    static List<Block> blocks(List<Path> files) throws IOException {
        List<Block> out = new ArrayList<>();
        for (Path p : files) {
            long size = Files.size(p);
            if (size == 0) out.add(new Block(p, 0, 0, true));
            for (long off = 0; off < size; off += BLOCK)
                out.add(new Block(p, off, (int) Math.min(BLOCK, size - off), off + BLOCK >= size));
        }
        return out;
    }

    static byte[] read(Block b) throws IOException {
        byte[] a = new byte[b.length];
        try (FileChannel fc = FileChannel.open(b.file, StandardOpenOption.READ)) {
            ByteBuffer bb = ByteBuffer.wrap(a);
            long pos = b.offset;
            while (bb.hasRemaining()) {
                int n = fc.read(bb, pos);
                if (n < 0) throw new IOException("file shrank: " + b.file);
                pos += n;
            }
        }
        return a;
    }

    /** Reads with READERS I/O threads (in file order, bounded read-ahead); one thread chunks. */
    static Result processFiles(List<Path> files, int level, int threads, boolean dedup, int readers) throws Exception {
        long t0 = System.nanoTime(), total = 0;
        double c0 = cpuNow();
        Run run = new Run(level, threads, dedup);
        Chunker ch = new Chunker(run);
        java.util.concurrent.ExecutorService io = java.util.concurrent.Executors.newFixedThreadPool(readers);
        try {
            List<Block> bl = blocks(files);
            java.util.ArrayDeque<java.util.concurrent.Future<byte[]>> inFlight = new java.util.ArrayDeque<>();
            int next = 0;
            for (int i = 0; i < bl.size(); i++) {
                while (next < bl.size() && next - i < READ_AHEAD) {
                    Block b = bl.get(next++);
                    inFlight.add(io.submit(() -> read(b)));
                }
                byte[] d = inFlight.poll().get();
                for (int off = 0; off < d.length; off += 1 << 20) ch.feed(d, off, Math.min(1 << 20, d.length - off));
                total += d.length;
                if (bl.get(i).last) ch.emit();
                if (run.failure != null) break;
            }
        } finally {
            io.shutdownNow();
        }
        run.finish();
        return new Result(total, (System.nanoTime() - t0) / 1e9, cpuNow() - c0, run);
    }

    static Result processMemory(List<byte[]> data, int level, int threads, boolean dedup) throws Exception {
        long t0 = System.nanoTime(), total = 0;
        double c0 = cpuNow();
        Run run = new Run(level, threads, dedup);
        Chunker ch = new Chunker(run);
        for (byte[] d : data) {
            for (int off = 0; off < d.length; off += 1 << 20) {
                int n = Math.min(1 << 20, d.length - off);
                ch.feed(d, off, n);
            }
            total += d.length;
            ch.emit();
        }
        run.finish();
        return new Result(total, (System.nanoTime() - t0) / 1e9, cpuNow() - c0, run);
    }

    static void report(String mode, int level, int threads, Result r) {
        Run run = r.run;
        System.out.printf("%-8s zstd-%d threads=%d: %,d MB in %.2f s = %.0f MB/s  (CPU %.1f s: %.0f MB/s per %d CPUs; chunks %d, unique %d = %,d MB, stored %,d MB, avg chunk %.0f KiB)%n",
                mode, level, threads, r.bytes / 1_000_000, r.seconds, r.mbps(), r.cpuSeconds, r.cpuMbps(), CPUS,
                run.chunks.get(), run.unique.get(),
                run.uniqueBytes.get() / 1_000_000, run.stored.get() / 1_000_000,
                run.chunks.get() == 0 ? 0.0 : r.bytes / 1024.0 / run.chunks.get());
        System.out.printf("RESULT mode=%s level=%d threads=%d bytes=%d seconds=%.3f mbps=%.1f cpu_seconds=%.3f cpu_mbps=%.1f stored=%d%n",
                mode, level, threads, r.bytes, r.seconds, r.mbps(), r.cpuSeconds, r.cpuMbps(), run.stored.get());
    }

    static boolean dropCaches() {
        try {
            Process p = new ProcessBuilder("sync").inheritIO().start();
            p.waitFor();
            Files.writeString(Path.of("/proc/sys/vm/drop_caches"), "3");
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    public static void main(String[] args) throws Exception {
        List<String> pos = new ArrayList<>();
        boolean disk = true, mem = true, dedup = true;
        for (String a : args) {
            switch (a) {
                case "--no-disk" -> disk = false;
                case "--no-mem" -> mem = false;
                case "--no-dedup" -> dedup = false;
                default -> pos.add(a);
            }
        }
        if (pos.isEmpty()) {
            System.err.println("usage: java -cp zstd-jni.jar Limit.java DIR [LEVEL=3] [THREADS=2] [--no-disk] [--no-mem] [--no-dedup]");
            System.exit(2);
        }
        Path dir = Path.of(pos.get(0));
        int level = pos.size() > 1 ? Integer.parseInt(pos.get(1)) : 3;
        int threads = pos.size() > 2 ? Integer.parseInt(pos.get(2)) : 2;
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
        }
        System.out.printf("Limit: %d files under %s, zstd-%d, %d worker threads + 1 chunker (+ I/O readers on disk), dedup=%s, %d CPUs, %s%n",
                files.size(), dir, level, threads, dedup, Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));

        // 1. JIT warm-up on real data: every 4th file, at most 64 MiB of each (~400 MB), two passes in
        //    memory without dedup. The page cache is dropped after this, before the disk pass.
        if (!Boolean.getBoolean("limit.noWarmup")) {
            List<byte[]> warm = new ArrayList<>();
            long warmBytes = 0;
            for (int i = 0; i < files.size() && warmBytes < 400_000_000L; i += 4) {
                try (FileChannel fc = FileChannel.open(files.get(i), StandardOpenOption.READ)) {
                    ByteBuffer b = ByteBuffer.allocate((int) Math.min(fc.size(), 64 << 20));
                    while (b.hasRemaining() && fc.read(b) >= 0) { }
                    warm.add(b.array());
                    warmBytes += b.position();
                }
            }
            for (int pass = 0; pass < 2; pass++) {
                Result w = processMemory(warm, level, threads, false);
                System.out.printf("warm-up pass %d: %,d MB at %.0f MB/s%n", pass + 1, w.bytes / 1_000_000, w.mbps());
            }
            warm = null;
            System.gc();
        }

        if (mem) {
            long t0 = System.nanoTime();
            List<byte[]> data = new ArrayList<>(files.size());
            for (Path p : files) data.add(Files.readAllBytes(p));
            System.out.printf("pre-read %d files into memory in %.1f s%n", files.size(), (System.nanoTime() - t0) / 1e9);
            int passes = Integer.getInteger("limit.memPasses", 3);
            Result best = null;
            for (int pass = 1; pass <= passes; pass++) {
                Result m = processMemory(data, level, threads, dedup);
                report("mem-" + pass, level, threads, m);
                if (best == null || m.seconds < best.seconds) best = m;
            }
            report("mem", level, threads, best);   // best pass = steady state with least interference
            data = null;
            System.gc();
        }
        if (disk) {
            boolean dropped = !Boolean.getBoolean("limit.keepCache") && dropCaches();
            System.out.println("page cache dropped before disk pass: " + (dropped ? "yes" : "no (not root?)"));
            report("disk", level, threads, processFiles(files, level, threads, dedup, Integer.getInteger("limit.readers", 2)));
        }
    }
}
