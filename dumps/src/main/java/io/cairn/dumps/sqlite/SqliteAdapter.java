package io.cairn.dumps.sqlite;

import io.cairn.dumps.CheckStatus;
import io.cairn.dumps.ConnectionCheck;
import io.cairn.dumps.ConnectionSpec;
import io.cairn.dumps.DatabaseAdapter;
import io.cairn.dumps.DatabaseDescription;
import io.cairn.dumps.DatabaseException;
import io.cairn.dumps.DatabaseInfo;
import io.cairn.dumps.Dump;
import io.cairn.dumps.DumpOptions;
import io.cairn.dumps.ObjectInfo;
import io.cairn.dumps.RestoreOptions;
import io.cairn.dumps.RestoreResult;
import io.cairn.dumps.SourceKind;
import io.cairn.dumps.tool.FileDump;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/**
 * SQLite files through SQLite's own online backup API (sqlite-jdbc's {@code backup to} and
 * {@code restore from}); no external tool is needed.
 *
 * <p>Dump: the database is copied page by page into a private temporary file while other connections
 * keep reading and writing (the backup restarts itself if a writer changes a page it copied, so the
 * copy is one consistent state, WAL included), then streamed; the file name is the source's. The
 * copy is the database file itself: page-structured, so unchanged pages deduplicate.
 *
 * <p>Restore: the stream is written to a temporary file next to the target, checked with
 * {@code PRAGMA integrity_check}, and copied into the target with the backup API, so a connection
 * that has the target open sees the restored database on its next transaction. An existing
 * non-empty target is refused unless overwriting was asked for; a missing one is created only when
 * asked.
 */
