package io.cairn.server.job;

import io.cairn.engine.progress.ProgressEvent;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Where a running job reports: its log (secrets masked), what it contains, and its live progress for
 * browsers. Called from the job's threads; quick and thread-safe.
 */
@Component
class JobProgressSink {

    private static final int MAX_LINE = 2000;

    private final JobLogs logs;
    private final Jobs jobs;
    private final JobEvents events;
    private final Clock clock;
    private final Map<Long, List<String>> secrets = new ConcurrentHashMap<>();

    JobProgressSink(JobLogs logs, Jobs jobs, JobEvents events, Clock clock) {
        this.logs = logs;
        this.jobs = jobs;
        this.events = events;
        this.clock = clock;
    }

    /** Values that must never appear in this job's log (the source's password). */
    void secrets(JobId job, List<String> values) {
        secrets.put(job.value(), List.copyOf(values));
    }

    void forget(JobId job) {
        secrets.remove(job.value());
    }

    void log(Job job, String level, String line) {
        String masked = SecretMasking.mask(line, secrets.getOrDefault(job.id().value(), List.of()));
        if (masked.length() > MAX_LINE) {
            masked = masked.substring(0, MAX_LINE) + " …";
        }
        logs.append(job.id(), clock.instant(), level, masked);
    }

    void contents(Job job, String json) {
        jobs.contents(job.id(), json);
    }

    void progress(BackupExecution execution) {
        events.progress(live(execution));
    }

    /** The live view of a running execution. */
    LiveProgress live(BackupExecution execution) {
        Job job = execution.job();
        ProgressEvent.Status s = execution.lastStatus();
        Instant now = clock.instant();
        if (s == null) {
            return new LiveProgress(job.id().value(), job.sourceId().value(), execution.source().name(), JobStatus.RUNNING,
                    execution.phase(), -1, 0, null, 0, 0, 0, null, null, execution.startedAt(), now, null);
        }
        Long total = s.bytesTotal() >= 0 && !execution.source().type().isDatabase() ? s.bytesTotal() : null;
        double percent = total == null ? -1 : s.percent();
        Long eta = s.eta() == null || total == null ? null : s.eta().toSeconds();
        return new LiveProgress(job.id().value(), job.sourceId().value(), execution.source().name(), JobStatus.RUNNING,
                execution.phase(), percent, s.bytesDone(), total, s.bytesAdded(), s.filesDone(),
                (long) s.bytesPerSecond(), eta, s.currentPath(), execution.startedAt(), now, null);
    }
}
