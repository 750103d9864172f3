package io.cairn.cli;

import io.cairn.engine.browse.SnapshotStats;
import io.cairn.engine.browse.StatsMode;
import io.cairn.engine.browse.StatsReport;
import io.cairn.engine.repository.Repository;
import io.cairn.engine.repository.RepositoryException;
import io.cairn.engine.snapshot.SnapshotRef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cairn stats}: sizes of snapshots. {@code restore-size} (default): files, directories and
 * bytes a restore would write; {@code raw-data}: unique blobs referenced, their plaintext and stored
 * sizes and the repository's pack bytes; {@code files-by-contents}: files counted once per content.
 * Exits 4 if a referenced blob is missing from the index.
 */
@Command(name = "stats", description = "Show how big snapshots are, restored or stored.")
final class StatsCommand implements Callable<Integer> {

    @Mixin
    RepositoryOptions repo;
    @Mixin
    Output output;

    @Parameters(paramLabel = "SNAPSHOT", arity = "0..*",
            description = "Snapshots (id, prefix or 'latest'); default: every snapshot.")
    List<String> snapshots = new ArrayList<>();

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "restore-size",
            description = "restore-size, raw-data or files-by-contents (default: ${DEFAULT-VALUE}).")
    String mode;

    @Override
    public Integer call() throws Exception {
        StatsMode statsMode = StatsMode.parse(mode);
        try (Repository r = repo.open()) {
            List<SnapshotRef> selected;
            if (snapshots.isEmpty()) {
                selected = r.snapshots();
            } else {
                Map<String, SnapshotRef> unique = new LinkedHashMap<>();
                for (String s : snapshots) {
                    SnapshotRef ref = r.findSnapshot(s);
                    unique.putIfAbsent(ref.id(), ref);
                }
                selected = List.copyOf(unique.values());
            }
            StatsReport report = new SnapshotStats(r).compute(selected, statsMode);
            if (output.json()) {
                output.json(toJson(report));
            } else {
                print(report);
            }
            if (report.missingBlobs() > 0) {
                throw new RepositoryException(report.missingBlobs() + " blobs referenced by these snapshots are missing "
                        + "from the index; run 'cairn check' to see which files are affected",
                        RepositoryException.EXIT_DAMAGED);
            }
        }
        return 0;
    }

    private void print(StatsReport r) {
        output.text("Stats in " + r.mode().label() + " mode:");
        output.text(row("Snapshots processed", Long.toString(r.snapshots())));
        switch (r.mode()) {
            case RESTORE_SIZE -> {
                output.text(row("Total file count", Long.toString(r.files())));
                output.text(row("Total dir count", Long.toString(r.dirs())));
                output.text(row("Total symlink count", Long.toString(r.symlinks())));
                output.text(row("Total size", Output.bytes(r.totalSize())));
            }
            case FILES_BY_CONTENTS -> {
                output.text(row("Distinct file contents", Long.toString(r.files())));
                output.text(row("Total size", Output.bytes(r.totalSize())));
            }
            case RAW_DATA -> {
                output.text(row("Unique blobs", r.blobs() + " (" + r.dataBlobs() + " data, " + r.treeBlobs() + " tree)"));
                output.text(row("Total uncompressed size", Output.bytes(r.plainSize())));
                output.text(row("Total stored size", Output.bytes(r.storedSize())));
                output.text(row("Compression ratio", String.format(Locale.ROOT, "%.2fx", r.compressionRatio())));
                output.text(row("Repository packs", r.packs() + " files, " + Output.bytes(r.packBytes())));
                if (r.missingBlobs() > 0) {
                    output.text(row("Missing blobs", Long.toString(r.missingBlobs())));
                }
            }
        }
    }

    private static String row(String label, String value) {
        return String.format(Locale.ROOT, "  %-24s %s", label + ":", value);
    }

    static Map<String, Object> toJson(StatsReport r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("message_type", "stats");
        m.put("mode", r.mode().label());
        m.put("snapshots", r.snapshots());
        switch (r.mode()) {
            case RESTORE_SIZE -> {
                m.put("total_file_count", r.files());
                m.put("total_dir_count", r.dirs());
                m.put("total_symlink_count", r.symlinks());
                m.put("total_size", r.totalSize());
            }
            case FILES_BY_CONTENTS -> {
                m.put("total_file_count", r.files());
                m.put("total_size", r.totalSize());
            }
            case RAW_DATA -> {
                m.put("total_blob_count", r.blobs());
                m.put("data_blob_count", r.dataBlobs());
                m.put("tree_blob_count", r.treeBlobs());
                m.put("missing_blob_count", r.missingBlobs());
                m.put("total_uncompressed_size", r.plainSize());
                m.put("total_stored_size", r.storedSize());
                m.put("compression_ratio", r.compressionRatio());
                m.put("pack_count", r.packs());
                m.put("pack_bytes", r.packBytes());
            }
        }
        return m;
    }
}