public final class SqliteAdapter implements DatabaseAdapter {
    private static final byte[] MAGIC = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);

    private final Path tempDirectory;

    /** An adapter keeping its dump copies in the JVM's temporary directory. */
    public SqliteAdapter() {
        this(Path.of(System.getProperty("java.io.tmpdir")));
    }

    /** An adapter keeping its dump copies in {@code tempDirectory} (it needs room for one copy of the database). */
    public SqliteAdapter(Path tempDirectory) {
        this.tempDirectory = tempDirectory;
    }

    @Override
    public SourceKind kind() {
        return SourceKind.SQLITE;
    }

    private static void requireKind(ConnectionSpec spec) {
        if (spec.kind() != SourceKind.SQLITE) {
            throw new IllegalArgumentException("not an SQLite spec: " + spec.kind());
        }
    }

    private static Connection open(Path file, boolean readOnly) throws SQLException {
        if (file.toString().contains("?")) {
            throw new SQLException("SQLite paths with '?' are not supported: " + file);
        }
        Properties p = new Properties();
        p.setProperty("open_mode", readOnly ? "1" : "6"); // SQLITE_OPEN_READONLY, or READWRITE|CREATE
        p.setProperty("busy_timeout", "30000");
        return DriverManager.getConnection("jdbc:sqlite:" + file, p);
    }

    /** Why {@code file} cannot be read as an SQLite database, or null if it can. */
    private static DatabaseException unreadable(Path file) {
        if (!Files.exists(file)) {
            return new DatabaseException(CheckStatus.DATABASE_MISSING, "there is no file " + file
                    + ": check the path (it must be on the machine Cairn runs on)");
        }
        if (!Files.isRegularFile(file)) {
            return new DatabaseException(CheckStatus.DATABASE_MISSING, file + " is not a regular file");
        }
        if (!Files.isReadable(file)) {
            return new DatabaseException(CheckStatus.PERMISSION_DENIED, "Cairn may not read " + file
                    + ": give the user Cairn runs as read access to the file and its directory");
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(MAGIC.length);
            if (head.length > 0 && !Arrays.equals(head, MAGIC)) {
                return new DatabaseException(CheckStatus.OTHER, file + " is not an SQLite 3 database");
            }
        } catch (IOException e) {
            return new DatabaseException(CheckStatus.PERMISSION_DENIED, "cannot read " + file + ": " + e.getMessage());
        }
        return null;
    }

    @Override
    public ConnectionCheck test(ConnectionSpec spec) {
        requireKind(spec);
        DatabaseException problem = unreadable(spec.file());
        if (problem != null) {
            return ConnectionCheck.failed(problem);
        }
        try (Connection c = open(spec.file(), true); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select sqlite_version(), (select count(*) from sqlite_master)")) {
            rs.next();
            String version = rs.getString(1);
            return ConnectionCheck.ok("opened " + spec.file() + " (" + rs.getLong(2) + " schema objects) with SQLite "
                    + version, version);
        } catch (SQLException e) {
            return ConnectionCheck.failed(CheckStatus.OTHER, "cannot open " + spec.file() + " as an SQLite database: "
                    + e.getMessage(), null);
        }
    }

    @Override
    public DatabaseDescription describe(ConnectionSpec spec) throws DatabaseException {
        requireKind(spec);
        DatabaseException problem = unreadable(spec.file());
        if (problem != null) {
            throw problem;
        }
        try (Connection c = open(spec.file(), true)) {
            String version;
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select sqlite_version()")) {
                rs.next();
                version = rs.getString(1);
            }
            DatabaseInfo info = describeFile(c, spec.file());
            return new DatabaseDescription(SourceKind.SQLITE, version, info.sizeBytes(), List.of(info));
        } catch (SQLException e) {
            throw new DatabaseException(CheckStatus.OTHER, "cannot describe " + spec.file() + ": " + e.getMessage(), e);
        }
    }

    private static DatabaseInfo describeFile(Connection c, Path file) throws SQLException {
        long size;
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select page_count * page_size from pragma_page_count(), pragma_page_size()")) {
            rs.next();
            size = rs.getLong(1);
        }
        List<String[]> rels = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "select name, type from sqlite_master where type in ('table','view') and name not like 'sqlite_%' order by name")) {
            while (rs.next()) {
                rels.add(new String[]{rs.getString(1), rs.getString(2)});
            }
        }
        List<ObjectInfo> objects = new ArrayList<>();
        for (String[] r : rels) {
            if (r[1].equals("view")) {
                objects.add(new ObjectInfo(r[0], ObjectInfo.ObjectType.VIEW, -1));
                continue;
            }
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("select count(*) from \"" + r[0].replace("\"", "\"\"") + "\"")) {
                rs.next();
                objects.add(new ObjectInfo(r[0], ObjectInfo.ObjectType.TABLE, rs.getLong(1)));
            }
        }
        return new DatabaseInfo(file.getFileName().toString(), size, objects);
    }

    private static String quotePath(Path p) {
        String s = p.toString();
        return s.contains("\"") ? "'" + s + "'" : "\"" + s + "\"";
    }

    @Override
    public Dump dump(ConnectionSpec spec, DumpOptions options) throws DatabaseException {
        requireKind(spec);
        DatabaseException problem = unreadable(spec.file());
        if (problem != null) {
            throw problem;
        }
        Path copy;
        try {
            copy = Files.createTempFile(tempDirectory, "cairn-sqlite-", ".db",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (IOException e) {
            throw new DatabaseException(CheckStatus.OTHER, "cannot create a temporary file in " + tempDirectory + ": "
                    + e.getMessage(), e);
        }
        try (Connection c = open(spec.file(), true); Statement st = c.createStatement()) {
            st.executeUpdate("backup to " + quotePath(copy));
            options.toolOutput().accept("copied " + spec.file() + " with SQLite's online backup (" + Files.size(copy) + " bytes)");
            return new FileDump(spec.file().getFileName().toString(), copy, "SQLite backup");
        } catch (SQLException | IOException e) {
            try {
                Files.deleteIfExists(copy);
            } catch (IOException ignored) {
                // best effort
            }
            throw new DatabaseException(CheckStatus.OTHER, "the online backup of " + spec.file() + " failed: "
                    + e.getMessage() + " (is there room in " + tempDirectory + " for a copy?)", e);
        }
    }

    @Override
    public RestoreResult restore(ConnectionSpec target, InputStream dump, RestoreOptions options) throws DatabaseException {
        requireKind(target);
        RestoreOptions.refuseParts(options, "SQLite");
        Path file = target.file();
        Path dir = file.getParent();
        List<String> warnings = new ArrayList<>();
        if (Files.exists(file)) {
            DatabaseException problem = unreadable(file);
            if (problem != null && problem.status() != CheckStatus.OTHER) {
                throw problem;
            }
            if (!options.overwrite() && hasContent(file)) {
                throw new DatabaseException(CheckStatus.TARGET_NOT_EMPTY, file + " already holds a database with"
                        + " tables: restore into a new file, or choose to overwrite (the file's whole content is replaced)");
            }
        } else if (!options.createDatabase()) {
            throw new DatabaseException(CheckStatus.DATABASE_MISSING, "there is no file " + file
                    + ": restore with the option to create it, or give an existing file");
        } else if (dir == null || !Files.isDirectory(dir)) {
            throw new DatabaseException(CheckStatus.DATABASE_MISSING, "the directory " + dir + " does not exist: create it first");
        }
        Path tmp = null;
        long bytes;
        try {
            tmp = Files.createTempFile(dir, ".cairn-restore-", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (OutputStream out = Files.newOutputStream(tmp)) {
                bytes = dump.transferTo(out);
            }
            try (InputStream in = Files.newInputStream(tmp)) {
                if (!Arrays.equals(in.readNBytes(MAGIC.length), MAGIC)) {
                    throw new DatabaseException(CheckStatus.OTHER, "the dump is not an SQLite database");
                }
            }
            try (Connection c = open(tmp, true); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("pragma integrity_check")) {
                rs.next();
                String verdict = rs.getString(1);
                if (!"ok".equals(verdict)) {
                    throw new DatabaseException(CheckStatus.OTHER, "the dump is damaged (integrity check: " + verdict
                            + "); nothing was restored");
                }
            }
            boolean existed = Files.exists(file);
            try (Connection c = open(file, false); Statement st = c.createStatement()) {
                st.executeUpdate("restore from " + quotePath(tmp));
            }
            if (!existed) {
                warnings.add("created " + file);
            }
        } catch (SQLException e) {
            throw new DatabaseException(CheckStatus.OTHER, "restoring into " + file + " failed: " + e.getMessage(), e);
        } catch (DatabaseException e) {
            throw e;
        } catch (IOException e) {
            throw new DatabaseException(CheckStatus.OTHER, "restoring into " + file + " failed: " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort
                }
            }
        }
        return new RestoreResult(target.target(), bytes, describe(target), warnings);
    }

    private static boolean hasContent(Path file) throws DatabaseException {
        try {
            if (Files.size(file) == 0) {
                return false;
            }
        } catch (IOException e) {
            return true;
        }
        try (Connection c = open(file, true); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select count(*) from sqlite_master")) {
            rs.next();
            return rs.getLong(1) > 0;
        } catch (SQLException e) {
            return true;
        }
    }
}
