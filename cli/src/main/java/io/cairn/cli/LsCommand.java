package io.cairn.cli;

import io.cairn.engine.browse.FileModes;
import io.cairn.engine.browse.SnapshotBrowser;
import io.cairn.engine.browse.SnapshotEntry;
import io.cairn.engine.repository.Repository;
import io.cairn.engine.snapshot.SnapshotRef;
import io.cairn.engine.tree.Node;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cairn ls}: lists what a snapshot holds at a path, one full snapshot path per line; with
 * {@code --long} like {@code ls -l}; with {@code --json} one object per entry. Streams, so a recursive
 * listing of a huge snapshot starts at once and needs little memory.
 */
@Command(name = "ls", description = "List files and directories in a snapshot.")
final class LsCommand implements Callable<Integer> {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    @Mixin
    RepositoryOptions repo;
    @Mixin
    Output output;

    @Parameters(index = "0", paramLabel = "SNAPSHOT", description = "Snapshot id (or prefix), or 'latest'.")
    String snapshot;

    @Parameters(index = "1", arity = "0..1", paramLabel = "PATH", defaultValue = "/",
            description = "Path inside the snapshot (default: ${DEFAULT-VALUE}). A directory lists its entries.")
    String path;

    @Option(names = {"-R", "--recursive"}, description = "List everything below PATH.")
    boolean recursive;

    @Option(names = {"-l", "--long"}, description = "Show mode, owner, group, size and modification time.")
    boolean longFormat;

    @Override
    public Integer call() throws Exception {
        try (Repository r = repo.open()) {
            SnapshotRef snap = r.findSnapshot(snapshot);
            SnapshotBrowser browser = new SnapshotBrowser(r, snap);
            SnapshotEntry entry = browser.resolve(path);
            if (!entry.isDir()) {
                print(entry);
            } else if (recursive) {
                browser.walk(entry, e -> {
                    print(e);
                    return true;
                });
            } else {
                for (SnapshotEntry e : browser.children(entry)) {
                    print(e);
                }
            }
        }
        return 0;
    }

    private void print(SnapshotEntry e) {
        if (output.json()) {
            output.json(toJson(e));
        } else if (longFormat) {
            output.text(longLine(e));
        } else {
            output.text(e.path());
        }
    }

    /** {@code -rw-r--r--  ann      staff           13 2024-05-01 10:00:00 /home/ann/a.txt -> target}. */
    static String longLine(SnapshotEntry e) {
        Node n = e.node();
        String line = String.format("%s  %-8s %-8s %12d %s %s", FileModes.symbolic(n.type(), n.mode()), owner(n.user(),
                n.uid()), owner(n.group(), n.gid()), n.isFile() ? n.size() : 0, TIME.format(mtime(n)), e.path());
        return n.isSymlink() ? line + " -> " + n.linkTarget() : line;
    }

    private static String owner(String name, int id) {
        return name == null || name.isEmpty() ? Integer.toUnsignedString(id) : name;
    }

    static Instant mtime(Node n) {
        return Instant.ofEpochSecond(Math.floorDiv(n.mtimeNs(), 1_000_000_000L), Math.floorMod(n.mtimeNs(), 1_000_000_000L));
    }

    static Map<String, Object> toJson(SnapshotEntry e) {
        Node n = e.node();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("message_type", "entry");
        m.put("path", e.path());
        m.put("name", e.name());
        m.put("type", n.type().label());
        m.put("mode", n.mode());
        m.put("permissions", FileModes.symbolic(n.type(), n.mode()));
        m.put("size", n.isFile() ? n.size() : 0);
        m.put("mtime", mtime(n).toString());
        m.put("uid", Integer.toUnsignedLong(n.uid()));
        m.put("gid", Integer.toUnsignedLong(n.gid()));
        m.put("user", n.user());
        m.put("group", n.group());
        if (n.isSymlink()) {
            m.put("link_target", n.linkTarget());
        }
        if (n.isFile()) {
            m.put("links", n.links());
        }
        return m;
    }
}
