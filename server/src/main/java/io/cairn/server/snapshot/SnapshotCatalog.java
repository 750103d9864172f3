package io.cairn.server.snapshot;

import io.cairn.engine.browse.FileModes;
import io.cairn.engine.repository.Repository;
import io.cairn.engine.snapshot.SnapshotRef;
import io.cairn.engine.tree.Node;
import io.cairn.engine.tree.NodeType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * The catalog of one snapshot: every directory listing of the snapshot in a small SQLite file, so a
 * listing of any folder, or a page of it, is one indexed range read instead of loading and decrypting
 * the folder's tree blob (a folder of 100,000 entries is one tree of several MiB). See ADR 0010.
 *
 * <p>Layout: {@code dirs(id, path, entries)} and {@code entries(dir_id, pos, name, …)} with primary key
 * {@code (dir_id, pos)}; {@code pos} numbers a folder's entries in listing order (folders first, then
 * the rest, each by name in tree order), so a page is the key range {@code pos >= offset LIMIT n}.
 * The file is a cache: it is derived only from the repository, written to a temporary name and moved
 * into place when complete, and deleting it just means the next browse builds it again.
 */
public final class SnapshotCatalog {

    /** Bumped when the layout changes: a catalog of another version is rebuilt. */
    static final int FORMAT = 1;
    private static final int BATCH = 5_000;

    private final Path file;

    private SnapshotCatalog(Path file) {
        this.file = file;
    }

    /** The catalog at {@code file} if it exists and is of the current format; empty otherwise. */
    static Optional<SnapshotCatalog> open(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try (Connection c = connect(file, true); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT value FROM meta WHERE key = 'format'")) {
            if (rs.next() && Integer.parseInt(rs.getString(1)) == FORMAT) {
                return Optional.of(new SnapshotCatalog(file));
            }
        } catch (SQLException | NumberFormatException e) {
            // damaged or foreign: rebuilt by the caller
        }
        return Optional.empty();
    }

