package io.cairn.cli;

import io.cairn.engine.archiver.Archiver;
import io.cairn.engine.archiver.BackupOptions;
import io.cairn.engine.archiver.BackupResult;
import io.cairn.engine.archiver.SourcePrescan;
import io.cairn.engine.blob.Compression;
import io.cairn.engine.repository.Repository;
import io.cairn.engine.snapshot.SnapshotSummary;
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

/** {@code cairn backup}: saves paths, standard input, or a command's output as a new snapshot. */
@Command(name = "backup", description = "Back up files and directories, standard input, or a command's output.")
final class BackupCommand implements Callable<Integer> {

    @Mixin
    RepositoryOptions repo;
    @Mixin
    Output output;

    @Parameters(paramLabel = "PATH", arity = "0..*", description = "Files and directories to back up.")
    List<Path> paths = new ArrayList<>();

    @Option(names = "--stdin", description = "Back up standard input as one file.")
    boolean stdin;

    @Option(names = "--stdin-filename", paramLabel = "NAME", defaultValue = "stdin",
            description = "File name for --stdin / --stdin-from-command data (default: ${DEFAULT-VALUE}).")
    String stdinFilename;

    @Option(names = "--stdin-from-command", description = "Run the command given after '--' and back up its standard "
            + "output; a non-zero exit fails the backup and saves no snapshot.")
    boolean fromCommand;

    @Option(names = {"-e", "--exclude"}, paramLabel = "GLOB", description = "Exclude matching entries (repeatable).")
    List<String> excludes = new ArrayList<>();

    @Option(names = {"-i", "--include"}, paramLabel = "GLOB", description = "Only save files matching (repeatable).")
    List<String> includes = new ArrayList<>();

    @Option(names = "--tag", paramLabel = "TAG", description = "Tag the snapshot (repeatable).")
    List<String> tags = new ArrayList<>();

    @Option(names = "--host", paramLabel = "NAME", description = "Host name recorded on the snapshot.")
    String host;

    @Option(names = {"-f", "--force"}, description = "Re-read every file instead of trusting the parent snapshot.")
    boolean force;

    @Option(names = "--parent", paramLabel = "SNAPSHOT", description = "Compare with this snapshot instead of the "
            + "latest one of the same host and paths.")
    String parent;

    @Option(names = "--compression", paramLabel = "LEVEL", description = "off, fast, default or max "
            + "(default: the repository's).")
    String compression;

    @Option(names = "--cache-dir", paramLabel = "DIR", description = "Where to keep what each backup found in its "
            + "directories, so that the next one skips the parent's trees of unchanged ones (default: $CAIRN_CACHE_DIR, "
            + "else $XDG_CACHE_HOME/cairn, else ~/.cache/cairn).")
    Path cacheDir;

    @Option(names = "--no-cache", description = "Keep no directory cache (the backup loads the parent's trees).")
    boolean noCache;

    @Option(names = "--lock-wait", paramLabel = "DURATION", defaultValue = "PT6H",
            description = "How long to wait for a running prune (ISO-8601, default ${DEFAULT-VALUE}).")
    Duration lockWait;

    /** The directory cache's place: --cache-dir, $CAIRN_CACHE_DIR, $XDG_CACHE_HOME/cairn, $HOME/.cache/cairn. */
    private Path cacheDirectory() {
        if (cacheDir != null) {
            return cacheDir;
        }
        String dir = System.getenv("CAIRN_CACHE_DIR");
        if (dir != null && !dir.isBlank()) {
            return Path.of(dir);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "cairn");
        }
        String home = System.getenv("HOME"); // as the shell has it (the JVM's user.home comes from the passwd file)
        return Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home"), ".cache", "cairn");
    }

    @Override
    public Integer call() throws Exception {
        List<String> command = new ArrayList<>();
        List<Path> files = paths;
        if (fromCommand) {
            command = paths.stream().map(Path::toString).toList();
            files = List.of();
        }
        int modes = (stdin ? 1 : 0) + (fromCommand ? 1 : 0) + (files.isEmpty() ? 0 : 1);
        if (modes != 1) {
            throw new IllegalArgumentException("give paths to back up, or --stdin, or --stdin-from-command -- COMMAND");
        }
        BackupOptions options = BackupOptions.defaults().withForce(force).withParent(parent).withExcludes(excludes)
                .withIncludes(includes).withTags(tags).withHostname(host).withLockWait(lockWait)
                .withCompression(compression == null ? null : Compression.parse(compression))
                .withProgressInterval(Duration.ofMillis(output.json() ? 1000 : 250))
                .withCacheDirectory(noCache ? null : cacheDirectory());
        // the sources' metadata is read while the repository opens (its key derivation is CPU work)
        SourcePrescan prescan = files.isEmpty() ? null : SourcePrescan.start(files, options);
        try (Repository r = repo.open()) {
            Archiver archiver = new Archiver(r, options, new ProgressPrinter(output));
            BackupResult result;
            if (stdin) {
                result = archiver.backupStream(stdinFilename, System.in);
            } else if (fromCommand) {
                result = archiver.backupCommand(stdinFilename, command);
            } else {
                result = archiver.backup(files, prescan);
            }
            report(result);
            return result.incomplete() ? CairnCommand.EXIT_PARTIAL : 0;
        }
    }

    private void report(BackupResult result) {
        SnapshotSummary s = result.snapshot().summary();
        if (output.json()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("message_type", "summary");
            m.put("snapshot_id", result.snapshotId());
            m.put("files_new", s.filesNew());
            m.put("files_changed", s.filesChanged());
            m.put("files_unmodified", s.filesUnmodified());
            m.put("dirs", s.dirs());
            m.put("total_files_processed", s.totalFiles());
            m.put("total_bytes_processed", s.totalBytes());
            m.put("bytes_read", s.bytesRead());
            m.put("data_blobs", s.dataBlobsAdded());
            m.put("tree_blobs", s.treeBlobsAdded());
            m.put("data_added", s.dataAdded());
            m.put("data_added_packed", s.dataAddedPacked());
            m.put("total_duration_seconds", s.durationMs() / 1000.0);
            m.put("warnings", result.warnings());
            m.put("missing", result.missing());
            output.json(m);
            return;
        }
        output.text(String.format("Files:  %d new, %d changed, %d unmodified", s.filesNew(), s.filesChanged(),
                s.filesUnmodified()));
        output.text(String.format("Dirs:   %d", s.dirs()));
        output.text("Added to the repository: " + Output.bytes(s.dataAdded()) + " (" + Output.bytes(s.dataAddedPacked())
                + " stored)");
        output.text("processed " + s.totalFiles() + " files, " + Output.bytes(s.totalBytes()) + " in "
                + Output.duration(s.durationMs()));
        if (result.incomplete()) {
            output.text(result.missing() + (result.missing() == 1 ? " entry" : " entries") + " could not be read and "
                    + (result.missing() == 1 ? "is" : "are") + " missing from the snapshot (see the warnings above)");
        }
        int saved = result.warnings().size() - result.missing();
        if (saved > 0) {
            output.text(saved + (saved == 1 ? " warning about an entry" : " warnings about entries")
                    + " that the snapshot holds (see above)");
        }
        output.text("snapshot " + result.snapshotId().substring(0, 8) + " saved");
    }
}
