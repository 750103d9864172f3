package io.cairn.dumps.sqlite;

import io.cairn.dumps.CheckStatus;
import io.cairn.dumps.ConnectionSpec;
import io.cairn.dumps.DatabaseAdapter;
import io.cairn.dumps.DatabaseAdapterContract;
import io.cairn.dumps.Dump;
import io.cairn.dumps.DumpOptions;
import io.cairn.dumps.JdbcFingerprints;
import io.cairn.dumps.RestoreOptions;
import io.cairn.dumps.tool.Toolbox;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The contract against real SQLite files (in WAL mode), through sqlite-jdbc. */
class SqliteAdapterContractTest extends DatabaseAdapterContract {
    static final int PEOPLE = 250;
    static final String NOT_A_PASSWORD = "no-password-" + UUID.randomUUID();

    @Override
    protected DatabaseAdapter adapter() {
        return new SqliteAdapter(temp);
    }

    @Override
    protected DatabaseAdapter adapterWith(Toolbox toolbox) {
        return new SqliteAdapter(temp); // needs no tool
    }

    private Path randomFile() {
        return temp.resolve("cairn_t_" + UUID.randomUUID().toString().substring(0, 8) + ".db");
    }

    static Connection open(ConnectionSpec spec) throws Exception {
        return DriverManager.getConnection("jdbc:sqlite:" + spec.file());
    }

    @Override
    protected ConnectionSpec createScratch() throws Exception {
        ConnectionSpec spec = ConnectionSpec.sqlite(randomFile());
        try (Connection c = open(spec); Statement st = c.createStatement()) {
            st.execute("PRAGMA journal_mode=WAL");
        }
        return spec;
    }

    @Override
    protected ConnectionSpec newScratchName() {
        return ConnectionSpec.sqlite(randomFile());
    }

    @Override
    protected void dropScratch(ConnectionSpec spec) throws Exception {
        for (String suffix : List.of("", "-wal", "-shm", "-journal")) {
            Files.deleteIfExists(Path.of(spec.file() + suffix));
        }
    }

