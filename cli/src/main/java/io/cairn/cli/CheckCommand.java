package io.cairn.cli;

import io.cairn.engine.check.AffectedSnapshot;
import io.cairn.engine.check.CheckOptions;
import io.cairn.engine.check.CheckProblem;
import io.cairn.engine.check.CheckReport;
import io.cairn.engine.check.CheckStats;
import io.cairn.engine.check.Checker;
import io.cairn.engine.check.DamagedPath;
import io.cairn.engine.check.DataSubset;
import io.cairn.engine.progress.ProgressEvent;
import io.cairn.engine.progress.ProgressListener;
import io.cairn.engine.repository.Repository;
import io.cairn.engine.repository.RepositoryException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code cairn check}: verifies the repository and lists every damaged object, the snapshots and
 * files it affects, and what to do next. Exit 0 when no error is found, 4 when the repository is
 * damaged; unreferenced packs and unused blobs are reported but are not errors.
 */
@Command(name = "check", description = {
    "Verify the repository: its structure, and with --read-data every byte of its data.",
    "Exits 0 if no error was found, 4 if the repository is damaged (the damaged objects, the snapshots and files "
            + "they affect, and what to do next are listed)."})
final class CheckCommand implements Callable<Integer> {

    /** How many entries of one list the text output shows; --json always has all. */
    static final int TEXT_LIMIT = 50;

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    @Mixin
    RepositoryOptions repo;
    @Mixin
    Output output;

    @Option(names = "--read-data", description = "Also read every pack whole and verify every blob in it.")
    boolean readData;

    @Option(names = "--read-data-subset", paramLabel = "N%|n/t", description = "Read only part of the packs: a random "
            + "N% of them, or slice n of t (the slices 1/t..t/t together read every pack once).")
    String readDataSubset;

    @Option(names = "--lock-wait", paramLabel = "DURATION", defaultValue = "PT6H",
            description = "How long to wait for a running prune (ISO-8601, default ${DEFAULT-VALUE}).")
    Duration lockWait;

    @Override
    public Integer call() throws Exception {
        DataSubset subset = readDataSubset == null ? null : DataSubset.parse(readDataSubset);
        ProgressPrinter printer = new ProgressPrinter(output);
        // every error is in the report printed at the end; the live warnings would only repeat them
        ProgressListener listener = event -> {
            if (!(event instanceof ProgressEvent.Warning)) {
                printer.onEvent(event);
            }
        };
        CheckOptions options = CheckOptions.defaults().withReadData(readData).withReadDataSubset(subset)
                .withLockWait(lockWait).withListener(listener)
                .withProgressInterval(Duration.ofMillis(output.json() ? 1000 : 250));
        CheckReport report;
        try (Repository r = repo.open()) {
            report = new Checker(r).check(options);
        }
        if (output.json()) {
            output.json(toJson(report));
        } else {
            printText(report);
        }
        return report.hasErrors() ? RepositoryException.EXIT_DAMAGED : 0;
    }

    private void printText(CheckReport report) {
        CheckStats s = report.stats();
        String read = !report.readData() ? "structure only (add --read-data to verify the data too)"
                : "read " + count(s.packsRead(), "pack") + " (" + Output.bytes(s.bytesRead()) + ", " + s.blobsVerified()
                        + " blobs verified" + (report.readDataSubset() == null ? "" : ", subset "
                        + report.readDataSubset()) + ")";
        output.text("checked " + count(s.snapshots(), "snapshot") + ", " + count(s.indexes(), "index") + ", "
                + count(s.packs(), "pack") + ", " + count(s.treesChecked(), "tree") + "; " + read);
        List<CheckProblem> errors = report.errors();
        if (!errors.isEmpty()) {
            output.text("");
            output.text("ERRORS (" + errors.size() + "):");
            printLimited(errors.stream().map(p -> "  " + label(p.kind()) + ": " + p.message()).toList());
        }
        if (!report.affectedSnapshots().isEmpty()) {
            output.text("");
            output.text("AFFECTED SNAPSHOTS (" + report.affectedSnapshots().size() + "):");
            for (AffectedSnapshot a : report.affectedSnapshots()) {
                output.text("  snapshot " + a.snapshotId() + (a.time() == null ? "" : "  " + formatTime(a.time()))
                        + (a.hostname() == null ? "" : "  " + a.hostname())
                        + (a.paths().isEmpty() ? "" : "  " + String.join(", ", a.paths())));
                List<String> lines = new ArrayList<>();
                for (DamagedPath p : a.damagedPaths()) {
                    lines.add("    " + String.format(Locale.ROOT, "%-10s", p.type().name().toLowerCase(Locale.ROOT))
                            + p.path() + "  (" + p.reason() + ")");
                }
                printLimited(lines);
            }
        }
        List<CheckProblem> infos = report.infos();
        if (!infos.isEmpty()) {
            output.text("");
            output.text("INFO (" + infos.size() + ", not errors):");
            printLimited(infos.stream().map(p -> "  " + p.message()).toList());
        }
        output.text("");
        if (errors.isEmpty()) {
            output.text("no errors were found");
            return;
        }
        output.text("the repository is damaged: " + count(errors.size(), "error") + ", "
                + report.affectedSnapshots().size() + " of " + count(s.snapshots(), "snapshot") + " affected");
        output.text("");
        output.text("WHAT TO DO NEXT:");
        int n = 1;
        for (String step : report.nextSteps()) {
            output.text("  " + n++ + ". " + step);
        }
    }