    /**
     * Builds the catalog of {@code snapshot} from the repository into {@code file}: walks every tree
     * once, breadth first, writing in batches inside one transaction, then moves the finished file into
     * place atomically.
     */
    static SnapshotCatalog build(Repository repo, SnapshotRef snapshot, Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Path temp = file.resolveSibling(file.getFileName() + ".building-" + Long.toHexString(System.nanoTime()));
        try {
            try (Connection c = connect(temp, false)) {
                c.setAutoCommit(false);
                try (Statement st = c.createStatement()) {
                    st.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
                    st.execute("CREATE TABLE dirs (id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE, "
                            + "entries INTEGER NOT NULL)");
                    st.execute("CREATE TABLE entries (dir_id INTEGER NOT NULL, pos INTEGER NOT NULL, "
                            + "name TEXT NOT NULL, type TEXT NOT NULL, size INTEGER NOT NULL, mtime_ms INTEGER NOT NULL, "
                            + "mode INTEGER NOT NULL, link_target TEXT, PRIMARY KEY (dir_id, pos)) WITHOUT ROWID");
                }
                writeTrees(repo, snapshot, c);
                try (PreparedStatement meta = c.prepareStatement("INSERT INTO meta (key, value) VALUES (?, ?)")) {
                    meta.setString(1, "format");
                    meta.setString(2, Integer.toString(FORMAT));
                    meta.addBatch();
                    meta.setString(1, "snapshot");
                    meta.setString(2, snapshot.id());
                    meta.addBatch();
                    meta.executeBatch();
                }
                c.commit();
            }
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return new SnapshotCatalog(file);
        } catch (SQLException e) {
            throw new IOException("cannot write the catalog " + file + ": " + e.getMessage(), e);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private record PendingDir(long id, String path, String subtree) {
    }

    private static void writeTrees(Repository repo, SnapshotRef snapshot, Connection c) throws IOException, SQLException {
        Deque<PendingDir> pending = new ArrayDeque<>();
        long nextDirId = 1;
        pending.add(new PendingDir(nextDirId++, "/", snapshot.snapshot().tree()));
        int batched = 0;
        try (PreparedStatement dirs = c.prepareStatement("INSERT INTO dirs (id, path, entries) VALUES (?, ?, ?)");
             PreparedStatement entries = c.prepareStatement("INSERT INTO entries (dir_id, pos, name, type, size, "
                     + "mtime_ms, mode, link_target) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            while (!pending.isEmpty()) {
                PendingDir dir = pending.poll();
                List<Node> nodes = dir.subtree() == null ? List.of() : new ArrayList<>(repo.loadTree(dir.subtree()).nodes());
                nodes.sort(LISTING_ORDER);
                dirs.setLong(1, dir.id());
                dirs.setString(2, dir.path());
                dirs.setInt(3, nodes.size());
                dirs.addBatch();
                int pos = 0;
                for (Node n : nodes) {
                    entries.setLong(1, dir.id());
                    entries.setInt(2, pos++);
                    entries.setString(3, n.name());
                    entries.setString(4, n.type().label());
                    entries.setLong(5, n.isFile() ? n.size() : 0);
                    entries.setLong(6, Math.floorDiv(n.mtimeNs(), 1_000_000L));
                    entries.setInt(7, n.mode());
                    entries.setString(8, n.linkTarget());
                    entries.addBatch();
                    if (++batched >= BATCH) {
                        dirs.executeBatch();
                        entries.executeBatch();
                        batched = 0;
                    }
                    if (n.isDir()) {
                        pending.add(new PendingDir(nextDirId++, child(dir.path(), n.name()), n.subtree()));
                    }
                }
            }
            dirs.executeBatch();
            entries.executeBatch();
        }
    }

    /** Folders first, then everything else; within each, tree order (names by UTF-8 bytes, as trees store them). */
    private static final Comparator<Node> LISTING_ORDER = Comparator.comparing((Node n) -> n.type() != NodeType.DIR)
            .thenComparing(Node::name, SnapshotCatalog::compareUtf8);

    private static int compareUtf8(String a, String b) {
        return java.util.Arrays.compareUnsigned(a.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                b.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    static String child(String dir, String name) {
        return dir.equals("/") ? "/" + name : dir + "/" + name;
    }

    /** A folder's page of entries and how many it holds in all. */
    public record Listing(String path, List<CatalogEntry> entries, long total, int offset, int limit) {
    }

    /**
     * A page of the folder at {@code path} (normalised: "/" or "/a/b", no trailing slash); empty if the
     * snapshot has no folder there.
     */
    public Optional<Listing> list(String path, int offset, int limit) throws IOException {
        try (Connection c = connect(file, true)) {
            long dirId;
            long total;
            try (PreparedStatement st = c.prepareStatement("SELECT id, entries FROM dirs WHERE path = ?")) {
                st.setString(1, path);
                try (ResultSet rs = st.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    dirId = rs.getLong(1);
                    total = rs.getLong(2);
                }
            }
            List<CatalogEntry> out = new ArrayList<>(Math.min(limit, 1000));
            try (PreparedStatement st = c.prepareStatement("SELECT name, type, size, mtime_ms, mode, link_target "
                    + "FROM entries WHERE dir_id = ? AND pos >= ? ORDER BY pos LIMIT ?")) {
                st.setLong(1, dirId);
                st.setLong(2, offset);
                st.setInt(3, limit);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        out.add(entry(path, rs));
                    }
                }
            }
            return Optional.of(new Listing(path, out, total, offset, limit));
        } catch (SQLException e) {
            throw new IOException("cannot read the catalog " + file + ": " + e.getMessage(), e);
        }
    }

    /** Entries anywhere in the snapshot whose name contains {@code text} (ASCII case-insensitive), by path. */
    public Listing search(String text, int offset, int limit) throws IOException {
        String pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        try (Connection c = connect(file, true)) {
            long total;
            try (PreparedStatement st = c.prepareStatement("SELECT count(*) FROM entries WHERE name LIKE ? ESCAPE '\\'")) {
                st.setString(1, pattern);
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            List<CatalogEntry> out = new ArrayList<>();
            try (PreparedStatement st = c.prepareStatement("SELECT e.name, e.type, e.size, e.mtime_ms, e.mode, "
                    + "e.link_target, d.path FROM entries e JOIN dirs d ON d.id = e.dir_id WHERE e.name LIKE ? ESCAPE '\\' "
                    + "ORDER BY e.dir_id, e.pos LIMIT ? OFFSET ?")) {
                st.setString(1, pattern);
                st.setInt(2, limit);
                st.setInt(3, offset);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        out.add(entry(rs.getString(7), rs));
                    }
                }
            }
            return new Listing("/", out, total, offset, limit);
        } catch (SQLException e) {
            throw new IOException("cannot read the catalog " + file + ": " + e.getMessage(), e);
        }
    }

    /** Whether the snapshot has a folder at {@code path}. */
    public boolean isDir(String path) throws IOException {
        try (Connection c = connect(file, true);
             PreparedStatement st = c.prepareStatement("SELECT 1 FROM dirs WHERE path = ?")) {
            st.setString(1, path);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new IOException("cannot read the catalog " + file + ": " + e.getMessage(), e);
        }
    }

    private static CatalogEntry entry(String dir, ResultSet rs) throws SQLException {
        String name = rs.getString(1);
        NodeType type = NodeType.valueOf(rs.getString(2).toUpperCase(java.util.Locale.ROOT));
        int mode = rs.getInt(5);
        return new CatalogEntry(child(dir, name), name, type.label(), rs.getLong(3), Instant.ofEpochMilli(rs.getLong(4)),
                mode, FileModes.symbolic(type, mode), rs.getString(6));
    }

    private static Connection connect(Path file, boolean readOnly) throws SQLException {
        org.sqlite.SQLiteConfig config = new org.sqlite.SQLiteConfig();
        config.setReadOnly(readOnly);
        if (!readOnly) {
            // only ever a fresh temporary file, moved into place when complete: no journal needed
            config.setJournalMode(org.sqlite.SQLiteConfig.JournalMode.OFF);
            config.setSynchronous(org.sqlite.SQLiteConfig.SynchronousMode.OFF);
        }
        return DriverManager.getConnection("jdbc:sqlite:" + file, config.toProperties());
    }

    Path file() {
        return file;
    }
}
