package io.cairn.cli;

import io.cairn.engine.repository.Repository;
import io.cairn.engine.restorer.RestoreOptions;
import io.cairn.engine.restorer.RestoreResult;
import io.cairn.engine.restorer.Restorer;
import io.cairn.engine.snapshot.SnapshotRef;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cairn restore}: writes a snapshot (or parts of it) into a directory. */
@Command(name = "restore", description = "Restore a snapshot into a directory.")
final class RestoreCommand implements Callable<Integer> {

    @Mixin
    RepositoryOptions repo;
    @Mixin
    Output output;

    @Parameters(index = "0", paramLabel = "SNAPSHOT", description = "Snapshot id (or prefix), or 'latest'.")
    String snapshot;

    @Option(names = {"-t", "--target"}, required = true, paramLabel = "DIR", description = "Directory to restore into.")
    Path target;

    @Option(names = {"-i", "--include"}, paramLabel = "PATH",
            description = "Only restore this snapshot path and what is below it (repeatable), e.g. /home/ann/docs.")
    List<String> includes = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        try (Repository r = repo.open()) {
            SnapshotRef snap = r.findSnapshot(snapshot);
            Restorer restorer = new Restorer(r, RestoreOptions.defaults().withIncludes(includes)
                    .withProgressInterval(Duration.ofMillis(output.json() ? 1000 : 250)), new ProgressPrinter(output));
            RestoreResult result = restorer.restore(snap, target);
            if (output.json()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("message_type", "summary");
                m.put("snapshot_id", snap.id());
                m.put("target", target.toAbsolutePath().toString());
                m.put("files", result.files());
                m.put("dirs", result.dirs());
                m.put("symlinks", result.symlinks());
                m.put("hardlinks", result.hardlinks());
                m.put("bytes", result.bytes());
                m.put("warnings", result.warnings());
                output.json(m);
            } else {
                output.text("restored snapshot " + snap.shortId() + " to " + target.toAbsolutePath() + ": " + result.files()
                        + " files, " + result.dirs() + " dirs, " + Output.bytes(result.bytes()));
            }
            return result.warnings().isEmpty() ? 0 : CairnCommand.EXIT_PARTIAL;
        }
    }
}