    private void printLimited(List<String> lines) {
        for (int i = 0; i < Math.min(TEXT_LIMIT, lines.size()); i++) {
            output.text(lines.get(i));
        }
        if (lines.size() > TEXT_LIMIT) {
            output.text("  ... and " + (lines.size() - TEXT_LIMIT) + " more (--json lists all)");
        }
    }

    private static String count(long n, String noun) {
        return n + " " + (n == 1 ? noun : noun.endsWith("x") ? noun + "es" : noun + "s");
    }

    private static String label(CheckProblem.Kind kind) {
        return kind.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static String formatTime(String iso) {
        try {
            return TIME.format(Instant.parse(iso));
        } catch (RuntimeException e) {
            return iso;
        }
    }

    static Map<String, Object> toJson(CheckReport report) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("message_type", "summary");
        m.put("errors", report.errors().size());
        m.put("exit_code", report.hasErrors() ? RepositoryException.EXIT_DAMAGED : 0);
        m.put("read_data", report.readData());
        m.put("read_data_subset", report.readDataSubset());
        List<Map<String, Object>> problems = new ArrayList<>();
        for (CheckProblem p : report.problems()) {
            Map<String, Object> pm = new LinkedHashMap<>();
            pm.put("severity", p.severity().name().toLowerCase(Locale.ROOT));
            pm.put("kind", label(p.kind()));
            pm.put("object_type", p.objectType().name().toLowerCase(Locale.ROOT));
            pm.put("object_id", p.objectId());
            pm.put("pack_id", p.packId());
            pm.put("message", p.message());
            pm.put("blob_ids", p.blobIds());
            problems.add(pm);
        }
        m.put("problems", problems);
        List<Map<String, Object>> affected = new ArrayList<>();
        for (AffectedSnapshot a : report.affectedSnapshots()) {
            Map<String, Object> am = new LinkedHashMap<>();
            am.put("snapshot_id", a.snapshotId());
            am.put("time", a.time());
            am.put("hostname", a.hostname());
            am.put("paths", a.paths());
            List<Map<String, Object>> paths = new ArrayList<>();
            for (DamagedPath p : a.damagedPaths()) {
                Map<String, Object> pm = new LinkedHashMap<>();
                pm.put("path", p.path());
                pm.put("type", p.type().name().toLowerCase(Locale.ROOT));
                pm.put("blob_ids", p.blobIds());
                pm.put("reason", p.reason());
                paths.add(pm);
            }
            am.put("damaged_paths", paths);
            affected.add(am);
        }
        m.put("affected_snapshots", affected);
        CheckStats s = report.stats();
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("snapshots", s.snapshots());
        stats.put("indexes", s.indexes());
        stats.put("packs", s.packs());
        stats.put("packs_read", s.packsRead());
        stats.put("bytes_read", s.bytesRead());
        stats.put("blobs", s.blobs());
        stats.put("trees_checked", s.treesChecked());
        stats.put("blobs_verified", s.blobsVerified());
        stats.put("unreferenced_packs", s.unreferencedPacks());
        stats.put("unused_blobs", s.unusedBlobs());
        stats.put("unused_bytes", s.unusedBytes());
        m.put("stats", stats);
        m.put("next_steps", report.nextSteps());
        return m;
    }
}