    @Override
    protected void populate(ConnectionSpec spec) throws Exception {
        try (Connection c = open(spec); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE people (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, nick TEXT,"
                    + " score REAL, photo BLOB, doc TEXT)");
            st.execute("CREATE TABLE audit (id INTEGER PRIMARY KEY, person INT, what TEXT)");
            st.execute("CREATE TRIGGER people_audit AFTER INSERT ON people BEGIN"
                    + " INSERT INTO audit (person, what) VALUES (NEW.id, 'inserted ' || NEW.name); END");
            st.execute("CREATE VIEW named AS SELECT id, name FROM people WHERE nick IS NOT NULL");
            st.execute("CREATE TABLE \"weird table\" (\"Key\" TEXT PRIMARY KEY, \"value;--\" TEXT, big TEXT)");
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO people (name, nick, score, photo, doc) VALUES (?, ?, ?, ?, ?)")) {
                for (int i = 0; i < PEOPLE; i++) {
                    ps.setString(1, i % 3 == 0 ? "名前 " + i + " 🪨 שלום" : "person\t" + i + "\n'quoted' \\ back");
                    ps.setString(2, i % 4 == 0 ? null : "nick" + i);
                    if (i % 7 == 0) {
                        ps.setNull(3, java.sql.Types.REAL);
                    } else {
                        ps.setDouble(3, i + 0.1234);
                    }
                    byte[] photo = new byte[256 + i];
                    for (int k = 0; k < photo.length; k++) {
                        photo[k] = (byte) (k * 31 + i);
                    }
                    ps.setBytes(4, i % 6 == 0 ? null : photo);
                    ps.setString(5, "{\"n\": " + i + "}");
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO \"weird table\" VALUES (?, ?, ?)")) {
                ps.setString(1, "large");
                ps.setString(2, null);
                ps.setString(3, "Lorem ipsum ñ 😀 ".repeat(70_000));
                ps.executeUpdate();
                ps.setString(1, "empty");
                ps.setString(2, "");
                ps.setString(3, "");
                ps.executeUpdate();
                ps.setString(1, "nul");
                ps.setString(2, "a\0b");
                ps.setString(3, "line1\nline2");
                ps.executeUpdate();
            }
            c.commit();
        }
    }

    @Override
    protected void addBulkData(ConnectionSpec spec) throws Exception {
        try (Connection c = open(spec); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE bulk AS WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < 60000)"
                    + " SELECT i AS id, hex(randomblob(100)) AS payload FROM g");
        }
    }

    @Override
    protected Map<String, String> fingerprint(ConnectionSpec spec) throws Exception {
        Map<String, String> f = new LinkedHashMap<>();
        try (Connection c = open(spec)) {
            List<String[]> objects = new ArrayList<>();
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                    "SELECT name, type, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_autoindex%' ORDER BY name")) {
                while (rs.next()) {
                    objects.add(new String[]{rs.getString(1), rs.getString(2), rs.getString(3)});
                }
            }
            for (String[] o : objects) {
                String q = "\"" + o[0].replace("\"", "\"\"") + "\"";
                f.put(o[1] + " " + o[0], o[2] + (o[1].equals("table") ? " " + JdbcFingerprints.of(c, "SELECT * FROM " + q
                        + " ORDER BY 1") : ""));
            }
        }
        return f;
    }

    @Override
    protected Map<String, Long> expectedCounts() {
        return Map.of("people", (long) PEOPLE, "audit", (long) PEOPLE, "weird table", 3L, "named", -1L);
    }

    @Override
    protected void verifyRestoredBehaviour(ConnectionSpec source, ConnectionSpec restored) throws Exception {
        try (Connection c = open(restored); Statement st = c.createStatement()) {
            st.execute("INSERT INTO people (name) VALUES ('after restore')");
            try (ResultSet rs = st.executeQuery("SELECT count(*), max(person) FROM audit")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(PEOPLE + 1);
                assertThat(rs.getLong(2)).isEqualTo(PEOPLE + 1);
            }
        }
    }

    @Override
    protected String secret() {
        return NOT_A_PASSWORD;
    }

    @Override
    protected List<String> tools() {
        return List.of();
    }

    @Override
    protected Optional<ConnectionSpec> withWrongPassword(ConnectionSpec good) {
        return Optional.empty();
    }

    @Override
    protected ConnectionSpec unreachable(ConnectionSpec good) {
        return ConnectionSpec.sqlite(Path.of("/nonexistent-" + UUID.randomUUID(), "app.db"));
    }

    @Override
    protected Optional<ConnectionSpec> withTlsRequired(ConnectionSpec good) {
        return Optional.empty();
    }

    @Override
    protected CheckStatus unreachableStatus() {
        return CheckStatus.DATABASE_MISSING;
    }

    @Override
    protected ConnectionSpec withMissingDatabase(ConnectionSpec good) {
        return ConnectionSpec.sqlite(randomFile());
    }

    /** The backup copy shrinks under the dump (a disk problem): the read comes up short and must fail. */
    @Override
    protected Dump startFailingDump(ConnectionSpec source) throws Exception {
        Path own = Files.createDirectories(temp.resolve("copies-" + UUID.randomUUID()));
        Dump dump = new SqliteAdapter(own).dump(source, DumpOptions.defaults());
        try (var files = Files.list(own)) {
            Path copy = files.findFirst().orElseThrow();
            try (RandomAccessFile f = new RandomAccessFile(copy.toFile(), "rw")) {
                f.setLength(f.length() / 2);
            }
        }
        return dump;
    }

    @Test
    void aBackupTakenWhileAWriterIsBusyIsConsistent() throws Exception {
        ConnectionSpec source = scratch();
        try (Connection c = open(source); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE a (id INTEGER PRIMARY KEY, v TEXT)");
            st.execute("CREATE TABLE b (id INTEGER PRIMARY KEY, v TEXT)");
        }
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong written = new AtomicLong();
        Thread writer = new Thread(() -> {
            try (Connection c = open(source)) {
                c.setAutoCommit(false);
                try (PreparedStatement pa = c.prepareStatement("INSERT INTO a (v) VALUES (?)");
                     PreparedStatement pb = c.prepareStatement("INSERT INTO b (v) VALUES (?)")) {
                    while (!stop.get()) {
                        String v = "x".repeat(2000);
                        pa.setString(1, v);
                        pa.executeUpdate();
                        pb.setString(1, v);
                        pb.executeUpdate();
                        c.commit(); // a and b always grow together
                        written.incrementAndGet();
                    }
                }
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        writer.start();
        try {
            while (written.get() < 200) {
                Thread.sleep(5);
            }
            byte[] bytes = dumpFully(adapter(), source);
            ConnectionSpec target = scratchName();
            adapter().restore(target, new ByteArrayInputStream(bytes), RestoreOptions.defaults().creatingDatabase());
            try (Connection c = open(target); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT (SELECT count(*) FROM a), (SELECT count(*) FROM b)")) {
                rs.next();
                assertThat(rs.getLong(1)).isPositive().isEqualTo(rs.getLong(2));
            }
        } finally {
            stop.set(true);
            writer.join();
        }
    }
}
