package io.cairn.cli;

import io.cairn.engine.browse.DiffEntry;
import io.cairn.engine.browse.DiffSummary;
import io.cairn.engine.browse.SnapshotDiff;
import io.cairn.engine.repository.Repository;
import io.cairn.engine.snapshot.SnapshotRef;
import io.cairn.engine.tree.Node;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code cairn diff}: what changed between two snapshots. One line per path: {@code +} added,
 * {@code -} removed, {@code M} content changed, {@code T} type changed, {@code U} metadata (mode,
 * owner, mtime) only; directories end in '/'. Then a summary. Equal subtrees are skipped unread.
 */
@Command(name = "diff", description = "Show the differences between two snapshots.")
final class DiffCommand implements Callable<Integer> {

    @Mixin
    RepositoryOptions repo;
    @Mixin
    Output output;

    @Parameters(index = "0", paramLabel = "SNAPSHOT1", description = "The older snapshot (id, prefix or 'latest').")
    String first;

    @Parameters(index = "1", paramLabel = "SNAPSHOT2", description = "The newer snapshot (id, prefix or 'latest').")
    String second;

    @Override
    public Integer call() throws Exception {
        try (Repository r = repo.open()) {
            SnapshotRef a = r.findSnapshot(first);
            SnapshotRef b = r.findSnapshot(second);
            output.text("comparing snapshot " + a.shortId() + " to " + b.shortId() + ":");
            output.text("");
            DiffSummary s = new SnapshotDiff(r).compare(a, b, this::print);
            if (output.json()) {
                output.json(summaryJson(a, b, s));
            } else {
                output.text("");
                output.text(String.format(Locale.ROOT, "Files:    %6d new, %6d removed, %6d changed", s.filesAdded(),
                        s.filesRemoved(), s.filesChanged()));
                output.text(String.format(Locale.ROOT, "Dirs:     %6d new, %6d removed", s.dirsAdded(), s.dirsRemoved()));
                output.text(String.format(Locale.ROOT, "Symlinks: %6d new, %6d removed, %6d changed", s.symlinksAdded(),
                        s.symlinksRemoved(), s.symlinksChanged()));
                output.text(String.format(Locale.ROOT, "Other:    %6d type changed, %d metadata only", s.typeChanged(),
                        s.metadataChanged()));
                output.text("Bytes:    " + Output.bytes(s.bytesAdded()) + " added, " + Output.bytes(s.bytesRemoved())
                        + " removed");
            }
        }
        return 0;
    }

    private void print(DiffEntry e) {
        if (output.json()) {
            output.json(entryJson(e));
        } else {
            output.text(e.symbol() + "    " + e.path() + (e.type() == io.cairn.engine.tree.NodeType.DIR ? "/" : ""));
        }
    }

    static Map<String, Object> entryJson(DiffEntry e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("message_type", "change");
        m.put("path", e.path());
        m.put("modifier", String.valueOf(e.symbol()));
        m.put("status", e.status().name().toLowerCase(Locale.ROOT));
        m.put("changes", e.changes().stream().map(c -> c.name().toLowerCase(Locale.ROOT)).sorted().toList());
        m.put("type_before", type(e.before()));
        m.put("type_after", type(e.after()));
        m.put("size_before", e.sizeBefore());
        m.put("size_after", e.sizeAfter());
        return m;
    }

    private static String type(Node n) {
        return n == null ? null : n.type().label();
    }

    static Map<String, Object> summaryJson(SnapshotRef a, SnapshotRef b, DiffSummary s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("message_type", "statistics");
        m.put("source_snapshot", a.id());
        m.put("target_snapshot", b.id());
        m.put("files_added", s.filesAdded());
        m.put("files_removed", s.filesRemoved());
        m.put("files_changed", s.filesChanged());
        m.put("dirs_added", s.dirsAdded());
        m.put("dirs_removed", s.dirsRemoved());
        m.put("symlinks_added", s.symlinksAdded());
        m.put("symlinks_removed", s.symlinksRemoved());
        m.put("symlinks_changed", s.symlinksChanged());
        m.put("type_changed", s.typeChanged());
        m.put("metadata_changed", s.metadataChanged());
        m.put("bytes_added", s.bytesAdded());
        m.put("bytes_removed", s.bytesRemoved());
        return m;
    }
}
