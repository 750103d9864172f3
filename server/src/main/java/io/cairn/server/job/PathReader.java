package io.cairn.server.job;

import io.cairn.engine.archiver.Archiver;
import io.cairn.engine.archiver.BackupResult;
import io.cairn.engine.repository.RepositoryException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Files and folders on the server host, read by the engine's walker (include/exclude globs in the options). */
final class PathReader implements SourceReader {

    private static final int TOP_ENTRIES = 50;

    private final Path path;

    PathReader(Path path) {
        this.path = path;
    }

    @Override
    public Map<String, Object> describe() throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            throw new RepositoryException(path + " does not exist on the server (any more). Check the source's path.",
                    RepositoryException.EXIT_FAILURE);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("kind", "files");
        out.put("path", path.toString());
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            List<Map<String, Object>> top = new ArrayList<>();
            try (Stream<Path> entries = Files.list(path)) {
                entries.sorted().limit(TOP_ENTRIES).forEach(p -> {
                    Map<String, Object> e = new LinkedHashMap<>();
                    e.put("name", p.getFileName().toString());
                    boolean dir = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
                    e.put("type", dir ? "folder" : "file");
                    try {
                        e.put("size", dir ? null : Files.size(p));
                    } catch (IOException ex) {
                        e.put("size", null);
                    }
                    top.add(e);
                });
            }
            out.put("top", top);
        }
        return out;
    }

    @Override
    public BackupResult backup(Archiver archiver) throws IOException {
        return archiver.backup(List.of(path));
    }

    @Override
    public void cancel() {
        // the runner interrupts the job's thread; the engine's walker stops at the next file
    }
}
