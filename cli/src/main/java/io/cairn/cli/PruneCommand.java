package io.cairn.cli;

import io.cairn.engine.prune.PruneOptions;
import io.cairn.engine.prune.PruneReport;
import io.cairn.engine.prune.Pruner;
import io.cairn.engine.repository.Repository;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code cairn prune}: removes data that no snapshot needs and repacks mostly unused packs. */
@Command(name = "prune", description = {"Remove data that no snapshot needs any more and rewrite packs that are "
        + "mostly unused.", "Waits for running backups; backups started meanwhile wait for it. Safe to interrupt: "
        + "every snapshot stays restorable, and the next prune finishes the job."})
final class PruneCommand implements Callable<Integer> {

    @Mixin
    RepositoryOptions repo;
    @Mixin
    Output output;

    @Option(names = {"-n", "--dry-run"}, description = "Only show what would be removed and repacked.")
    boolean dryRun;

    @Option(names = "--max-unused", paramLabel = "PERCENT", defaultValue = "" + PruneOptions.DEFAULT_MAX_UNUSED_PERCENT,
            description = "Repack a pack when more than PERCENT of it is unused (0-100, default ${DEFAULT-VALUE}). "
                    + "100 only deletes whole unused packs and needs no extra space.")
    String maxUnused;

    @Option(names = "--lock-wait", paramLabel = "DURATION", defaultValue = "PT1H",
            description = "How long to wait for running backups (ISO-8601, default ${DEFAULT-VALUE}).")
    Duration lockWait;

    @Override
    public Integer call() throws Exception {
        PruneOptions options = options(dryRun, maxUnused, lockWait);
        try (Repository r = repo.open()) {
            PruneReport report = new Pruner(r, options, new ProgressPrinter(output)).prune();
            print(output, report, options.maxUnusedPercent());
        }
        return 0;
    }

    static PruneOptions options(boolean dryRun, String maxUnused, Duration lockWait) {
        return PruneOptions.defaults().withDryRun(dryRun).withMaxUnusedPercent(parsePercent(maxUnused))
                .withLockWait(lockWait).withProgressInterval(Duration.ZERO);
    }

    /** Reads "30" or "30%" as 30; anything else outside 0..100 is a usage error. */
    static int parsePercent(String text) {
        String digits = text.strip();
        if (digits.endsWith("%")) {
            digits = digits.substring(0, digits.length() - 1).strip();
        }
        if (!digits.matches("[0-9]{1,3}") || Integer.parseInt(digits) > 100) {
            throw new IllegalArgumentException("--max-unused must be a percentage from 0 to 100, like 30 or 30%; got '"
                    + text + "'");
        }
        return Integer.parseInt(digits);
    }

    /** Prints a prune report as text or as one JSON summary line. */
    static void print(Output output, PruneReport r, int maxUnusedPercent) {
        if (output.json()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("message_type", "summary");
            m.put("operation", "prune");
            m.put("dry_run", r.dryRun());
            m.put("snapshots", r.snapshots());
            m.put("used_blobs", r.usedBlobs());
            m.put("packs_kept", r.packsKept());
            m.put("packs_deleted", r.packsDeleted());
            m.put("unindexed_packs_deleted", r.unindexedPacksDeleted());
            m.put("packs_repacked", r.packsRepacked());
            m.put("packs_written", r.packsWritten());
            m.put("blobs_removed", r.blobsRemoved());
            m.put("bytes_freed", r.bytesFreed());
            m.put("bytes_repacked", r.bytesRepacked());
            m.put("unused_bytes_kept", r.unusedBytesKept());
            m.put("index_files_replaced", r.indexFilesReplaced());
            m.put("index_files_written", r.indexFilesWritten());
            m.put("missing_packs_dropped", r.missingPacksDropped());
            m.put("temp_files_removed", r.tempFilesRemoved());
            m.put("total_duration_seconds", r.duration().toMillis() / 1000.0);
            output.json(m);
            return;
        }
        boolean dry = r.dryRun();
        output.text(r.snapshots() + " snapshot" + plural(r.snapshots()) + (r.snapshots() == 1 ? " uses " : " use ")
                + r.usedBlobs() + " blob" + plural(r.usedBlobs()));
        if (r.nothingToDo()) {
            output.text("nothing to prune: " + r.packsKept() + " pack" + plural(r.packsKept()) + " kept"
                    + (r.unusedBytesKept() > 0 ? ", holding " + Output.bytes(r.unusedBytesKept())
                    + " of unused data (below --max-unused " + maxUnusedPercent + "%)" : ""));
            output.text("done in " + Output.duration(r.duration().toMillis()));
            return;
        }
        List<String> deleted = new ArrayList<>();
        if (r.packsDeleted() > 0) {
            deleted.add(r.packsDeleted() + " unused pack" + plural(r.packsDeleted()));
        }
        if (r.unindexedPacksDeleted() > 0) {
            deleted.add(r.unindexedPacksDeleted() + " pack" + plural(r.unindexedPacksDeleted())
                    + " left by interrupted backups");
        }
        if (!deleted.isEmpty()) {
            output.text((dry ? "would delete " : "deleted ") + String.join(" and ", deleted));
        }
        if (r.packsRepacked() > 0) {
            output.text((dry ? "would repack " : "repacked ") + r.packsRepacked() + " pack" + plural(r.packsRepacked())
                    + " into " + r.packsWritten() + " (" + Output.bytes(r.bytesRepacked()) + " still in use copied)");
        }
        output.text((dry ? "would remove " : "removed ") + r.blobsRemoved() + " blob" + plural(r.blobsRemoved())
                + (dry ? " and free " : ", freed ") + Output.bytes(r.bytesFreed()));
        if (r.indexFilesReplaced() > 0) {
            output.text((dry ? "would replace " : "replaced ") + r.indexFilesReplaced() + " index file"
                    + plural(r.indexFilesReplaced()) + " with " + r.indexFilesWritten());
        }
        if (r.missingPacksDropped() > 0) {
            output.text((dry ? "would drop " : "dropped ") + "the index entries of " + r.missingPacksDropped()
                    + " missing pack" + plural(r.missingPacksDropped()) + " that no snapshot needs");
        }
        if (r.tempFilesRemoved() > 0) {
            output.text("removed " + r.tempFilesRemoved() + " temporary file" + plural(r.tempFilesRemoved())
                    + " of interrupted writes");
        }
        output.text((dry ? "would keep " : "kept ") + r.packsKept() + " pack" + plural(r.packsKept())
                + (r.unusedBytesKept() > 0 ? "; " + Output.bytes(r.unusedBytesKept()) + " of unused data stays in them "
                + "(below --max-unused " + maxUnusedPercent + "%)" : ""));
        output.text(dry ? "dry run: nothing was changed" : "done in " + Output.duration(r.duration().toMillis()));
    }

    static String plural(long n) {
        return n == 1 ? "" : "s";
    }
}
