package io.cairn.server.system;

import io.cairn.server.job.JobService;
import io.cairn.server.restore.RestoreService;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Gives heap memory back while the server idles. The server's collector (serial, chosen for a small mostly
 * idle service, see bin/cairn) shrinks the heap only after a full collection, and an idle server runs none:
 * the old generation a backup job, a restore or the key derivations of a few sign-ins filled with garbage
 * (Argon2 takes 19-46 MiB each time) stayed committed — ~120 MB of heap for a live set of ~30 MB. So when
 * the server idles — no backup or restore runs here, and it received at most {@link #IDLE_REQUESTS} HTTP
 * requests since the last check 15 s ago (a monitor's polls; not a user at work, whom the pauses would
 * delay) — and the committed heap has grown past {@link #THRESHOLD_BYTES} since the
 * last such collection, the heap is collected in full {@link #COLLECTIONS} times in a row (tens of
 * milliseconds each at these sizes): the serial collector damps each shrink after an explicit collection
 * (none after the first, 10% of the excess after the second, 40% after the third, all of it from the
 * fourth), so only the fourth brings the heap down to its live set plus {@code MaxHeapFreeRatio}. At most
 * once per growth: a heap that stays large after it is left alone. Only under the serial collector (what
 * bin/cairn runs); with another collector (G1, in tests and for whoever picks it) it does nothing, G1 having
 * its own periodic collection. Measured in docs/benchmarks.md ("Server").
 */
@Component
class IdleHeapCollection {

    private static final Logger log = LoggerFactory.getLogger(IdleHeapCollection.class);
    static final long THRESHOLD_BYTES = 96L << 20;
    static final int COLLECTIONS = 4;
    static final long IDLE_REQUESTS = 15;

    private final JobService jobs;
    private final RestoreService restores;
    private final RequestCounter requests;
    private long requestsAtLastCheck;
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final boolean serialCollector = ManagementFactory.getGarbageCollectorMXBeans().stream()
            .anyMatch(gc -> gc.getName().equals("MarkSweepCompact"));
    private long committedAfterLast = -1;

    IdleHeapCollection(JobService jobs, RestoreService restores, RequestCounter requests) {
        this.jobs = jobs;
        this.restores = restores;
        this.requests = requests;
    }

    @Scheduled(initialDelayString = "PT60S", fixedDelayString = "PT15S")
    void collectWhenIdle() {
        long requestsNow = requests.count();
        long recentRequests = requestsNow - requestsAtLastCheck;
        requestsAtLastCheck = requestsNow;
        if (!serialCollector || recentRequests > IDLE_REQUESTS || jobs.runningHere() > 0
                || restores.runningHere() > 0) {
            return;
        }
        long committed = memory.getHeapMemoryUsage().getCommitted();
        if (committed < THRESHOLD_BYTES || committed == committedAfterLast) {
            return;
        }
        long start = System.nanoTime();
        for (int i = 0; i < COLLECTIONS; i++) {
            System.gc();
        }
        committedAfterLast = memory.getHeapMemoryUsage().getCommitted();
        log.debug("idle heap collection: committed {} -> {} MiB in {} ms", committed >> 20, committedAfterLast >> 20,
                (System.nanoTime() - start) / 1_000_000);
    }
}
