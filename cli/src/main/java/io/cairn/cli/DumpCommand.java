package io.cairn.cli;

import io.cairn.engine.browse.SnapshotBrowser;
import io.cairn.engine.browse.SnapshotEntry;
import io.cairn.engine.dump.ArchiveFormat;
import io.cairn.engine.dump.DumpResult;
import io.cairn.engine.dump.SnapshotDumper;
import io.cairn.engine.repository.Repository;
import io.cairn.engine.repository.RepositoryException;
import io.cairn.engine.snapshot.SnapshotRef;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cairn dump}: writes one file's content, or a directory as a tar (default) or zip archive, to
 * standard output or {@code --output}. Data goes to stdout as raw bytes (never through a text encoder),
 * so {@code cairn dump latest /etc > etc.tar} is exact. With {@code --output} a summary is printed; a
 * failed dump deletes the partial file.
 */
@Command(name = "dump", description = "Write a file from a snapshot, or a directory as a tar or zip archive.")
final class DumpCommand implements Callable<Integer> {

    @Mixin
    RepositoryOptions repo;
    @Mixin
    Output output;

    @Parameters(index = "0", paramLabel = "SNAPSHOT", description = "Snapshot id (or prefix), or 'latest'.")
    String snapshot;

    @Parameters(index = "1", paramLabel = "PATH", description = "Path inside the snapshot: a file, or a directory.")
    String path;

    @Option(names = {"-a", "--archive"}, paramLabel = "FORMAT", description = "tar or zip. A directory is always "
            + "written as an archive (default tar); a file only when this is given.")
    String archive;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE instead of standard output.")
    Path outputFile;

    @Override
    public Integer call() throws Exception {
        ArchiveFormat format = archive == null ? null : ArchiveFormat.parse(archive);
        try (Repository r = repo.open()) {
            SnapshotRef snap = r.findSnapshot(snapshot);
            SnapshotBrowser browser = new SnapshotBrowser(r, snap);
            SnapshotEntry entry = browser.resolve(path);
            if (entry.isSymlink() && format == null) {
                throw new RepositoryException(entry.path() + " is a symlink to '" + entry.node().linkTarget()
                        + "'; dump the path it points to, or give --archive tar to dump the link itself",
                        RepositoryException.EXIT_FAILURE);
            }
            if (!entry.isFile() && format == null) {
                format = ArchiveFormat.TAR;
            }
            if (format != null && outputFile == null && stdoutIsTerminal()) {
                throw new RepositoryException("refusing to write a " + format.label() + " archive to the terminal; "
                        + "redirect standard output or use --output FILE", RepositoryException.EXIT_FAILURE);
            }
            SnapshotDumper dumper = new SnapshotDumper(browser);
            if (outputFile == null) {
                OutputStream stdout = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16);
                write(dumper, entry, format, stdout); // flushed, not closed: fd 1 belongs to the process
                return 0;
            }
            DumpResult result;
            boolean done = false;
            try {
                try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(outputFile), 1 << 16)) {
                    result = write(dumper, entry, format, out);
                }
                done = true;
            } finally {
                if (!done) {
                    Files.deleteIfExists(outputFile);
                }
            }
            report(snap, entry, format, result, Files.size(outputFile));
            return 0;
        }
    }

    /**
     * Whether standard output is a terminal. Java 17's {@link System#console()} exists only when stdin and
     * stdout are terminals; from Java 22 it may exist without one, and {@code Console.isTerminal()} tells.
     */
    private static boolean stdoutIsTerminal() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true; // Java 17 to 21: a console exists only on a terminal
        }
    }

    private static DumpResult write(SnapshotDumper dumper, SnapshotEntry entry, ArchiveFormat format, OutputStream out)
            throws IOException {
        if (format == null) {
            long n = dumper.writeFile(entry, out);
            out.flush();
            return new DumpResult(1, 0, 0, 0, n);
        }
        DumpResult result = dumper.writeArchive(entry, format, out);
        out.flush();
        return result;
    }

    private void report(SnapshotRef snap, SnapshotEntry entry, ArchiveFormat format, DumpResult result, long size) {
        if (output.json()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("message_type", "summary");
            m.put("snapshot_id", snap.id());
            m.put("path", entry.path());
            m.put("output", outputFile.toAbsolutePath().toString());
            m.put("format", format == null ? "file" : format.label());
            m.put("files", result.files());
            m.put("dirs", result.dirs());
            m.put("symlinks", result.symlinks());
            m.put("hardlinks", result.hardlinks());
            m.put("bytes", result.bytes());
            m.put("output_bytes", size);
            output.json(m);
        } else if (format == null) {
            output.text("wrote " + entry.path() + " from snapshot " + snap.shortId() + " to " + outputFile + " ("
                    + Output.bytes(result.bytes()) + ")");
        } else {
            output.text("wrote " + entry.path() + " from snapshot " + snap.shortId() + " to " + outputFile + " as "
                    + format.label() + ": " + result.files() + " files, " + result.dirs() + " dirs, " + result.symlinks()
                    + " symlinks" + (result.hardlinks() > 0 ? ", " + result.hardlinks() + " hard links" : "") + ", "
                    + Output.bytes(result.bytes()) + " of content, " + Output.bytes(size) + " archive");
        }
    }
}
